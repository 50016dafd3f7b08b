"""Rules as objects, typed settings, and the registry that config validation and `cleaner rules` read."""

from __future__ import annotations

import dataclasses
import importlib

import pytest

from cleaner.config import Config, ConfigError
from cleaner.registry import all_stages
from cleaner.settings import Settings, threshold
from cleaner.stages.base import Rule, Stage, rule
from cleaner.stages.blocks import Blocks, BlocksSettings


def test_every_rule_is_one_object_with_a_unique_id_and_a_description():
    rules = [each for stage in all_stages() for each in stage.rules]
    assert all(isinstance(each, Rule) for each in rules)
    ids = [each.id for each in rules]
    assert len(ids) == len(set(ids))
    assert all(each.description for each in rules)


def test_every_rule_object_in_a_stage_module_is_listed_by_its_stage():
    """A rule written but not listed would be neither switchable nor shown by `cleaner rules`."""
    listed = {each.id for stage in all_stages() for each in stage.rules}
    for stage in all_stages():
        if stage.cls is None:
            continue
        module = importlib.import_module(stage.cls.__module__)
        found = {value.id for value in vars(module).values() if isinstance(value, Rule)}
        assert found <= listed, found - listed


def test_a_rule_reading_an_unknown_setting_is_refused_when_its_stage_is_defined():
    @rule(thresholds=("max_wordz",))
    def short(words: int, max_words: int) -> bool:
        """A short line."""
        return words <= max_words

    with pytest.raises(TypeError, match="max_wordz"):
        type("Broken", (Stage,), {"name": "broken", "rules": (short,)})


def test_settings_are_typed_and_frozen():
    blocks = Blocks(Config.from_dict({"thresholds": {"blocks": {"good_words": 12, "good_stop": 1}}}))
    assert isinstance(blocks.t, BlocksSettings)
    assert (blocks.t.good_words, blocks.t.good_stop, blocks.t.short_words) == (12, 1.0, 5)
    assert isinstance(blocks.t.good_stop, float)  # a whole number given for a share
    with pytest.raises(dataclasses.FrozenInstanceError):
        blocks.t.good_words = 3  # type: ignore[misc]


@pytest.mark.parametrize("values, message", [
    ({"good_words": 10.5}, "blocks.good_words must be a whole number"),
    ({"good_words": "10"}, "blocks.good_words must be a number"),
    ({"good_words": True}, "blocks.good_words must be a number"),
    ({"good_stop": "high"}, "blocks.good_stop must be a number"),
    ({"good_wordz": 10}, "unknown threshold blocks.good_wordz"),
])
def test_config_values_are_checked_against_the_settings_types(values, message):
    with pytest.raises(ConfigError, match=message):
        Config.from_dict({"thresholds": {"blocks": values}})


def test_the_apply_share_is_one_setting():
    from cleaner import Pipeline

    text = "The council approved the budget on Tuesday after a long debate.\n\n0\n"  # one word in 12 goes
    assert "safety_bound" not in Pipeline().clean(text).meta
    config = Config.from_dict({"thresholds": {"apply": {"max_removed_share": 0.05}}})
    assert Pipeline(config).clean(text).meta["safety_bound"]["bound"] == 0.05


def test_settings_described_lists_default_type_and_description():
    @dataclasses.dataclass(frozen=True)
    class Example(Settings):
        words: int = threshold(3, "at most this many words")
        share: float = threshold(0.5, "at least this share")

    assert Example.described() == {"words": (3, int, "at most this many words"),
                                   "share": (0.5, float, "at least this share")}


def test_readme_layout_names_every_module_and_folder_of_the_package():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = root.joinpath("README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):]
    package = root / "cleaner"
    names = {p.name for p in package.iterdir() if p.suffix == ".py" and p.name not in ("__init__.py", "__main__.py")}
    names |= {p.name + "/" for p in package.iterdir() if p.is_dir() and not p.name.startswith("__")}
    missing = sorted(name for name in names if name not in layout)
    assert not missing, f"README's Layout section does not name {missing}"
