"""Reeksen from the start: the next sessie of a reeks, prefilled (teams, verwachtingen, acties)."""
