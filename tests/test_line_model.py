"""The learned line model: labels, features, tree inference, the stage and its switches."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config, Pipeline, clean, restore
from cleaner.model.features import FEATURES, INDEX, SECOND_PASS, _window_mean, line_features, score_features
from cleaner.model.labels import CHROME, CONTENT, UNKNOWN, align
from cleaner.model.line_model import MODEL_FILE, LineModel, ModelError, default_model, page_cut
from cleaner.model.trees import Trees
from cleaner.segment import Segments

# Two unrelated page dumps: site menus, a cookie line, teasers and a footer around an article.
NEWS_DUMP = """Home
News
Sport
Weather
Business
Log in

Harbour reopens after two years of repairs

The city's old harbour reopened on Monday after two years of repairs that cost far more than planned.
Fishing boats returned to the inner basin in the morning, and the ferry to the islands resumed its timetable at noon.
Officials said the new sea wall should protect the quay from winter storms for the next fifty years.
Local traders, who had complained about lost business during the works, welcomed the reopening with a small market on the quay.

Related
Council approves budget
Storm warning for the coast
Most read
Privacy policy
Terms of use
© 2024 Coastal News Ltd
"""

RECIPE_DUMP = """Skip to content
Recipes
Baking
Dinner
Subscribe
Search

How to bake a simple rye bread

Rye bread keeps for days and needs little kneading, which makes it a good first loaf for anyone new to baking.
Mix the flour, water, salt and starter in a large bowl until no dry flour remains, then cover it and leave it overnight.
In the morning, shape the dough on a floured board, put it into a greased tin and let it rise for about two hours.
Bake it at two hundred degrees for fifty minutes, then let it cool completely before you cut the first slice.

You may also like
Quick flatbreads
Sourdough starter guide
About us
Contact
Cookie settings
"""

PROSE = ("The harbour reopened on Monday after two years of repairs.\n\n"
         "Fishing boats returned to the inner basin in the morning.\n\n"
         "Officials said the new sea wall should protect the quay from winter storms.\n")


# ------------------------------------------------------------------------- labels

@pytest.mark.parametrize("lines, gold, expected", [
    # a long line is content when half its tokens sit in runs of three the gold text has
    (["The harbour reopened on Monday after repairs."], "The harbour reopened on Monday after repairs.", [CONTENT]),
    (["Share this article with your friends today"], "The harbour reopened on Monday.", [CHROME]),
    # a short line: content as a whole gold line, or inside the article's text
    (["Harbour reopens", "The harbour reopened on Monday after repairs."],
     "Harbour reopens\n\nThe harbour reopened on Monday after repairs.", [CONTENT, CONTENT]),
    (["Home", "The harbour reopened on Monday after repairs."],
     "Home is where the harbour reopened on Monday after repairs.", [CHROME, CONTENT]),
    (["---"], "Anything at all here.", [UNKNOWN]),
])
def test_align_with_gold(lines, gold, expected):
    assert align(lines, gold) == expected


def test_without_surplus_the_copy_of_a_paragraph_among_chrome_is_chrome():
    # the gold text holds the paragraph once: its copy among chrome lines (a teaser in a menu)
    # goes, even where it comes first; the line model's labels keep both
    lines = ["Fishing boats returned to the inner basin in the morning.", "Home", "Sport", "Weather",
             "The harbour reopened on Monday after two years of repairs.",
             "Fishing boats returned to the inner basin in the morning.", "Officials said the new sea wall would hold."]
    gold = "\n\n".join(lines[4:])
    assert align(lines, gold, surplus=False) == [CHROME, CHROME, CHROME, CHROME, CONTENT, CONTENT, CONTENT]
    assert align(lines, gold) == [CONTENT, CHROME, CHROME, CHROME, CONTENT, CONTENT, CONTENT]


def test_without_surplus_the_copies_the_gold_text_holds_stay_content():
    lines = ["Fishing boats returned to the inner basin.", "Home", "Fishing boats returned to the inner basin."]
    gold = "Fishing boats returned to the inner basin.\n\nFishing boats returned to the inner basin."
    assert align(lines, gold, surplus=False) == [CONTENT, CHROME, CONTENT]


def test_align_with_snippets_labels_only_covered_lines():
    labels = align(["Read more: another story about taxes", "The debt rose by six percent last year.", "Menu"],
                   snippets_with=["debt rose by six percent"], snippets_without=["Read more: another story"])
    assert labels == [CHROME, CONTENT, UNKNOWN]


# ----------------------------------------------------------------------- features

def test_features_one_row_per_content_line_and_finite():
    seg = Segments(NEWS_DUMP)
    x = line_features(seg, [])
    assert x.shape == (len(seg.content), len(FEATURES))
    assert np.isfinite(x).all()
    assert len(set(FEATURES)) == len(FEATURES)


def test_window_mean_is_the_mean_over_neighbours_cut_at_the_edges():
    values = np.array([[1.0], [2.0], [3.0], [4.0]])
    assert _window_mean(values, 1)[:, 0].tolist() == [1.5, 2.0, 3.0, 3.5]
    # the same on a long page (whose window bounds are not kept) and again on a short one
    for n in (1500, 7, 7):
        values = np.random.default_rng(n).random((n, 2))
        plain = [values[max(i - 3, 0):i + 4].mean(axis=0) for i in range(n)]
        assert np.allclose(_window_mean(values, 3), plain, rtol=0, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60), st.lists(st.integers(0, 25), min_size=1, max_size=6, unique=True))
def test_window_means_of_several_widths_are_each_widths_plain_mean(n, widths):
    """Several widths at once, from one padded cumulative sum: each width's means are the
    plain means over the positions i-w .. i+w cut at the edges, over windows of the size
    :func:`_window_sizes` gives."""
    from cleaner.model.features import _row_window_means, _window_sizes

    rows = np.random.default_rng(n).random((3, n))
    sizes = _window_sizes(n, tuple(widths)).reshape(len(widths), n)
    for w, means, size in zip(widths, _row_window_means(rows, widths), sizes):
        assert size.tolist() == [min(i + w, n - 1) - max(i - w, 0) + 1 for i in range(n)]
        plain = np.array([[row[max(i - w, 0):i + w + 1].mean() for i in range(n)] for row in rows])
        assert np.allclose(means, plain, rtol=0, atol=1e-12)


def test_features_see_the_rules_marks():
    pipeline = Pipeline()
    from cleaner.document import Document

    doc = Document("The harbour reopened on Monday after two years of repairs.\nFollow us on Facebook\nMore text here for the reader today.")
    segments, marks = pipeline.detect(doc, upto="line_model")
    x = line_features(segments, marks)
    assert x[1, INDEX["rule_chrome"]] == 1.0
    assert x[0, INDEX["rule_chrome"]] == 0.0


def test_features_do_not_need_a_stoplist():
    # Swahili has no stoplist here: prose still differs from menus by its own shape.
    text = ("Nyumbani\nHabari\nMichezo\n\n"
            "Bandari ya zamani ya jiji ilifunguliwa tena Jumatatu baada ya miaka miwili ya ukarabati mkubwa.\n")
    x = line_features(Segments(text), [])
    assert x[3, INDEX["log_words"]] > x[0, INDEX["log_words"]]
    assert x[3, INDEX["ends_sentence"]] == 1.0
    assert (x[:, INDEX["stopwords"]] == 0).all()


def _word_facts_line_by_line(tokens: list[list[str]], stop: frozenset[str]) -> list[list[float]]:
    """Short words, stopwords and the overlap with the first line's words, one line at a time."""
    strip = ".,;:!?\"'()[]{}«»„“”‘’–—-*•·|/"
    first = set(tokens[0])
    out = []
    for i, toks in enumerate(tokens):
        bare = [w.strip(strip) for w in toks]
        both = first | set(toks)
        like = len(first & set(toks)) / len(both) if i and first and toks else 0.0
        out.append([sum(len(w) <= 3 for w in bare), sum(w in stop for w in bare), like])
    return out


