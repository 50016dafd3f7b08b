"""Configuration: which stages and rules run, their thresholds, user patterns.

A config file is TOML::

    [stages]            # switch whole stages off
    dates = false

    [rules]             # switch single rules off (rule ids as listed by `cleaner rules`)
    stray_counter = false

    [thresholds.chrome] # change a stage's named thresholds
    max_words = 30

    [patterns]
    drop = ["^Sponsored content$"]   # lines matching these are dropped (rule user_drop_pattern)
    keep = ["newsletter archive"]    # lines matching these are never dropped

Unknown stage, rule or threshold names are errors, so a typo never silently does nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.registry import all_stages
from cleaner.settings import ConfigError

__all__ = ["Config", "ConfigError"]


@dataclass
class Config:
    stages: dict[str, bool] = field(default_factory=dict)
    rules: dict[str, bool] = field(default_factory=dict)
    thresholds: dict[str, dict[str, Any]] = field(default_factory=dict)
    drop_patterns: list[str] = field(default_factory=list)
    keep_patterns: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.validate()  # Config(rules={"typo": False}) fails as the same file would

    def stage_on(self, name: str) -> bool:
        return self.stages.get(name, True)

    def rule_on(self, name: str) -> bool:
        return self.rules.get(name, True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Config":
        known = {"stages", "rules", "thresholds", "patterns"}
        for section in known & set(data):
            if not isinstance(data[section], dict):
                raise ConfigError(f"[{section}] must be a table")
        for stage_name, values in data.get("thresholds", {}).items():
            if not isinstance(values, dict):
                raise ConfigError(f"[thresholds.{stage_name}] must be a table")
        for key, values in data.get("patterns", {}).items():
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ConfigError(f"[patterns] {key} must be a list of strings")
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown config section(s): {', '.join(sorted(unknown))}")
        patterns = data.get("patterns", {})
        bad = set(patterns) - {"drop", "keep"}
        if bad:
            raise ConfigError(f"unknown key(s) in [patterns]: {', '.join(sorted(bad))}")
        return cls(
            stages=dict(data.get("stages", {})),
            rules=dict(data.get("rules", {})),
            thresholds={k: dict(v) for k, v in data.get("thresholds", {}).items()},
            drop_patterns=list(patterns.get("drop", [])),
            keep_patterns=list(patterns.get("keep", [])),
        )

    @classmethod
    def load(cls, path: str | Path) -> "Config":
        try:
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
        except OSError as exc:
            raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config {path} is not valid TOML: {exc}") from exc
        except UnicodeDecodeError as exc:  # TOML is UTF-8
            raise ConfigError(f"config {path} is not UTF-8 (byte {exc.start}: {exc.object[exc.start:exc.start + 1]!r}); "
                              "save it as UTF-8") from exc
        return cls.from_dict(data)

    def validate(self) -> None:
        """Check every name against the registry of stages, rules and thresholds; raises
        :class:`ConfigError`.

        >>> Config(rules={"typo": False})
        Traceback (most recent call last):
        ...
        cleaner.settings.ConfigError: unknown rule in [rules]: 'typo'
        """
        if not (self.stages or self.rules or self.thresholds or self.drop_patterns or self.keep_patterns):
            return  # the defaults
        import regex

        stages = {stage.name: stage for stage in all_stages()}
        rule_ids = {rule.id for stage in stages.values() for rule in stage.rules}
        for name, value in self.stages.items():
            if name not in stages:
                raise ConfigError(f"unknown stage in [stages]: {name!r}")
            if stages[name].cls is None:
                raise ConfigError(f"stage {name!r} cannot be switched off")
            if not isinstance(value, bool):
                raise ConfigError(f"[stages] {name} must be true or false")
        for name, value in self.rules.items():
            if name not in rule_ids:
                raise ConfigError(f"unknown rule in [rules]: {name!r}")
            if not isinstance(value, bool):
                raise ConfigError(f"[rules] {name} must be true or false")
        for stage_name, values in self.thresholds.items():
            if stage_name not in stages:
                raise ConfigError(f"unknown stage in [thresholds]: {stage_name!r}")
            stages[stage_name].settings.checked(stage_name, values)
        for pattern in self.drop_patterns + self.keep_patterns:
            try:
                regex.compile(pattern)
            except regex.error as exc:
                raise ConfigError(f"bad pattern {pattern!r}: {exc}") from exc

    def fingerprint(self) -> str:
        """A stable hash of everything that changes the output (used by batch manifests)."""
        import hashlib
        import json

        blob = json.dumps(
            {
                "stages": self.stages,
                "rules": self.rules,
                "thresholds": self.thresholds,
                "drop": self.drop_patterns,
                "keep": self.keep_patterns,
            },
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:16]
