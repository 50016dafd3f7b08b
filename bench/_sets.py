"""The labelled sets of ../shared/data, one shape for all, with a fixed validation part.

- ``dev-pages``: 634 pages with snippets (``with``/``without``), scored by snippet F1.
- ``wcxb-dev``: 1,497 pages of seven kinds with full gold text, scored by word F1.
- ``fundus``: 258 news pages in about 25 languages with full gold text, word F1.
- any other ``NAME.jsonl.gz`` of the data folder whose pages have a gold text
  (:func:`labelled_sets`): scored by word F1, trained and tuned on as the two above.

The validation part of every set is the pages whose ``sha256(id)`` is 0 mod 4
(:func:`is_validation`): the model is trained and tuned on the rest, and the validation
figure is the one reported. Nothing here imports :mod:`cleaner` except the word-F1 scorer
(the same function the training reports with).

>>> is_validation("wcxb-dev-0001") in (True, False)
True
>>> round(word_f1("the cat sat", "the cat sat down").f1, 3)
0.857
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import _data
import numpy as np

KNOWN_SETS = ("wcxb-dev", "fundus", "dev-pages")
PARTS = ("train", "validation")


def data_dir() -> Path:
    return _data.data_file().parent


def labelled_sets(folder: Path) -> tuple[str, ...]:
    """The sets of a data folder: the three known ones, then every other ``NAME.jsonl.gz``
    whose first page has an ``id``, its ``html`` and a ``gold`` text (as wcxb-dev's and
    fundus's pages, with a ``type`` or a ``lang`` to report it by), in the order of their names.
    A set added so is trained on, tuned on and scored as the others are."""
    extra: list[str] = []
    for path in sorted(folder.glob("*.jsonl.gz")) if folder.is_dir() else []:
        name = path.name[: -len(".jsonl.gz")]
        if name not in KNOWN_SETS and _first_page_has_gold(path):
            extra.append(name)
    return KNOWN_SETS + tuple(extra)


def _first_page_has_gold(path: Path) -> bool:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), "")
        row = json.loads(first) if first else None
    except (OSError, ValueError, EOFError):
        return False
    return isinstance(row, dict) and all(isinstance(row.get(key), str) for key in ("id", "html", "gold"))


SETS = labelled_sets(data_dir())
# The sets with a gold text (dev-pages has snippets only): thresholds are chosen on them.
GOLD_SETS = tuple(name for name in SETS if name != "dev-pages")


def is_validation(page_id: str) -> bool:
    """Whether a page belongs to the validation part: ``sha256(id)`` is 0 mod 4."""
    return int(hashlib.sha256(page_id.encode("utf-8")).hexdigest(), 16) % 4 == 0


def in_share(page_id: str, share: float, seed: int) -> bool:
    """Whether a page is among a share of the pages drawn with a seed (``sha256(seed:id)``): the
    training pages of a smaller training, for how the figures grow with the labelled pages.

    >>> in_share("wcxb-dev-0001", 1.0, 7), in_share("wcxb-dev-0001", 0.0, 7)
    (True, False)
    """
    draw = int(hashlib.sha256(f"{seed}:{page_id}".encode("utf-8")).hexdigest(), 16) % 10_000
    return draw < share * 10_000


@dataclass(frozen=True)
class SetPage:
    set: str
    id: str
    url: str
    html: str
    gold: str                        # the whole main content ("" for dev-pages)
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    kind: str = ""                   # wcxb page type, fundus language, dev-pages language guess

    @property
    def part(self) -> str:
        return "validation" if is_validation(self.id) else "train"

    @property
    def tuning(self) -> bool:
        """A third of the training part (``sha256(id)`` is 1 mod 4), which a model trained with
        ``--hold-out-tuning`` leaves out: design choices are measured on it, not on validation."""
        return int(hashlib.sha256(self.id.encode("utf-8")).hexdigest(), 16) % 4 == 1

    def as_dev_page(self) -> _data.Page:
        """The page in the shape bench/_data scores snippets with."""
        return _data.Page(self.id, self.url, self.html, self.with_, self.without, self.kind, "")


@lru_cache(maxsize=None)
def file_hash(name: str) -> str:
    return _data.file_sha256(data_dir() / f"{name}.jsonl.gz")


def load_set(name: str, parts: Sequence[str] = PARTS) -> list[SetPage]:
    """The pages of one set, in file order, of the parts asked for."""
    if name == "dev-pages":
        pages = [SetPage(name, p.id, p.url, p.html, "", p.with_, p.without, p.lang)
                 for p in _data.load_pages(data_dir() / "dev-pages.jsonl.gz")]
    else:
        pages = []
        with gzip.open(data_dir() / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                row = json.loads(line)
                pages.append(SetPage(
                    name, row["id"], row.get("url", ""), row["html"], row.get("gold", ""),
                    tuple(row.get("with", ())), tuple(row.get("without", ())),
                    row.get("type") or row.get("lang") or "",
                ))
    return [p for p in pages if p.part in parts or ("tuning" in parts and p.tuning)]


def derive(pages: Sequence[SetPage], kinds: Sequence[str], workers: int = _data.WORKERS,
           use_cache: bool = True) -> dict[str, dict[str, str]]:
    """kind -> page id -> derived text (html-text dump, trafilatura's output), cached per set."""
    out: dict[str, dict[str, str]] = {k: {} for k in kinds}
    by_set: dict[str, list[SetPage]] = {}
    for page in pages:
        by_set.setdefault(page.set, []).append(page)
    for name, members in by_set.items():
        derived = _data.derive([p.as_dev_page() for p in members], kinds, file_hash(name),
                               workers=workers, use_cache=use_cache)
        for kind in kinds:
            out[kind].update(derived.texts[kind])
    return out


# ------------------------------------------------------------------------ scoring

@dataclass
class WordScore:
    """Word precision / recall / F1 of one page, as WCXB scores it."""

    overlap: int
    output: int
    gold: int

    @property
    def precision(self) -> float:
        return self.overlap / self.output if self.output else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.overlap / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def word_f1(output: str, gold: str) -> WordScore:
    """Bag-of-words overlap of an output and the gold text (:func:`cleaner.model.score.tokens`)."""
    from cleaner.model.score import bag

    out, ref = bag(output), bag(gold)
    overlap = sum((out & ref).values())
    return WordScore(overlap, sum(out.values()), sum(ref.values()))


@dataclass
class Figure:
    """A set's figure over some pages: mean word F1 (wcxb, fundus) or snippet F1 (dev-pages)."""

    set: str
    values: list[float] = field(default_factory=list)        # word F1 per page
    snippets: _data.Score = field(default_factory=_data.Score)
    page_snippets: list[_data.Score] = field(default_factory=list)  # dev-pages: each page's snippet counts

    @property
    def f1(self) -> float:
        if self.set == "dev-pages":
            return self.snippets.f1
        return sum(self.values) / len(self.values) if self.values else 0.0

    @property
    def n(self) -> int:
        return len(self.values)

    def resampled(self, draws: np.ndarray) -> np.ndarray:
        """The figure over each row of ``draws`` (page indices, drawn with replacement)."""
        if self.set != "dev-pages":
            return np.asarray(self.values)[draws].mean(axis=1)
        counts = np.array([(s.tp, s.fn, s.fp) for s in self.page_snippets], dtype=np.float64).reshape(-1, 3)
        tp, fn, fp = np.moveaxis(counts[draws].sum(axis=1), -1, 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = 2 * tp / (2 * tp + fn + fp)
        return np.nan_to_num(f1)


def interval(figure: Figure, against: Figure | None = None, draws: int = 2000, level: float = 0.95,
             seed: int = 0) -> tuple[float, float]:
    """A bootstrap interval (pages drawn with replacement, ``level`` of the draws inside) of the
    figure, or of its difference from ``against`` (the same pages scored for another system,
    drawn together: a paired interval, narrower than the two figures' own). It says how far
    the figure could move on another sample of pages like these, not on pages of other kinds.

    >>> a = Figure("wcxb-dev", [0.9, 0.8, 0.7, 0.6]); b = Figure("wcxb-dev", [0.8, 0.7, 0.6, 0.5])
    >>> interval(a, b)  # the same gain on every page: no doubt about it
    (0.1, 0.1)
    """
    if not figure.n:
        return (0.0, 0.0)
    picks = np.random.default_rng(seed).integers(0, figure.n, size=(draws, figure.n))
    values = figure.resampled(picks) - (against.resampled(picks) if against is not None else 0.0)
    tail = (1.0 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return (round(float(low), 4), round(float(high), 4))


def score(pages: Iterable[SetPage], outputs: dict[str, str]) -> Figure:
    """The figure of ``outputs`` (page id -> text) over pages of one set."""
    pages = list(pages)
    fig = Figure(pages[0].set if pages else "")
    for page in pages:
        text = outputs.get(page.id, "")
        if page.set == "dev-pages":
            page_score = _data.score_page(text, page.as_dev_page()).score
            fig.snippets = fig.snippets + page_score
            fig.page_snippets.append(page_score)
            fig.values.append(0.0)
        else:
            fig.values.append(word_f1(text, page.gold).f1)
    return fig