def test_word_facts_count_per_line_as_one_line_at_a_time():
    from cleaner.lines import Lines
    from cleaner.model.features import _word_facts

    stop = frozenset({"the", "of", "a", "on", "after"})
    for text in (NEWS_DUMP, RECIPE_DUMP, "«The» harbour, (the) «harbour»\n— the — —\nharbour; the\n...\n港が再開\nthe",
                 "one\n"):
        tokens = Lines.of(Segments(text)).tokens
        assert np.column_stack(_word_facts(tokens, stop)[:3]).tolist() == _word_facts_line_by_line(tokens, stop)


def test_window_and_neighbour_features_read_the_lines_around_as_written():
    # Each windowed and neighbour column against a plain reading of the line's own column.
    from cleaner.model.features import _NEIGHBOURS, _STEPS, _WINDOWED, _WINDOWS

    for text in (NEWS_DUMP, RECIPE_DUMP, "One line only."):
        x = line_features(Segments(text), [])
        n = len(x)
        for name in _WINDOWED:
            own = x[:, INDEX[name]]
            for w in _WINDOWS:
                plain = [own[max(i - w, 0):i + w + 1].mean() for i in range(n)]
                assert np.allclose(x[:, INDEX[f"{name}_w{w}"]], plain, rtol=0, atol=1e-12), (name, w)
        for name in _NEIGHBOURS:
            own = x[:, INDEX[name]].tolist()
            for s in _STEPS:
                plain = [own[i + s] if 0 <= i + s < n else 0.0 for i in range(n)]
                assert x[:, INDEX[f"{name}_{'p' if s < 0 else 'n'}{abs(s)}"]].tolist() == plain, (name, s)


