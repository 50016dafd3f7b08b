"""The provenance log: JSON Lines, one record per edit, readable back for restore and explain.

Each record: ``doc``, ``stage``, ``rule``, ``action`` (drop, replace, or note for decisions
that change no text, such as how bytes were decoded), ``start``/``end`` offsets in the
decoded input, the ``original`` text and its ``replacement``, and an optional ``detail``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, Iterable, TextIO

from cleaner.document import Edit


def write_records(handle: TextIO, records: Iterable[dict[str, Any]]) -> None:
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_records(handle: TextIO) -> list[dict[str, Any]]:
    records = []
    for lineno, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"log line {lineno}: not valid JSON ({exc.msg})") from None
        records.append(record)
    return records


def edits_by_doc(records: Iterable[dict[str, Any]]) -> dict[str, list[Edit]]:
    """Group a log's edit records by document id, in log order (notes are skipped)."""
    grouped: dict[str, list[Edit]] = defaultdict(list)
    for record in records:
        if record.get("action") == "note":
            grouped.setdefault(record["doc"], [])
            continue
        grouped[record["doc"]].append(Edit.from_record(record))
    return dict(grouped)

