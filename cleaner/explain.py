"""Show a document with every change marked and named: for terminals and for pipes."""

from __future__ import annotations

import re
from typing import Iterable

from cleaner.document import Edit

# Characters a terminal acts on instead of showing: C0 controls but tab and line feed (a
# carriage return too, unless it ends a line), DEL, C1 controls, and the bidirectional
# overrides and isolates that reorder what follows.
_ACTIVE = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def visible(text: str) -> str:
    """``text`` safe to print on a terminal: each control character shown as a symbol
    (C0 as its control picture, others as ``<U+XXXX>``), so escape sequences in a scraped
    page cannot clear the screen, hide text or retitle the window.

    >>> visible("a\\x1b[2Jb\\tc\\r\\n\\x9b\\u202e")
    'a\u241b[2Jb\\tc\\r\\n<U+009B><U+202E>'
    """
    return _ACTIVE.sub(_symbol, text)


def _symbol(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else f"<U+{code:04X}>"

STAGE_STYLES = {
    "extract": "bright_blue",
    "normalise": "yellow",
    "fragments": "magenta",
    "chrome": "red",
    "counters": "cyan",
    "blocks": "green",
    "dates": "blue",
    "tails": "bright_yellow",
    "residue": "bright_cyan",
    "quality": "bright_red",
    "templates": "bright_magenta",
    "line_model": "bright_green",
    "repeats": "bright_white",
    "emit": "dim",
}


def _line_breaks_apart(text: str) -> tuple[str, str, str]:
    """``text`` as its leading line breaks, the rest, and its trailing line breaks, so that a
    dropped line is marked, with its rule, on that line (not from the line before to the
    start of the next).

    >>> _line_breaks_apart("\\r\\nFollow us\\n\\n"), _line_breaks_apart("\\n\\n")
    (('\\r\\n', 'Follow us', '\\n\\n'), ('', '\\n\\n', ''))
    """
    core = text.strip("\r\n")
    if not core:
        return "", text, ""
    start = text.index(core)
    return text[:start], core, text[start + len(core):]


def plain(decoded: str, edits: Iterable[Edit]) -> str:
    """The decoded input with removals as ``[-text-]{rule}`` and replacements as
    ``[-old-]{+new+}{rule}``; layout edits (stage emit) are applied silently. The line
    breaks around a removal are shown outside its marks, so its rule ends its own line.

    >>> plain("Hi.\\n\\n0\\nBye.", [Edit(3, 7, "\\n\\n0\\n", "", "counters", "stray_counter", "drop")])
    'Hi.\\n\\n[-0-]{stray_counter}\\nBye.'
    """
    out: list[str] = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(decoded[cursor : edit.start])
        if edit.stage == "emit":
            out.append(edit.replacement)
        elif edit.replacement:
            out.append(f"[-{edit.original}-]{{+{edit.replacement}+}}{{{edit.rule}}}")
        else:
            before, core, after = _line_breaks_apart(edit.original)
            out.append(f"{before}[-{core}-]{{{edit.rule}}}{after}")
        cursor = edit.end
    out.append(decoded[cursor:])
    return visible("".join(out))


def rich_text(decoded: str, edits: Iterable[Edit]):
    """The same view as :func:`plain`, as a ``rich.text.Text`` with colours per stage."""
    from rich.text import Text

    text = Text()
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        text.append(visible(decoded[cursor : edit.start]))
        if edit.stage == "emit":
            text.append(visible(edit.replacement))
        else:
            style = STAGE_STYLES.get(edit.stage, "red")
            before, core, after = ("", edit.original, "") if edit.replacement else _line_breaks_apart(edit.original)
            text.append(visible(before))
            text.append(visible(core), style=f"strike {style}")
            if edit.replacement:
                text.append(visible(edit.replacement), style="bold green")
            text.append(f"⟨{edit.rule}⟩", style=f"dim {style}")
            text.append(visible(after))
        cursor = edit.end
    text.append(visible(decoded[cursor:]))
    return text


def removal_lines(doc_id: str, edits: Iterable[Edit]) -> list[str]:
    """One line per change (layout edits left out): rule, offsets, the text it touched."""
    lines = []
    for edit in edits:
        if edit.stage == "emit":
            continue
        shown = edit.original if len(edit.original) <= 100 else edit.original[:97] + "..."
        shown = shown.replace("\n", "\\n")
        arrow = f" -> {edit.replacement!r}" if edit.replacement else ""
        lines.append(f"{doc_id}\t{edit.stage}/{edit.rule}\t{edit.action}\t{edit.start}-{edit.end}\t{shown!r}{arrow}")
    return lines
