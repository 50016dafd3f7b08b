"""Extract: an HTML page's main text, decided block by block by a learned model.

The page is parsed once and walked into text blocks with their DOM facts
(:mod:`cleaner.io.dom`); trafilatura extracts the same tree, and whether its extraction holds
a block is one of the block's facts. The block model (:mod:`cleaner.model.block_model`) scores
each block from its text (the line model's features), its markup and that vote; the blocks
under the threshold are left out: each is an edit of the extracted text (all the blocks, one
paragraph each) in the log, rule ``block_model``, with the block's DOM path, its score and
the facts that weighed most, so ``explain``, ``review`` and ``restore`` show and undo it as any
other removal. The text stages then run on the blocks kept.

Trafilatura's extraction alone is the fallback, with a note saying why, when the page cannot
be walked (no tree, no block), when the model keeps nothing where trafilatura found text, and
when the block model's page model, which compares the blocks kept with trafilatura's
extraction, judges the extraction the better text of the page;
``[rules] block_model = false`` (``--extractor trafilatura``) asks for it outright.

``[thresholds.extract] trafilatura_vote = false`` (``--extractor fast``) decides the blocks
without trafilatura, with a block model trained so (``block_model_fast.npz``): trafilatura runs
only where that model keeps no block, and html mode takes about trafilatura's own time instead
of about twice it, for a lower figure on two of the three labelled sets (bench/README.md).

Once the text stages have run, a page whose main text comes to fewer than ``min_words`` words
(either extractor's) has none, and the rest is left out whole: rule ``too_few_words``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from cleaner.document import Document, Span
from cleaner.segment import Segments
from cleaner.settings import StageConfig
from cleaner.stages.base import Settings, Stage, rule, threshold
from cleaner.stages.line_model import Explained, Reasons

if TYPE_CHECKING:
    import numpy as np

    from cleaner.io.dom import Page
    from cleaner.model.block_model import BlockModel
    from cleaner.model.lexicon import Lexicon

# The named rules' marks over a text laid out one block a line (the pipeline's detectors).
Marker = Callable[[Document, Segments], list[Span]]
# Blocks of these tags that follow one another are one paragraph of the output (a list, a table).
_RUNS = frozenset(("li", "tr", "td", "th", "dd", "dt"))


@dataclass(frozen=True)
class ExtractSettings(Settings):
    prefer_extracted: float = threshold(
        0.5, "take trafilatura's extraction for the whole page when the page model says it beats the "
             "blocks kept with a probability above this (1: never)")
    keep_headline: bool = threshold(
        False, "keep the page's headline (the block most like its title) among the blocks kept, where the "
               "block model leaves it out as the gold texts it learned from do (trafilatura's extraction, "
               "where the page model takes it, holds no headline either way)")
    trafilatura_vote: bool = threshold(
        True, "read trafilatura's extraction as one of each block's facts, and let the page model take it "
              "for the whole page; false: decide the blocks without it (with the block model trained so), "
              "in about half the time, and run trafilatura only where that model keeps no block")
    min_words: int = threshold(
        10, "leave out the whole main text when it holds fewer words than this: a page whose text comes to "
            "a few words has no main content (a page its scripts build, an error, consent or log-in page; "
            "0: never)")
    # Last: the field's name hides the threshold() helper in the rest of this class body.
    threshold: float | None = threshold(
        None, "leave out the HTML blocks scored under this probability of being content (default: "
              "the block model's own, tuned in training; lower keeps more)")


@rule(thresholds=("threshold",))
def block_model(score: float | np.ndarray, threshold: float) -> bool | np.ndarray:
    """An HTML block the learned block model scores under the threshold: not the page's content.

    >>> block_model(0.08, 0.5), block_model(0.91, 0.5)
    (True, False)
    >>> import numpy as np; block_model(np.array([0.08, 0.91]), 0.5).tolist()  # a page's blocks at once
    [True, False]
    """
    return score < threshold


@rule(thresholds=("min_words",))
def too_few_words(words: int, min_words: int) -> bool:
    """A page's main text of fewer than ``min_words`` words, as WCXB counts them: what is left of a
    page with no main content (one its scripts build, an error, consent or log-in page) is a word
    or two of its chrome ("Loading...", "Access denied").

    >>> too_few_words(4, 10), too_few_words(0, 10), too_few_words(12, 10), too_few_words(4, 0)
    (True, False, False, False)
    """
    return 0 < words < min_words


def layout(page: Page) -> str:
    """The blocks as the block model reads them: one block a line, one line a paragraph."""
    return "\n\n".join(" ".join(block.text.split()) for block in page.blocks)


def block_rows(page: Page, extracted: str, mark: Marker, lexicon: Lexicon | None = None) -> np.ndarray:
    """The block model's feature rows of a walked page: the line features of :func:`layout`
    (with the named rules' marks and the block model's word weights) beside the DOM
    features. The training reads the same rows."""
    import numpy as np

    from cleaner.model.block_features import dom_features
    from cleaner.model.features import line_features

    doc = Document(layout(page))
    segments = Segments(doc.text)
    if len(segments.content) != len(page.blocks):  # one line a block, by construction
        raise ValueError(f"{len(page.blocks)} blocks laid out as {len(segments.content)} lines")
    # Column-major, as the models' tree walk reads the rows (each feature's values side by side).
    return np.concatenate([line_features(segments, mark(doc, segments), lexicon).T, dom_features(page, extracted).T]).T


def code_lines(page: Page) -> dict[str, list[str]]:
    """The lines of the page's code (its blocks inside ``<pre>``, ``<code>``, ``<kbd>`` or
    ``<samp>``), in lower case with single spaces, as ``{"code_lines": [...]}`` for the
    extraction's record (empty when the page has none). The text stages leave their copies
    alone: code repeats a line by design (see :mod:`cleaner.stages.repeats`).

    >>> from cleaner.io.dom import dom_blocks, parse
    >>> code_lines(dom_blocks(parse("<p>Run it:</p><pre>import os\\nprint(os.sep)</pre>")))
    {'code_lines': ['import os', 'print(os.sep)']}
    """
    lines = {" ".join(line.lower().split()) for block in page.blocks if block.has("pre")
             for line in block.text.splitlines()}
    lines.discard("")
    return {"code_lines": sorted(lines)} if lines else {}


def page_text(page: Page) -> tuple[str, list[tuple[int, int]]]:
    """The blocks as the extracted text (a paragraph each; runs of list items or table rows
    one paragraph, a line each), and the range each block's removal takes: its text and the
    separator after it."""
    parts: list[str] = []
    starts: list[int] = []
    size = 0
    for i, block in enumerate(page.blocks):
        if i:
            sep = "\n" if block.tag in _RUNS and block.tag == page.blocks[i - 1].tag else "\n\n"
            parts.append(sep)
            size += len(sep)
        starts.append(size)
        parts.append(block.text)
        size += len(block.text)
    parts.append("\n")
    ranges = [(start, starts[i + 1] if i + 1 < len(starts) else start + len(page.blocks[i].text))
              for i, start in enumerate(starts)]
    return "".join(parts), ranges


class Extract(Stage):
    name = "extract"
    description = ("HTML only: the page walked into text blocks with their DOM facts; the learned block model, "
                   "with trafilatura's extraction as one of its facts, keeps the main content's blocks.")
    rules = (block_model, too_few_words)
    settings = ExtractSettings

    def __init__(self, config: StageConfig, model: BlockModel | None = None):
        super().__init__(config)
        self._model = model

    @property
    def model(self) -> BlockModel:
        """The block model: the one that reads trafilatura's extraction, or the one trained
        without it (``trafilatura_vote = false``)."""
        if self._model is None:
            from cleaner.model.block_model import default_block_model

            self._model = default_block_model(fast=not self.t.trafilatura_vote)
        return self._model

    def main_text(self, html: str, url: str | None, mark: Marker) -> tuple[str, dict[str, Any]]:
        """The page's text, and how it was extracted: ``extractor``, and for the block model the
        blocks it leaves out (``dropped``: each one's range in the text, DOM path, score, and the
        facts that weighed most), which :meth:`drop` turns into edits. Raises
        :class:`cleaner.io.html.ExtractError` as :func:`cleaner.io.html.extract` does."""
        import numpy as np

        from cleaner.io.dom import dom_blocks, parse
        from cleaner.io.html import check_limits, extract
        from cleaner.model.block_features import tree_groups

        check_limits(html)
        if not self.on("block_model"):
            return extract(html, url=url, checked=True), {"extractor": "trafilatura"}
        try:
            tree = parse(html)
        except (ValueError, TypeError, RecursionError, MemoryError):
            tree = None
        vote = self.t.trafilatura_vote
        # Without the vote, trafilatura runs only where its extraction becomes the text.
        extracted = extract(html, url=url, tree=tree, checked=True) if vote else None
        try:
            page = dom_blocks(tree) if tree is not None else None
            x = (block_rows(page, extracted or "", mark, self.model.lexicon)
                 if page is not None and page.blocks else None)
        except (ValueError, RecursionError, MemoryError) as exc:
            return self._fallback(html, url, tree, extracted,
                                  f"the page could not be walked into blocks ({type(exc).__name__})")
        if page is None or x is None:
            return self._fallback(html, url, tree, extracted, "the page has no text blocks")
        code = code_lines(page)
        model = self.model
        cut = self.t.threshold if self.t.threshold is not None else model.threshold
        scores, leaves = model.scored(x, tree_groups(page))
        keep = ~block_model(scores, cut)  # the rule, over every block at once
        if not keep.any():
            if extracted is None:
                extracted = extract(html, url=url, tree=tree, checked=True)
            if extracted.strip():
                return extracted, {"extractor": "trafilatura", "fallback": "the block model kept no block", **code}
        prefers = model.prefers_extracted(page, x, scores, keep) if vote else 0.0
        if extracted and extracted.strip() and prefers > self.t.prefer_extracted:
            return extracted, {"extractor": "trafilatura", "fallback": "the page model prefers trafilatura's "
                               f"extraction to the blocks kept ({prefers:.2f})", **code}
        if self.t.keep_headline:
            from cleaner.model.block_features import DOM_FEATURES, headline_block
            from cleaner.model.block_model import WIDTH

            headline = headline_block(x[:, WIDTH + DOM_FEATURES.index("like_title")])
            if headline >= 0:
                keep[headline] = True
        text, ranges = page_text(page)
        dropped = np.flatnonzero(~keep)
        # The features that weighed most are worked out when a detail is first read (where a
        # log is kept), for all the page's dropped blocks at once.
        reasons = Reasons(model, x, dropped, leaves, [page.blocks[i] for i in dropped.tolist()])
        at = round(float(cut), 3)
        notes = [{"start": ranges[i][0], "end": ranges[i][1],
                  "detail": Explained({"path": page.blocks[i].dom_path, "score": round(float(scores[i]), 3),
                                       "threshold": at}, reasons, k)}
                 for k, i in enumerate(dropped.tolist())]
        info = {"extractor": "blocks", "blocks": len(page.blocks), "dropped": notes, **code}
        if not vote:
            info["trafilatura_vote"] = False
        return text, info

    @staticmethod
    def _fallback(html: str, url: str | None, tree: Any, extracted: str | None,
                  why: str) -> tuple[str, dict[str, Any]]:
        """Trafilatura's extraction as the page's text (extracted now if it was not), and why."""
        from cleaner.io.html import extract

        if extracted is None:
            extracted = extract(html, url=url, tree=tree, checked=True)
        return extracted, {"extractor": "trafilatura", "fallback": why}

    def drop(self, doc: Document, extraction: dict[str, Any]) -> None:
        """Leave out of a document the blocks its extraction dropped: one edit each, rule
        ``block_model``, with the block's DOM path, score and reasons."""
        spans = [Span(note["start"], note["end"], self.name, "block_model", detail=note["detail"])
                 for note in extraction.get("dropped", ())]
        if spans:
            doc.apply(spans)

    def drop_too_few_words(self, doc: Document) -> None:
        """After the text stages: leave out the whole text of a page, rule ``too_few_words``,
        when what they left of its main text (either extractor's) is a few words."""
        if not self.on("too_few_words") or not doc.text:
            return
        from cleaner.model.score import tokens

        words = len(tokens(doc.text))
        if too_few_words(words, self.t.min_words):
            doc.apply([Span(0, len(doc.text), self.name, "too_few_words",
                            detail={"words": words, "min_words": self.t.min_words})])
