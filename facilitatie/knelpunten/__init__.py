"""Knelpunten: posting (optionally anonymous), privacy guard, thema's, stemmen, reacties, moderation."""
