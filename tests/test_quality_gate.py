"""Quality gate: cleaner's snippet F1 on a fixed subset of the development pages.

For each way of feeding a page (raw: an html-text dump; post: trafilatura's output;
html: the page itself), cleaner's F1 on the pages listed in
tests/quality_gate_pages.txt must not fall more than `tolerance` below that mode's
floor in tests/quality_floors.json, after the habit of trafilatura's
tests/eval_gate.py. Raise a floor when a change lifts the figure; lower one only
with a reason in the commit. To see what moved:

    python bench/quality.py --subset gate --raw-dumps html-text --show-errors 10

Skipped when the development data (../shared/data, or $CLEANER_DEV_DATA) is absent.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import _data  # noqa: E402
import quality  # noqa: E402

pytestmark = pytest.mark.slow  # derives the dev pages' texts and cleans them

FLOORS_FILE = ROOT / "tests" / "quality_floors.json"
MODES = ("raw", "post", "html")


@pytest.fixture(scope="module")
def data_path() -> Path:
    path = _data.data_file()
    if not path.exists():
        pytest.skip(f"development data not found at {path} (set {_data.DATA_ENV})")
    return path


@pytest.fixture(scope="module")
def floors() -> dict:
    return json.loads(FLOORS_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages(data_path: Path) -> list[_data.Page]:
    return _data.load_pages(data_path)


@pytest.fixture(scope="module")
def gate_rows(data_path: Path, pages: list[_data.Page]) -> dict[str, list[quality.Row]]:
    subset = _data.select(pages, _data.read_id_list())
    rows, _ = quality.evaluate(subset, MODES, raw_dumps=("html-text",),
                               data_hash=_data.file_sha256(data_path), justext=False)
    by_mode: dict[str, list[quality.Row]] = {}
    for row in rows:
        by_mode.setdefault(row.mode, []).append(row)
    return by_mode


def test_gate_list_is_the_documented_subset(pages: list[_data.Page]) -> None:
    listed = _data.read_id_list()
    assert len(listed) == len(set(listed)) == _data.GATE_SIZE
    assert listed == _data.gate_ids(pages), (
        "tests/quality_gate_pages.txt no longer matches the data file: regenerate it with "
        "`python bench/quality.py --write-gate-list` and re-measure the floors")


def test_floors_file_names_every_mode(floors: dict) -> None:
    assert set(floors["f1"]) == set(MODES)
    assert 0 <= floors["tolerance"] <= 0.05


@pytest.mark.parametrize("mode", MODES)
def test_cleaner_f1_holds_its_floor(gate_rows: dict, floors: dict, mode: str) -> None:
    rows = gate_rows[mode]
    (row,) = [r for r in rows if r.system == "cleaner"]
    if row.results is None:
        pytest.fail(row.note)
    floor, tolerance = floors["f1"][mode], floors["tolerance"]
    f1 = row.score.f1
    table = quality.format_table(rows)
    assert not row.errors, f"cleaner raised on {len(row.errors)} gate pages: {row.errors}"
    assert f1 >= floor - tolerance, (
        f"{mode}: cleaner F1 {f1:.4f} fell more than {tolerance} below the floor {floor}\n"
        f"{table}\n\n{quality.format_errors(row, 5)}")
    if f1 > floor + tolerance:
        warnings.warn(f"{mode}: cleaner F1 {f1:.4f} is well above the floor {floor}: "
                      f"raise it in {FLOORS_FILE.name}", stacklevel=1)


# ------------------------------------------------------------ word F1 on validation parts

SETS_FLOORS = "word_f1_validation"


@pytest.fixture(scope="module")
def validation_rows() -> dict:
    """Cleaner's word F1 on the validation parts of wcxb-dev and fundus, per mode, beside the
    input as is, the C4 filter and trafilatura (bench/quality_sets.py)."""
    import _sets
    import quality_sets

    if not (_sets.data_dir() / "wcxb-dev.jsonl.gz").exists():
        pytest.skip(f"labelled sets not found in {_sets.data_dir()}")
    out = {}
    for name in ("wcxb-dev", "fundus"):
        pages = _sets.load_set(name, ("validation",))
        for mode, system, outputs in quality_sets.rows_for(pages, ("raw", "post", "html"), _data.WORKERS, False,
                                                           lambda m: None):
            out[(name, mode, system)] = _sets.score(pages, outputs).f1
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", ["wcxb-dev", "fundus"])
@pytest.mark.parametrize("mode", ["raw", "post", "html"])
def test_word_f1_on_validation_holds_its_floor(validation_rows: dict, floors: dict, name: str, mode: str) -> None:
    f1 = validation_rows[(name, mode, "cleaner")]
    floor, tolerance = floors[SETS_FLOORS][name][mode], floors["tolerance"]
    figures = {k[2]: round(v, 4) for k, v in validation_rows.items() if k[:2] == (name, mode)}
    assert f1 >= floor - tolerance, f"{name}/{mode}: word F1 {f1:.4f} fell below the floor {floor}: {figures}"
    # Whatever the floor, cleaning a dump must gain on the dump, and cleaning trafilatura's
    # output (or the page, with trafilatura's extraction one voice) must not cost more than
    # the tolerance.
    if mode == "raw":
        assert f1 > validation_rows[(name, mode, "as is")] + 0.1, figures
    else:
        assert f1 >= validation_rows[(name, mode, "trafilatura")] - tolerance, figures
