"""Commands beyond the core ones in :mod:`cleaner.cli`, one module each.

Each module defines ``register(app)``, which adds its typer command(s). Modules import their
heavy dependencies inside the command, so `cleaner clean` starts fast.
"""

from __future__ import annotations

import importlib

COMMAND_MODULES: tuple[str, ...] = ("batch", "learn", "review")


def register_all(app) -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"cleaner.commands.{name}").register(app)
