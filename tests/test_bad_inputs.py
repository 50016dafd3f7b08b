"""One bad input costs at most its record or its file, in both passes of a batch and in
`clean --jsonl`, `learn` and `review`; records are written back with their other fields
byte for byte."""

from __future__ import annotations

import gzip
import io
import json
import random
from pathlib import Path

import pytest

from conftest import messages, run_cli

from cleaner.run.batch import run
from cleaner.config import Config

pytestmark = pytest.mark.slow  # runs the command line in subprocesses

PROSE = "The council met on Monday and approved the budget for the harbour."
BIG = "9" * 5000
DEEP = "[" * 100_000 + "]" * 100_000


def _warc(records: list[tuple[str, bytes]], junk: bytes = b"") -> bytes:
    """A WARC of HTML responses, with ``junk`` after the first record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    parts = []
    for url, page in records:
        handle = io.BytesIO()
        writer = WARCWriter(handle, gzip=False)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page), http_headers=headers))
        parts.append(handle.getvalue())
    return parts[0] + junk + b"".join(parts[1:])


def _page(i: int) -> bytes:
    return f"<!DOCTYPE html><html><body><article><p>Page {i}. {PROSE}</p></article></body></html>".encode()


def _bad_inputs(src: Path) -> None:
    src.mkdir()
    (src / "good.txt").write_text(PROSE + "\n")
    (src / "stray_byte.jsonl").write_bytes(b'{"text": "caf\xe9 au lait. ' + PROSE.encode() + b'"}\n{"text": "' + PROSE.encode() + b'"}\n')
    random.seed(3)
    words = " ".join(random.choice(["harbour", "council", "budget", "ferry", "Monday"]) for _ in range(40))
    data = gzip.compress(("".join(json.dumps({"text": f"{i} {words}"}) + "\n" for i in range(400))).encode())
    (src / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    (src / "big_number.jsonl").write_text(f'{{"n": {BIG}, "text": "{PROSE}"}}\n')
    (src / "deep.jsonl").write_text(f'{{"a": {DEEP}, "text": "x"}}\n{{"text": "{PROSE}"}}\n')
    (src / "junk_between.warc").write_bytes(_warc([("https://a.example/1", _page(1)), ("https://a.example/2", _page(2))],
                                                  junk=b"\x00junk that is no record\r\n\r\n" * 3))
    (src / "all_junk.warc").write_bytes(b"this is no WARC file at all\n" * 20)


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_inputs_cost_at_most_their_record_or_file(tmp_path: Path, workers: int):
    src, dest = tmp_path / "src", tmp_path / "dest"
    _bad_inputs(src)
    summary = run(src, dest, Config(), workers=workers)
    errors = {(e["input"], e.get("line")): e["reason"] for e in summary.errors}
    assert set(errors) == {("cut.jsonl.gz", None), ("deep.jsonl", 1), ("junk_between.warc", None), ("all_junk.warc", None)}
    assert "corrupt or truncated" in errors[("cut.jsonl.gz", None)]
    assert errors[("deep.jsonl", 1)] == "nested too deep to read"
    assert "corrupt WARC at record 1" in errors[("junk_between.warc", None)]
    assert "not a WARC file" in errors[("all_junk.warc", None)]
    assert json.loads((dest / ".cleaner" / "errors.jsonl").read_text().splitlines()[0])
    assert (dest / "good.txt").read_text() == PROSE + "\n"
    assert [json.loads(line)["text"] for line in (dest / "stray_byte.jsonl").read_text().splitlines()] == \
        ["caf\ufffd au lait. " + PROSE + "\n", PROSE + "\n"]
    assert (dest / "big_number.jsonl").read_text() == f'{{"n": {BIG}, "text": "{PROSE}\\n"}}\n'
    assert (dest / "deep.jsonl").read_text() == f'{{"text": "{PROSE}\\n"}}\n'


def test_a_bug_met_on_one_input_fails_that_input_alone(tmp_path: Path, monkeypatch):
    import cleaner.pipeline

    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    for name in ("a", "b", "c"):
        (src / f"{name}.txt").write_text(f"{name}: {PROSE}\n")
    real = cleaner.pipeline.Pipeline.clean

    def clean(self, data, **kwargs):
        if kwargs.get("doc_id") == "b.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, data, **kwargs)

    monkeypatch.setattr(cleaner.pipeline.Pipeline, "clean", clean)
    summary = run(src, dest, Config(), workers=1)
    assert [(e["input"], e["reason"].split(" (")[0]) for e in summary.errors] == \
        [("b.txt", "internal error: RecursionError: maximum recursion depth exceeded")]
    assert sorted(p.name for p in dest.glob("*.txt")) == ["a.txt", "c.txt"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_clean_jsonl_learn_and_review_read_past_bad_records(tmp_path: Path, workers: str):
    src = tmp_path / "in.jsonl"
    src.write_text(f'{{"n": {BIG}, "text": "{PROSE}"}}\n{{"a": {DEEP}, "text": "x"}}\n{{"text": "{PROSE}"}}\n')
    proc = run_cli("clean", "--jsonl", "--workers", workers, str(src))
    assert proc.returncode == 1
    assert messages(proc.stderr) == f"cleaner: {src}:2: nested too deep to read\n"
    assert proc.stdout.decode() == f'{{"n": {BIG}, "text": "{PROSE}\\n"}}\n{{"text": "{PROSE}\\n"}}\n'
    assert run_cli("learn", str(src), "--out", str(tmp_path / "t.json")).returncode == 0
    assert run_cli("review", str(src), "--out", str(tmp_path / "r.html")).returncode == 0


def test_other_fields_pass_through_byte_for_byte(tmp_path: Path):
    """Numbers json would rewrite (1e400 to Infinity, 1E5 to 100000.0), escapes, key order
    and spacing: only the cleaned field's value changes."""
    line = '{"b":1E5,  "text" : "Share\\n\\nThe ferry runs again.", "c": 1e400, "d": "caf\\u00e9", "e": -0.0}'
    src = tmp_path / "in.jsonl"
    src.write_text(line + "\n")
    log = tmp_path / "log.jsonl"
    proc = run_cli("clean", "--jsonl", str(src), "--log", str(log))
    assert proc.returncode == 0, proc.stderr
    cleaned = '{"b":1E5,  "text" : "The ferry runs again.\\n", "c": 1e400, "d": "caf\\u00e9", "e": -0.0}\n'
    assert proc.stdout.decode() == cleaned
    out = tmp_path / "out.jsonl"
    out.write_bytes(proc.stdout)
    restored = run_cli("restore", "--jsonl", str(out), str(log))
    assert restored.stdout.decode() == line + "\n"
    dest = tmp_path / "dest"
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "in.jsonl").write_text(line + "\n")
    assert run_cli("batch", str(tmp_path / "src"), str(dest)).returncode == 0
    assert (dest / "in.jsonl").read_text() == cleaned


