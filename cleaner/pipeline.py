"""The pipeline: decode, (extract), normalise, segment, detect, apply, emit.

Per-document stages run in order; detection stages only mark spans, and
:func:`cleaner.apply.apply_marks` is the one place where marks become removals.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cleaner.apply import ApplySettings, apply_marks, safety_bound
from cleaner.config import Config
from cleaner.corpus.sites import site_of
from cleaner.decode import Decoding, decode
from cleaner.document import Document, Edit, Span
from cleaner.io.html import looks_like_html
from cleaner.lines import Lines
from cleaner.patterns import PatternTimeout
from cleaner.provenance import fingerprint
from cleaner.registry import CORPUS_DETECTORS, DETECTORS
from cleaner.segment import Segments
from cleaner.stages.emit import Emit
from cleaner.stages.extract import Extract
from cleaner.stages.normalise import Normalise

if TYPE_CHECKING:
    from cleaner.corpus.model import TemplateModel
    from cleaner.io.extracted import ExtractedTexts


@dataclass
class CleanResult:
    """What cleaning one document gives: the clean text, and every edit that made it."""

    id: str
    text: str
    decoded: str
    edits: list[Edit]
    decoding: Decoding
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    @property
    def removed_chars(self) -> int:
        return sum(len(e.original) for e in self.edits if e.action == "drop")

    def records(self) -> list[dict[str, Any]]:
        """The provenance log: a note on how the input was read, then one record per edit."""
        note: dict[str, Any] = {
            "doc": self.id, "stage": "decode", "rule": "charset", "action": "note",
            "start": 0, "end": 0, "original": "", "replacement": "",
            "detail": {**self.decoding.to_dict(), **fingerprint(self.text), "edits": len(self.edits)},
        }
        if self.meta.get("html"):
            extraction = {k: v for k, v in (self.meta.get("extraction") or {}).items()
                          if k not in ("dropped", "code_lines")}
            note["detail"] = {**note["detail"], "html_extracted": True, **extraction}
        notes = [note]
        if "safety_bound" in self.meta:
            notes.append({**note, "stage": "apply", "rule": "safety_bound", "detail": self.meta["safety_bound"]})
        for stage, detail in self.meta.get("pattern_timeouts", ()):
            notes.append({**note, "stage": stage, "rule": "pattern_timeout", "detail": detail})
        return [*notes, *(edit.to_record(self.id) for edit in self.edits)]


class Pipeline:
    """Cleans documents with one configuration; counts what each rule did.

    >>> Pipeline().clean("Hello world.\\n\\n0").text
    'Hello world.\\n'
    """

    def __init__(self, config: Config | None = None, templates: TemplateModel | None = None,
                 extracted: ExtractedTexts | None = None):
        """``extracted`` keeps the main text of every HTML page this pipeline extracts, and
        gives it back when the same page comes again (the two passes of a two-pass run)."""
        self.config = config or Config()
        self.extracted = extracted
        self.normalise = Normalise(self.config)
        self.extract = Extract(self.config)
        # A stage another one replaces (blocks, by line_model) runs only where that one is off.
        self.detectors = [cls(self.config) for cls in DETECTORS if self.config.stage_on(cls.name)
                          and not (cls.replaced_by and self.config.stage_on(cls.replaced_by))]
        # Corpus stages run only with what was learned from a corpus (site templates).
        if templates is not None:
            self.detectors += [cls(self.config, templates) for cls in CORPUS_DETECTORS
                               if self.config.stage_on(cls.name)]
        self.emit = Emit(self.config)
        self.apply_settings = ApplySettings.from_config(self.config, "apply")
        self.stats: Counter[str] = Counter()

    def clean(self, data: bytes | str, doc_id: str = "", html: bool | None = None,
              url: str | None = None, site: str | None = None) -> CleanResult:
        """Clean one document given as bytes or text.

        ``html=None`` detects HTML from how the document starts. The document's site (for
        learned templates) is the host of ``url``, else ``site``. Raises
        :class:`cleaner.decode.NotTextError` for binary input.
        """
        text, decoding, meta = self.read(data, html, url)
        doc = Document(text, doc_id, {"site": site_of(url, site)})
        if meta.get("extraction"):
            self.extract.drop(doc, meta["extraction"])
            doc.meta["extractor"] = meta["extraction"].get("extractor")
            if meta["extraction"].get("code_lines"):
                doc.meta["code_lines"] = frozenset(meta["extraction"]["code_lines"])
        extracted, first = doc.text, len(doc.edits)
        self.run(doc)
        if meta.get("extraction"):
            self.extract.drop_too_few_words(doc)
        if doc.meta.get("pattern_timeouts"):
            meta["pattern_timeouts"] = doc.meta["pattern_timeouts"]
        flag = safety_bound(doc, self.apply_settings.max_removed_share, extracted, first)
        if flag:
            meta["safety_bound"] = flag
            self.stats["flagged_safety_bound"] += 1
        self._count(doc)
        self.stats["pattern_timeouts"] += len(meta.get("pattern_timeouts", ()))
        return CleanResult(doc.id, doc.text, doc.decoded, doc.edits, decoding, meta)

    def read(self, data: bytes | str, html: bool | None = None,
             url: str | None = None) -> tuple[str, Decoding, dict[str, Any]]:
        """Decode a document and, when it is HTML, extract its main text."""
        text, decoding = decode(data)
        meta: dict[str, Any] = {}
        if html or (html is None and looks_like_html(text)):
            text, meta["extraction"] = self._main_text(text, url)
            meta["html"] = True
        return text, decoding, meta

    def _main_text(self, page: str, url: str | None) -> tuple[str, dict[str, Any]]:
        """The main text of an HTML page and what the log notes of its extraction."""
        if self.extracted is None:
            return self.extract.main_text(page, url, self.rule_marks)
        kept = self.extracted.get(page, url)
        if kept is not None:
            text, info = json.loads(kept)
            return text, info
        text, info = self.extract.main_text(page, url, self.rule_marks)
        self.extracted.put(page, url, json.dumps([text, info], ensure_ascii=False))
        return text, info

    def prepare(self, data: bytes | str, html: bool | None = None, url: str | None = None) -> str:
        """The text the detection stages would see: read and normalised (for corpus counts)."""
        text, _, meta = self.read(data, html, url)
        doc = Document(text)
        if meta.get("extraction"):
            self.extract.drop(doc, meta["extraction"])
        if self.config.stage_on("normalise"):
            self.normalise.run(doc)
        return doc.text

    def run(self, doc: Document) -> None:
        """Run the text stages over a document, in place.

        A rule whose pattern runs past its time limit (:class:`PatternTimeout`) leaves the
        document unchanged: its marks for this document are dropped and a
        ``pattern_timeout`` note names it. A keep pattern that trips protects every line.
        """
        segments, spans = self.detect(doc)
        if spans:
            try:
                apply_marks(doc, segments, spans, self.config.keep_patterns)
            except PatternTimeout as exc:
                self.emit.timed_out(doc, exc, stage="apply")
        if self.config.stage_on("emit"):
            self.emit.run(doc)

    def detect(self, doc: Document, upto: str | None = None) -> tuple[Segments, list[Span]]:
        """Normalise a document in place and run the detection stages over it: its segments
        and every mark, nothing applied yet. ``upto`` stops before the stage of that name."""
        if self.config.stage_on("normalise"):
            self.normalise.run(doc)
        segments = Segments(doc.text)
        return segments, self.mark(doc, segments, upto)

    def mark(self, doc: Document, segments: Segments, upto: str | None = None) -> list[Span]:
        """Every detection stage's marks over a segmented document (the stages before ``upto``)."""
        Lines.of(segments)  # the facts of each line, which every stage reads: computed once, as asked
        spans: list[Span] = []
        for stage in self.detectors:
            if stage.name == upto:
                break
            try:
                spans.extend(stage.detect(doc, segments, spans))
            except PatternTimeout as exc:
                stage.timed_out(doc, exc)
        return spans

    def rule_marks(self, doc: Document, segments: Segments) -> list[Span]:
        """The named rules' marks: every detection stage before the learned line model."""
        return self.mark(doc, segments, upto="line_model")

    def _count(self, doc: Document) -> None:
        stats = self.stats
        stats["documents"] += 1
        stats["chars_in"] += len(doc.decoded)
        stats["chars_out"] += len(doc.text)
        # Summed per (kind, rule) first: a page dump has a hundred edits of one or two rules.
        by_rule: dict[tuple[str, str], list[int]] = {}
        for edit in doc.edits:
            key = ("dropped" if edit.action == "drop" else "replaced", edit.rule)
            sums = by_rule.get(key)
            if sums is None:
                sums = by_rule[key] = [0, 0]
            sums[0] += 1
            sums[1] += len(edit.original)
        for (kind, rule), (edits, chars) in by_rule.items():
            stats[f"{kind}_{rule}"] += edits
            stats[f"{kind}_chars_{rule}"] += chars


def clean(data: bytes | str, config: Config | None = None, html: bool | None = None,
          doc_id: str = "") -> CleanResult:
    """Clean one document with a fresh pipeline (use :class:`Pipeline` for many)."""
    return Pipeline(config).clean(data, doc_id=doc_id, html=html)
