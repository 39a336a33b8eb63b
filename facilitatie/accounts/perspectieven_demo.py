"""Demo: Vechtstede hears partners and inwoners too, so the join form and the figures show them."""

from __future__ import annotations

from facilitatie.accounts import perspectieven_beheer
from facilitatie.demo_context import DemoContext

DEMO_PERSPECTIEVEN = ("Partner (huisarts, school, woningcorporatie)", "Inwoner / cliëntenraad")


def load(demo: DemoContext) -> None:
    """The demo gemeente's own perspectives beside beleid and uitvoering."""
    for label in DEMO_PERSPECTIEVEN:
        perspectieven_beheer.toevoegen(demo.gemeente.id, label)
