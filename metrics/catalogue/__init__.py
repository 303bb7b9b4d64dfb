"""The catalogue of plans, indicators, targets and period totals: its rules, its files, loading them and
what a load would change."""
