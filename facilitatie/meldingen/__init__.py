"""Meldingen: e-mail about what became of a knelpunt, opt-in per account, sent through an outbox."""
