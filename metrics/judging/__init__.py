"""Judging the figures read from the store: the scorecard, its charts and its words (also the audit's)."""
