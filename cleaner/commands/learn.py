"""`cleaner learn`: learn each site's template lines from a corpus and save them as JSON.

It learns as the first pass of `cleaner clean --jsonl` does (:mod:`cleaner.run.two_pass`), so
that learning then cleaning with the saved file gives what the two-pass mode gives.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Optional

import typer

from cleaner.io.sources import DEFAULT_MAX_BYTES

from cleaner.commands.common import EXIT_SOME_FAILED, EXIT_USAGE, Extractor, ExtractorOpt, err as _err, load_config as _load_config


def register(app: typer.Typer) -> None:
    app.command(name="learn")(learn)


def learn(
    sources: list[str] = typer.Argument(..., metavar="SRC...", help="JSON Lines files (- for stdin): a record's site is the host of its url field, else its site field. Or directories: each file is a page, its site is its folder (relative to the directory)."),
    out: Path = typer.Option(..., "--out", "-o", help="Where to write the learned templates (JSON)."),
    field: str = typer.Option("text", "--field", help="The field holding each record's text."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML file; [thresholds.templates] sets what counts as a template line.", show_default=False),
    html: Optional[bool] = typer.Option(None, "--html/--text", help="Treat documents as HTML (extract the main text first, see --extractor) or as text. Default: HTML when a document starts like HTML.", show_default=False),
    extractor: Extractor = ExtractorOpt,
    examples: bool = typer.Option(True, "--examples/--no-examples", help="Read the input a second time to store one copy of each template line's text, for people to read."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=0, help="Leave out any record larger than this, as `cleaner clean` and `cleaner batch` do. 0: no limit."),
    workers: int = typer.Option(1, "--workers", "-w", min=0, help="Read and count the documents on this many processes (0: all cores); the model is what one process learns. A document whose worker process dies on it (twice) is left out and listed, and the exit status is 1."),
) -> None:
    """Learn the lines each site repeats on its pages (menus, slogans, footers).

    A line is a site's template line when it is short and seen on at least
    [thresholds.templates] min_docs pages and min_share of that site's pages; sites with fewer
    than min_site_docs pages learn nothing. Use the file with `cleaner clean --templates`.
    """
    from cleaner.corpus.model import describe
    from cleaner.run.two_pass import extracted_store
    from cleaner.corpus.passes import learn as learn_model, prepared_documents
    from cleaner.pipeline import Pipeline

    cfg = _load_config(config, extractor)
    with ExitStack() as stack:
        paths = _readable(sources, stack)
        # The examples pass reads the pages again: what the first extracted is kept for it.
        extracted = extracted_store(stack) if examples and html is not False else None
        missed: list[str] = []
        model = learn_model(_sources(paths, field, max_bytes or None), cfg, html, workers or os.cpu_count() or 1,
                            extracted, missed)
        if examples:
            pipeline = Pipeline(cfg, extracted=extracted)  # finished by learn_model: only looked up
            describe(model, prepared_documents(_sources(paths, field, max_bytes or None), html=html, pipeline=pipeline))
    try:
        model.save(out)
    except OSError as exc:
        _err(f"{out}: cannot write ({exc.strerror or exc})")
        raise typer.Exit(EXIT_USAGE)
    sys.stderr.write(f"cleaner: {model.line_count()} template line(s) for {len(model.sites)} site(s) written to {out}\n")
    for reason in missed:
        _err(reason)
    if missed:
        raise typer.Exit(EXIT_SOME_FAILED)


def _sources(paths: list[str], field: str, max_bytes: int | None):
    """Documents of JSON Lines files and directories, in the order given, those over
    ``max_bytes`` left out."""
    from cleaner.corpus.passes import directory_sources, jsonl_sources

    for path in paths:
        yield from directory_sources(path, max_bytes) if Path(path).is_dir() else jsonl_sources([path], field, max_bytes)


def _readable(sources: list[str], stack: ExitStack) -> list[str]:
    """The inputs as paths that can be read twice: stdin is spooled to a temporary file."""
    from cleaner.corpus.passes import remove_quietly, spool_stdin

    paths = []
    for name in sources:
        if name == "-":
            name = spool_stdin()
            stack.callback(remove_quietly, name)
        elif not Path(name).exists():
            _err(f"{name}: no such file or directory")
            raise typer.Exit(EXIT_USAGE)
        paths.append(name)
    return paths
