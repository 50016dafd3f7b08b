"""Cleaning a JSON Lines stream: one field of each record cleaned, records kept in their
input order, in this process or on worker processes.

What each line gives (:class:`Outcome`) is decided here; where the lines come from and
where the outcomes go (stdout, stderr, a log file, a progress bar) is the caller's concern.

>>> from cleaner.pipeline import Pipeline
>>> lines = [b'{"id": "a", "text": "Share\\\\n\\\\nThe harbour reopened on Monday."}\\n', b'{"text": 3}\\n', b'[1]\\n']
>>> for out in clean_lines(enumerate(lines, start=1), Pipeline(), "in"):
...     print(repr(out.line), out.messages, out.failed, out.missing)
'{"id": "a", "text": "The harbour reopened on Monday.\\\\n"}\\n' [] False False
'{"text": 3}\\n' [] False True
'' ['in:3: not a JSON object'] True False
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from cleaner.io.sources import Oversized, parse_line
from cleaner.provenance import record_lines
from cleaner.run.records import clean_record
from cleaner.stats import DocStats

@dataclass
class Outcome:
    """What one input line gives: the output line (empty for a line that is no record), the
    messages for the user, whether the record failed, its provenance lines (when asked for),
    the input line's size in bytes, whether the line held a record at all, and whether the
    record lacked the field (it is then passed through unchanged; the caller tells the user
    once, with the count)."""

    line: str
    messages: list[str] = field(default_factory=list)
    failed: bool = False
    log: str = ""
    size: int = 0
    record: bool = True
    missing: bool = False
    stats: DocStats | None = None  # the cleaned document's figures


@dataclass(frozen=True)
class Settings:
    """How the lines of one input are cleaned (picklable: it travels to worker processes)."""

    source: str  # the input's name, in messages and default ids
    field: str = "text"
    html: bool | None = None
    with_log: bool = False
    output_field: str | None = None  # where the clean text goes (default: ``field`` itself)


def clean_line(pipeline: Any, raw: bytes | Oversized, lineno: int, settings: Settings) -> Outcome | None:
    """Clean the record on one line; None for a blank line."""
    from cleaner.io.html import ExtractError
    from cleaner.patterns import timeout_message

    item = parse_line(raw, settings.source, lineno)
    if item is None:
        return None
    where = f"{settings.source}:{lineno}"
    if item.record is None:
        return Outcome("", [item.error or f"{where}: bad record"], failed=True, size=len(raw), record=False)
    try:
        result = clean_record(pipeline, item.record, settings.field, where, settings.html)
    except ExtractError as exc:
        return Outcome("", [f"{where}: {exc}"], failed=True, size=len(raw))
    except Exception as exc:
        if os.environ.get("CLEANER_DEBUG"):
            raise
        return Outcome("", [f"{where}: internal error: {type(exc).__name__}: {exc} (set CLEANER_DEBUG=1 for the traceback)"],
                       failed=True, size=len(raw))
    if result is None:
        return Outcome(item.line(), size=len(raw), missing=True)
    timeouts = result.meta.get("pattern_timeouts", ())
    return Outcome(item.line(settings.output_field or settings.field, result.text), [f"{where}: {timeout_message(stage, detail)}" for stage, detail in timeouts],
                   failed=bool(timeouts), log=record_lines(result.records()) if settings.with_log else "", size=len(raw),
                   stats=DocStats.of(result.decoded, result.text, result.edits))


def clean_lines(lines: Iterable[tuple[int, bytes | Oversized]], pipeline: Any, source: str, *, field: str = "text",
                html: bool | None = None, with_log: bool = False, workers: int = 1,
                output_field: str | None = None) -> Iterator[Outcome]:
    """The outcomes of ``lines`` (``(lineno, raw bytes)``) in their order, blank lines
    skipped. With ``workers`` > 1 the lines are cleaned in chunks on that many forked
    processes, each with a copy of ``pipeline``; the input is read only a few chunks ahead
    of the output, so memory stays flat however long the stream."""
    settings = Settings(source, field, html, with_log, output_field)
    if workers <= 1:
        for lineno, raw in lines:
            outcome = clean_line(pipeline, raw, lineno, settings)
            if outcome is not None:
                yield outcome
        return
    from cleaner.engines import local

    global _WORKER_PIPELINE
    _WORKER_PIPELINE = pipeline  # inherited by the forked workers
    try:
        chunks = local.chunked(lines, _line_size)
        for outcomes in local.ordered(_clean_chunk, ((chunk, settings) for chunk in chunks), workers, lost=_lost_chunk,
                                      name=_chunk_name):
            yield from outcomes
    finally:
        _WORKER_PIPELINE = None


_WORKER_PIPELINE: Any = None


def _line_size(line: tuple[int, bytes | Oversized]) -> int:
    return len(line[1])


def _chunk_name(task: tuple[list[tuple[int, bytes | Oversized]], Settings]) -> str:
    """A chunk as messages name it: ``in.jsonl:7``, or ``in.jsonl:1-64`` (line numbers)."""
    chunk, settings = task
    first, last = chunk[0][0], chunk[-1][0]
    return f"{settings.source}:{first}" + ("" if first == last else f"-{last}")


def _lost_chunk(task: tuple[list[tuple[int, bytes | Oversized]], Settings], why: str) -> list[Outcome]:
    """The outcomes of a chunk whose worker process died on it: its lines are cleaned again
    one by one on fresh workers, so only a line that kills its worker is lost."""
    from cleaner.engines import local

    chunk, settings = task
    if len(chunk) == 1:
        lineno, raw = chunk[0]
        return [Outcome("", [f"{settings.source}:{lineno}: not cleaned: the {why}"], failed=True, size=len(raw))] \
            if not isinstance(raw, bytes) or raw.strip() else []
    outcomes: list[Outcome] = []
    for part in local.ordered(_clean_chunk, (([line], settings) for line in chunk), 2, lost=_lost_chunk, name=_chunk_name):
        outcomes.extend(part)
    return outcomes


def _clean_chunk(task: tuple[list[tuple[int, bytes | Oversized]], Settings]) -> list[Outcome]:
    chunk, settings = task
    return [outcome for lineno, raw in chunk
            if (outcome := clean_line(_WORKER_PIPELINE, raw, lineno, settings)) is not None]
