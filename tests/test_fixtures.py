"""Seeds and fixtures: each input gives its expected output byte for byte, and restores exactly."""

from __future__ import annotations

from pathlib import Path

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config, Pipeline, restore

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted(
    p for folder in ("seeds", "fixtures") for p in (ROOT / folder).glob("*.txt")
    if not p.name.endswith(".expected.txt")
)


# Cases the line model gets wrong (fixtures/line_model_misses.json): known failures.
MISSES = {name: why for name, why in json.loads((ROOT / "fixtures" / "line_model_misses.json").read_text()).items()
          if not name.startswith("_")}


def _expected(path: Path) -> Path:
    return path.with_name(path.name[: -len(".txt")] + ".expected.txt")


def _case(path: Path):
    if path.stem in MISSES:
        return pytest.param(path, marks=pytest.mark.xfail(strict=True, reason=f"line model: {MISSES[path.stem]}"))
    return path


def test_known_misses_are_cases():
    assert set(MISSES) <= {p.stem for p in CASES}


def test_there_are_cases():
    assert any(p.parent.name == "seeds" for p in CASES)


@pytest.mark.parametrize("path", [_case(p) for p in CASES], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case_gives_expected_output(path: Path):
    result = Pipeline().clean(path.read_bytes(), doc_id=path.name)
    assert result.text == _expected(path).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [p for p in CASES if p.stem in MISSES], ids=lambda p: p.stem)
def test_known_misses_pass_with_the_named_rules(path: Path):
    result = Pipeline(Config(stages={"line_model": False})).clean(path.read_bytes(), doc_id=path.name)
    assert result.text == _expected(path).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_case_restores_exactly(path: Path):
    result = Pipeline().clean(path.read_bytes(), doc_id=path.name)
    assert restore(result.text, result.edits) == result.decoded
    assert result.decoded == path.read_bytes().decode("utf-8")


RULES_FILE = ROOT / "fixtures" / "rules.toml"
LAYOUT = {"strip_trailing_space", "collapse_blank_lines", "final_newline"}


def _must_fire() -> dict[str, list[str]]:
    import tomllib

    return tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))


def test_every_case_says_which_rules_must_fire():
    listed = _must_fire()
    assert set(listed) == {f"{p.parent.name}/{p.stem}" for p in CASES}
    from cleaner.registry import all_stages

    known = {rule.id for stage in all_stages() for rule in stage.rules}
    assert set().union(*map(set, listed.values())) <= known


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_rules_a_case_names_fire_on_it(path: Path):
    must = set(_must_fire()[f"{path.parent.name}/{path.stem}"])
    fired = {e.rule for e in Pipeline().clean(path.read_bytes(), doc_id=path.name).edits}
    assert must <= fired, f"{sorted(must - fired)} did not fire"
    if path.stem.split("_", 2)[1] != "keep" and path.parent.name == "fixtures" and not must:
        assert fired <= LAYOUT  # a case that names no rule is a layout case


def test_seed_log_names_its_four_removals():
    seed = ROOT / "seeds" / "000_5ee60291405f7b65.txt"
    result = Pipeline().clean(seed.read_bytes())
    drops = [(e.rule, e.original.strip()) for e in result.edits if e.action == "drop"]
    assert [rule for rule, _ in drops] == ["date_banner", "chrome_phrase", "merged_fragment", "stray_counter"]
    assert drops[0][1] == "Wednesday , 1 May 2024"
    assert "Google News" in drops[1][1]
    assert drops[2][1].startswith("MIDDLE EASTIran-backed militia")
    assert drops[3][1] == "0"


# Generated documents: prose, chrome-like lines, counters, dates, odd characters and spacing.
PROSE = st.sampled_from([
    "The council approved the budget after a long debate on Tuesday.",
    "Die Stadt hat den Haushalt nach einer langen Debatte beschlossen.",
    "Le conseil a adopté le budget après un long débat mardi.",
    "El consejo aprobó el presupuesto tras un largo debate el martes.",
    "She said the results were better than expected.MARKETSStocks rally on rate hopes",
])
NOISE = st.sampled_from([
    "0", "12 Comments", "Share", "Follow us on Twitter", "Wednesday , 1 May 2024", "Advertisement",
    "We use cookies to improve your experience.", "Lesen Sie auch:", "cafÃ© crÃ¨me", "a\u200bb\u00a0c",
    "line with trailing spaces   ", "\r", "\t", "", " ", "e\u0301", "\x07", "🙂", "中文内容", "١٢٣",
])
LINE = st.one_of(PROSE, NOISE, st.text(max_size=20))


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=25), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_restore_is_exact_on_generated_text(lines, sep):
    text = sep.join(lines)
    result = Pipeline().clean(text)
    assert restore(result.text, result.edits) == text
    assert result.text == "" or result.text.endswith("\n")
    assert "\n\n\n" not in result.text


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_and_restore(data):
    try:
        result = Pipeline().clean(data)
    except ValueError:  # NotTextError: binary data is refused, never crashes
        return
    assert restore(result.text, result.edits) == result.decoded
