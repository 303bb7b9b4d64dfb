"""The command line, ``python -m metrics`` and the ``kpi`` console script (see ``commands``)."""

from metrics.cli.commands import main

__all__ = ["main"]