def test_a_byte_order_mark_does_not_cost_the_first_record(tmp_path: Path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'\xef\xbb\xbf{"id": "first", "text": "One."}\n{"id": "second", "text": "Two."}\n')
    proc = run_cli("clean", "--jsonl", str(src))
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["id"] for line in proc.stdout.decode().splitlines()] == ["first", "second"]


# -- size limits ------------------------------------------------------------------------------

class EndlessLine:
    """A stream holding one line of ``size`` bytes (its newline included), then a short one; it records the largest
    read asked of it."""

    def __init__(self, size: int):
        self.left, self.largest, self.tail = size, 0, [b"short\n"]

    def readline(self, limit: int = -1) -> bytes:
        self.largest = max(self.largest, limit)
        if self.left:
            n = min(self.left, limit if limit > 0 else self.left)
            self.left -= n
            return b"x" * n if self.left else b"x" * (n - 1) + b"\n"
        return self.tail.pop() if self.tail else b""


def test_a_huge_line_is_read_past_in_bounded_pieces():
    from cleaner.io.sources import Oversized, bounded_lines

    stream = EndlessLine(50_000_000)
    lines = list(bounded_lines(stream, 1000))
    assert [len(line) for line in lines] == [50_000_000, 6] and isinstance(lines[0], Oversized)
    assert stream.largest <= 1 << 20


