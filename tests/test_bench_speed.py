"""bench/speed.py: the CPU seconds it reads beside the clock's, and --against (the package of
another revision, run in place of this one)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import speed  # noqa: E402

slow = pytest.mark.slow  # runs interpreters (and git) in subprocesses
needs_git = pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                               reason="needs git and the repository's history")


@slow
def test_timed_counts_the_cpu_seconds_of_the_process_it_runs_apart_from_its_waiting():
    # A process that sleeps spends wall time and next to no CPU time; one that computes spends
    # CPU time. The figures are the child's, not this process's.
    sleeper = speed.timed("import time\ntime.sleep(0.5)")
    busy = speed.timed("x = 0\nfor i in range(3_000_000):\n    x += i")
    assert sleeper.seconds >= 0.5
    assert sleeper.cpu < sleeper.seconds - 0.3
    assert busy.cpu > sleeper.cpu
    assert sleeper.peak_mb > 0 and busy.peak_mb > 0


def test_paired_gives_the_ratio_of_the_cpu_seconds_beside_that_of_the_clock():
    turns = iter([speed.Timing(2.0, 1.0), speed.Timing(1.0, 0.8), speed.Timing(4.0, 1.2), speed.Timing(2.0, 1.0)])
    result = speed.paired(2, lambda: next(turns), lambda: next(turns))
    assert result == speed.Paired(first=3.0, second=1.5, ratio=2.0, cpu_ratio=pytest.approx((1.25 + 1.2) / 2))


@slow
@needs_git
def test_checkout_unpacks_the_package_of_a_revision_and_code_run_there_imports_it(tmp_path):
    into = speed.checkout("HEAD", tmp_path / "rev")
    head = subprocess.run(["git", "-C", str(ROOT), "show", "HEAD:cleaner/pipeline.py"], capture_output=True,
                          check=True).stdout
    assert (into / "cleaner" / "pipeline.py").read_bytes() == head
    assert (into / "cleaner" / "model" / "line_model.npz").exists()  # package data comes too
    imported = subprocess.run([sys.executable, "-c", "import cleaner; print(cleaner.__file__)"], cwd=into,
                              capture_output=True, text=True, check=True).stdout.strip()
    assert Path(imported).resolve() == (into / "cleaner" / "__init__.py").resolve()


@slow
@needs_git
def test_an_unknown_revision_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="--against no-such-revision: .*no-such-revision"):
        speed.checkout("no-such-revision", tmp_path / "rev")
    assert not (tmp_path / "rev").exists()
