"""What every command shares: exit statuses, the one-line error, reading the config.

The command line (cleaner.cli) and the command modules import this; it imports neither, so
no command imports the module that registers it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def err(message: str) -> None:
    """One line on stderr, ``cleaner: `` first."""
    sys.stderr.write(f"cleaner: {message}\n")


def load_config(path: Optional[Path]):
    """The config at ``path`` (defaults without one); a bad one ends the command with status 2."""
    from cleaner.config import Config, ConfigError

    try:
        return Config.load(path) if path is not None else Config()
    except ConfigError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