def test_a_record_over_max_bytes_costs_only_itself(tmp_path: Path):
    src = tmp_path / "in.jsonl"
    src.write_text(f'{{"text": "{"a" * 5000}"}}\n{{"text": "{PROSE}"}}\n')
    proc = run_cli("clean", "--jsonl", "--max-bytes", "1000", str(src))
    assert proc.returncode == 1
    assert messages(proc.stderr) == f"cleaner: {src}:1: record of 5013 bytes, over --max-bytes (1000)\n"
    assert proc.stdout.decode() == f'{{"text": "{PROSE}\\n"}}\n'
    (tmp_path / "small.txt").write_text(PROSE)
    assert run_cli("clean", "--max-bytes", "10", str(tmp_path / "small.txt")).returncode == 2
    assert run_cli("clean", "--max-bytes", "0", str(tmp_path / "small.txt")).returncode == 0


def test_documents_are_bounded_by_default(tmp_path: Path):
    """A small .gz that inflates past the default limit is refused without --max-bytes."""
    from cleaner.io.sources import DEFAULT_MAX_BYTES

    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    with gzip.open(src / "bomb.txt.gz", "wb", compresslevel=1) as handle:
        for _ in range(DEFAULT_MAX_BYTES // (1 << 20) + 1):
            handle.write(b"word " * (1 << 18))
    (src / "ok.txt").write_text(PROSE + "\n")
    summary = run(src, dest, Config(), workers=1, templates=False)
    assert [(e["input"], "max-bytes" in e["reason"]) for e in summary.errors] == [("bomb.txt.gz", True)]
    assert (dest / "ok.txt").exists()
    assert "--max-bytes" in run_cli("batch", "--help").stdout.decode()


@pytest.mark.parametrize("depth", [300, 4000])
def test_html_deeper_than_the_parser_keeps_says_so(tmp_path: Path, depth: int):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * depth + f"<p>{PROSE}</p>" + "</div>" * depth + "</body></html>")
    proc = run_cli("clean", str(page))
    assert proc.returncode == 1 and proc.stdout == b""
    assert f"HTML nested {depth + 2} levels deep: no text found above level 255" in proc.stderr.decode()
    shallow = tmp_path / "shallow.html"
    shallow.write_text("<html><body>" + "<div>" * 20 + f"<p>{PROSE}</p>" + "</div>" * 20 + "</body></html>")
    assert run_cli("clean", str(shallow)).stdout.decode() == PROSE + "\n"


def test_stray_bytes_in_a_warc_are_said_in_our_words_not_warcios(tmp_path: Path):
    """Bytes after a record that warcio reads past: every record is cleaned, the input is
    listed (exit 1, retried next run) with where the bytes were; warcio prints nothing."""
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    first = _warc([("https://a.example/1", _page(1))])
    (src / "stray.warc").write_bytes(first[:-4] + b"stray line\r\n\r\n\r\n"
                                     + _warc([("https://a.example/2", _page(2)), ("https://a.example/3", _page(3))]))
    proc = run_cli("batch", str(src), str(dest), "--workers", "1")
    assert proc.returncode == 1
    said = proc.stderr.decode()
    assert "WARNING" not in said and "Remainder" not in said
    assert f"error: stray.warc: stray bytes at offset {len(first) - 4}, before record 2, skipped" in said
    assert [json.loads(line)["url"] for line in (dest / "stray.jsonl").read_text().splitlines()] == \
        [f"https://a.example/{i}" for i in (1, 2, 3)]