def test_score_features_read_the_scores_around_each_line_as_written():
    from cleaner.model.features import _CARRIED, _SCORE_WINDOWS, _STEPS

    x = line_features(Segments(NEWS_DUMP), [])
    n = len(x)
    scores = np.random.default_rng(3).random(n)
    scores[4] = scores[5]  # a tie
    x2 = score_features(scores, x)
    column = {name: x2[:, j] for j, name in enumerate(SECOND_PASS)}
    s = scores.tolist()
    assert column["score"].tolist() == s
    for w in _SCORE_WINDOWS:
        assert np.allclose(column[f"score_w{w}"], [np.mean(s[max(i - w, 0):i + w + 1]) for i in range(n)], rtol=0, atol=1e-12)
    for step in _STEPS:
        assert column[f"score_{'p' if step < 0 else 'n'}{abs(step)}"].tolist() == [
            s[i + step] if 0 <= i + step < n else 0.0 for i in range(n)]
    assert column["score_min_w2"].tolist() == [min(s[max(i - 2, 0):i + 3]) for i in range(n)]
    assert column["score_max_w2"].tolist() == [max(s[max(i - 2, 0):i + 3]) for i in range(n)]
    assert column["page_score"].tolist() == [float(np.mean(scores))] * n
    assert column["page_kept"].tolist() == [sum(v >= 0.5 for v in s) / n] * n
    assert column["score_to_page"].tolist() == (scores - np.mean(scores)).tolist()
    assert column["score_rank"].tolist() == (np.argsort(np.argsort(scores)) / (n - 1)).tolist()
    for name in _CARRIED:
        assert column[name].tolist() == x[:, INDEX[name]].tolist()
    assert score_features(scores[:1], x[:1]).shape == (1, len(SECOND_PASS))


def _rule_hits_span_by_span(segments: Segments, marks) -> np.ndarray:
    from cleaner.model.features import RULE_STAGES

    hits = np.zeros((len(segments.content), len(RULE_STAGES)))
    for span in marks:
        if span.stage in RULE_STAGES:
            for i, line in enumerate(segments.content):
                overlap = min(line.end, span.end) - max(line.start, span.start)
                if overlap > 0:
                    j = RULE_STAGES.index(span.stage)
                    hits[i, j] = min(1.0, hits[i, j] + overlap / max(line.end - line.start, 1))
    return hits


def test_rule_hits_are_the_share_of_each_line_the_marks_cover():
    from cleaner.document import Span
    from cleaner.model.features import RULE_STAGES, _rule_hits

    segments = Segments(NEWS_DUMP)
    content = segments.content
    marks = [Span(content[0].start, content[2].end, "chrome", "x"),          # three lines whole
             Span(content[3].start + 2, content[3].end - 1, "dates", "x"),   # inside one line
             Span(content[3].start, content[3].start + 4, "dates", "x"),     # the same line again
             Span(content[3].start, content[3].end, "dates", "x"),           # and once more: capped at 1
             Span(content[5].end, content[6].start, "tails", "x"),           # only the line break between
             Span(content[6].end - 3, content[8].start + 5, "residue", "x"),  # across a blank line
             Span(0, len(NEWS_DUMP), "normalise", "x"),                      # a stage that is no feature
             Span(content[-1].start, len(NEWS_DUMP), "fragments", "x")]      # past the last line
    expected = _rule_hits_span_by_span(segments, marks)
    assert np.array_equal(_rule_hits(segments, marks), expected)
    assert expected[:3, RULE_STAGES.index("chrome")].tolist() == [1.0, 1.0, 1.0]
    assert expected[3, RULE_STAGES.index("dates")] == 1.0
    assert (expected[:, RULE_STAGES.index("tails")] == 0).all()
    assert np.array_equal(_rule_hits(segments, []), np.zeros_like(expected))


def test_score_features_shape():
    x = line_features(Segments(NEWS_DUMP), [])
    scores = np.linspace(0, 1, x.shape[0])
    assert score_features(scores, x).shape == (x.shape[0], len(SECOND_PASS))


# -------------------------------------------------------------------------- trees

def test_numpy_trees_match_lightgbm():
    lgb = pytest.importorskip("lightgbm")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(500, 6))
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(int)
    booster = lgb.train({"objective": "binary", "num_leaves": 15, "verbose": -1}, lgb.Dataset(x, y), 30)
    trees = Trees.from_lightgbm(booster.dump_model())
    assert np.allclose(trees.raw(x), booster.predict(x, raw_score=True))
    # the contributions add up to the score, less the trees' root values
    contrib = trees.contributions(x[:20])
    assert np.allclose(contrib.sum(axis=1) + trees.value[trees.roots].sum(), booster.predict(x[:20], raw_score=True))


def _walk_one_by_one(trees: Trees, row: np.ndarray) -> tuple[float, np.ndarray]:
    """The plain reading of the file's arrays: each tree from its root to a leaf, one node at a
    time; the score, and how far the node value moved at the splits on each feature."""
    score, moved = 0.0, np.zeros(len(row))
    for node in trees.roots.tolist():
        while trees.left[node] != node:
            nxt = trees.right[node] if row[trees.feature[node]] > trees.threshold[node] else trees.left[node]
            moved[trees.feature[node]] += trees.value[nxt] - trees.value[node]
            node = nxt
        score += trees.value[node]
    return score, moved


