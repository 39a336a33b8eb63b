"""A mail from one template: plain text is the source, the HTML part is made from it.

`templates/meldingen/mail/<naam>.txt` holds the body as plain text (Markdown-friendly: blank
lines between paragraphs, `- ` for lists, `<https://…>` for links) and sets the subject with
`{% set onderwerp = "…" %}`. The HTML part is that text rendered by the project's sanitising
Markdown helper inside one shared layout, and both parts get the same footer with the
afmeldlink; so a new kind of mail needs one template, not three.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from facilitatie.tekst import render_markdown_markup


@dataclass(frozen=True)
class Opgemaakt:
    onderwerp: str
    tekst: str
    html: str


def maak(sjabloon: str, *, afmeldlink: str, reden: str, **context: Any) -> Opgemaakt:
    """Render `meldingen/mail/<sjabloon>.txt` into subject, text and HTML; `reden`: why this person gets it."""
    template = current_app.jinja_env.get_template(f"meldingen/mail/{sjabloon}.txt")
    module = template.make_module({**context, "afmeldlink": afmeldlink})
    onderwerp = " ".join(str(getattr(module, "onderwerp", "")).split())
    if not onderwerp:
        raise ValueError(f"meldingen/mail/{sjabloon}.txt zet geen onderwerp")
    inhoud = str(module).strip()
    omgeving = current_app.jinja_env  # no request needed: scheduled jobs queue mails too
    voet = omgeving.get_template("meldingen/mail/_voet.txt").render(afmeldlink=afmeldlink, reden=reden).strip()
    tekst = f"{inhoud}\n\n-- \n{voet}\n"
    html = omgeving.get_template("meldingen/mail/_opmaak.html").render(
        onderwerp=onderwerp,
        inhoud=render_markdown_markup(inhoud),
        afmeldlink=afmeldlink,
        reden=reden,
    )
    return Opgemaakt(onderwerp=onderwerp[:200], tekst=tekst, html=html)
