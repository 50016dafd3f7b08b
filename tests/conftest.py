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


def clean_logged(log: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, bytes, bytes, bytes]:
    """`cleaner clean ARGS --log LOG`: its exit status, stdout, stderr and log."""
    proc = run_cli("clean", *args, "--log", str(log), env=env)
    return proc.returncode, proc.stdout, proc.stderr, log.read_bytes()


@pytest.fixture
def cli():
    return run_cli
