"""Knelpunten pages and actions (thin: parse, authorise, call the service, render)."""

from __future__ import annotations

from flask import Blueprint

from facilitatie.knelpunten import models  # noqa: F401 - registers the tables

bp = Blueprint("knelpunten", __name__)
