"""What `cleaner clean` and `cleaner batch` accept as input, and how their outputs are written."""

from __future__ import annotations

import gzip
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, messages, run_cli

pytestmark = pytest.mark.slow  # runs the command line in subprocesses

pytestmark = pytest.mark.slow  # runs the command line in subprocesses

ARTICLE = "".join(f"<p>The harbour reopened on Monday after repairs that took {i} months, officials said.</p>"
                  for i in range(2, 8))
PAGE = f"<!DOCTYPE html><html><body><article><h1>Harbour reopens</h1>{ARTICLE}</article></body></html>"


def test_a_page_with_a_few_nul_bytes_is_cleaned_not_refused(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.replace("officials said.", "officials said.\x00", 2).encode())
    for args in (["clean", str(page)], ["clean", "--html", str(page)]):
        proc = run_cli(*args)
        assert proc.returncode == 0, proc.stderr
        assert b"The harbour reopened on Monday" in proc.stdout and b"\x00" not in proc.stdout
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    (src / "page.html").write_bytes(page.read_bytes())
    (src / "image.txt").write_bytes(bytes(range(256)) * 8)  # control bytes throughout: binary
    proc = run_cli("batch", str(src), str(dest), "--workers", "1", "--no-templates")
    assert proc.returncode == 1
    assert b"The harbour reopened on Monday" in (dest / "page.html").read_bytes()
    errors = [json.loads(line) for line in (dest / ".cleaner" / "errors.jsonl").read_text().splitlines()]
    assert errors == [{"input": "image.txt", "reason": "not a text file (binary data)"}]


def test_batch_outputs_follow_the_umask(tmp_path: Path):
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    (src / "a.txt").write_text("Hello world. This is text.\n")
    (src / "b.jsonl").write_text('{"text": "Hello world."}\n')
    for umask, mode in ((0o022, 0o644), (0o002, 0o664), (0o077, 0o600)):
        proc = subprocess.run(["sh", "-c", f'umask {umask:03o} && exec "$@"', "sh", sys.executable, "-m", "cleaner.cli",
                               "batch", str(src), str(dest / f"{umask:03o}"), "--workers", "1"],
                              capture_output=True, cwd=ROOT, timeout=120)
        assert proc.returncode == 0, proc.stderr
        out = dest / f"{umask:03o}"
        for path in (out / "a.txt", out / "b.jsonl", out / ".cleaner" / "logs" / "a.txt.log.jsonl"):
            assert stat.S_IMODE(path.stat().st_mode) == mode, (path, oct(path.stat().st_mode), umask)


def test_a_wrong_field_is_said_once_with_the_count(tmp_path: Path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "body": f"Text {i}."}) + "\n" for i in range(500)))
    proc = run_cli("clean", "--jsonl", str(corpus))
    err = messages(proc.stderr)
    assert proc.returncode == 1
    assert err == "cleaner: no record has a string field 'text' (500 passed through unchanged; --field names the field to clean)\n"
    assert proc.stdout == corpus.read_bytes().replace(b'{"id": ', b'{"id": ')  # every record, unchanged
    # some records have it: one line with the count, exit 0
    corpus.write_text(json.dumps({"text": "Hello world."}) + "\n" + json.dumps({"body": "x"}) + "\n")
    proc = run_cli("clean", "--jsonl", str(corpus))
    assert proc.returncode == 0
    assert messages(proc.stderr) == "cleaner: 1 of 2 records have no string field 'text'; passed through unchanged\n"
    assert proc.stdout.decode().splitlines() == ['{"text": "Hello world.\\n"}', '{"body": "x"}']


def test_jsonl_gz_and_jsonl_names_are_read_as_json_lines(tmp_path: Path):
    records = [{"id": "a", "text": "Hello world.\n\n12 Comments"}, {"id": "b", "text": "Second page.\n\n0"}]
    raw = "".join(json.dumps(r) + "\n" for r in records).encode()
    expected = ['{"id": "a", "text": "Hello world.\\n"}', '{"id": "b", "text": "Second page.\\n"}']
    (tmp_path / "c.jsonl").write_bytes(raw)
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress(raw))
    for args in (["--jsonl", "c.jsonl.gz"], ["c.jsonl.gz"], ["c.jsonl"], ["--jsonl", "--workers", "2", "c.jsonl.gz"]):
        proc = run_cli("clean", *[str(tmp_path / a) if a.startswith("c.") else a for a in args])
        assert proc.returncode == 0, (args, proc.stderr)
        assert proc.stdout.decode().splitlines() == expected, args
    # --no-jsonl reads a .jsonl file as text; a corrupt archive is a one-line error
    proc = run_cli("clean", "--no-jsonl", str(tmp_path / "c.jsonl"))
    assert proc.returncode == 0 and proc.stdout.startswith(b'{"id": "a"')
    (tmp_path / "bad.jsonl.gz").write_bytes(gzip.compress(raw)[:30])
    proc = run_cli("clean", str(tmp_path / "bad.jsonl.gz"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr.decode()
    assert proc.stderr.decode().startswith(f"cleaner: {tmp_path / 'bad.jsonl.gz'}: corrupt or truncated")
