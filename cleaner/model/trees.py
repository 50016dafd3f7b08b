"""Gradient-boosted trees evaluated with numpy: the line model's inference, no training library.

Training (``bench/train_model.py``, LightGBM) exports every tree as flat arrays: per node the
feature it splits on, the threshold (a row goes left when its value is at most the threshold),
its two children, and its value (the leaf value; for a split, the mean the training saw there).
A leaf is its own child, so walking every tree for every row is ``depth`` steps of array
indexing, whatever the shape of the trees.

>>> import numpy as np
>>> stump = Trees(feature=np.array([0, 0, 0]), threshold=np.array([0.5, 0.0, 0.0]),
...               left=np.array([1, 1, 2]), right=np.array([2, 1, 2]), value=np.array([0.0, -1.0, 2.0]),
...               roots=np.array([0]), depth=1)
>>> stump.raw(np.array([[0.0], [1.0]])).tolist()
[-1.0, 2.0]
>>> stump.contributions(np.array([[1.0]])).tolist()
[[2.0]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Trees:
    feature: np.ndarray    # int, per node (0 for leaves)
    threshold: np.ndarray  # float, per node
    left: np.ndarray       # int, per node (the node itself for leaves)
    right: np.ndarray      # int, per node (the node itself for leaves)
    value: np.ndarray      # float, per node
    roots: np.ndarray      # int, per tree
    depth: int             # the deepest leaf's depth

    def _walk(self, x: np.ndarray, record: np.ndarray | None = None) -> np.ndarray:
        n, width = x.shape
        flat = np.ascontiguousarray(x, dtype=np.float64).ravel()
        base = np.arange(n) * width  # where each row starts in ``flat``
        node = np.repeat(self.roots[:, None], n, axis=1)
        step = self.right - self.left
        for _ in range(self.depth):
            at = base + self.feature.take(node)
            right = flat.take(at) > self.threshold.take(node)
            nxt = self.left.take(node) + right * step.take(node)
            if record is not None:
                moved = self.value.take(nxt) - self.value.take(node)
                record += np.bincount(at.ravel(), weights=moved.ravel(), minlength=n * width).reshape(n, width)
            node = nxt
        return node

    def raw(self, x: np.ndarray) -> np.ndarray:
        """The ensemble's raw score (log-odds) per row of ``x``."""
        if x.shape[0] == 0:
            return np.zeros(0)
        return self.value.take(self._walk(x)).sum(axis=0)

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Per row and feature, how much the splits on that feature moved the score (the
        change of node value along each row's path, summed over trees)."""
        record = np.zeros(x.shape, dtype=np.float64)
        if x.shape[0]:
            self._walk(x, record)
        return record

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}{name}": getattr(self, name) for name in
                ("feature", "threshold", "left", "right", "value", "roots")} | {
                f"{prefix}depth": np.array(self.depth)}

    @classmethod
    def from_arrays(cls, arrays: Any, prefix: str) -> "Trees":
        def get(name: str) -> np.ndarray:
            return np.asarray(arrays[f"{prefix}{name}"])

        return cls(get("feature"), get("threshold"), get("left"), get("right"), get("value"), get("roots"),
                   int(arrays[f"{prefix}depth"]))

    @classmethod
    def from_lightgbm(cls, dump: dict[str, Any]) -> "Trees":
        """Flatten ``Booster.dump_model()`` (numeric splits, "<=" decisions)."""
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        roots: list[int] = []
        depth = 0

        def add(node: dict[str, Any], level: int) -> int:
            nonlocal depth
            index = len(feature)
            feature.append(0)
            threshold.append(0.0)
            left.append(index)
            right.append(index)
            if "leaf_value" in node:
                value.append(float(node["leaf_value"]))
                depth = max(depth, level)
                return index
            if node.get("decision_type", "<=") != "<=":
                raise ValueError(f"unsupported split {node.get('decision_type')}")
            value.append(float(node["internal_value"]))
            feature[index] = int(node["split_feature"])
            threshold[index] = float(node["threshold"])
            left[index] = add(node["left_child"], level + 1)
            right[index] = add(node["right_child"], level + 1)
            return index

        for tree in dump["tree_info"]:
            roots.append(add(tree["tree_structure"], 0))
        return cls(np.array(feature, dtype=np.int32), np.array(threshold), np.array(left, dtype=np.int32),
                   np.array(right, dtype=np.int32), np.array(value), np.array(roots, dtype=np.int32), depth)