def test_the_vectorised_walk_reads_the_trees_as_written():
    model = default_model()
    x = np.vstack([line_features(Segments(NEWS_DUMP), []), line_features(Segments(RECIPE_DUMP), [])])
    # values on the thresholds themselves, and missing ones, go the way the file says
    edge = x[:3].copy()
    for j in range(x.shape[1]):
        at = model.first.threshold[(model.first.feature == j) & (model.first.left != np.arange(len(model.first.left)))]
        if len(at):
            edge[0, j] = at[0]
    edge[1, ::3] = np.nan
    x = np.vstack([x, edge])
    for trees, rows in ((model.first, x), (model.second, score_features(model.first_scores(x), x))):
        expected = [_walk_one_by_one(trees, row) for row in rows]
        assert np.allclose(trees.raw(rows), [score for score, _ in expected], rtol=0, atol=1e-9)
        assert np.allclose(trees.contributions(rows), [moved for _, moved in expected], rtol=0, atol=1e-9)
    assert Trees.from_arrays(model.first.arrays("a_"), "a_").raw(x[:0]).shape == (0,)


@pytest.mark.parametrize("block", [1, 7, 150 * 40, 10**9])
def test_a_long_page_walks_the_trees_a_few_at_a_time_to_the_same_leaves(monkeypatch, block):
    import cleaner.model.trees as trees_module

    model = default_model()
    rng = np.random.default_rng(1)
    x = np.vstack([line_features(Segments(NEWS_DUMP), []), line_features(Segments(RECIPE_DUMP), [])])
    x = x[rng.integers(0, len(x), 300)]
    x[rng.random(x.shape) < 0.05] = np.nan
    x[rng.random(x.shape) < 0.02] = np.inf
    x[rng.random(x.shape) < 0.02] = -np.inf
    x = np.asfortranarray(x)
    expected = np.array([_walk_one_by_one(model.first, row)[0] for row in x[:40]])
    whole = model.first.leaves(x)
    monkeypatch.setattr(trees_module, "BLOCK", block)
    blocked = model.first.leaves(x)
    assert blocked.dtype == np.intp and blocked.shape == (len(model.first.roots), len(x))
    assert np.array_equal(blocked, whole)
    assert np.allclose(model.first.raw_of(blocked[:, :40]), expected, rtol=0, atol=1e-9)
    assert model.first.leaves(x[:0]).shape == (len(model.first.roots), 0)


def test_model_file_round_trip(tmp_path):
    model = default_model()
    path = tmp_path / "m.npz"
    model.save(path)
    again = LineModel.load(path)
    x = line_features(Segments(RECIPE_DUMP), [])
    assert np.allclose(again.scores(x), model.scores(x))
    assert again.threshold == model.threshold


def test_a_model_of_other_features_is_refused(tmp_path):
    path = tmp_path / "old.npz"
    with np.load(MODEL_FILE) as arrays:
        data = dict(arrays)
    data["features"] = np.array(["something", "else"])
    np.savez(path, **data)
    with pytest.raises(ModelError, match="other features"):
        LineModel.load(path)
    with pytest.raises(ModelError, match="cannot read"):
        LineModel.load(tmp_path / "missing.npz")


def _rises_with(trees: Trees, width: int, columns: list[int]) -> bool:
    """Whether the trees' raw score never falls as any one of ``columns`` rises, all else held,
    on rows drawn around the values the features take."""
    rows = np.random.default_rng(0).uniform(-0.5, 3.0, (200, width))
    grid = np.linspace(-0.5, 3.0, 15)
    for j in columns:
        x = np.repeat(rows, len(grid), axis=0)
        x[:, j] = np.tile(grid, len(rows))
        if (np.diff(trees.raw(x).reshape(len(rows), len(grid)), axis=1) < -1e-9).any():
            return False
    return True


def test_the_shipped_second_pass_only_rises_with_the_first_scores_around_a_line():
    """Trained with monotone constraints (bench/train_model.py ``rising``): a line whose
    neighbours the first pass scored higher is never scored lower for it; the other columns are
    free (a line's length, its place on the page, its rank among the page's scores)."""
    model = default_model()
    assert {"score", "score_w1", "score_p1", "score_n1"} <= set(LineModel.RISING_SECOND)
    assert not {"score_rank", "score_to_page", "page_score"} & set(LineModel.RISING_SECOND)
    rising = [SECOND_PASS.index(n) for n in LineModel.RISING_SECOND]
    assert _rises_with(model.second, len(SECOND_PASS), rising)
    free = [SECOND_PASS.index(n) for n in ("score_rank", "log_words", "pos_start", "pos_end")]
    assert not _rises_with(model.second, len(SECOND_PASS), free)


def test_the_training_asks_for_the_rising_columns_by_name():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from train_model import rising

    params = rising(("a", "b", "c"), ("b",))
    assert params["monotone_constraints"] == [0, 1, 0]
    assert set(LineModel.RISING_SECOND) <= set(LineModel.SECOND)


# -------------------------------------------------------------------------- stage

@pytest.mark.parametrize("dump, article, chrome", [
    (NEWS_DUMP, "Fishing boats returned to the inner basin", ["Privacy policy", "Log in", "Council approves budget"]),
    (RECIPE_DUMP, "Mix the flour, water, salt and starter", ["Skip to content", "Cookie settings", "Quick flatbreads"]),
])
def test_the_model_keeps_the_article_and_drops_the_chrome(dump, article, chrome):
    result = clean(dump)
    assert article in result.text
    for line in chrome:
        assert line not in result.text.splitlines()
    assert restore(result.text, result.edits) == result.decoded
    model_edits = [e for e in result.edits if e.rule == "line_model"]
    assert model_edits
    detail = model_edits[0].detail
    assert 0.0 <= detail["score"] < detail["threshold"]
    assert detail["features"] and all(name in FEATURES for name in detail["features"])


