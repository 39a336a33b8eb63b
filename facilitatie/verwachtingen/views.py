"""Verwachtingen pages and actions (thin: parse, authorise, call the service, render)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("verwachtingen", __name__)
