"""The demo shows a volglink: `seed-demo` prints it, and it opens a knelpunt with a besluit and an actie."""

from __future__ import annotations

import re

from facilitatie import demo


def test_seed_demo_prints_a_working_volglink(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    [pad] = re.findall(r"Volglink van een .*knelpunt \(demo\): \S+?(/volg/[A-Za-z0-9_-]{43})", result.output)
    html = app.test_client().get(pad).get_data(as_text=True)
    assert "Opgepakt" in html and "Acties" in html and "Nog geen besluit" not in html
    assert "(nog) geen acties" not in html
    # Printed again on a later start (`seed-demo --if-empty`), derived, not stored.
    assert pad in demo.logins_text()
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert pad in again.output
