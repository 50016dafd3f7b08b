"""Gradient-boosted trees evaluated with numpy: the line model's inference, no training library.

Training (``bench/train_model.py``, LightGBM) exports every tree as flat arrays: per node the
feature it splits on, the threshold (a row goes left when its value is at most the threshold),
its two children, and its value (the leaf value; for a split, the mean the training saw there).
A leaf is its own child.

For inference the trees are laid out once more (:class:`_Layout`, built on first use), one set
of arrays per level of depth, every tree padded to a complete binary tree (a leaf above the
last level repeats under itself, under a threshold no value exceeds): position ``p`` of a level
has its children at ``2 * p`` and ``2 * p + 1`` of the next, so that a step is "twice the
position, plus one if the row goes right", with no table of children to read. Every tree then
walks for every row at once: ``depth`` steps of a few array gathers over a (trees x rows)
matrix of positions, whatever the shape of the trees. A position past the last level stands
for the leaf reached there: its value, and its path (the feature of every split above it and
how much the node value moved there), so that a row's score and contributions are read off
those positions directly. (The trees are at most 7 deep here: 128 positions a tree.) On a
long page the trees walk a few at a time (:data:`BLOCK` elements of that matrix at most), so
that the walk's temporaries stay small.

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

from dataclasses import dataclass, field
from typing import Any

import numpy as np

# The most elements of the (trees x rows) matrix walked at once. The walk's temporaries
# (positions, indices, values and thresholds: 8 bytes an element each) of a page of a
# thousand lines and more fall out of the processor's caches at every level; a few trees at a
# time, such a page walks about a tenth quicker in CPU time (much the same between 48 K and
# 192 K elements; below 32 K the calls' own cost takes it back).
BLOCK = 65536


@dataclass(frozen=True)
class _Layout:
    """The trees re-laid for the walk (see the module docstring)."""

    # Per level k, for each of its trees x 2**k positions (tree t's at t * 2**k ...): the
    # feature and threshold of the node there (0 and +inf for a leaf: every row goes "left").
    level_feature: tuple[np.ndarray, ...]
    level_threshold: tuple[np.ndarray, ...]
    # Per position past the last level (trees x 2**depth), for the leaf reached there:
    value: np.ndarray         # float, its value
    path_feature: np.ndarray  # intp, per level of its path: the feature split on there
    path_moved: np.ndarray    # float, per level of its path: how far the value moved (0 past the path)

    @classmethod
    def of(cls, trees: "Trees") -> "_Layout":
        # Every tree's nodes breadth first, the two children of a split side by side, so
        # that the nodes of one level of all trees can be handled at once below.
        left, right = trees.left.tolist(), trees.right.tolist()
        old: list[int] = []        # layout node -> file node
        child: list[int] = []      # layout node -> its left child (the right one next to it); a leaf itself
        parent: list[int] = []     # layout node -> its parent (-1 for a root)
        roots = []
        for root in trees.roots.tolist():
            roots.append(len(old))
            old.append(root)
            child.append(-1)
            parent.append(-1)
            at = roots[-1]
            while at < len(old):  # breadth first through this tree
                node = old[at]
                if left[node] == node:
                    child[at] = at
                else:
                    child[at] = len(old)
                    old += [left[node], right[node]]
                    child += [-1, -1]
                    parent += [at, at]
                at += 1
        old_index = np.array(old, dtype=np.intp)
        leaf = np.array(child) == np.arange(len(old))
        feature = np.where(leaf, 0, trees.feature[old_index]).astype(np.intp)
        threshold = np.where(leaf, np.inf, trees.threshold[old_index])
        value = trees.value[old_index].astype(np.float64)
        # The path of every node, from the node up to its root (the order of the levels
        # does not matter for a sum): the split above it and the move of the value there,
        # level by level for every node at once.
        depth = max(trees.depth, 1)
        path_feature = np.zeros((len(old), depth), dtype=np.intp)
        path_moved = np.zeros((len(old), depth))
        up_of = np.array(parent, dtype=np.intp)
        below = np.arange(len(old))  # the node on each node's path at this level
        for level in range(depth):
            has = up_of[below] >= 0
            up = np.where(has, up_of[below], below)
            path_feature[:, level] = np.where(has, feature[up], 0)
            path_moved[:, level] = np.where(has, value[below] - value[up], 0.0)
            below = up
        # The levels: the node at each position, from the roots down; a node's children at
        # twice its position and the one after, a leaf at both.
        level_feature, level_threshold = [], []
        nodes = np.array(roots, dtype=np.intp)
        children = np.array(child, dtype=np.intp)
        for _ in range(depth):
            level_feature.append(feature[nodes])
            level_threshold.append(threshold[nodes])
            first = children[nodes]
            nodes = np.stack([first, first + ~leaf[nodes]], axis=1).ravel()
        return cls(tuple(level_feature), tuple(level_threshold), value[nodes], path_feature[nodes], path_moved[nodes])


def _walk(layout: _Layout, by_feature: np.ndarray, position: np.ndarray, first: int) -> None:
    """Walk trees ``first`` to ``first + len(position)`` for every row (the columns of
    ``by_feature``), leaving in ``position`` (one row a tree) the position each reaches."""
    n = by_feature.shape[1]
    last = first + len(position)
    features, thresholds = layout.level_feature, layout.level_threshold
    # Every row starts at the root: the first step compares whole rows of features.
    np.add((np.arange(first, last) * 2)[:, None],
           by_feature[features[0][first:last]] > thresholds[0][first:last, None], out=position)
    flat = by_feature.ravel()
    rows = np.arange(n)
    # (The gathers' indices are in range by construction: mode="wrap" skips numpy's
    # bounds check, a few instructions an element of the (trees x rows) matrix.)
    for feature, threshold in zip(features[1:], thresholds[1:]):
        at = (feature * n).take(position, mode="wrap")
        at += rows
        right = flat.take(at, mode="wrap") > threshold.take(position, mode="wrap")
        position <<= 1
        position += right


@dataclass(frozen=True)
class Trees:
    feature: np.ndarray    # int, per node (0 for leaves)
    threshold: np.ndarray  # float, per node
    left: np.ndarray       # int, per node (the node itself for leaves)
    right: np.ndarray      # int, per node (the node itself for leaves)
    value: np.ndarray      # float, per node
    roots: np.ndarray      # int, per tree
    depth: int             # the deepest leaf's depth
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def _layout(self) -> _Layout:
        layout = self._cache.get("layout")
        if layout is None:
            layout = self._cache["layout"] = _Layout.of(self)
        return layout

    def leaves(self, x: np.ndarray) -> np.ndarray:
        """The leaf each row of ``x`` reaches in each tree: (trees x rows), as the position
        past the walk's last level (what :meth:`raw_of` and :meth:`contributions_of` read)."""
        layout = self._layout
        n = x.shape[0]
        # One row per feature: the value of feature f for row r sits at f * n + r (no copy
        # when ``x`` is column-major, as the feature builders make it).
        by_feature = np.ascontiguousarray(x.T, dtype=np.float64)
        position = np.empty((len(self.roots), n), dtype=np.intp)
        step = max(1, BLOCK // max(n, 1))
        for first in range(0, len(position), step):
            _walk(layout, by_feature, position[first:first + step], first)
        return position

    def raw_of(self, leaves: np.ndarray) -> np.ndarray:
        """The ensemble's raw score per row, from :meth:`leaves`."""
        return self._layout.value.take(leaves, mode="wrap").sum(axis=0)  # (in range: see leaves)

    def contributions_of(self, leaves: np.ndarray, width: int) -> np.ndarray:
        """:meth:`contributions` from :meth:`leaves` (``width``: the number of features)."""
        layout = self._layout
        n = leaves.shape[1]
        at = layout.path_feature.take(leaves, axis=0)
        at += (np.arange(n) * width)[None, :, None]
        moved = layout.path_moved.take(leaves, axis=0)
        return np.bincount(at.ravel(), weights=moved.ravel(), minlength=n * width).reshape(n, width)

    def raw(self, x: np.ndarray) -> np.ndarray:
        """The ensemble's raw score (log-odds) per row of ``x``."""
        if x.shape[0] == 0:
            return np.zeros(0)
        return self.raw_of(self.leaves(x))

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Per row and feature, how much the splits on that feature moved the score (the
        change of node value along each row's path, summed over trees)."""
        if x.shape[0] == 0:
            return np.zeros(x.shape, dtype=np.float64)
        return self.contributions_of(self.leaves(x), x.shape[1])
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
