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


def messages(stderr: bytes) -> str:
    """What a command said on stderr, less `cleaner clean`'s closing summary line (its
    figures include the time taken)."""
    return "".join(line for line in stderr.decode().splitlines(keepends=True) if not line.startswith("cleaner clean: "))


def clean_logged(log: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, bytes, bytes, bytes]:
    """`cleaner clean ARGS --log LOG`: its exit status, stdout, messages on stderr (see
    :func:`messages`) and log."""
    proc = run_cli("clean", *args, "--log", str(log), env=env)
    return proc.returncode, proc.stdout, messages(proc.stderr).encode(), log.read_bytes()


@pytest.fixture
def cli():
    return run_cli
