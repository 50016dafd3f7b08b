"""Review: one self-contained HTML page showing what cleaning removed, document by document.

The page embeds the documents and their edits as JSON and renders them page by page in the
browser (no network, no CDN). Sources: cleaned on the fly (files, directories, JSON Lines)
or read back from a batch output directory with its logs.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

from cleaner.document import Edit, restore


@dataclass
class ReviewDoc:
    id: str
    source: str
    original: str
    edits: list[Edit]

    def to_json(self) -> dict[str, Any]:
        removed = sum(len(e.original) for e in self.edits if e.stage != "emit")
        return {
            "id": self.id,
            "source": self.source,
            "text": self.original,
            "share": round(removed / len(self.original), 4) if self.original else 0.0,
            "edits": [
                {"s": e.start, "e": e.end, "stage": e.stage, "rule": e.rule, "action": e.action,
                 "repl": e.replacement, "detail": e.detail or {}}
                for e in self.edits if e.stage != "emit"
            ],
        }


def rule_counts(docs: Iterable[ReviewDoc]) -> dict[str, dict[str, Any]]:
    """Per rule: its stage, how many times it fired, and in which documents (by index)."""
    counts: dict[str, dict[str, Any]] = {}
    for index, doc in enumerate(docs):
        for edit in doc.edits:
            if edit.stage == "emit":
                continue
            entry = counts.setdefault(edit.rule, {"stage": edit.stage, "count": 0, "docs": []})
            entry["count"] += 1
            if not entry["docs"] or entry["docs"][-1] != index:
                entry["docs"].append(index)
    return dict(sorted(counts.items(), key=lambda item: -item[1]["count"]))


def _embed(data: Any) -> str:
    """JSON safe inside a <script> element: no "</script>" or comment openers can appear."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(docs: list[ReviewDoc], title: str = "cleaner review") -> str:
    """The whole report page as one HTML string."""
    from cleaner.explain import STAGE_STYLES

    assets = resources.files("cleaner") / "report_assets"
    template = (assets / "report.html").read_text(encoding="utf-8")
    payload = {
        "docs": [doc.to_json() for doc in docs],
        "rules": rule_counts(docs),
        "stages": sorted({e.stage for d in docs for e in d.edits if e.stage != "emit"}),
        "colours": STAGE_STYLES,
    }
    return (
        template.replace("{{TITLE}}", html.escape(title))
        .replace("{{CSS}}", (assets / "report.css").read_text(encoding="utf-8"))
        .replace("{{JS}}", (assets / "report.js").read_text(encoding="utf-8"))
        .replace("{{DATA}}", _embed(payload))
    )


# -- sources --------------------------------------------------------------------------------

def from_cleaning(items: Iterable[tuple[str, str, bytes | str]], pipeline, html_mode: bool | None) -> Iterator[ReviewDoc]:
    """Clean ``(source, doc id, data)`` items and review what was removed."""
    from cleaner.decode import NotTextError

    for source, doc_id, data in items:
        try:
            result = pipeline.clean(data, doc_id=doc_id, html=html_mode)
        except NotTextError:
            continue
        yield ReviewDoc(result.id, source, result.decoded, result.edits)


def from_batch(dest: Path, field: str = "text") -> Iterator[ReviewDoc]:
    """Documents of a batch output directory, read back from outputs and their logs."""
    from cleaner.io.sources import iter_jsonl
    from cleaner.provenance import documents, read_records

    logs = dest / ".cleaner" / "logs"
    for log in sorted(logs.rglob("*.log.jsonl")):
        output = dest / log.relative_to(logs).as_posix()[: -len(".log.jsonl")]
        if not output.exists():
            continue
        with open(log, encoding="utf-8") as handle:
            docs = documents(read_records(handle))
        source = str(output.relative_to(dest))
        if output.suffix == ".jsonl":
            with open(output, "rb") as stream:
                texts = [item.record[field] for item in iter_jsonl(stream, source)
                         if item.record is not None and isinstance(item.record.get(field), str)]
        else:
            texts = [output.read_text(encoding="utf-8")]
        for (doc_id, edits), text in zip(docs, texts):
            yield ReviewDoc(doc_id, source, restore(text, edits), edits)


def is_batch_output(path: Path) -> bool:
    return (path / ".cleaner" / "logs").is_dir()
