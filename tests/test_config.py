"""The configuration, built from Python as from a file: unknown names and bad values fail."""

from __future__ import annotations

import pytest

from cleaner import Config, ConfigError, Pipeline


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
