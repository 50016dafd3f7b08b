"""The stages, by name, in the order the pipeline runs them, with their rules and settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from cleaner.apply import ApplySettings
from cleaner.settings import Settings
from cleaner.stages.base import Rule, Stage
from cleaner.stages.blocks import Blocks
from cleaner.stages.chrome import Chrome
from cleaner.stages.counters import Counters
from cleaner.stages.dates import Dates
from cleaner.stages.emit import Emit
from cleaner.stages.extract import Extract
from cleaner.stages.fragments import Fragments
from cleaner.stages.line_model import LineModel
from cleaner.stages.normalise import Normalise
from cleaner.stages.repeats import Repeats
from cleaner.stages.residue import Residue
from cleaner.stages.tails import Tails
from cleaner.stages.templates import Templates

# Detection stages, in order; an earlier stage's mark wins where two overlap.
DETECTORS: tuple[type[Stage], ...] = (Fragments, Chrome, Counters, Blocks, Dates, Repeats, Tails, Residue, LineModel)
# Corpus stages: they detect with what was learned over a whole corpus, and run after the others.
CORPUS_DETECTORS: tuple[type[Templates], ...] = (Templates,)


@dataclass(frozen=True)
class StageInfo:
    """One step of the flow as `cleaner rules` and config validation see it: its name,
    description, rules and settings; ``cls`` is None for steps that cannot be switched off."""

    name: str
    description: str
    rules: tuple[Rule, ...] = ()
    settings: type[Settings] = Settings
    cls: type[Stage] | None = field(default=None, compare=False)

    @classmethod
    def of(cls, stage: type[Stage]) -> "StageInfo":
        return cls(stage.name, stage.description, stage.rules, stage.settings, stage)


def all_stages() -> list[StageInfo]:
    """Every step of the flow, including the ones without switchable rules.

    >>> [stage.name for stage in all_stages()][:5]
    ['decode', 'extract', 'normalise', 'segment', 'fragments']
    """
    return [
        StageInfo("decode", "Bytes to text: byte-order mark, UTF-8, declared or detected charset."),
        StageInfo.of(Extract),
        StageInfo.of(Normalise),
        StageInfo("segment", "Lines and paragraphs as offsets into the text."),
        *(StageInfo.of(cls) for cls in DETECTORS),
        *(StageInfo.of(cls) for cls in CORPUS_DETECTORS),
        StageInfo("apply", "Turns the detection stages' marks into removals, in one place; flags "
                  "documents that lose most of their words (rule safety_bound, a log note).",
                  settings=ApplySettings),
        StageInfo.of(Emit),
    ]
