"""Site templates on the command line: learn then clean --templates, the two-pass mode, restore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import clean_logged, run_cli
from templates_corpus import QUOTE, corpus

pytestmark = pytest.mark.slow  # runs the command line in subprocesses


@pytest.fixture(scope="module")
def corpus_jsonl(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "pages.jsonl"
    path.write_text("".join(json.dumps(p.record(), ensure_ascii=False) + "\n" for p in corpus()), encoding="utf-8")
    return path


def test_learn_then_clean_equals_two_pass(tmp_path, corpus_jsonl):
    model = tmp_path / "templates.json"
    learned = run_cli("learn", str(corpus_jsonl), "--out", str(model))
    assert learned.returncode == 0, learned.stderr
    data = json.loads(model.read_text())
    assert sorted(data["sites"]) == ["harbour-herald.com", "le-port.fr", "ridgeway-recipes.org"]
    assert all(line["text"] for site in data["sites"].values() for line in site["lines"])

    one_pass = run_cli("clean", "--jsonl", "--templates", str(model), str(corpus_jsonl))
    two_pass = run_cli("clean", "--jsonl", input=corpus_jsonl.read_bytes())
    assert one_pass.returncode == two_pass.returncode == 0
    assert one_pass.stdout == two_pass.stdout
    out = two_pass.stdout.decode()
    assert "Ridgeway Recipes — cook simply" not in out and "Le Port, le quotidien" not in out
    assert "The Harbour Herald: news from the waterfront" not in out
    assert QUOTE in out and "Tiny Blog" in out


def test_learn_on_workers_writes_the_same_model(tmp_path, corpus_jsonl):
    models = []
    for workers in ("1", "2"):
        out = tmp_path / f"templates{workers}.json"
        assert run_cli("learn", str(corpus_jsonl), "--out", str(out), "--workers", workers).returncode == 0
        models.append(out.read_bytes())
    assert models[0] == models[1] and b"harbour-herald.com" in models[0]


def test_two_pass_on_workers_equals_one_process(tmp_path, corpus_jsonl):
    runs = {workers: clean_logged(tmp_path / f"log{workers}.jsonl", "--jsonl", "--workers", workers, str(corpus_jsonl))
            for workers in ("1", "2")}
    assert runs["1"] == runs["2"]
    status, out, _, log = runs["2"]
    assert status == 0 and b'"rule": "template_repeated"' in log
    assert "The Harbour Herald: news from the waterfront" not in out.decode()


def test_html_two_pass_extracts_each_page_once_and_gives_the_one_pass_output(tmp_path):
    """The first pass keeps the pages it extracts for the cleaning pass: the output and
    log are those of cleaning with the learned file, which extracts every page itself."""
    pages = tmp_path / "pages.jsonl"
    pages.write_text("".join(json.dumps(p.record(html=True), ensure_ascii=False) + "\n" for p in corpus()), encoding="utf-8")
    model = tmp_path / "templates.json"
    assert run_cli("learn", str(pages), "--out", str(model)).returncode == 0
    temp = tmp_path / "temp"  # where the extracted pages are kept during a run
    temp.mkdir()
    runs = {name: clean_logged(tmp_path / f"{name}.log.jsonl", "--jsonl", *args, str(pages), env={"TMPDIR": str(temp)})
            for name, args in {"one-pass": ["--templates", str(model)], "two-pass": [],
                               "two-pass-workers": ["--workers", "2"]}.items()}
    assert runs["one-pass"] == runs["two-pass"] == runs["two-pass-workers"]
    status, out, err, log = runs["two-pass"]
    assert status == 0 and b"<p>" not in out and b'"rule": "template_repeated"' in log
    assert not list(temp.iterdir())  # removed at the end


def test_two_pass_log_and_restore(tmp_path, corpus_jsonl):
    log, out = tmp_path / "log.jsonl", tmp_path / "clean.jsonl"
    proc = run_cli("clean", "--jsonl", str(corpus_jsonl), "--log", str(log))
    out.write_bytes(proc.stdout)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    drops = [r for r in records if r["rule"] == "template_repeated"]
    assert drops and all(r["stage"] == "templates" and r["action"] == "drop" for r in drops)
    assert all({"site", "count", "docs"} <= set(r["detail"]) for r in drops)
    restored = run_cli("restore", "--jsonl", str(out), str(log))
    assert restored.returncode == 0
    assert restored.stdout.decode().splitlines() == corpus_jsonl.read_text(encoding="utf-8").splitlines()


def test_stage_off_skips_learning(tmp_path, corpus_jsonl):
    config = tmp_path / "c.toml"
    config.write_text("[stages]\ntemplates = false\n")
    proc = run_cli("clean", "--jsonl", "-c", str(config), str(corpus_jsonl))
    assert proc.returncode == 0
    assert "The Harbour Herald: news from the waterfront" in proc.stdout.decode()


def test_bad_templates_file_is_a_usage_error(tmp_path):
    bad = tmp_path / "t.json"
    bad.write_text("[]")
    proc = run_cli("clean", "--jsonl", "--templates", str(bad), input=b'{"text": "x"}\n')
    assert proc.returncode == 2 and b"templates" in proc.stderr


def test_learn_from_a_directory_files_pages_under_their_folder(tmp_path, corpus_jsonl):
    for i, page in enumerate(corpus()):
        folder = tmp_path / "crawl" / (page.url.split("/")[2].removeprefix("www.") if page.url else "misc")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i}.txt").write_text(page.text, encoding="utf-8")
    by_dir, by_url = tmp_path / "dir.json", tmp_path / "url.json"
    assert run_cli("learn", str(tmp_path / "crawl"), "--out", str(by_dir), "--no-examples").returncode == 0
    assert run_cli("learn", str(corpus_jsonl), "--out", str(by_url), "--no-examples").returncode == 0
    assert json.loads(by_dir.read_text()) == json.loads(by_url.read_text())


def _half_over_a_kilobyte(tmp_path) -> Path:
    """Twelve pages of one site with a masthead, six of them over 1,000 bytes."""
    pad = " ".join(["harbour"] * 200)
    records = [{"url": f"https://a.example/{i}",
                "text": f"Gazette of the Valley\n\nStory {i} about the ferry and the council budget.\n" + (f"\n{pad}\n" if i >= 6 else "")}
               for i in range(12)]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


def test_learn_leaves_out_the_records_over_max_bytes(tmp_path):
    path = _half_over_a_kilobyte(tmp_path)
    assert run_cli("learn", str(path), "--out", str(tmp_path / "all.json")).returncode == 0
    assert "a.example" in json.loads((tmp_path / "all.json").read_text())["sites"]
    assert run_cli("learn", str(path), "--max-bytes", "1000", "--out", str(tmp_path / "small.json")).returncode == 0
    assert json.loads((tmp_path / "small.json").read_text())["sites"] == {}  # six pages: too few


def test_the_template_pass_leaves_out_the_records_over_max_bytes_as_cleaning_does(tmp_path):
    """Both passes read records up to --max-bytes: a site whose pages are mostly over it has
    too few left to learn from, and with a limit above them it learns its template."""
    path = _half_over_a_kilobyte(tmp_path)
    low = run_cli("clean", "--jsonl", "--max-bytes", "1000", str(path))
    kept = [json.loads(line)["text"] for line in low.stdout.decode().splitlines()]
    assert low.returncode == 1 and len(kept) == 6
    assert all(text.startswith("Gazette of the Valley") for text in kept)  # 6 pages: nothing learned
    high = run_cli("clean", "--jsonl", "--max-bytes", "100000", str(path))
    cleaned = [json.loads(line)["text"] for line in high.stdout.decode().splitlines()]
    assert high.returncode == 0 and len(cleaned) == 12
    assert not any("Gazette" in text for text in cleaned)
