"""Opvolging, terugkoppeling and dashboard pages (thin: parse, authorise, call the service, render)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("opvolging", __name__)
