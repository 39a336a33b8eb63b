"""Sessies: sessievormen, creating, joining, deelnemers and the live fasen."""
