"""The volglink in the answer to the poster's own request ("Bewaar deze link"), and nowhere else.

create_app hands `volglink_tonen` to the knelpunten area (knelpunten.views.init_app), which sits
before this one and cannot import it; a later path (a signaal through a meldlink) calls it too.
"""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from facilitatie import adres
from facilitatie.knelpunten.models import Knelpunt
from facilitatie.volgen import service


def volglink_url(token: str) -> str:
    """The volglink as others reach Ontmoet (ONTMOET_PUBLIC_URL, else this host as phones see it)."""
    return adres.buiten_url("volgen.volgen", token=token)


def volglink_tonen(knelpunt: Knelpunt, client_request_id: str | None) -> Markup:
    """Issue (or, for a retry, find again) the volglink of this post and render "Bewaar deze link"."""
    token = service.uitgeven(knelpunt, client_request_id)
    html = render_template("volgen/_bewaar.html", knelpunt=knelpunt, url=volglink_url(token))
    return Markup(html)  # noqa: S704 - our own template, autoescaped
