"""Rule data: the needle tables worked out in advance agree with the phrase lists."""

from __future__ import annotations

import pytest
import regex

from cleaner import patterns
from cleaner.patterns import PhraseSet
from cleaner.rules import derive_needles, load_needles, load_sections


@pytest.mark.parametrize("kind", ["chrome", "tails"])
def test_needle_table_is_current(kind: str):
    table, derived = load_needles(kind), derive_needles(kind)
    stale = sorted(set(table.items()) ^ set(derived.items()))
    assert not stale, f"cleaner/rules/{kind}/needles.json is stale ({len(stale)} rows): run `python -m cleaner.rules`"


@pytest.mark.parametrize("kind", ["chrome", "tails"])
def test_phrase_set_from_the_table_equals_one_derived_in_full(kind: str):
    patterns = tuple(pattern for _, _, pattern in load_sections(kind))
    known, fresh = PhraseSet(patterns, load_needles(kind)), PhraseSet(patterns)
    assert (known.users, known.bodies, known.always) == (fresh.users, fresh.bodies, fresh.always)


def test_patterns_missing_from_the_table_are_derived():
    phrases = PhraseSet((r"^share$", r"\bfollow us\b"), known={r"^share$": (True, ("\nshare",))})
    assert phrases.search("Follow us on Mastodon") == 1
    assert phrases.search("  Share ") == 0


def test_fold_case_folds_every_letter_the_patterns_match_as_another():
    """Every character that the phrase patterns' IGNORECASE matches as a letter whose
    lowercase differs from the character's own is in patterns._FOLDED_APART."""
    apart = set()
    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code < 0xE000 or len(char.lower()) != 1 or char == "\u0130":
            continue
        for other in {char.upper(), char.title(), char.casefold()}:
            lower = other.lower()
            if len(lower) == 1 and lower != char.lower() and regex.fullmatch(regex.escape(lower), char, regex.I | regex.V0):
                apart.add(char)
    assert apart == set(patterns._FOLDED_APART)


def test_a_line_starting_with_a_letter_but_o_has_its_head_at_0():
    """The shortcut in patterns.line_head agrees with the head pattern for every letter, as a
    line's first character followed by what would make it a list marker."""
    for code in range(0x110000):
        char = chr(code)
        if char.isalpha() and char not in "oO":
            for line in (char + " x", char + ". x"):
                assert patterns._LINE_HEAD.match(line).end() == 0, (hex(code), line)
