#!/usr/bin/env python3
"""A model change judged as bench/README.md asks: several trainings (seeds), the same pages, paired.

    python bench/seed_runs.py blocks --out runs/new                      # tuning part, seeds 7 to 10
    python bench/seed_runs.py blocks --out runs/new --against runs/old   # ... and its gains over another run
    python bench/seed_runs.py line --part validation --out runs/v-new    # trained on the whole training part
    python bench/seed_runs.py blocks --part validation --leave-out fundus --out runs/f-new  # a source never seen
    python bench/seed_runs.py blocks --share 0.5 --out runs/half         # on half the training pages
    python bench/seed_runs.py --summary runs/new --against runs/old      # print the summary again, no training

MODEL is what is trained and scored: ``line`` (bench/train_model.py; raw and post mode),
``blocks`` (bench/train_blocks.py; html mode) or ``fast`` (bench/train_fast_blocks.py; html mode
with ``--extractor fast``). Run it once in the code before a change and once in the changed code,
each with its own --out, then compare them with --against.

On the tuning part (the default) every model is held out (``--hold-out-tuning``), and so is the
line model that html mode's text stages and the block models' features read: --line-model, or one
trained once with seed 7 into OUT/line-held-out.npz. On the validation part the models are
trained on the whole training part, and the block models read the shipped line model (or
--line-model). With --leave-out SET every model, the line model html mode reads included, is
trained without the set, and the set alone is scored: how the change carries over to a source
the models never saw (bench/README.md, "A source the models never saw").

Each seed S writes OUT/S.npz (the model), OUT/S.json (the figures) and OUT/S.json.gz (every
page's output, for ``bench/quality_sets.py --against``); a seed whose figures are there already
is not run again.

The summary gives each set's figure per seed and their mean, and with --against the mean gain,
how many seeds gain, and the mean gain per page type (wcxb-dev) or language (fundus, dev-pages).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from statistics import mean
from typing import Sequence

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import _sets  # noqa: E402

TRAINERS = {"line": "train_model.py", "blocks": "train_blocks.py", "fast": "train_fast_blocks.py"}
MODES = {"line": ("raw", "post"), "blocks": ("html",), "fast": ("html",)}
SEEDS = (7, 8, 9, 10)
HELD_OUT_LINE_SEED = 7


@dataclass(frozen=True)
class Plan:
    """What one seed's run does: the training command and its environment, then the scoring command."""

    train: list[str]
    score: list[str]
    env: dict[str, str]


def plan(model: str, seed: int, part: str, out: Path, line_model: Path | None, leave_out: str | None = None,
         share: float = 1.0) -> Plan:
    """The commands that train ``model`` with ``seed`` into OUT/seed.npz and score it on ``part``
    (trained without the set ``leave_out`` and scored on it alone, if given; on ``share`` of the
    training pages, drawn with the seed)."""
    file = out / f"{seed}.npz"
    train = [sys.executable, str(BENCH / TRAINERS[model]), "--no-report", "--seed", str(seed), "--out", str(file),
             *(["--share", str(share)] if share < 1 else []), *_held_out(part, leave_out)]
    score = [sys.executable, str(BENCH / "quality_sets.py"), "--part", part, "--modes", *MODES[model], "--by-kind",
             "--json", str(out / f"{seed}.json"), "--save-outputs", str(out / f"{seed}.json.gz"),
             *(["--sets", leave_out] if leave_out else [])]
    env: dict[str, str] = {}
    if model == "line":
        score += ["--model", str(file)]
    else:
        score += [*(["--fast"] if model == "fast" else []), "--block-model", str(file)]
        if line_model is not None:
            env["CLEANER_LINE_MODEL"] = str(line_model)
            score += ["--model", str(line_model)]
    return Plan(train, score, env)


def _held_out(part: str, leave_out: str | None) -> list[str]:
    """The training options that keep the pages scored out of a model."""
    return [*(["--hold-out-tuning"] if part == "tuning" else []), *(["--leave-out", leave_out] if leave_out else [])]


def held_out_line_model(out: Path, part: str, leave_out: str | None = None) -> Path:
    """The line model html mode reads, trained once into ``out`` without the pages scored (the
    tuning part's, the set left out's), which the shipped one has seen."""
    file = out / "line-held-out.npz"
    if not file.exists():
        _run([sys.executable, str(BENCH / TRAINERS["line"]), "--no-report", "--seed", str(HELD_OUT_LINE_SEED),
              "--out", str(file), *_held_out(part, leave_out)], {})
    return file


