"""The README's examples run as written: every `cleaner` command line of its shell blocks, and
its Python blocks, in a folder holding the files they name."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # runs the command line in subprocesses

README = (ROOT / "README.md").read_text(encoding="utf-8")
SEED = ROOT / "seeds" / "000_5ee60291405f7b65.txt"
BIN = Path(sys.executable).parent

# What the examples leave to the reader, given here; and blocks that need what a test has
# not (a cluster, a cloud bucket, the package index, the project's own make targets).
PLACEHOLDERS = {"DEST": "clean", "DOC_ID": "r1"}
ELSEWHERE = ("s3://", "dask scheduler", "dask worker", "--scheduler", "pip install", "make ")


def blocks(language: str) -> list[tuple[int, str]]:
    """``(line number, body)`` of each fenced block of ``language``."""
    return [(README[:m.start()].count("\n") + 1, m.group(1))
            for m in re.finditer(rf"^```{language}\n(.*?)^```", README, re.S | re.M)]


def command_lines() -> list[tuple[int, str]]:
    """Every shell line that runs `cleaner`, comments dropped, in README order."""
    found = []
    for start, body in blocks("sh"):
        for offset, line in enumerate(body.splitlines(), start=1):
            command = re.sub(r"\s+#.*$", "", line).strip()
            if "cleaner " in command and not command.startswith("#") and not any(s in command for s in ELSEWHERE):
                found.append((start + offset, command))
    return found


def _workspace(root: Path) -> Path:
    """A folder with every file the examples name."""
    root.mkdir(parents=True, exist_ok=True)
    page = SEED.read_text(encoding="utf-8")
    (root / "page.txt").write_text(page)
    (root / "a.txt").write_text(page)
    (root / "b.txt").write_text("Another page.\n\n12 Comments\n")
    paragraphs = "".join(f"<p>{p}</p>" for p in page.split("\n\n")[1:6])
    (root / "page.html").write_text(f"<!DOCTYPE html><html><body><article>{paragraphs}</article></body></html>")
    records = [{"id": f"r{i}", "url": f"https://news.example/{i}", "text": page if i % 2 else "Short page.\n\n0",
                "body": "Body text.\n\n12 Comments"} for i in range(1, 7)]
    raw = "".join(json.dumps(r) + "\n" for r in records)
    for name in ("corpus.jsonl", "more.jsonl"):
        (root / name).write_text(raw)
    for name in ("corpus.jsonl.gz", "big.jsonl.gz"):
        (root / name).write_bytes(gzip.compress(raw.encode()))
    pq.write_table(pa.Table.from_pylist(records), root / "part-0.parquet")
    for folder in ("crawl/news.example", "pages"):
        (root / folder).mkdir(parents=True)
    (root / "crawl" / "news.example" / "a.txt").write_text(page)
    (root / "crawl" / "r.jsonl").write_text(raw)
    (root / "pages" / "page.txt").write_text(page)
    (root / "cleaner.toml").write_text(blocks("toml")[0][1])
    return root


def test_the_readme_has_examples():
    assert len(command_lines()) >= 25
    assert len(blocks("python")) >= 4


def test_every_command_line_runs(tmp_path: Path):
    work = _workspace(tmp_path / "work")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["cleaner", "clean", "page.txt"], cwd=work, env=env, check=True,
                   stdout=open(work / "clean.txt", "wb"))  # what `cleaner restore clean.txt ...` restores
    for lineno, command in command_lines():
        for word, value in PLACEHOLDERS.items():
            command = re.sub(rf"\b{word}\b", value, command)
        if "--field body" in command and command.startswith("cleaner explain"):
            subprocess.run(["cleaner", "batch", "crawl/", "clean-body/", "--field", "body"], cwd=work, env=env,
                           capture_output=True)
            command = command.replace(" clean ", " clean-body/ ")
        proc = subprocess.run(["sh", "-c", command], cwd=work, env=env, capture_output=True, timeout=300)
        assert proc.returncode == 0, f"README.md:{lineno}: {command}\n{proc.stderr.decode()[-2000:]}"
    assert (work / "clean" / ".cleaner" / "manifest.jsonl").exists() and (work / "report.html").exists()
    assert (work / "clean.parquet").exists() and (work / "templates.json").exists()
    restored = subprocess.run(["cleaner", "restore", "clean.txt", "page.log.jsonl"], cwd=work, env=env, capture_output=True)
    assert restored.stdout == SEED.read_bytes()


# Names a Python example leaves to the reader (the data it works on), defined before it runs.
PREAMBLES = {
    "from cleaner import clean, Pipeline": "texts = [open('page.txt').read(), 'Hello world.\\n\\n0']\n",
    "import dask.bag as db": (
        "import dask.bag as db, dask.dataframe as dd, pandas as pd\n"
        "records_bag = db.from_sequence([{'id': 'a', 'url': 'https://x.example/a', 'body': 'Hi.\\n\\n0', "
        "'text': 'Hello.\\n\\n0'}], npartitions=1)\n"
        "dask_frame = dd.from_pandas(pd.DataFrame({'text': ['Hello.\\n\\n0']}), npartitions=1)\n"),
    "from cleaner.integrations import datasets_map": (
        "import datasets\ndataset = datasets.Dataset.from_list([{'text': 'Hello world.\\n\\n12 Comments'}])\n"),
    "from datatrove": "",
}


@pytest.mark.parametrize("start,body", blocks("python"), ids=lambda value: str(value) if isinstance(value, int) else "")
def test_python_examples_run(tmp_path: Path, start: int, body: str):
    work = _workspace(tmp_path / "work")
    (work / "corpus").mkdir()
    (work / "corpus" / "a.txt").write_text("Hello world.\n\n0\n")
    if "from datatrove" in body:  # its reader wants a folder of JSON Lines only
        shutil.rmtree(work / "crawl")
        (work / "crawl").mkdir()
        shutil.copy(work / "corpus.jsonl", work / "crawl" / "part.jsonl")
    preamble = next(code for key, code in PREAMBLES.items() if key in body)
    # A block's results are shown as bare expressions: evaluate them (dask lazily: compute).
    script = preamble + body + "\n"
    proc = subprocess.run([sys.executable, "-c", script], cwd=work, capture_output=True, timeout=600)
    assert proc.returncode == 0, f"README.md:{start}\n{proc.stderr.decode()[-3000:]}"
    if "from datatrove" in body:
        assert list((work / "clean").glob("*.jsonl.gz"))
