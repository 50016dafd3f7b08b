"""Remote storage through fsspec, against its in-memory filesystem (``memory://``): the
commands run in this process, where that filesystem lives."""

from __future__ import annotations

import gzip
import json

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cleaner.cli import app

RECORDS = [{"id": "a", "text": "Hello world.\n\n12 Comments"}, {"id": "b", "text": "Second page.\n\n0"}]
CLEAN = ["Hello world.\n", "Second page.\n"]


@pytest.fixture
def memory():
    fs = fsspec.filesystem("memory")
    root = "/cleaner-test"
    if fs.exists(root):
        fs.rm(root, recursive=True)
    yield fs, f"memory://{root}"
    fs.rm(root, recursive=True)


def _invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def _jsonl(records) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def test_clean_reads_and_writes_urls(memory):
    fs, root = memory
    fs.pipe(f"{root}/in/c.jsonl.gz", gzip.compress(_jsonl(RECORDS)))
    fs.pipe(f"{root}/in/page.txt", b"Hello world.\n\n12 Comments\n")
    result = _invoke("clean", f"{root}/in/c.jsonl.gz", "-o", f"{root}/out/c.jsonl", "--output-field", "clean")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in fs.cat(f"{root}/out/c.jsonl").decode().splitlines()]
    assert [line["clean"] for line in lines] == CLEAN and [line["text"] for line in lines] == [r["text"] for r in RECORDS]
    result = _invoke("clean", f"{root}/in/page.txt", "--output-dir", f"{root}/pages")
    assert result.exit_code == 0 and fs.cat(f"{root}/pages/page.txt") == b"Hello world.\n"
    result = _invoke("clean", f"{root}/in/page.txt")
    assert result.stdout == "Hello world.\n"
    result = _invoke("clean", f"{root}/in/missing.txt")
    assert result.exit_code == 2 and f"cleaner: {root}/in/missing.txt: no such file" in result.output


def test_clean_a_remote_parquet_table(memory):
    fs, root = memory
    with fs.open(f"{root}/t.parquet", "wb") as handle:
        pq.write_table(pa.Table.from_pylist(RECORDS), handle)
    result = _invoke("clean", f"{root}/t.parquet", "-o", f"{root}/clean.parquet")
    assert result.exit_code == 0, result.output
    with fs.open(f"{root}/clean.parquet", "rb") as handle:
        assert pq.read_table(handle).column("text").to_pylist() == CLEAN


def test_batch_from_and_to_urls_and_resume(memory):
    fs, root = memory
    fs.pipe(f"{root}/crawl/news/a.txt", b"Hello world.\n\n12 Comments\n")
    fs.pipe(f"{root}/crawl/r.jsonl", _jsonl(RECORDS))
    result = _invoke("batch", f"{root}/crawl", f"{root}/clean", "--workers", "2")
    assert result.exit_code == 0, result.output
    assert fs.cat(f"{root}/clean/news/a.txt") == b"Hello world.\n"
    assert [json.loads(line)["text"] for line in fs.cat(f"{root}/clean/r.jsonl").decode().splitlines()] == CLEAN
    assert fs.exists(f"{root}/clean/.cleaner/manifest.jsonl") and fs.exists(f"{root}/clean/.cleaner/logs/r.jsonl.log.jsonl")
    assert not fs.exists(f"{root}/clean/.cleaner/tmp")
    rerun = _invoke("batch", f"{root}/crawl", f"{root}/clean")
    assert rerun.exit_code == 0 and "(2 already done)" in rerun.output
    assert fs.cat(f"{root}/crawl/news/a.txt") == b"Hello world.\n\n12 Comments\n"  # SRC untouched
    missing = _invoke("batch", f"{root}/nothing-here", f"{root}/out")
    assert missing.exit_code == 2 and f"cleaner: {root}/nothing-here: no such directory" in missing.output
