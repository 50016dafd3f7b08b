"""`cleaner batch SRC DEST`: clean a whole directory of text, HTML, JSONL and WARC files."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from cleaner.commands.common import Extractor, ExtractorOpt
from cleaner.io.sources import DEFAULT_MAX_BYTES


def batch(
    src: str = typer.Argument(..., help="Directory to clean (never modified): a path, or a URL fsspec opens (s3://bucket/crawl, gs://, hf://...)."),
    dest: str = typer.Argument(..., help="Where outputs, logs, the manifest and the error list go (a path or a URL)."),
    glob: Optional[list[str]] = typer.Option(None, "--glob", help="File name patterns to clean (repeatable). Default: text, HTML, JSONL, their .gz forms, and WARC.", show_default=False),
    workers: int = typer.Option(0, "--workers", "-w", help="Worker processes (0: all cores)."),
    force: bool = typer.Option(False, "--force", help="Redo every input, even those the manifest says are done, and count its template lines again (after an upgrade of the cleaner, say)."),
    field: str = typer.Option("text", "--field", help="JSONL and tables: the field (column) to clean."),
    output_field: Optional[str] = typer.Option(None, "--output-field", help="JSONL and tables: put the clean text in this field (column) and keep the original --field beside it.", show_default=False),
    html: Optional[bool] = typer.Option(None, "--html/--text", help="Treat documents as HTML or text (default: by file type, then by content).", show_default=False),
    extractor: Extractor = ExtractorOpt,
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=0, help="Fail any document larger than this (after decompression): a text or HTML file, a JSONL record, a WARC record. 0: no limit."),
    templates: bool = typer.Option(True, "--templates/--no-templates", help="First learn site templates over all inputs, then drop them while cleaning."),
    config: Optional[Path] = typer.Option(None, "--config", "-c", help="TOML configuration.", show_default=False),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Run on a Dask cluster, e.g. tcp://host:8786 (needs webtext-cleaner\\[dask]).", show_default=False),
) -> None:
    """Clean every matching file under SRC into DEST, in parallel, resumably.

    Text and HTML files become one cleaned file each at the same relative path; JSONL files
    are cleaned record by record; Parquet and Arrow files column by column, one row group at
    a time, other columns kept (needs webtext-cleaner\\[parquet]); WARC files become JSONL
    (one record per HTML response, with its URL and date). Every edit is logged under DEST/.cleaner/logs/. A rerun skips inputs
    whose content and configuration are unchanged. Failures go to DEST/.cleaner/errors.jsonl;
    the exit status is 1 when anything failed. A remote SRC is copied to a local temporary
    folder first; a remote DEST is read back (for resuming), written locally and uploaded
    at the end.
    """
    from cleaner.commands.common import err as _err, load_config as _load_config
    from cleaner.io.remote import RemoteError, Staging, fetch_tree, is_remote, upload_tree

    cfg = _load_config(config, extractor)
    remote = [name for name in (src, dest) if is_remote(name)]
    if remote and scheduler:
        _err("--scheduler needs SRC and DEST on a filesystem every machine mounts, not URLs")
        raise typer.Exit(2)
    if not remote and not Path(src).is_dir():
        _err(f"{src}: {'not a directory' if Path(src).exists() else 'no such directory'}")
        raise typer.Exit(2)
    if src.rstrip("/") == dest.rstrip("/") or (not remote and Path(dest).resolve() == Path(src).resolve()):
        _err("DEST must differ from SRC")
        raise typer.Exit(2)
    staging = Staging() if remote else None
    try:
        local_src, local_dest = Path(src), Path(dest)
        if staging is not None and is_remote(src):
            local_src = Path(staging.new_folder())
            fetch_tree(src, str(local_src))
        if staging is not None and is_remote(dest):
            local_dest = Path(staging.new_folder())
            fetch_tree(dest, str(local_dest), missing_ok=True)  # its manifest and outputs: a rerun resumes
        status = _run(local_src, local_dest, dest, cfg, scheduler, workers, force, field, html, max_bytes, glob,
                      templates, output_field)
        if is_remote(dest):
            upload_tree(str(local_dest), dest, skip=(".cleaner/tmp",))
    except RemoteError as exc:
        _err(str(exc))
        raise typer.Exit(2)
    finally:
        if staging:
            staging.close()
    raise typer.Exit(status)


def _run(src: Path, dest: Path, shown_dest: str, cfg, scheduler, workers, force, field, html, max_bytes, glob,
         templates, output_field) -> int:
    """The batch itself, on local folders; its exit status."""
    from cleaner.run.batch import Refused, run
    from cleaner.commands.common import err as _err
    from cleaner.io.walk import DEFAULT_GLOBS

    engine = None
    if scheduler:
        try:
            from cleaner.engines.dask_cluster import engine_for
        except ImportError:
            _err("--scheduler needs Dask: pip install 'webtext-cleaner[dask]'")
            raise typer.Exit(2)
        engine = engine_for(scheduler)
    progress, finish = _progress()
    try:
        summary = run(src, dest, cfg, workers=workers or os.cpu_count() or 1, force=force, field=field,
                      html=html, max_bytes=max_bytes or None, globs=tuple(glob) if glob else DEFAULT_GLOBS,
                      templates=templates, engine=engine, progress=progress, output_field=output_field)
    except Refused as exc:
        _err(str(exc))
        raise typer.Exit(2)
    finally:
        finish()
    sys.stderr.write(f"cleaner batch: {summary.line()}\n")
    for error in summary.errors[:10]:
        where = f":{error['line']}" if "line" in error else ""
        sys.stderr.write(f"  error: {error['input']}{where}: {error['reason']}\n")
    if len(summary.errors) > 10:
        sys.stderr.write(f"  ... {len(summary.errors) - 10} more in {shown_dest}/.cleaner/errors.jsonl\n")
    return 1 if summary.errors else 0


class _BatchProgress:
    """The batch's passes on a terminal bar: one step per input file."""

    def __init__(self, bar) -> None:
        self.bar = bar

    def phase(self, name: str, files: int) -> None:
        self.bar.phase(name, files)

    def advance(self, result: dict) -> None:
        self.bar.advance(docs=result.get("documents", 0), nbytes=result.get("bytes_in", 0))


def _progress():
    """A progress bar on a terminal; nothing otherwise (the summary line says it all)."""
    from cleaner.progress import on_terminal

    bar = on_terminal()
    if bar is None:
        return None, lambda: None
    return _BatchProgress(bar), bar.stop


def register(app: typer.Typer) -> None:
    app.command()(batch)