def test_the_reasons_are_worked_out_only_when_read(monkeypatch):
    import json

    calls = []
    reasons = LineModel.reasons
    monkeypatch.setattr(LineModel, "reasons", lambda self, *a, **k: calls.append(1) or reasons(self, *a, **k))
    result = clean(NEWS_DUMP)
    model_edits = [e for e in result.edits if e.rule == "line_model"]
    assert len(model_edits) > 1 and calls == []
    records = [r for r in json.loads(json.dumps(result.records())) if r["rule"] == "line_model"]
    assert calls == [1]  # once for the whole page
    assert all(list(r["detail"])[:3] == ["score", "threshold", "features"] for r in records)
    assert all(set(r["detail"]) <= {"score", "threshold", "features", "chrome_words"} for r in records)
    assert [r["detail"] for r in records] == [e.detail for e in model_edits]
    assert all(r["detail"]["features"] for r in records)


def test_lines_marked_whole_before_the_model_are_found_from_the_marks():
    from cleaner.document import Span
    from cleaner.stages.line_model import _fully_marked

    segments = Segments(NEWS_DUMP)
    content = segments.content
    marks = [Span(content[0].start, content[0].end, "chrome", "x"),          # one line whole
             Span(content[2].start, content[4].end, "chrome", "x"),          # from a line's start on
             Span(content[5].start, content[5].end - 1, "dates", "x"),       # all but its last character
             Span(content[6].start + 1, content[6].end, "tails", "x"),       # all but its first
             Span(content[7].start, len(NEWS_DUMP), "tails", "x"),           # to the end of the text
             Span(content[7].start, content[7].end, "residue", "x"),         # the same line again
             Span(content[-1].end, len(NEWS_DUMP), "tails", "x")]            # past the last line
    plain = sorted({i for i, line in enumerate(content) for m in marks if m.start == line.start and m.end >= line.end})
    assert sorted(_fully_marked(segments, marks)) == plain == [0, 2, 7]
    assert not _fully_marked(segments, [])


def test_prose_is_left_alone():
    assert clean(PROSE).text == PROSE


def _count(result) -> int:
    return sum(e.rule == "line_model" for e in result.edits)


def test_threshold_moves_the_decision():
    keep_all = clean(NEWS_DUMP, config=Config(thresholds={"line_model": {"threshold": 0.0}}))
    assert not [e for e in keep_all.edits if e.rule == "line_model"]
    drop_more = clean(NEWS_DUMP, config=Config(thresholds={"line_model": {"threshold": 0.99}}))
    default = clean(NEWS_DUMP)
    assert _count(drop_more) > _count(default)


def _expected_f1(scores, words, cut) -> float:
    """The expected word F1 of keeping the lines scored at or over ``cut``, summed plainly."""
    words = [max(w, 1.0) for w in words]
    kept = sum(p * w for p, w in zip(scores, words) if p >= cut)
    return 2 * kept / (sum(w for p, w in zip(scores, words) if p >= cut) + sum(p * w for p, w in zip(scores, words)))


@pytest.mark.parametrize("seed", range(20))
def test_the_page_cut_is_the_best_of_every_possible_cut(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    scores = rng.choice([0.05, 0.3, 0.5, 0.9], n) if seed % 4 == 0 else rng.random(n)  # ties too
    scores = np.round(scores, 3)
    words = rng.integers(0, 60, n).astype(float)
    cut = page_cut(scores, words)
    assert cut in scores
    best = max(_expected_f1(scores, words, c) for c in set(scores.tolist()))
    assert _expected_f1(scores, words, cut) == pytest.approx(best)


def _cuts(result) -> set[float]:
    return {e.detail["threshold"] for e in result.edits if e.rule == "line_model"}


def test_a_page_of_some_length_is_cut_at_its_own_score():
    from cleaner.document import Document

    model = default_model()
    segments, marks = Pipeline().detect(Document(NEWS_DUMP), upto="line_model")
    x = line_features(segments, marks, model.lexicon)
    words = np.expm1(x[:, INDEX["log_words"]])
    assert words.sum() < 200  # a short page: the model's threshold
    assert _cuts(clean(NEWS_DUMP)) == {round(model.threshold, 3)}
    own = round(page_cut(model.scores(x), words), 3)
    assert own != round(model.threshold, 3)
    per_page = clean(NEWS_DUMP, config=Config(thresholds={"line_model": {"page_words": 0}}))
    assert _cuts(per_page) == {own}
    assert all(e.detail["score"] < own for e in per_page.edits if e.rule == "line_model")
    # a threshold in the config is the cut on every page
    fixed = clean(NEWS_DUMP, config=Config(thresholds={"line_model": {"threshold": 0.6, "page_words": 0}}))
    assert _cuts(fixed) == {0.6}


def test_model_off_runs_the_blocks_rules_instead():
    on = Pipeline()
    off = Pipeline(Config(stages={"line_model": False}))
    assert "line_model" in [s.name for s in on.detectors] and "blocks" not in [s.name for s in on.detectors]
    assert "blocks" in [s.name for s in off.detectors] and "line_model" not in [s.name for s in off.detectors]
    result = off.clean(NEWS_DUMP)
    assert not [e for e in result.edits if e.rule == "line_model"]
    assert [e for e in result.edits if e.stage == "blocks"]


def test_rule_switch_turns_the_model_off_without_blocks():
    result = clean(NEWS_DUMP, config=Config(rules={"line_model": False}))
    assert not [e for e in result.edits if e.rule == "line_model" or e.stage == "blocks"]


def test_bad_threshold_is_a_config_error():
    from cleaner.config import ConfigError

    with pytest.raises(ConfigError):
        Config.from_dict({"thresholds": {"line_model": {"threshold": "high"}}})


def test_training_seed_sets_the_sampling():
    pytest.importorskip("lightgbm")
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_model

    args = train_model.arguments(None, Path("m.npz")).parse_args(["--seed", "3", "--hold-out-tuning"])
    assert (args.seed, args.hold_out_tuning) == (3, True)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 6))
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(int)
    w = np.ones(len(y))
    params = {**train_model.FIRST, "min_data_in_leaf": 5}

    def fitted(seed: int) -> np.ndarray:
        train_model.use_seed(seed)
        return train_model._fit(x, y, w, params, 20).predict(x)

    try:
        first, again, other = fitted(7), fitted(7), fitted(8)
    finally:
        train_model.use_seed(train_model.FIRST["seed"])
    assert np.array_equal(first, again)
    assert not np.allclose(first, other)  # rows and features are sampled (bagging, feature_fraction)


