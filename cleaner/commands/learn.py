"""`cleaner learn`: learn each site's template lines from a corpus and save them as JSON.

Also the first pass of `cleaner clean --jsonl` (:func:`templates_for_clean`), so that
learning then cleaning with the saved file gives what the two-pass mode gives.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Optional

import typer

from cleaner.commands.common import EXIT_USAGE, err as _err, load_config as _load_config


def register(app: typer.Typer) -> None:
    app.command(name="learn")(learn)


def learn(
    sources: list[str] = typer.Argument(..., metavar="SRC...", help="JSON Lines files (- for stdin): a record's site is the host of its url field, else its site field. Or directories: each file is a page, its site is its folder (relative to the directory)."),
    out: Path = typer.Option(..., "--out", "-o", help="Where to write the learned templates (JSON)."),
    field: str = typer.Option("text", "--field", help="The field holding each record's text."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML file; [thresholds.templates] sets what counts as a template line.", show_default=False),
    html: Optional[bool] = typer.Option(None, "--html/--text", help="Treat documents as HTML (extract with trafilatura first) or as text. Default: HTML when a document starts like HTML.", show_default=False),
    examples: bool = typer.Option(True, "--examples/--no-examples", help="Read the input a second time to store one copy of each template line's text, for people to read."),
    workers: int = typer.Option(1, "--workers", "-w", min=0, help="Read and count the documents on this many processes (0: all cores); the model is what one process learns."),
) -> None:
    """Learn the lines each site repeats on its pages (menus, slogans, footers).

    A line is a site's template line when it is short and seen on at least
    [thresholds.templates] min_docs pages and min_share of that site's pages; sites with fewer
    than min_site_docs pages learn nothing. Use the file with `cleaner clean --templates`.
    """
    from cleaner.corpus.model import describe
    from cleaner.corpus.passes import learn as learn_model, prepared_documents
    from cleaner.pipeline import Pipeline

    cfg = _load_config(config)
    with ExitStack() as stack:
        paths = _readable(sources, stack)
        # The examples pass reads the pages again: what the first extracted is kept for it.
        extracted = _extracted_store(stack) if examples and html is not False else None
        model = learn_model(_sources(paths, field), cfg, html, workers or os.cpu_count() or 1, extracted)
        if examples:
            pipeline = Pipeline(cfg, extracted=extracted)  # finished by learn_model: only looked up
            describe(model, prepared_documents(_sources(paths, field), html=html, pipeline=pipeline))
    try:
        model.save(out)
    except OSError as exc:
        _err(f"{out}: cannot write ({exc.strerror or exc})")
        raise typer.Exit(EXIT_USAGE)
    sys.stderr.write(f"cleaner: {model.line_count()} template line(s) for {len(model.sites)} site(s) written to {out}\n")


def _sources(paths: list[str], field: str):
    """Documents of JSON Lines files and directories, in the order given."""
    from cleaner.corpus.passes import directory_sources, jsonl_sources

    for path in paths:
        yield from directory_sources(path) if Path(path).is_dir() else jsonl_sources([path], field)


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


def templates_for_clean(templates: Optional[Path], config, records: bool, names: list[str],
                        field: str, html: Optional[bool], stack: ExitStack, bar=None, workers: int = 1):
    """The templates `cleaner clean` uses, where to read each input from afterwards, and the
    main texts of the HTML pages the first pass extracted (or None).

    With a templates file, that file. Otherwise, for JSON Lines or table input (``records``), a first pass learns them
    on ``workers`` processes (stdin is spooled to a temporary file first); ``[stages]
    templates = false`` skips it. The pages it extracts are kept in a temporary file, so the
    cleaning pass does not extract them again.
    """
    from cleaner.corpus.model import ModelError, TemplateModel
    from cleaner.corpus.passes import jsonl_sources, learn as learn_model, remove_quietly, spool_stdin, table_sources
    from cleaner.io.tables import table_format

    if templates is not None:
        try:
            return TemplateModel.load(templates), {}, None
        except ModelError as exc:
            _err(str(exc))
            raise typer.Exit(EXIT_USAGE)
    if not records or not config.stage_on("templates"):
        return None, {}, None
    paths = {}
    for name in dict.fromkeys(names):
        if name == "-":
            paths[name] = spool_stdin()
            stack.callback(remove_quietly, paths[name])
        elif Path(name).is_file():
            paths[name] = name
    sources = (source for path in paths.values()
               for source in (table_sources(path, field) if table_format(path) else jsonl_sources([path], field)))
    if bar:
        bar.phase("learning templates", sum(os.path.getsize(p) for p in paths.values()), unit="bytes")
        sources = _counted(sources, bar)
    extracted = None if html is False else _extracted_store(stack)
    return learn_model(sources, config, html, workers, extracted), paths, extracted


def _extracted_store(stack: ExitStack):
    """A temporary store of extracted main texts, removed when ``stack`` closes (None when
    none can be made)."""
    import tempfile

    from cleaner.io.extracted import ExtractedTexts, remove

    try:
        handle, path = tempfile.mkstemp(prefix="cleaner-extracted-", suffix=".sqlite")
    except OSError:
        return None  # no room for it: pages are extracted twice
    os.close(handle)
    stack.callback(remove, path)
    store = ExtractedTexts.open(path)
    if store is not None:
        stack.callback(store.close)
    return store


def _counted(sources, bar):
    """The sources, advancing the bar by each document's length (its share of the file,
    near enough for an ETA)."""
    for source in sources:
        bar.advance(len(source[0]), docs=1, nbytes=len(source[0]))
        yield source
