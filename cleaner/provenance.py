"""The provenance log: JSON Lines, one record per edit, readable back for restore and explain.

Each record: ``doc``, ``stage``, ``rule``, ``action`` (drop, replace, or note for decisions
that change no text, such as how bytes were decoded), ``start``/``end`` offsets in the
decoded input, the ``original`` text and its ``replacement``, and an optional ``detail``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, NamedTuple, TextIO

from cleaner.document import Edit, restore
from cleaner.io.sources import json_line


def fingerprint(clean_text: str) -> dict[str, Any]:
    """What the decode note records of a document's clean text, so restore can tell when it
    is handed another text: its length in characters and the SHA-256 of its UTF-8 bytes."""
    data = clean_text.encode("utf-8", errors="surrogatepass")
    return {"clean_chars": len(clean_text), "clean_sha256": hashlib.sha256(data).hexdigest()}


class LoggedDocument(NamedTuple):
    """One document of a log: its id, its edits and what its note recorded of its clean text
    (empty for logs written before the note carried it)."""

    id: str
    edits: list[Edit]
    clean: dict[str, Any]

    def restore(self, clean_text: str) -> str:
        """The decoded input, rebuilt from ``clean_text``; ValueError when it is not the text
        this document was cleaned to."""
        expected = {key: self.clean[key] for key in ("clean_chars", "clean_sha256") if key in self.clean}
        if expected and {key: fingerprint(clean_text)[key] for key in expected} != expected:
            raise ValueError(f"output does not match the log (not the clean text of document {self.id!r})")
        return restore(clean_text, self.edits)


def end_record(documents: int) -> dict[str, Any]:
    """The last record of a complete log: how many documents it holds (restore refuses a log
    cut short)."""
    return {"doc": "", "stage": "log", "rule": "end", "action": "note", "start": 0, "end": 0,
            "original": "", "replacement": "", "detail": {"documents": documents}}


def _is_end(record: dict[str, Any]) -> bool:
    return record.get("stage") == "log" and record.get("rule") == "end" and record.get("action") == "note"


class LogWriter:
    """A provenance log being written, one whole document at a time; :meth:`end` closes it
    with the :func:`end_record` that says how many documents it holds."""

    def __init__(self, handle: TextIO):
        self.handle, self.documents = handle, 0

    def add(self, lines: str) -> None:
        """One document's records, as JSON Lines."""
        self.handle.write(lines)
        self.documents += 1

    def add_records(self, records: Iterable[dict[str, Any]]) -> None:
        self.add(record_lines(records))

    def end(self) -> None:
        self.handle.write(json_line(end_record(self.documents)))


def record_lines(records: Iterable[dict[str, Any]], **extra: Any) -> str:
    """Records as JSON Lines, each with the ``extra`` fields added."""
    if extra:
        records = ({**record, **extra} for record in records)
    return "".join(map(json_line, records))


def write_records(handle: TextIO, records: Iterable[dict[str, Any]]) -> None:
    handle.write(record_lines(records))


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


def documents(records: Iterable[dict[str, Any]]) -> list[LoggedDocument]:
    """Split a log into its documents, in log order.

    Every document's records are contiguous and start with its ``note`` record, so two
    documents that share an id (it happens in real corpora) stay apart.
    """
    docs: list[LoggedDocument] = []
    for record in records:
        if _is_end(record):
            continue
        doc_id = str(record["doc"])
        # Only the decode note opens a document: later notes (safety_bound, pattern_timeout)
        # belong to the document they follow.
        opens = record.get("action") == "note" and record.get("stage", "decode") == "decode"
        if opens or not docs or docs[-1].id != doc_id:
            detail = record.get("detail") if opens else None
            docs.append(LoggedDocument(doc_id, [], detail if isinstance(detail, dict) else {}))
        if record.get("action") != "note":
            docs[-1].edits.append(Edit.from_record(record))
    return docs


def check_complete(records: list[dict[str, Any]], docs: list[LoggedDocument]) -> None:
    """ValueError when a log is not whole: a document holds fewer or more edits than its
    note counted, or the log lacks its end record or holds another number of documents
    than it says (cut short, or edited). Logs written before notes counted their edits
    are not checked."""
    for doc in docs:
        expected = doc.clean.get("edits")
        if isinstance(expected, int) and expected != len(doc.edits):
            raise ValueError(f"document {doc.id!r} lists {expected} edits but the log holds {len(doc.edits)}: "
                             "the log is cut short or was edited")
    ends = [record for record in records if _is_end(record)]
    if not ends:
        if any("edits" in doc.clean for doc in docs):
            raise ValueError("the log has no end record: it is cut short (or the run that wrote it was stopped)")
        return
    detail = ends[-1].get("detail")
    expected = detail.get("documents") if isinstance(detail, dict) else None
    if expected != len(docs):
        raise ValueError(f"the log says it holds {expected} documents but holds {len(docs)}: it is cut short or was edited")
