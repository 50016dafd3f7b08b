"""The provenance log: JSON Lines, one record per edit, readable back for restore and explain.

Each record: ``doc``, ``stage``, ``rule``, ``action`` (drop, replace, or note for decisions
that change no text, such as how bytes were decoded), ``start``/``end`` offsets in the
decoded input, the ``original`` text and its ``replacement``, and an optional ``detail``.
"""

from __future__ import annotations

import json
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
        if not isinstance(record, dict):
            raise ValueError(f"log line {lineno}: not a JSON object")
        records.append(record)
    return records


def documents(records: Iterable[dict[str, Any]]) -> list[tuple[str, list[Edit]]]:
    """Split a log into its documents, in log order: ``(doc id, edits)`` each.

    Every document's records are contiguous and start with its ``note`` record, so two
    documents that share an id (it happens in real corpora) stay apart.
    """
    docs: list[tuple[str, list[Edit]]] = []
    for record in records:
        doc_id = str(record["doc"])
        # Only the decode note opens a document: later notes (safety_bound, pattern_timeout)
        # belong to the document they follow.
        opens = record.get("action") == "note" and record.get("stage", "decode") == "decode"
        if opens or not docs or docs[-1][0] != doc_id:
            docs.append((doc_id, []))
        if record.get("action") != "note":
            docs[-1][1].append(Edit.from_record(record))
    return docs
