"""cleaner in Hugging Face datasets and in a datatrove pipeline, with the real libraries."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader, ParquetReader
from datatrove.pipeline.writers import JsonlWriter

from cleaner.integrations import CleanerFormatter, datasets_map
from cleaner.provenance import documents
from conftest import ROOT

pytestmark = pytest.mark.slow  # datasets on two processes, datatrove pipelines

ROWS = [
    {"id": "a", "url": "https://news.example/a", "text": "Hello world.\n\n12 Comments"},
    {"id": "b", "url": "https://news.example/b", "text": "Follow us on Twitter\nA second page, with words."},
    {"id": "c", "url": None, "text": None},
]
CLEAN = ["Hello world.\n", "A second page, with words.\n", None]


def _restored(edits_json: str, clean: str) -> str:
    (logged,) = documents(json.loads(edits_json))
    return logged.restore(clean)


def test_datasets_map_batched_keeps_the_original_and_logs_edits():
    dataset = datasets.Dataset.from_list(ROWS)
    out = dataset.map(datasets_map(output_column="clean", edits_column="cleaner_edits"), batched=True, batch_size=2)
    assert out.column_names == ["id", "url", "text", "clean", "cleaner_edits"]
    assert out["clean"] == CLEAN and out["text"] == [row["text"] for row in ROWS]
    for row in out:
        if row["text"] is not None:
            assert _restored(row["cleaner_edits"], row["clean"]) == row["text"]
            assert json.loads(row["cleaner_edits"])[0]["doc"] == row["id"]
        else:
            assert row["cleaner_edits"] is None


def test_datasets_map_row_by_row_and_on_two_processes():
    dataset = datasets.Dataset.from_list(ROWS)
    assert dataset.map(datasets_map())["text"] == CLEAN
    assert dataset.map(datasets_map(), batched=True, num_proc=2)["text"] == CLEAN


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "crawl"
    src.mkdir()
    with gzip.open(src / "part-0.jsonl.gz", "wt") as handle:
        for row in ROWS[:2]:
            handle.write(json.dumps({"id": row["id"], "text": row["text"], "url": row["url"]}) + "\n")
    (src / "part-1.jsonl").write_text(json.dumps({"id": "d", "text": "Third page.\n\n0"}) + "\n")
    return src


def test_datatrove_pipeline_cleans_and_merges_its_counters(tmp_path: Path):
    src, out, logs = _folder(tmp_path), tmp_path / "clean", tmp_path / "logs"
    LocalPipelineExecutor(pipeline=[
        JsonlReader(str(src)),
        CleanerFormatter(original_key="raw_text", edits_key="cleaner_edits"),
        JsonlWriter(str(out), compression=None),
    ], tasks=2, workers=1, logging_dir=str(logs)).run()
    docs = {}
    for path in sorted(out.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            record = json.loads(line)
            docs[record["id"]] = record
    assert {key: doc["text"] for key, doc in docs.items()} == \
        {"a": CLEAN[0], "b": CLEAN[1], "d": "Third page.\n"}
    assert docs["b"]["metadata"]["raw_text"] == ROWS[1]["text"]
    assert _restored(docs["a"]["metadata"]["cleaner_edits"], docs["a"]["text"]) == ROWS[0]["text"]
    merged = json.loads((logs / "stats.json").read_text())
    (ours,) = [step for step in merged if "cleaner" in step["name"]]
    stats = ours["stats"]
    assert stats["total"] == 3 and stats["cleaned"] == 3
    assert stats["dropped_stray_counter"] == 2 and stats["dropped_chrome_phrase"] == 1
    removed = stats["chars_removed"]["total"] if isinstance(stats["chars_removed"], dict) else stats["chars_removed"]
    assert removed >= len("12 Comments") + len("Follow us on Twitter") + len("0")


def test_datatrove_pipeline_over_parquet(tmp_path: Path):
    src, out = tmp_path / "tables", tmp_path / "clean"
    src.mkdir()
    pq.write_table(pa.Table.from_pylist([row for row in ROWS if row["text"]]), src / "part-0.parquet")
    LocalPipelineExecutor(pipeline=[ParquetReader(str(src)), CleanerFormatter(), JsonlWriter(str(out), compression=None)],
                          tasks=1, logging_dir=str(tmp_path / "logs")).run()
    texts = [json.loads(line)["text"] for path in out.glob("*.jsonl") for line in path.read_text().splitlines()]
    assert texts == CLEAN[:2]


def test_optional_libraries_are_imported_only_when_used():
    code = ("import sys, cleaner, cleaner.cli, cleaner.run.batch, cleaner.integrations, cleaner.io.tables; "
            "print(sorted(m for m in ('datasets', 'datatrove', 'pyarrow', 'fsspec', 'dask') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
