"""bench/speed.py's --against: the package of another revision, run in place of this one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import speed  # noqa: E402

pytestmark = [
    pytest.mark.slow,  # runs git and an interpreter in subprocesses
    pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                       reason="needs git and the repository's history"),
]


def test_checkout_unpacks_the_package_of_a_revision_and_code_run_there_imports_it(tmp_path):
    into = speed.checkout("HEAD", tmp_path / "rev")
    head = subprocess.run(["git", "-C", str(ROOT), "show", "HEAD:cleaner/pipeline.py"], capture_output=True,
                          check=True).stdout
    assert (into / "cleaner" / "pipeline.py").read_bytes() == head
    assert (into / "cleaner" / "model" / "line_model.npz").exists()  # package data comes too
    imported = subprocess.run([sys.executable, "-c", "import cleaner; print(cleaner.__file__)"], cwd=into,
                              capture_output=True, text=True, check=True).stdout.strip()
    assert Path(imported).resolve() == (into / "cleaner" / "__init__.py").resolve()


def test_an_unknown_revision_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="--against no-such-revision: .*no-such-revision"):
        speed.checkout("no-such-revision", tmp_path / "rev")
    assert not (tmp_path / "rev").exists()
