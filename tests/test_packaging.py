"""The package as a user installs it: the wheel without extras, its metadata, its entry points."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

pytestmark = pytest.mark.slow  # builds and installs the package

PAGE = (
    "<!DOCTYPE html><html><head><title>Harbour</title></head><body><nav>Home | News | Sport</nav>"
    "<article><h1>Harbour reopens</h1>"
    + "".join(f"<p>The harbour reopened on Monday after repairs that took {i} months, officials said.</p>"
              for i in range(2, 8))
    + "<p>Follow us on Twitter</p></article><footer>All rights reserved</footer></body></html>"
)


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=1200, **kwargs)
    assert proc.returncode == 0, f"{args}: {proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return proc


@pytest.mark.slow
def test_wheel_without_extras_cleans_html(tmp_path: Path):
    """Build the wheel and install it into a fresh virtualenv of the base interpreter (with the
    pip it comes with, not the project's upgraded one), no extras: HTML pages are cleaned and
    the metadata carries the license."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "cleaner", source / "cleaner", ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    _run(base, "-m", "venv", venv)
    python, dist = venv / "bin" / "python", tmp_path / "dist"
    _run(python, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, source, cwd=tmp_path)
    wheels = list(dist.glob("webtext_cleaner-*.whl"))
    assert len(wheels) == 1, list(dist.iterdir())
    _run(python, "-m", "pip", "install", "--quiet", wheels[0], cwd=tmp_path)

    page = tmp_path / "page.html"
    page.write_text(PAGE)
    proc = _run(venv / "bin" / "cleaner", "clean", "--html", page, cwd=tmp_path)
    assert "The harbour reopened on Monday" in proc.stdout and "<p>" not in proc.stdout
    assert "Follow us on Twitter" not in proc.stdout
    report = tmp_path / "report.html"
    _run(venv / "bin" / "cleaner", "review", page, "--out", report, cwd=tmp_path)
    assert "harbour reopened" in report.read_text()
    version = _run(python, "-m", "cleaner", "--version", cwd=tmp_path).stdout
    assert version == f"cleaner {_version()}\n"

    meta = json.loads(_run(python, "-c", (
        "import importlib.metadata as m, json; d = m.distribution('webtext-cleaner'); "
        "print(json.dumps({'license': d.metadata['License-Expression'], 'files': [str(f) for f in d.files], "
        "'urls': d.metadata.get_all('Project-URL'), 'classifiers': d.metadata.get_all('Classifier')}))"),
        cwd=tmp_path).stdout)
    assert meta["license"] == "Apache-2.0"
    assert any(f.endswith("licenses/LICENSE") for f in meta["files"])
    assert meta["urls"] and meta["classifiers"]


def _version() -> str:
    import cleaner

    return cleaner.__version__


def test_metadata_names_a_free_distribution_and_its_license():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == "webtext-cleaner"  # "cleaner" on the package index is another project
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]
    assert "Apache License" in (ROOT / "LICENSE").read_text() and "Version 2.0" in (ROOT / "LICENSE").read_text()
    assert project["scripts"] == {"cleaner": "cleaner.cli:main"}
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]  # the SPDX field says it
    assert any(dep.startswith("lxml_html_clean") for dep in project["dependencies"])


def test_install_lines_name_the_distribution():
    """Every `pip install` of this project in the docs and messages names webtext-cleaner."""
    texts = [ROOT / "README.md", *(ROOT / "cleaner").rglob("*.py")]
    for path in texts:
        text = path.read_text()
        assert "install 'cleaner[" not in text and "install cleaner" not in text, path


def test_version_option_and_module_entry_point():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.decode() == f"cleaner {_version()}\n"
    module = subprocess.run([sys.executable, "-m", "cleaner", "--help"], capture_output=True, cwd=ROOT, timeout=120)
    assert module.returncode == 0 and b"Usage: cleaner " in module.stdout
    seed = ROOT / "seeds" / "000_5ee60291405f7b65.txt"
    cleaned = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(seed)], capture_output=True, timeout=120)
    assert cleaned.stdout == (ROOT / "seeds" / "000_5ee60291405f7b65.expected.txt").read_bytes()


def test_batch_help_keeps_bracketed_text():
    proc = run_cli("batch", "--help", env={"COLUMNS": "250"})
    assert "webtext-cleaner[dask]" in proc.stdout.decode()


def test_rules_descriptions_are_whole_sentences():
    """Each rule's description is its docstring's whole first paragraph, never cut mid-sentence."""
    out = run_cli("rules").stdout.decode().splitlines()
    rules = [line.strip() for line in out if line.startswith("  ") and not line.startswith("  [")]
    assert len(rules) > 20
    for line in rules:
        name, description = line.split(": ", 1)
        assert description.rstrip().endswith((".", ")", '"', "”")), line
    assert any("so the text can be written as UTF-8." in line for line in rules)
