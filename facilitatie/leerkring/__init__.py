"""Leerkring: the casus card, vragen and reflecties, the evaluatie of the kring, the next inbrenger, and peilingen."""
