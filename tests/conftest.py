from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, input: bytes | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the installed `cleaner` command line in a subprocess (``env`` adds to the environment)."""
    return subprocess.run(
        [sys.executable, "-m", "cleaner.cli", *args],
        input=input,
        capture_output=True,
        cwd=cwd or ROOT,
        env={**os.environ, **env} if env else None,
        timeout=120,
    )


@pytest.fixture
def cli():
    return run_cli
