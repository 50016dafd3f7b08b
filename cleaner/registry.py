"""The stages, by name, in the order the pipeline runs them."""

from __future__ import annotations

from cleaner.stages.base import Stage
from cleaner.stages.blocks import Blocks
from cleaner.stages.chrome import Chrome
from cleaner.stages.counters import Counters
from cleaner.stages.dates import Dates
from cleaner.stages.emit import Emit
from cleaner.stages.fragments import Fragments
from cleaner.stages.normalise import Normalise
from cleaner.stages.residue import Residue
from cleaner.stages.tails import Tails
from cleaner.stages.templates import Templates

# Detection stages, in order; an earlier stage's mark wins where two overlap.
DETECTORS: tuple[type[Stage], ...] = (Fragments, Chrome, Counters, Blocks, Dates, Tails, Residue)
# Corpus stages: they detect with what was learned over a whole corpus, and run after the others.
CORPUS_DETECTORS: tuple[type[Stage], ...] = (Templates,)


class StageInfo:
    """Registry view of a stage: its name, description, rules and thresholds."""

    def __init__(self, name: str, description: str, rules: dict[str, str] | None = None,
                 thresholds: dict | None = None, cls: type[Stage] | None = None):
        self.name = name
        self.description = description
        self.rules = rules or {}
        self.thresholds = thresholds or {}
        self.cls = cls

    @classmethod
    def of(cls, stage: type[Stage]) -> "StageInfo":
        return cls(stage.name, stage.description, stage.rules_described(), stage.thresholds, stage)


def stage_classes() -> tuple[type[Stage], ...]:
    return (Normalise, *DETECTORS, *CORPUS_DETECTORS, Emit)


def all_stages() -> list[StageInfo]:
    """Every step of the flow, including the ones without switchable rules."""
    return [
        StageInfo("decode", "Bytes to text: byte-order mark, UTF-8, declared or detected charset."),
        StageInfo("extract", "HTML only: main text extracted with trafilatura before the text stages."),
        StageInfo.of(Normalise),
        StageInfo("segment", "Lines and paragraphs as offsets into the text."),
        *(StageInfo.of(cls) for cls in DETECTORS),
        *(StageInfo.of(cls) for cls in CORPUS_DETECTORS),
        StageInfo("apply", "Turns the detection stages' marks into removals, in one place; flags "
                  "documents that lose most of their words (rule safety_bound, a log note).",
                  thresholds={"max_removed_share": (0.9, "flag a document when this share of its words is removed")}),
        StageInfo.of(Emit),
    ]