def test_training_without_its_extra_stops_at_once_with_what_to_install(monkeypatch):
    import importlib.util
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_model

    def no_lightgbm(name, *args):
        return None if name == "lightgbm" else find_spec(name, *args)

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", no_lightgbm)
    monkeypatch.setattr(train_model._sets, "load_set", lambda *a, **k: pytest.fail("read the data first"))
    with pytest.raises(SystemExit, match=r"training needs lightgbm, .*pip install -e '\.\[train\]'"):
        train_model.main(["--no-report", "--out", "unused.npz"])


def test_a_training_on_a_share_of_the_pages_reads_only_those(monkeypatch, tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_model

    pages = [train_model._sets.SetPage("wcxb-dev", f"wcxb-dev-{i:04d}", "", "<p>x</p>", "x") for i in range(400)]
    monkeypatch.setattr(train_model._sets, "load_set", lambda name, parts: pages if name == "wcxb-dev" else [])
    monkeypatch.setattr(train_model, "check_requirements", lambda: None)
    monkeypatch.setattr(train_model, "use_seed", lambda seed: None)  # the training's seed stays as it was
    built: list[list[str]] = []

    def build(chosen, workers, log):
        built.append([p.id for p in chosen])
        raise SystemExit(0)  # the rows are all this test reads

    with pytest.raises(SystemExit):
        train_model.run(["--share", "0.25", "--seed", "9", "--out", str(tmp_path / "m.npz")], None,
                        tmp_path / "m.npz", build, None, [])
    assert 60 < len(built[0]) < 140
    assert built[0] == [p.id for p in pages if train_model._sets.in_share(p.id, 0.25, 9)]
    for share in ("0", "1.5"):
        with pytest.raises(SystemExit, match="give a share of the training pages above 0"):
            train_model.run(["--share", share], None, tmp_path / "m.npz", build, None, [])


def test_training_feeds_each_page_as_two_dumps_and_trafilaturas_output(monkeypatch):
    # Two dumpers lay the same page out differently; the model learns from both, so that
    # it judges lines rather than one tool's layout.
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_model

    article = "\n".join(line for line in RECIPE_DUMP.splitlines()[7:12] if line)
    texts = {"html-text": RECIPE_DUMP, "inscriptis": "   ".join(RECIPE_DUMP.splitlines()[:6]) + "\n" + RECIPE_DUMP,
             "trafilatura": article}
    asked: list[str] = []

    def derive(pages, kinds, workers):
        asked.extend(kinds)
        return {kind: {page.id: texts[kind] for page in pages} for kind in kinds}

    monkeypatch.setattr(train_model._sets, "derive", derive)
    page = train_model._sets.SetPage("wcxb-dev", "p1", "", "<title>Rye bread</title>", article)
    rows = train_model.build_rows([page], 1, lambda message: None)
    assert sorted(asked) == ["html-text", "inscriptis", "trafilatura"]
    assert sorted(r.key for r in rows) == ["wcxb-dev/p1/post", "wcxb-dev/p1/raw", "wcxb-dev/p1/raw-inscriptis"]
    for r in rows:  # each input's article lines labelled content, and its menus chrome
        assert (r.y == CONTENT).sum() >= 4, r.key
    assert all((r.y == CHROME).any() for r in rows if r.key.endswith(("raw", "raw-inscriptis")))


def test_line_runs_are_the_runs_the_features_describe():
    from cleaner.model.features import line_features_and_runs

    for text in (NEWS_DUMP, RECIPE_DUMP, "Year\n2019\n2020\n2021\n\nSales\n1200\n1350\n1500\n"):
        x, runs = line_features_and_runs(Segments(text), [])
        assert (np.diff(runs) >= 0).all() and runs[0] == 0
        assert np.bincount(runs)[runs].tolist() == np.rint(np.expm1(x[:, INDEX["run_log_len"]])).tolist()


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(0, 1),
                          st.integers(0, 10 ** 6).map(lambda k: k / 2000)), max_size=20),
       st.integers(0, 6))
