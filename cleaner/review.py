"""Review: one self-contained HTML page showing what cleaning removed, document by document.

The page embeds the documents and their edits as JSON and renders them page by page in the
browser (no network, no CDN). Sources: cleaned on the fly (files, directories, JSON Lines)
or read back from a batch output directory (``cleaner batch``) with its logs.
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

from cleaner.document import Edit
from cleaner.provenance import LoggedDocument
from cleaner.stats import content_removed, share_removed

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def utf16_offsets(text: str, positions: Iterable[int]) -> list[int]:
    """Code-point offsets of ``text`` as UTF-16 code units, the way JavaScript counts them.

    >>> utf16_offsets("a\\U0001F600b", [0, 1, 2, 3])
    [0, 1, 3, 4]
    """
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    return [pos + bisect_left(astral, pos) for pos in positions]


def removed_share(text: str, edits: Iterable[Edit]) -> float:
    """The share of ``text`` that content edits took out, as the command line and the batch
    summary count it (:mod:`cleaner.stats`: layout edits are not removals).

    >>> removed_share("Hi.\\n\\n0", [Edit(3, 6, "\\n\\n0", "", "counters", "stray_counter", "drop")])
    0.5
    """
    return round(share_removed(len(text), content_removed(edits)), 4)


# The colour of each stage's struck spans on the page, one per stage (cleaner explain uses
# the terminal's named colours, cleaner.explain.STAGE_STYLES).
STAGE_COLOURS = {
    "normalise": "#fde68a", "fragments": "#f5c2f0", "chrome": "#fecaca", "counters": "#bae6fd",
    "blocks": "#bbf7d0", "dates": "#c7d2fe", "tails": "#fed7aa", "residue": "#99f6e4",
    "templates": "#e9d5ff", "apply": "#fda4af", "emit": "#e5e7eb", "line_model": "#d9f99d",
    "extract": "#bfdbfe", "repeats": "#fbcfe8",
}
OTHER_COLOUR = "#d1d5db"  # a stage this table does not know yet


@dataclass
class ReviewDoc:
    id: str
    source: str
    original: str
    edits: list[Edit]
    url: str = ""
    site: str = ""

    def shown_edits(self) -> list[Edit]:
        """The edits worth reviewing: all but layout (stage ``emit``)."""
        return [e for e in self.edits if e.stage != "emit"]

    def to_json(self) -> dict[str, Any]:
        edits = self.shown_edits()
        offsets = utf16_offsets(self.original, [p for e in edits for p in (e.start, e.end)])
        return {
            "id": self.id,
            "source": self.source,
            "text": self.original,
            "share": removed_share(self.original, edits),
            "url": self.url,
            "site": self.site,
            "edits": [_edit_json(e, offsets[2 * i], offsets[2 * i + 1]) for i, e in enumerate(edits)],
        }


def _edit_json(edit: Edit, start: int, end: int) -> dict[str, Any]:
    item: dict[str, Any] = {"s": start, "e": end, "stage": edit.stage, "rule": edit.rule, "action": edit.action}
    if edit.replacement:
        item["repl"] = edit.replacement
    if edit.detail:
        item["detail"] = edit.detail
    if edit.merged:
        item["merged"] = edit.merged
    return item


def rule_counts(docs: Iterable[ReviewDoc]) -> dict[str, dict[str, Any]]:
    """Per rule: its stage, how many times it fired, and in which documents (by index)."""
    counts: dict[str, dict[str, Any]] = {}
    for index, doc in enumerate(docs):
        for edit in doc.shown_edits():
            entry = counts.setdefault(edit.rule, {"stage": edit.stage, "count": 0, "docs": []})
            entry["count"] += 1
            if not entry["docs"] or entry["docs"][-1] != index:
                entry["docs"].append(index)
    return dict(sorted(counts.items(), key=lambda item: (-item[1]["count"], item[0])))


def site_counts(docs: Iterable[ReviewDoc]) -> dict[str, dict[str, Any]]:
    """Per site (documents without one under ""): documents, changes and the share removed,
    most documents first."""
    counts: dict[str, dict[str, Any]] = {}
    for doc in docs:
        entry = counts.setdefault(doc.site, {"docs": 0, "changes": 0, "chars": 0, "removed": 0})
        edits = doc.shown_edits()
        entry["docs"] += 1
        entry["changes"] += len(edits)
        entry["chars"] += len(doc.original)
        entry["removed"] += content_removed(edits)
    for entry in counts.values():
        entry["share"] = round(share_removed(entry.pop("chars"), entry.pop("removed")), 4)
    return dict(sorted(counts.items(), key=lambda item: (-item[1]["docs"], item[0])))


def _embed(data: Any) -> str:
    """JSON safe inside a <script> element: no "</script>" or comment openers can appear,
    and lone surrogates (from undecodable input) are escaped rather than written as bytes."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render(docs: list[ReviewDoc], title: str = "cleaner review") -> str:
    """The whole report page as one HTML string."""
    assets = resources.files("cleaner") / "report_assets"
    template = (assets / "report.html").read_text(encoding="utf-8")
    stages = sorted({e.stage for d in docs for e in d.shown_edits()})
    payload = {
        "docs": [doc.to_json() for doc in docs],
        "rules": rule_counts(docs),
        "sites": site_counts(docs),
        "stages": stages,
        "colours": {stage: STAGE_COLOURS.get(stage, OTHER_COLOUR) for stage in stages},
    }
    parts = {"TITLE": html.escape(title), "CSS": (assets / "report.css").read_text(encoding="utf-8"),
             "JS": (assets / "report.js").read_text(encoding="utf-8"), "DATA": _embed(payload)}
    return re.sub(r"\{\{(TITLE|CSS|JS|DATA)\}\}", lambda m: parts[m.group(1)], template)


