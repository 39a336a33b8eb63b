"""Small helpers the thin views share."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm

from facilitatie.fouten import Ongeldig


def safe_next(target: str | None, default: str) -> str:
    """Follow ?next= only to a path on this site (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def attach_error(form: FlaskForm, fout: Ongeldig, fallback: str) -> None:
    """Put a domain error next to the field it concerns (or the first field as fallback)."""
    field = getattr(form, fout.veld, None) or getattr(form, fallback)
    field.errors = [*field.errors, fout.bericht] if isinstance(field.errors, list) else [fout.bericht]
