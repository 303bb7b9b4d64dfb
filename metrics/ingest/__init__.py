"""Analysts' data intake of yearly figures: the orchestrator is ``metrics.ingest.intake`` (check, commit,
undo); the other modules match a file's layout, validate, preview, commit and report."""
