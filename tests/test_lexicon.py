"""The learned word weights: how they are learned, read per line, stored and fed to the models."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner.lines import Lines
from cleaner.model.features import INDEX, line_features, with_lexicon, word_codes
from cleaner.model.lexicon import COLUMNS, Lexicon, Sample, learn
from cleaner.model.line_model import LineModel, default_model
from cleaner.segment import Segments


def _sample(page: str, lines: list[str], labels: list[int]) -> Sample:
    words, codes, per_line = word_codes([line.lower().split() for line in lines])
    return Sample(page, words, codes, per_line, np.array(labels))


PAGES = [_sample(f"site{i}/page", [f"Impressum Sitemap site{i}", "The harbour reopened after repairs.",
                                  "Anzeige 2024"], [0, 1, 0]) for i in range(8)]


def test_words_of_chrome_lines_weigh_against_content():
    weights = learn(PAGES).weights_of()
    assert weights["impressum"] < 0 and weights["sitemap"] < 0 and weights["anzeige"] < 0
    assert weights["harbour"] > 0 and weights["repairs"] > 0


def test_a_word_of_few_pages_or_with_digits_gets_no_weight():
    weights = learn(PAGES).weights_of()
    assert not any(word.startswith("site") and word != "sitemap" for word in weights)  # one page each
    assert "2024" not in weights
    assert "sitemap" not in learn(PAGES[:4]).weights_of()  # four pages: under MIN_PAGES


def test_rare_words_are_pulled_toward_zero():
    few = learn(PAGES[:5]).weights_of()["harbour"]
    many = learn(PAGES * 4).weights_of()["harbour"]
    assert 0 < few < many


def test_unlabelled_lines_teach_nothing():
    unknown = [Sample(s.page, s.vocab, s.codes, s.per_line, np.full(3, -1))
               for s in PAGES]
    assert len(learn(unknown)) == 0
    assert len(learn([])) == 0


def test_columns_read_mean_lowest_and_highest_weight_per_line():
    lexicon = Lexicon(("harbour", "sitemap"), np.array([2.0, -3.0], dtype=np.float32))
    words, codes, per_line = word_codes([["sitemap", "harbour."], [], ["ahoy"], ["harbour"]])
    cols = lexicon.columns(words, codes, per_line)
    assert cols.shape == (len(COLUMNS), 4)
    assert cols[:, 0].tolist() == [-0.5, -3.0, 2.0, 1.0, 0.75]
    assert cols[:, 1].tolist() == [0.0, 0.0, 0.0, 0.0, 0.75]  # an empty line
    assert cols[:, 2].tolist() == [0.0, 0.0, 0.0, 0.0, 0.75]  # no word weighed
    assert cols[:, 3].tolist() == [2.0, 0.0, 2.0, 1.0, 0.75]  # lowest is at most 0, highest at least 0
    assert cols[3].tolist() == [1.0, 0.0, 0.0, 1.0]  # the share of the line's words weighed
    assert cols[4].tolist() == [0.75] * 4  # and of the page's
    assert not Lexicon().columns(words, codes, per_line).any()


def test_line_features_read_the_lexicon_given_and_training_writes_the_same_columns():
    text = "Home | Impressum | Sitemap\n\nThe harbour reopened on Monday after two years of repairs.\n\nAnzeige\n"
    lexicon = learn(PAGES)
    segments = Segments(text)
    with_weights = line_features(segments, [], lexicon)
    without = line_features(segments, [])
    assert with_weights[0, INDEX["word_weight_min"]] < 0 < with_weights[1, INDEX["word_weight_max"]]
    assert not without[:, [INDEX[name] for name in COLUMNS]].any()
    # Training fills the columns of rows built without weights (out of fold): the same rows.
    filled = np.array(without)
    with_lexicon(filled, lexicon.columns(*word_codes(Lines.of(segments).tokens)))
    assert np.allclose(filled, with_weights)
    assert with_weights[:, INDEX["word_weight_w1"]].tolist() != without[:, INDEX["word_weight_w1"]].tolist()


def test_the_lexicon_is_stored_with_the_model(tmp_path):
    model = default_model()
    assert len(model.lexicon) > 1000  # the shipped model learned its weights with its trees
    lexicon = Lexicon(("harbour", "sitemap"), np.array([2.0, -3.0], dtype=np.float32))
    path = tmp_path / "m.npz"
    LineModel(model.first, model.second, model.threshold, model.info, lexicon).save(path)
    assert LineModel.load(path).lexicon.weights_of() == {"harbour": 2.0, "sitemap": -3.0}


@pytest.mark.parametrize("word", ["impressum", "sitemap", "cookies", "newsletter"])
def test_the_shipped_lexicon_weighs_chrome_words_against_content(word):
    assert default_model().lexicon.weights_of()[word] < 0


class _Line:
    def __init__(self, text: str):
        self.text = text


class _Model:
    """A stand-in model: fixed reasons per dropped line, and a lexicon."""

    lexicon = Lexicon(("impressum", "sitemap", "harbour"), np.array([-3.0, -2.0, 1.0], dtype=np.float32))

    def __init__(self, reasons):
        self._reasons = reasons

    def reasons(self, x, rows, leaves=None):
        return self._reasons


def test_a_removal_the_word_weights_decided_names_its_chrome_words():
    from cleaner.stages.line_model import Reasons

    model = _Model([[("word_weight_min", -0.9), ("in_best_run", -0.7)], [("in_best_run", -0.8)],
                    [("words_weighed", -0.5)]])
    lines = [_Line("Impressum | Sitemap | Harbour"), _Line("Impressum"), _Line("Harbour news")]
    reasons = Reasons(model, np.zeros((3, 1)), np.arange(3), np.zeros((0, 3)), lines)
    first = reasons.of(0)
    assert first["features"] == {"word_weight_min": -0.9, "in_best_run": -0.7}
    assert first["chrome_words"] == {"impressum": -3.0, "sitemap": -2.0}  # most toward chrome first
    assert "chrome_words" not in reasons.of(1)  # the weights did not decide it
    assert "chrome_words" not in reasons.of(2)  # no word of the line leans toward chrome

