"""Parquet and Arrow tables in `clean` and `batch`; outputs where the user wants them."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa  # the dev extra installs it
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest

from cleaner.io.tables import DROP, TableError, clean_table
from cleaner.provenance import documents, read_records
from conftest import run_cli

pytestmark = pytest.mark.slow  # runs the command line in subprocesses

ROWS = [
    {"id": "a", "url": "https://news.example/a", "text": "Hello world.\n\n12 Comments", "n": 1, "tags": ["x"]},
    {"id": "b", "url": "https://news.example/b", "text": None, "n": 2, "tags": []},
    {"id": "c", "url": "https://news.example/c", "text": "Second page.\n\n0", "n": 3, "tags": ["y", "z"]},
    {"id": "d", "url": None, "text": "Follow us on Twitter\nThird page, with its own words.", "n": 4, "tags": None},
]
CLEAN = ["Hello world.\n", None, "Second page.\n", "Third page, with its own words.\n"]


def _table():
    return pa.Table.from_pylist(ROWS)


def test_clean_parquet_keeps_columns_row_groups_and_nulls(tmp_path: Path):
    src, out, log = tmp_path / "in.parquet", tmp_path / "out.parquet", tmp_path / "log.jsonl"
    pq.write_table(_table(), src, row_group_size=2)
    proc = run_cli("clean", str(src), "-o", str(out), "--log", str(log))
    assert proc.returncode == 0, proc.stderr
    result = pq.ParquetFile(out)
    assert result.num_row_groups == 2  # written as read, one row group at a time
    assert result.schema_arrow == _table().schema
    got = result.read().to_pylist()
    assert [row["text"] for row in got] == CLEAN
    assert [{k: v for k, v in row.items() if k != "text"} for row in got] == \
        [{k: v for k, v in row.items() if k != "text"} for row in ROWS]
    # the log restores every cleaned row's text
    with open(log, encoding="utf-8") as handle:
        logged = {doc.id: doc for doc in documents(read_records(handle))}
    for row, clean in zip(ROWS, CLEAN):
        if clean is not None:
            assert logged[row["id"]].restore(clean) == row["text"]
    assert "1 of 4 records have no string field 'text'" in proc.stderr.decode()


def test_output_field_keeps_the_original_beside_the_clean_text(tmp_path: Path):
    src = tmp_path / "in.arrow"
    feather.write_feather(_table(), src)
    proc = run_cli("clean", str(src), "--output-dir", str(tmp_path / "out"), "--output-field", "clean")
    assert proc.returncode == 0, proc.stderr
    got = feather.read_table(tmp_path / "out" / "in.arrow")
    assert got.column_names == ["id", "url", "text", "n", "tags", "clean"]
    assert got.column("text").to_pylist() == [row["text"] for row in ROWS]
    assert got.column("clean").to_pylist() == CLEAN


def test_parquet_to_stdout_and_usage_errors(tmp_path: Path):
    src = tmp_path / "in.parquet"
    pq.write_table(_table(), src)
    proc = run_cli("clean", str(src))  # stdout is a pipe here: the table is written to it
    assert proc.returncode == 0 and proc.stdout.startswith(b"PAR1")
    out = tmp_path / "piped.parquet"
    out.write_bytes(proc.stdout)
    assert pq.read_table(out).column("text").to_pylist() == CLEAN
    proc = run_cli("clean", str(src), "--field", "body", "-o", str(tmp_path / "x.parquet"))
    assert proc.returncode == 2
    assert proc.stderr.decode() == f"cleaner: {src}: no column 'body' (columns: id, url, text, n, tags)\n"
    proc = run_cli("clean", str(src), "--field", "n", "-o", str(tmp_path / "x.parquet"))
    assert proc.returncode == 2 and "column 'n' holds int64, not text" in proc.stderr.decode()
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not a table at all")
    proc = run_cli("clean", str(bad), "-o", str(tmp_path / "y.parquet"))
    assert proc.returncode == 2 and "not a readable Parquet file" in proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode()


def test_clean_table_drops_rows_whose_cleaning_failed(tmp_path: Path):
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(_table(), src)

    def clean(text, origin, number):
        return DROP if origin["id"] == "c" else text.upper()

    counts = clean_table(str(src), str(out), "text", clean)
    assert (counts.rows, counts.cleaned, counts.missing, counts.dropped) == (4, 2, 1, 1)
    assert [row["id"] for row in pq.read_table(out).to_pylist()] == ["a", "b", "d"]
    with pytest.raises(TableError):
        clean_table(str(src), str(out), "missing", clean)


def test_output_file_and_output_dir_for_text_and_jsonl(tmp_path: Path):
    a, b = tmp_path / "a.txt", tmp_path / "b.jsonl"
    a.write_text("Hello world.\n\n12 Comments\n")
    b.write_text('{"id":1,"text":"Two.\\n\\n0"}\n')
    out = tmp_path / "out.txt"
    proc = run_cli("clean", str(a), "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == b"" and out.read_text() == "Hello world.\n"
    proc = run_cli("clean", str(b), "--output-dir", str(tmp_path / "d"), "--output-field", "clean")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "d" / "b.jsonl").read_text() == '{"id":1,"text":"Two.\\n\\n0", "clean": "Two.\\n"}\n'
    for args, message in [
        (["-o", str(out), "--output-dir", str(tmp_path)], "give -o FILE or --output-dir DIR, not both"),
        (["--output-dir", str(tmp_path / "e"), "-"], "stdin has no name"),
        (["--output-field", "clean"], "--output-field needs JSON Lines or a table"),
        (["-o", str(a)], "the output would overwrite its input"),
    ]:
        proc = run_cli("clean", str(a), *args)
        assert proc.returncode == 2 and message in proc.stderr.decode(), (args, proc.stderr)
    assert a.read_text() == "Hello world.\n\n12 Comments\n"


def test_batch_cleans_parquet_and_arrow_with_an_output_field(tmp_path: Path):
    src, dest = tmp_path / "src", tmp_path / "dest"
    (src / "part").mkdir(parents=True)
    pq.write_table(_table(), src / "part" / "t.parquet", row_group_size=3)
    feather.write_feather(_table(), src / "t.arrow")
    (src / "r.jsonl").write_text(json.dumps({"id": "j", "text": "Hello world.\n\n0"}) + "\n")
    proc = run_cli("batch", str(src), str(dest), "--workers", "2", "--output-field", "clean")
    assert proc.returncode == 0, proc.stderr
    table = pq.read_table(dest / "part" / "t.parquet")
    assert table.column("clean").to_pylist() == CLEAN and table.column("text").to_pylist() == [r["text"] for r in ROWS]
    assert pq.ParquetFile(dest / "part" / "t.parquet").num_row_groups == 2
    assert feather.read_table(dest / "t.arrow").column("clean").to_pylist() == CLEAN
    assert json.loads((dest / "r.jsonl").read_text()) == {"id": "j", "text": "Hello world.\n\n0", "clean": "Hello world.\n"}
    assert (dest / ".cleaner" / "logs" / "part" / "t.parquet.log.jsonl").exists()
    assert "7 documents" in proc.stderr.decode()  # 3 + 3 rows with text, 1 record
    rerun = run_cli("batch", str(src), str(dest), "--output-field", "clean")
    assert "(3 already done)" in rerun.stderr.decode()


def test_max_bytes_bounds_each_row_of_a_table_not_the_file(tmp_path: Path):
    src, dest = tmp_path / "src", tmp_path / "dest"
    src.mkdir()
    rows = [{"id": "long", "text": "word " * 400}, {"id": "short", "text": "Hello world.\n\n12 Comments"}]
    pq.write_table(pa.Table.from_pylist(rows * 20), src / "t.parquet")
    assert (src / "t.parquet").stat().st_size > 1000
    proc = run_cli("batch", str(src), str(dest), "--max-bytes", "1000", "--no-templates")
    assert proc.returncode == 1
    errors = [json.loads(line) for line in (dest / ".cleaner" / "errors.jsonl").read_text().splitlines()]
    assert [(e["doc"], "over --max-bytes (1000)" in e["reason"]) for e in errors] == [("long", True)] * 20
    assert pq.read_table(dest / "t.parquet").column("text").to_pylist() == ["Hello world.\n"] * 20