def test_scores_rounded_at_once_are_as_python_rounds_each(values, digits):
    """The dropped lines' scores are rounded for the log at once: the same floats as the
    built-in round (ties, as the k / 2000 give at three digits, included)."""
    from cleaner.stages.line_model import rounded

    got = rounded(np.array(values, dtype=np.float64), digits)
    want = [round(v, digits) for v in values]
    assert [repr(v) for v in got] == [repr(v) for v in want]


@pytest.mark.parametrize("seed", range(10))
def test_kept_runs_against_a_plain_reading(seed):
    from cleaner.stages.line_model import kept_runs

    rng = np.random.default_rng(seed)
    runs = np.cumsum(rng.random(30) < 0.4)
    runs -= runs[0]
    scores = rng.random(30)
    kept = kept_runs(runs, scores, 0.5, 3).tolist()
    for i, run in enumerate(runs.tolist()):
        members = [s for r, s in zip(runs.tolist(), scores.tolist()) if r == run]
        assert kept[i] == (len(members) >= 3 and sum(members) / len(members) >= 0.5)


class _Scored:
    """A stand-in model that gives each line the score its text maps to (else 0.9)."""

    threshold = 0.5
    lexicon = None  # no word weights

    def __init__(self, by_text: dict[str, float], segments: Segments):
        self.scores = np.array([by_text.get(segments.text[line.start:line.end].strip(), 0.9)
                                for line in segments.content])

    def scored(self, x):
        return self.scores, np.zeros((0, len(x)), dtype=np.intp)


def test_a_run_of_table_cells_kept_on_the_whole_keeps_its_low_cells():
    from cleaner.document import Document
    from cleaner.stages.line_model import LineModel as Stage

    text = (PROSE + "\nVotes by year:\n2019\n2020\n2021\n2022\n\nMenu\nHome\nNews\nSport\n")
    scores = {"2020": 0.2, "Menu": 0.1, "Home": 0.1, "News": 0.6, "Sport": 0.1}

    def dropped(config: Config) -> list[str]:
        doc = Document(text)
        segments = Segments(doc.text)
        stage = Stage(config, model=_Scored(scores, segments))
        return [doc.text[s.start:s.end].strip() for s in stage.detect(doc, segments, [])]

    # 2020 is one cell of four whose mean is over the cut: kept; the menu's run is under it,
    # so News, over the cut alone, stays as it would without runs.
    assert dropped(Config()) == ["Menu", "Home", "Sport"]
    no_runs = Config(thresholds={"line_model": {"run_lines": 0}})
    assert dropped(no_runs) == ["2020", "Menu", "Home", "Sport"]


def test_the_label_oracle_scores_the_labels_kept_against_the_input_as_is(monkeypatch, capsys):
    # `--oracle` trains nothing: it tells how far a model that keeps or drops whole lines can
    # go on the training part, page by page an empty input counting as 0.
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_model

    article = "\n".join(line for line in RECIPE_DUMP.splitlines()[7:12] if line)
    texts = {"html-text": RECIPE_DUMP, "inscriptis": RECIPE_DUMP, "trafilatura": article}

    def derive(pages, kinds, workers):
        return {kind: {page.id: texts[kind] if page.id == "p1" else "" for page in pages} for kind in kinds}

    pages = [train_model._sets.SetPage("wcxb-dev", pid, "", "<title>Rye bread</title>", article)
             for pid in ("p1", "p2")]
    monkeypatch.setattr(train_model._sets, "derive", derive)
    monkeypatch.setattr(train_model._sets, "load_set",
                        lambda name, parts: pages if name == "wcxb-dev" else [])
    monkeypatch.setattr(train_model, "check_requirements", lambda: None)
    monkeypatch.setattr(train_model, "train", lambda *a: pytest.fail("the oracle trains nothing"))
    assert train_model.main(["--oracle", "--out", "unused.npz"]) == 0
    figures = {line.split(":")[0]: [float(v) for v in line.split(":")[1].split(",")]
               for line in capsys.readouterr().out.splitlines() if line.startswith("wcxb-dev /")}
    assert set(figures) == {"wcxb-dev / post", "wcxb-dev / raw", "wcxb-dev / raw-inscriptis"}
    pages_in_set, as_is, labelled = figures["wcxb-dev / raw"]
    assert pages_in_set == 2  # p2's empty input scores 0: both figures are at most one half
    assert 0 < as_is < labelled <= 0.5
    assert figures["wcxb-dev / post"][2] == pytest.approx(0.5)  # the gold text itself, on one page of two


