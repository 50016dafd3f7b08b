"""The configuration, built from Python as from a file: unknown names and bad values fail."""

from __future__ import annotations

import pytest

from cleaner import Config, ConfigError, Pipeline
from cleaner.registry import all_stages


@pytest.mark.parametrize("kwargs,message", [
    ({"rules": {"typo": False}}, "unknown rule in [rules]: 'typo'"),
    ({"stages": {"no_such_stage": False}}, "unknown stage in [stages]: 'no_such_stage'"),
    ({"rules": {"stray_counter": "no"}}, "[rules] stray_counter must be true or false"),
    ({"thresholds": {"chrome": {"max_wordz": 3}}}, "unknown threshold chrome.max_wordz"),
    ({"drop_patterns": ["(unclosed"]}, "bad pattern '(unclosed'"),
])
def test_a_config_built_in_python_is_checked(kwargs, message):
    with pytest.raises(ConfigError) as caught:
        Config(**kwargs)
    assert message in str(caught.value)


def test_a_good_config_built_in_python_works():
    config = Config(rules={"stray_counter": False}, thresholds={"chrome": {"max_words": 30}})
    assert Pipeline(config).clean("Hello world.\n\n0").text == "Hello world.\n\n0\n"
    assert Pipeline(Config()).clean("Hello world.\n\n0").text == "Hello world.\n"


FRACTIONS = [(stage.name, key, default) for stage in all_stages()
             for key, (default, kind, _help) in stage.settings.described().items() if kind in (float, float | None)]


@pytest.mark.parametrize("stage,key,default", FRACTIONS, ids=[f"{stage}.{key}" for stage, key, _ in FRACTIONS])
def test_every_fraction_threshold_is_from_0_to_1(stage, key, default):
    """A float threshold is a share or a probability: its default lies in [0, 1], and a value
    above 1 (a percentage, say) is refused; 0 and 1 are accepted."""
    assert default is None or 0 <= default <= 1
    with pytest.raises(ConfigError, match=rf"threshold {stage}\.{key} is a fraction, from 0 to 1 \(got 50\)"):
        Config(thresholds={stage: {key: 50}})
    for edge in (0, 1):
        Config(thresholds={stage: {key: edge}})


def test_the_fractions_include_the_template_share():
    assert ("templates", "min_share", 0.5) in FRACTIONS and len(FRACTIONS) >= 5
