"""What every command shares: exit statuses, the one-line error, reading the config.

The command line (cleaner.cli) and the command modules import this; it imports neither, so
no command imports the module that registers it.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def err(message: str) -> None:
    """One line on stderr, ``cleaner: `` first."""
    sys.stderr.write(f"cleaner: {message}\n")


class Extractor(str, Enum):
    """How HTML pages are extracted (``--extractor``)."""

    blocks = "blocks"
    fast = "fast"
    trafilatura = "trafilatura"


ExtractorOpt = typer.Option(
    Extractor.blocks, "--extractor",
    help="HTML pages: 'blocks' walks the page into text blocks and keeps those a learned model scores as "
         "content, with trafilatura's extraction as one of its facts; 'fast' decides the blocks without "
         "trafilatura, in about half the time, a little less well (as `[thresholds.extract] "
         "trafilatura_vote = false`); 'trafilatura' takes trafilatura's extraction alone (as `[rules] "
         "block_model = false`).")


def load_config(path: Optional[Path], extractor: Extractor = Extractor.blocks):
    """The config at ``path`` (defaults without one), with the ``--extractor`` asked for; a bad
    one ends the command with status 2."""
    from cleaner.config import Config, ConfigError

    try:
        config = Config.load(path) if path is not None else Config()
    except ConfigError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    if extractor == Extractor.trafilatura:
        config.rules["block_model"] = False
    elif extractor == Extractor.fast:
        config.thresholds.setdefault("extract", {})["trafilatura_vote"] = False
    return config