def _run(command: list[str], env: dict[str, str]) -> None:
    """Run a step with this checkout's package first on the path (so that a second checkout, of the
    code before a change, trains and scores its own code), and stop if it fails."""
    print("$", " ".join(command), file=sys.stderr, flush=True)
    path = os.pathsep.join(filter(None, (str(BENCH.parent), os.environ.get("PYTHONPATH"))))
    done = subprocess.run(command, env={**os.environ, **env, "PYTHONPATH": path})
    if done.returncode:
        raise SystemExit(f"{Path(command[1]).name} failed (exit {done.returncode})")


# ------------------------------------------------------------------------- the summary
Figures = dict[tuple[str, str], dict]  # (set, mode) -> the cleaner row of bench/quality_sets.py --json


def load_runs(out: Path) -> dict[int, Figures]:
    """Each seed's cleaner figures in a run's directory, by seed."""
    runs: dict[int, Figures] = {}
    for path in sorted(out.glob("*.json")):
        if not path.stem.isdigit():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        runs[int(path.stem)] = {(name, row["mode"]): row for name, rows in data["sets"].items()
                                for row in rows if row["system"] == "cleaner"}
    return runs


def summary(runs: dict[int, Figures], against: dict[int, Figures] | None = None) -> list[str]:
    """The summary's lines: per set and mode, each seed's figure and the mean; with ``against``
    (another run's figures), over the seeds both have, the mean gain, how many seeds gain, and the
    mean gain per page type or language."""
    seeds = sorted(set(runs) & set(against)) if against is not None else sorted(runs)
    if not seeds:
        return ["no seed to summarise" + (" that both runs have" if against is not None else "")]
    lines = [f"seeds: {', '.join(map(str, seeds))}"]
    for key in sorted(runs[seeds[0]], key=lambda k: (k[1], k[0])):
        name, mode = key
        figures = [runs[s][key]["f1"] for s in seeds]
        line = f"{mode:5} {name:10} " + " ".join(f"{f:.4f}" for f in figures) + f"   mean {mean(figures):.4f}"
        if against is not None:
            gains = [runs[s][key]["f1"] - against[s][key]["f1"] for s in seeds]
            line += f"   gain {mean(gains):+.4f} (higher with {sum(g > 0 for g in gains)} of {len(gains)})"
            kinds = runs[seeds[0]][key].get("by_kind") or {}
            by_kind = {kind: mean(runs[s][key]["by_kind"][kind] - against[s][key]["by_kind"][kind] for s in seeds)
                       for kind in kinds}
            if by_kind:
                line += "\n" + " " * 17 + "  ".join(f"{kind} {gain:+.3f}" for kind, gain in by_kind.items())
        lines.append(line)
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("model", nargs="?", choices=sorted(TRAINERS), help="what to train and score")
    parser.add_argument("--out", type=Path, help="the run's directory (made if missing)")
    parser.add_argument("--part", choices=("tuning", "validation"), default="tuning")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--line-model", type=Path,
                        help="the line model html mode reads (on the tuning part, or with --leave-out, one that has "
                             "not seen the pages scored is trained if not given)")
    parser.add_argument("--leave-out", choices=_sets.SETS, metavar="SET",
                        help="train without this set and score it alone: how a change carries over to a source "
                             "the models never saw")
    parser.add_argument("--share", type=float, default=1.0, metavar="S",
                        help="train each seed's model on this share of the training pages, drawn with the seed "
                             "(the line model html mode reads keeps them all): how the figures grow with the "
                             "labelled pages")
    parser.add_argument("--against", type=Path, help="another run's directory: print the gains over it")
    parser.add_argument("--summary", type=Path, metavar="DIR", help="train nothing: summarise this run")
    args = parser.parse_args(argv)
    if args.summary:
        out = args.summary
    else:
        if not args.model or not args.out:
            parser.error("give MODEL and --out (or --summary DIR)")
        if not 0 < args.share <= 1:
            parser.error(f"--share {args.share}: give a share of the training pages above 0 and at most 1")
        out = args.out
        out.mkdir(parents=True, exist_ok=True)
        line_model = args.line_model
        if line_model is None and args.model != "line" and (args.part == "tuning" or args.leave_out):
            line_model = held_out_line_model(out, args.part, args.leave_out)
        for seed in args.seeds:
            if (out / f"{seed}.json").exists():
                continue
            steps = plan(args.model, seed, args.part, out, line_model, args.leave_out, args.share)
            _run(steps.train, steps.env)
            _run(steps.score, steps.env)
    against = load_runs(args.against) if args.against else None  # (read now: it may have run meanwhile)
    print("\n".join(summary(load_runs(out), against)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
