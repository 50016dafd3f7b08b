"""`cleaner review`: one self-contained HTML page of everything cleaning removed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator, Optional

import typer

from cleaner.commands.common import Extractor, ExtractorOpt

TEXT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".jsonl"}


def _items(paths: list[Path], jsonl: bool, field: str) -> Iterator[tuple[str, str, bytes | str, str | None, str | None]]:
    """(source, doc id, data, url, site) for every document under the given files and
    directories: a record's url and site fields; a file found in a directory has its folder
    there as its site."""
    from cleaner.corpus.passes import record_origin, site_for_path
    from cleaner.io.sources import iter_jsonl

    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES
                       and _within(p, path)) if path.is_dir() else [path]
        for file in files:
            if jsonl or file.suffix == ".jsonl":
                with open(file, "rb") as stream:
                    for item in iter_jsonl(stream, str(file)):
                        record = item.record or {}
                        value = record.get(field)
                        if isinstance(value, str):
                            yield (str(file), str(record.get("id", f"{file}:{item.lineno}")), value,
                                   *record_origin(record))
            else:
                yield str(file), str(file), file.read_bytes(), None, site_for_path(path, file) if path.is_dir() else None


def _within(file: Path, root: Path) -> bool:
    """Whether ``file`` really lies under ``root``: a link leading out of the folder is not
    followed (as batch does not), so the report never embeds a file from elsewhere."""
    return file.resolve().is_relative_to(root.resolve())


def review(
    sources: list[Path] = typer.Argument(..., help="Files, directories, JSON Lines files, or a batch output directory (with its logs).", exists=True),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="Where to write the HTML report."),
    jsonl: bool = typer.Option(False, "--jsonl", help="Treat every input file as JSON Lines."),
    field: str = typer.Option("text", "--field", help="With JSON Lines: the field that holds the text."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML config for cleaning (not used for batch outputs, whose logs say what was done).", show_default=False),
    html: Optional[bool] = typer.Option(None, "--html/--text", help="Treat documents as HTML or as text (default: detect).", show_default=False),
    extractor: Extractor = ExtractorOpt,
) -> None:
    """Write one self-contained HTML page showing every removal.

    Removed spans are struck through and coloured by stage; hover or click one for its rule
    and reason, and "keep this" to collect keep patterns into a TOML snippet for your
    config. Filter by stage or rule, search, and see per-rule and per-site counts and the
    share of each document removed. Works offline; documents load 20 per page.
    """
    from cleaner.commands.common import err as _err, load_config as _load_config
    from cleaner.pipeline import Pipeline
    from cleaner.review import ReviewDoc, from_cleaning, is_batch_output, render

    docs: list[ReviewDoc] = []
    plain: list[Path] = []
    for source in sources:
        if source.is_dir() and is_batch_output(source):
            docs.extend(_read_batch(source, field))
        else:
            plain.append(source)
    if plain:
        pipeline = Pipeline(_load_config(config, extractor))
        try:
            docs.extend(from_cleaning(_items(plain, jsonl, field), pipeline, html))
        except OSError as exc:
            _err(f"cannot read input: {exc}")
            raise typer.Exit(2)
    try:
        out.write_text(render(docs), encoding="utf-8")
    except OSError as exc:
        _err(f"{out}: cannot write ({exc.strerror or exc})")
        raise typer.Exit(2)
    changes = sum(len(d.shown_edits()) for d in docs)
    sys.stderr.write(f"cleaner: wrote {out} ({len(docs)} documents, {changes} changes)\n")


def _read_batch(dest: Path, field: str) -> list:
    """Every document of a batch output; a damaged log is a usage error, named."""
    from cleaner.commands.common import err as _err
    from cleaner.review import from_batch

    try:
        return list(from_batch(dest, field))
    except (OSError, ValueError, KeyError) as exc:
        _err(f"{dest}: cannot read the batch output ({exc})")
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.command()(review)