def test_leave_out_trains_without_a_sets_pages_and_keeps_a_set_with_gold_text(monkeypatch):
    # `--leave-out SET` reads no page of SET: scored on it, the model meets a source it never saw.
    import sys
    from pathlib import Path
    from types import SimpleNamespace

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_model

    read: list[str] = []

    def load_set(name, parts):
        read.append(name)
        return []

    monkeypatch.setattr(train_model._sets, "load_set", load_set)
    monkeypatch.setattr(train_model, "check_requirements", lambda: None)
    monkeypatch.setattr(train_model, "print_oracle", lambda pages, rows: None)
    monkeypatch.setattr(train_model, "build_rows", lambda pages, workers, log: [])
    assert train_model.main(["--oracle", "--leave-out", "fundus", "--out", "unused.npz"]) == 0
    assert read == ["wcxb-dev", "dev-pages"]
    # dev-pages alone has snippets, no gold text to choose the threshold on
    with pytest.raises(SystemExit, match="no gold text"):
        train_model.main(["--leave-out", "wcxb-dev", "--leave-out", "fundus", "--out", "unused.npz"])
    assert read == ["wcxb-dev", "dev-pages"]
    # the model file's note names the sets its rows came from, in the sets' order
    rows = [SimpleNamespace(set="dev-pages"), SimpleNamespace(set="wcxb-dev"), SimpleNamespace(set="dev-pages")]
    assert train_model.sets_of(rows) == "wcxb-dev, dev-pages"


def test_the_training_reports_each_input_at_the_cut_the_stage_gives_it():
    # The out-of-fold figure the training logs cuts each input as the stage would: a page of
    # few lines is left whole, a short page is cut at the threshold, a longer one at its own
    # expected-F1 cut.
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_model
    from cleaner.model.line_model import page_cut

    def rows(lines: int, words: int) -> train_model.Rows:
        x = np.zeros((lines, len(FEATURES)), dtype=np.float32)
        x[:, INDEX["log_words"]] = np.log1p(words)
        y = np.array([CONTENT, CHROME] * (lines // 2) + [CONTENT] * (lines % 2), dtype=np.int8)
        ids = [np.arange(k * words, (k + 1) * words, dtype=np.int32) for k in range(lines)]
        gold = np.array([1 if y[k] == CONTENT else 0 for k in range(lines) for _ in range(words)], dtype=np.int32)
        # the gold text's words first: a chrome line's words are other words
        order = np.argsort(-gold, kind="stable")
        renumber = np.empty_like(order)
        renumber[order] = np.arange(len(order))
        return train_model.Rows(f"wcxb-dev/p{lines}-{words}/raw", "wcxb-dev", x, y, np.full(lines, words),
                                int(gold.sum()), ids=[renumber[i].astype(np.int32) for i in ids],
                                gold_counts=np.ones(int(gold.sum()), dtype=np.int32))

    few, short, long = rows(5, 10), rows(10, 5), rows(10, 40)
    rng = np.random.default_rng(0)
    scores = [np.where(r.y == CONTENT, 0.85, 0.05) + rng.random(len(r.y)) * 0.1 for r in (few, short, long)]
    cuts = train_model.own_cuts([few, short, long], scores, 0.45)
    assert cuts[:2] == [0.0, 0.45]
    assert cuts[2] == page_cut(scores[2], np.full(10, 40.0))
    assert ((scores[2] >= cuts[2]) == (long.y == CONTENT)).all()  # sure of the page: cut at its content
    # every chrome line kept on the page of few lines, none on the others: precision 3/5 there
    report = train_model.own_cut_report([few, short, long], scores, 0.45)
    assert report == f"wcxb-dev raw {np.mean([2 * 0.6 / 1.6, 1.0, 1.0]):.4f}"


def test_the_training_reports_a_page_scored_by_snippets_by_its_snippets():
    # On dev-pages the out-of-fold figure is the snippet F1 of the kept lines, as the bench
    # scores a page's output: white space collapsed, a snippet may run across kept lines.
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_model

    lines = ("Home", "News", "The harbour reopened", "on Monday after repairs.", "Read more: the ferry",
             "Subscribe now", "Boats came back.", "Weather", "Contact", "Imprint")
    x = np.zeros((len(lines), len(FEATURES)), dtype=np.float32)
    x[:, INDEX["log_words"]] = np.log1p(3)
    page = train_model.Rows("dev-pages/p/raw", "dev-pages", x, np.zeros(len(lines), dtype=np.int8),
                            np.full(len(lines), 3), 0, lines=lines,
                            with_=("harbour reopened on  Monday", "Boats came back.", "Weather"),
                            without=("Read more", "Subscribe now", "Imprint"))
    scores = np.array([0.1, 0.1, 0.9, 0.9, 0.6, 0.2, 0.8, 0.3, 0.1, 0.1])
    # At the threshold 0.45: the snippet across two kept lines is found, "Weather" is missed,
    # "Read more" leaks: 2 found, 1 missed, 1 leaked.
    kept = train_model.snippet_score(page, scores >= 0.45)
    assert (kept.tp, kept.fn, kept.fp) == (2, 1, 1)
    assert train_model.own_cut_report([page], [scores], 0.45) == f"dev-pages raw {2 * 2 / (2 * 2 + 1 + 1):.4f}"
