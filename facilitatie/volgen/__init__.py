"""Volgen: the volglink, a private link to what became of one knelpunt (besluit, acties, reactie).

Whoever posts a knelpunt gets it once, named or anonymous; only its hash is stored, in a
table of its own that names no one (`models.Volglink`). The page `/volg/<token>` shows the
knelpunt's besluit with its reason and history, its acties and beleid's reacties, and nothing
that names a deelnemer.
"""
