"""The DuckDB store: connections, schema and migrations, the roll-ups in SQL, the figures read back for the
judgement, the audit trail, users and sign-in, and (``files``) the guarded readers of CSV and Excel files."""