# -- sources --------------------------------------------------------------------------------

def from_cleaning(items: Iterable[tuple], pipeline, html_mode: bool | None) -> Iterator[ReviewDoc]:
    """Clean ``(source, doc id, data[, url, site])`` items and review what was removed; a
    document's site is the host of its url, else its site."""
    from cleaner.corpus.sites import site_of
    from cleaner.decode import NotTextError

    for source, doc_id, data, *origin in items:
        url, site = (origin + [None, None])[:2]
        try:
            result = pipeline.clean(data, doc_id=doc_id, html=html_mode, url=url, site=site)
        except NotTextError:
            continue
        yield ReviewDoc(result.id, source, result.decoded, result.edits, url or "", site_of(url, site) or "")


def is_batch_output(path: Path) -> bool:
    return (path / ".cleaner" / "logs").is_dir()


def _batch_logs(dest: Path) -> Iterator[tuple[Path, Path]]:
    """``(log, output)`` pairs of a batch output directory, as cleaner.run.batch lays them out:
    ``DEST/.cleaner/logs/<output>.log.jsonl`` beside ``DEST/<output>``."""
    logs = dest / ".cleaner" / "logs"
    for log in sorted(logs.rglob("*.log.jsonl")):
        output = dest / log.relative_to(logs).as_posix()[: -len(".log.jsonl")]
        if output.is_file():
            yield log, output


def _log_documents(log: Path) -> list[LoggedDocument]:
    from cleaner.provenance import documents, read_records

    with open(log, encoding="utf-8") as handle:
        return documents(read_records(handle))


def _output_texts(output: Path, field: str) -> list[tuple[str, str, str]]:
    """The cleaned texts of one output, in log order, with their url and site: the file
    (its folder under DEST as its site), or each record's field."""
    from cleaner.corpus.passes import record_origin
    from cleaner.corpus.sites import site_of
    from cleaner.io.sources import iter_jsonl

    if output.suffix != ".jsonl":
        return [(output.read_bytes().decode("utf-8", errors="surrogateescape"), "", "")]
    with open(output, "rb") as stream:
        records = [item.record for item in iter_jsonl(stream, str(output)) if item.record is not None]
    found = []
    for record in records:
        if isinstance(record.get(field), str):
            url, site = record_origin(record)
            found.append((record[field], url or "", site_of(url, site) or ""))
    return found


def _restored(dest: Path, log: Path, output: Path, field: str, wanted: str | None = None) -> Iterator[ReviewDoc]:
    docs = _log_documents(log)
    source = output.relative_to(dest).as_posix()
    if wanted is not None and wanted != source and all(doc.id != wanted for doc in docs):
        return  # the output is only read when it holds the document asked for
    folder = output.parent.relative_to(dest).as_posix()
    for doc, (text, url, site) in zip(docs, _output_texts(output, field)):
        if wanted is None or wanted in (doc.id, source):
            yield ReviewDoc(doc.id, source, doc.restore(text), doc.edits, url,
                            site or (folder if output.suffix != ".jsonl" else ""))


def from_batch(dest: Path, field: str = "text") -> Iterator[ReviewDoc]:
    """Documents of a batch output directory, read back from outputs and their logs."""
    for log, output in _batch_logs(dest):
        yield from _restored(dest, log, output, field)


def find_in_batch(dest: Path, doc_id: str, field: str = "text") -> ReviewDoc | None:
    """One document of a batch output, by its id (or its output's path under DEST)."""
    for log, output in _batch_logs(dest):
        for doc in _restored(dest, log, output, field, wanted=doc_id):
            return doc
    return None
