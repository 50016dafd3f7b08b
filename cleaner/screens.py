"""Screens: cheap tests that skip work which cannot change the output.

Each screen is exact, not a heuristic: it only skips a line or a stretch of text where the
full rule provably finds nothing (no suspicious byte pair, so no ftfy; none of the
characters the character pass acts on, so no such pass; no required literal, so no phrase
pattern, and no head of an anchored one at a line's head, so no such pattern; no link
hint, so no link; past the first prose line, so no date banner; no digit, so no date banner,
counter or figure caption; no letter of a look-alike script, so no mixed-script line; a
sixth word, so no counter; no sentence end, so no prose line (dates); no credit marker or
colon, so no credit or sharing widget; a sentence end besides one closing full stop, so no
job-title line). Repeated lines (menus) are also measured once per
document, and a line's prose test once per stage. A rule declares its screens with it
(``@rule(pre_check=..., lines=...)``, see :class:`cleaner.stages.base.Rule`) and the base
stage applies them, so each stage has one code path. ``ENABLED = False``
runs every rule in full everywhere, the slow path: tests/test_fast_path.py checks that output and provenance are byte-identical either way.
"""

ENABLED = True


def on() -> bool:
    """Whether the screens (and per-document memoisation) are in use."""
    return ENABLED
