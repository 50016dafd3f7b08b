"""The seed runs that judge a model change (bench/seed_runs.py): their commands and their summary."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import pytest  # noqa: E402

import seed_runs  # noqa: E402


def _write(out: Path, seed: int, figures: dict[tuple[str, str], tuple[float, dict[str, float]]]) -> None:
    sets: dict[str, list[dict]] = {}
    for (name, mode), (f1, by_kind) in figures.items():
        sets.setdefault(name, []).append({"mode": mode, "system": "trafilatura", "f1": 0.5, "by_kind": {}})
        sets[name].append({"mode": mode, "system": "cleaner", "f1": f1, "by_kind": by_kind})
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{seed}.json").write_text(json.dumps({"part": "tuning", "sets": sets}), encoding="utf-8")


def test_the_tuning_part_is_scored_with_held_out_models(tmp_path):
    steps = seed_runs.plan("blocks", 8, "tuning", tmp_path, tmp_path / "line.npz")
    assert "--hold-out-tuning" in steps.train and steps.train[steps.train.index("--seed") + 1] == "8"
    assert Path(steps.train[1]).name == "train_blocks.py"
    assert steps.env == {"CLEANER_LINE_MODEL": str(tmp_path / "line.npz")}  # the block model's features read it
    score = steps.score
    assert score[score.index("--part") + 1] == "tuning" and score[score.index("--modes") + 1] == "html"
    assert score[score.index("--block-model") + 1] == str(tmp_path / "8.npz")
    assert score[score.index("--model") + 1] == str(tmp_path / "line.npz")
    assert "--fast" not in score


def test_each_model_is_scored_in_its_modes(tmp_path):
    line = seed_runs.plan("line", 7, "validation", tmp_path, None)
    assert "--hold-out-tuning" not in line.train and Path(line.train[1]).name == "train_model.py"
    assert line.score[line.score.index("--modes") + 1:line.score.index("--modes") + 3] == ["raw", "post"]
    assert line.score[line.score.index("--model") + 1] == str(tmp_path / "7.npz") and line.env == {}
    fast = seed_runs.plan("fast", 7, "validation", tmp_path, None)
    assert Path(fast.train[1]).name == "train_fast_blocks.py"
    assert "--fast" in fast.score and "--model" not in fast.score and fast.env == {}  # the shipped line model


def test_the_summary_pairs_the_seeds_both_runs_have(tmp_path):
    for seed, (new, old) in {7: (0.86, 0.85), 8: (0.84, 0.85), 9: (0.87, 0.85)}.items():
        _write(tmp_path / "new", seed, {("wcxb-dev", "html"): (new, {"article": new + 0.05})})
        if seed != 9:  # the other run lacks seed 9
            _write(tmp_path / "old", seed, {("wcxb-dev", "html"): (old, {"article": old})})
    lines = seed_runs.summary(seed_runs.load_runs(tmp_path / "new"), seed_runs.load_runs(tmp_path / "old"))
    assert lines[0] == "seeds: 7, 8"
    assert "0.8600 0.8400   mean 0.8500" in lines[1]
    assert "gain +0.0000 (higher with 1 of 2)" in lines[1]
    assert "article +0.050" in lines[1]


def test_the_summary_without_another_run_gives_the_figures(tmp_path):
    _write(tmp_path, 7, {("fundus", "raw"): (0.9, {}), ("fundus", "post"): (0.95, {})})
    lines = seed_runs.summary(seed_runs.load_runs(tmp_path))
    assert [line.split()[:2] for line in lines[1:]] == [["post", "fundus"], ["raw", "fundus"]]
    assert "gain" not in "\n".join(lines)
    assert seed_runs.summary({}, {}) == ["no seed to summarise that both runs have"]


def test_the_command_line_asks_for_a_model_and_a_directory(capsys):
    with pytest.raises(SystemExit) as stopped:
        seed_runs.main([])
    assert stopped.value.code == 2
    assert "give MODEL and --out" in capsys.readouterr().err


def test_a_finished_run_is_summarised_without_training(tmp_path, capsys, monkeypatch):
    _write(tmp_path, 7, {("fundus", "html"): (0.97, {"de": 0.98})})
    monkeypatch.setattr(seed_runs, "_run", lambda command, env: (_ for _ in ()).throw(AssertionError(command)))
    assert seed_runs.main(["fast", "--out", str(tmp_path), "--seeds", "7", "--line-model", "x.npz"]) == 0
    assert "html  fundus     0.9700   mean 0.9700" in capsys.readouterr().out


def test_the_other_run_is_read_after_this_run_s_seeds(tmp_path, capsys, monkeypatch):
    # The two runs side by side: the other one finishes its seed while this one trains.
    def run(command, env):
        if Path(command[1]).name == "quality_sets.py":
            _write(tmp_path / "new", 7, {("fundus", "html"): (0.97, {})})
            _write(tmp_path / "old", 7, {("fundus", "html"): (0.96, {})})

    monkeypatch.setattr(seed_runs, "_run", run)
    seed_runs.main(["fast", "--out", str(tmp_path / "new"), "--seeds", "7", "--line-model", "x.npz",
                    "--against", str(tmp_path / "old")])
    assert "gain +0.0100 (higher with 1 of 1)" in capsys.readouterr().out


def test_a_set_left_out_is_kept_out_of_every_model_and_scored_alone(tmp_path, monkeypatch):
    steps = seed_runs.plan("line", 7, "validation", tmp_path, None, "fundus")
    assert steps.train[-2:] == ["--leave-out", "fundus"] and "--hold-out-tuning" not in steps.train
    assert steps.score[steps.score.index("--sets") + 1] == "fundus"
    ran: list[list[str]] = []
    monkeypatch.setattr(seed_runs, "_run", lambda command, env: ran.append(command))
    seed_runs.main(["blocks", "--part", "validation", "--leave-out", "dev-pages", "--seeds", "7",
                    "--out", str(tmp_path / "run")])
    line, train, score = ran  # the line model html mode reads has not seen the set either
    assert Path(line[1]).name == "train_model.py" and line[-2:] == ["--leave-out", "dev-pages"]
    assert Path(train[1]).name == "train_blocks.py" and train[-2:] == ["--leave-out", "dev-pages"]
    assert score[score.index("--model") + 1] == line[line.index("--out") + 1]
    assert "--hold-out-tuning" not in line + train


def test_a_share_of_the_training_pages_reaches_each_seed_s_training_alone(tmp_path, monkeypatch):
    assert "--share" not in seed_runs.plan("blocks", 7, "tuning", tmp_path, None).train
    ran: list[list[str]] = []
    monkeypatch.setattr(seed_runs, "_run", lambda command, env: ran.append(command))
    seed_runs.main(["blocks", "--share", "0.5", "--seeds", "8", "--out", str(tmp_path / "run")])
    line, train, score = ran  # the line model html mode reads is trained on every training page
    assert "--share" not in line and "--share" not in score
    assert train[train.index("--share") + 1] == "0.5" and train[train.index("--seed") + 1] == "8"
    with pytest.raises(SystemExit):
        seed_runs.main(["blocks", "--share", "2", "--out", str(tmp_path / "run")])
