"""User errors on the command line: one line on stderr, no traceback, documented exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the command line in subprocesses

CLI = [sys.executable, "-m", "cleaner.cli"]


def run(*args: str, stdin: bytes = b"", env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, timeout=60,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("errors")
    made = {
        "ok": ("ok.txt", "Hello world. This is text.\n\n12 Comments\n"),
        "notlist": ("c1.toml", '[patterns]\ndrop = "notalist"\n'),
        "badtable": ("c2.toml", "[thresholds]\nchrome = 3\n"),
        "badsection": ("c3.toml", "stages = 3\n"),
        "badpattern": ("c4.toml", '[patterns]\ndrop = ["(unclosed"]\n'),
        "badtoml": ("c5.toml", "x = ["),
        "catastrophic": ("c6.toml", '[patterns]\ndrop = ["^(a|aa)+$"]\n'),
        "listlog": ("l1.jsonl", "[1, 2]\n"),
        "typelog": ("l2.jsonl", '{"doc":"a","stage":"x","rule":"r","action":"drop","start":"a","end":2,"original":"","replacement":""}\n'),
        "nojson": ("l3.jsonl", "not json\n"),
        "jsonl": ("r.jsonl", '{"id": 1, "body": "x"}\n'),
        "aaa": ("a.txt", "Hello there.\n\n" + "a" * 60 + "b\n"),
    }
    out = {}
    for key, (name, content) in made.items():
        (root / name).write_text(content)
        out[key] = root / name
    out["dir"] = root
    deep = "<html><body>" + "<div>" * 6000 + "<p>x</p>" + "</div>" * 6000 + "</body></html>"
    (root / "deep.html").write_text(deep)
    out["deep"] = root / "deep.html"
    return out


def one_line_error(proc, code: int, *needles: str) -> None:
    err = proc.stderr.decode()
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert err.startswith("cleaner: ") and err.count("\n") == 1, err
    for needle in needles:
        assert needle in err, err


@pytest.mark.parametrize("key,needle", [
    ("notlist", "[patterns] drop must be a list of strings"),
    ("badtable", "[thresholds.chrome] must be a table"),
    ("badsection", "[stages] must be a table"),
    ("badpattern", "bad pattern"),
    ("badtoml", "not valid TOML"),
])
def test_bad_config(files, key, needle):
    one_line_error(run("clean", "-c", str(files[key]), str(files["ok"])), 2, needle)


def test_missing_file_and_directory(files):
    one_line_error(run("clean", str(files["dir"] / "nope.txt")), 2, "no such file")
    one_line_error(run("clean", str(files["dir"])), 2, "is a directory")


@pytest.mark.parametrize("key,needle", [("listlog", "not a JSON object"), ("typelog", "not an offset"), ("nojson", "not valid JSON")])
def test_bad_log_for_restore(files, key, needle):
    one_line_error(run("restore", str(files["ok"]), str(files[key])), 2, "not a cleaner log", needle)


def test_restore_with_a_mismatched_clean_file(files, tmp_path):
    log = tmp_path / "ok.log"
    assert run("clean", "--log", str(log), str(files["ok"])).returncode == 0
    other = tmp_path / "other.txt"
    other.write_text("Something else entirely, much longer than the original.\n")
    one_line_error(run("restore", str(other), str(log)), 1, "does not match the log")
    # one character changed where no edit was made: the note's hash of the clean text tells
    clean = run("clean", str(files["ok"])).stdout.decode()
    other.write_text(clean.replace(clean[0], "#", 1))
    one_line_error(run("restore", str(other), str(log)), 1, "does not match the log")


def test_field_missing_passes_the_record_through(files):
    """No record has the field: it is passed through, said once, and the run fails (exit 1)."""
    proc = run("clean", "--jsonl", "--field", "text", str(files["jsonl"]))
    assert proc.stdout.decode().strip() == '{"id": 1, "body": "x"}'
    one_line_error(proc, 1, "no record has a string field 'text'")


def test_bad_option_is_a_usage_error():
    proc = run("clean", "--bogus")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr.decode()


def test_unreadable_file(files, tmp_path):
    import os

    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop reading")
    one_line_error(run("clean", str(path)), 2, "permission denied")


def test_too_deep_html_is_one_line_and_status_1(files):
    one_line_error(run("clean", "--html", str(files["deep"])), 1, "deep.html", "nested", "levels deep")


def test_pattern_timeout_names_the_rule(files):
    proc = run("clean", "-c", str(files["catastrophic"]), str(files["aaa"]))
    one_line_error(proc, 1, "a.txt", "rule user_drop_pattern", "^(a|aa)+$", "unchanged")
    assert "a" * 60 + "b" in proc.stdout.decode()


def test_internal_error_names_the_input_and_hides_the_traceback(files, tmp_path):
    # A sitecustomize that breaks the pipeline stands in for a bug.
    (tmp_path / "sitecustomize.py").write_text(
        "import cleaner.pipeline as p\n"
        "def boom(self, doc):\n    raise RuntimeError('boom')\n"
        "p.Pipeline.run = boom\n")
    env = {"PYTHONPATH": str(tmp_path)}
    one_line_error(run("clean", str(files["ok"]), env=env), 1, "ok.txt", "internal error", "RuntimeError: boom", "CLEANER_DEBUG")
    proc = run("clean", str(files["ok"]), env={**env, "CLEANER_DEBUG": "1"})
    assert "Traceback" in proc.stderr.decode()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full to fill a disk")
@pytest.mark.parametrize("where", [["-o", "/dev/full"], ["--log", "/dev/full"], []])
def test_a_full_disk_says_so(files, where):
    with open("/dev/full", "wb") as full:  # the clean text to stdout when no -o is given
        proc = subprocess.run([*CLI, "clean", str(files["ok"]), *where], stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == 2
    assert b"No space left on device" in proc.stderr and b"internal error" not in proc.stderr


def test_a_folder_that_cannot_be_made_is_named(files, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("Hello world. This is text.\n")
    proc = run("batch", str(src), str(blocker / "dest"))
    assert proc.returncode == 2
    assert str(blocker).encode() in proc.stderr and b"internal error" not in proc.stderr
