"""The command line: a thin typer layer over the library.

Exit status: 0 all clean; 1 some documents or records failed; 2 usage error or an input
that cannot be read (missing, binary, bad config).
"""

from __future__ import annotations

import json
import os
import sys
import time
import zlib
from contextlib import ExitStack
from pathlib import Path
from typing import Optional

import typer

from cleaner.commands import register_all
from cleaner.commands.common import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
from cleaner.commands.common import err as _err
from cleaner.commands.common import Extractor, ExtractorOpt
from cleaner.commands.common import load_config as _load_config
from cleaner.io.sources import DEFAULT_MAX_BYTES

app = typer.Typer(
    name="cleaner",
    help="Turn scraped web text into clean paragraphs, with a replayable log of every change.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

ConfigOpt = typer.Option(None, "--config", "-c", help="TOML file: switch stages/rules off, thresholds, drop/keep patterns.", show_default=False)
HtmlOpt = typer.Option(None, "--html/--text", help="Treat documents as HTML (extract the main text first, see --extractor) or as text. Default: HTML when a document starts like HTML.", show_default=False)


def _show_version(value: bool) -> None:
    if value:
        from cleaner import __version__

        sys.stdout.write(f"cleaner {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", help="Print the version and exit.", is_eager=True,
                                 callback=_show_version),
) -> None:
    """Turn scraped web text into clean paragraphs, with a replayable log of every change."""


def _report_timeouts(name: str, result) -> int:
    """One line per rule whose pattern ran past its time limit; EXIT_SOME_FAILED if any."""
    from cleaner.patterns import timeout_message

    timeouts = result.meta.get("pattern_timeouts", ())
    for stage, detail in timeouts:
        _err(f"{name}: {timeout_message(stage, detail)}")
    return EXIT_SOME_FAILED if timeouts else EXIT_OK


def _report_no_main_content(name: str, result) -> None:
    """One line when an HTML page's main text came to too few words to keep (rule
    ``too_few_words``): an empty output then says why on stderr, not only in the log."""
    for edit in result.edits:
        if edit.rule == "too_few_words":
            _err(f"{name}: no main content: its text came to {edit.detail['words']} words, under "
                 f"[thresholds.extract] min_words = {edit.detail['min_words']} (0 keeps them)")


def _clean_one(pipeline, name: str, data, **kwargs):
    """Clean one document; a document the pipeline cannot clean prints one line naming it
    (the traceback with CLEANER_DEBUG=1) and gives None."""
    from cleaner.io.html import ExtractError

    try:
        return pipeline.clean(data, **kwargs)
    except ExtractError as exc:
        _err(f"{name}: {exc}")
    except Exception as exc:
        from cleaner.decode import NotTextError

        if isinstance(exc, NotTextError):
            raise
        if os.environ.get("CLEANER_DEBUG"):
            raise
        _err(f"{name}: internal error: {type(exc).__name__}: {exc} (set CLEANER_DEBUG=1 for the traceback)")
    return None


class StdoutClosed(Exception):
    """The reader of stdout went away (``cleaner clean big.jsonl | head``). Not an OSError,
    which the command-line framework would turn into exit status 1 on its own: :func:`main`
    ends every command quietly with status 0 instead, however the pipe closed."""


def _write(text: str, handle=None) -> None:
    """Write to stdout (or to ``handle``, an output file)."""
    try:
        (handle or sys.stdout.buffer).write(text.encode("utf-8", errors="surrogateescape"))
    except BrokenPipeError:
        raise StdoutClosed from None


def _flush() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise StdoutClosed from None


@app.command()
def clean(
    files: list[str] = typer.Argument(None, help="Files to clean; none or - reads stdin.", show_default=False),
    config: Optional[Path] = ConfigOpt,
    jsonl: Optional[bool] = typer.Option(None, "--jsonl/--no-jsonl", help="Input and output are JSON Lines; one field of each record is cleaned, the rest kept. Default: on when every file is named .jsonl or .jsonl.gz.", show_default=False),
    field: str = typer.Option("text", "--field", help="JSON Lines and tables: the field (column) to clean. Records without it are passed through unchanged (exit status 1 when no record has it)."),
    html: Optional[bool] = HtmlOpt,
    extractor: Extractor = ExtractorOpt,
    log: Optional[Path] = typer.Option(None, "--log", help="Write the provenance log here (JSON Lines, one record per edit).", show_default=False),
    templates: Optional[Path] = typer.Option(None, "--templates", help="Site templates from `cleaner learn`: drop each site's learned template lines in one streaming pass.", show_default=False),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=0, help="Refuse a document larger than this: a file, or with --jsonl a record (the others go on). 0: no limit."),
    workers: int = typer.Option(1, "--workers", "-w", min=0, help="With --jsonl: learn the site templates and clean the records on this many processes (0: all cores); the output is what one process gives, in the input's order."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write the output to this file instead of stdout (a local path or a URL such as s3://bucket/out.jsonl).", show_default=False),
    output_dir: Optional[str] = typer.Option(None, "--output-dir", help="Write each input's output to a file of the same name in this directory or URL prefix (.gz dropped).", show_default=False),
    output_field: Optional[str] = typer.Option(None, "--output-field", help="JSON Lines and tables: put the clean text in this field (column) and keep the original --field beside it.", show_default=False),
    stats: Optional[Path] = typer.Option(None, "--stats", help="Write the run's figures here as JSON: documents, characters in, out, removed and changed by layout, and per rule its edits and characters.", show_default=False),
) -> None:
    """Clean text files (or stdin) and write the clean text to stdout.

    Files named .jsonl (.jsonl.gz) are JSON Lines; .parquet and .arrow files are tables
    (needs webtext-cleaner\\[parquet]): the --field column is cleaned, every other column
    kept, one row group at a time. Inputs and outputs may be URLs that fsspec opens
    (s3://, gs://, hf://...).

    Each document comes out as paragraphs separated by one blank line, ending with a newline.
    With --log, every change is recorded with its stage, rule and offsets, so
    `cleaner restore` can rebuild the input exactly.

    With --jsonl and no --templates, the input is read twice: one pass learns
    each site's template lines (menus, slogans, footers repeated on its pages),
    the next cleans. A record's site is the host of its url, else its site field.
    Stdin is spooled to a temporary file; `\\[stages] templates = false` skips this.
    """
    from cleaner.decode import NotTextError
    from cleaner.io.sources import InputError, bounded_lines, is_jsonl_name, open_binary, read_bytes
    from cleaner.io.outputs import OutputError, Outputs
    from cleaner.io.remote import RemoteError, Staging
    from cleaner.io.tables import table_format
    from cleaner.pipeline import Pipeline
    from cleaner.progress import on_terminal
    from cleaner.provenance import LogWriter
    from cleaner.stats import DocStats, Totals
    from cleaner.run.stream import clean_lines

    from cleaner.corpus.model import ModelError
    from cleaner.run.two_pass import templates_for_clean

    started = time.perf_counter()

    names = files or ["-"]
    if log is not None:
        _refuse_log_over_input(log, names)
    tables = {name for name in names if name != "-" and table_format(name)}
    if jsonl is None:
        jsonl = bool(files) and all(is_jsonl_name(name) or name in tables for name in files) and len(tables) < len(files)
    if workers != 1 and not jsonl:
        _err("--workers needs --jsonl (for many files, `cleaner batch --workers` cleans them in parallel)")
        raise typer.Exit(EXIT_USAGE)
    if output_field is not None and not (jsonl or tables):
        _err("--output-field needs JSON Lines or a table (a text document has no fields)")
        raise typer.Exit(EXIT_USAGE)
    workers = workers or os.cpu_count() or 1
    cfg = _load_config(config, extractor)
    staging = Staging()
    try:
        outputs = Outputs(names, output, output_dir, tables, staging)
    except OutputError as exc:
        staging.close()
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE)
    status = EXIT_OK
    records = missing = 0  # JSON Lines records read, and those without the field
    totals = Totals()
    bar = on_terminal() if jsonl or len(names) > 1 else None  # long runs show progress on stderr
    with ExitStack() as stack:
        stack.callback(staging.close)
        if bar:
            stack.callback(bar.stop)
        stack.callback(outputs.close)
        local, unreachable = _fetch_remote(names, staging)  # remote inputs, copied here
        status = max(status, EXIT_USAGE if unreachable else EXIT_OK)
        names = [name for name in names if name not in unreachable]
        try:
            model, paths, extracted = templates_for_clean(templates, cfg, jsonl or bool(tables),
                                                           [local.get(n, n) for n in names if jsonl or n in tables],
                                                           field, html, stack, bar, workers, max_bytes or None)
        except ModelError as exc:  # a --templates file that cannot be read
            _err(str(exc))
            raise typer.Exit(EXIT_USAGE)
        pipeline = Pipeline(cfg, templates=model, extracted=extracted)
        log_handle = LogWriter(stack.enter_context(_open_log(log))) if log else None
        if bar:
            sources = [paths.get(local.get(n, n), local.get(n, n)) for n in names]
            sizes = [os.path.getsize(p) if p != "-" and os.path.isfile(p) and not p.endswith(".gz") and n not in tables
                     else None for n, p in zip(names, sources)]  # a .gz file's or a table's size is not what it holds
            if jsonl or tables:
                bar.phase("cleaning", None if None in sizes else sum(size or 0 for size in sizes), unit="bytes")
            else:
                bar.phase("cleaning", len(names))
        for name in names:
            source = local.get(name, name)
            if name in tables:
                done, failed, missed = _clean_table_file(pipeline, name, source, field, output_field, html, outputs,
                                                         log_handle, bar, totals)
                status = max(status, failed)
                records += done
                missing += missed
                continue
            try:
                out = outputs.handle(name)
            except OutputError as exc:
                _err(str(exc))
                status = max(status, EXIT_USAGE)
                continue
            if jsonl:
                path = paths.get(source, source)
                try:
                    stream = stack.enter_context(open_binary(path)) if path != "-" else open_binary(path)
                except InputError as exc:
                    _err(str(exc))
                    status = max(status, EXIT_USAGE)
                    continue
                try:
                    for outcome in clean_lines(enumerate(bounded_lines(stream, max_bytes or None), start=1), pipeline, name, field=field, html=html,
                                               with_log=log_handle is not None, workers=workers,
                                               output_field=output_field):
                        if bar:
                            bar.advance(outcome.size, docs=1, nbytes=outcome.size)
                        for message in outcome.messages:
                            _err(message)
                        if outcome.failed:
                            status = max(status, EXIT_SOME_FAILED)
                        records += outcome.record
                        missing += outcome.missing
                        if outcome.stats:
                            totals.add(outcome.stats, outcome.size)
                        if outcome.line:
                            _write(outcome.line, out)
                        if outcome.log and log_handle is not None:
                            log_handle.add(outcome.log)
                except (OSError, EOFError, zlib.error) as exc:
                    _err(f"{name}: corrupt or truncated ({exc})")
                    status = max(status, EXIT_USAGE)
                continue
            try:
                data = read_bytes(source, max_bytes or None)
                if bar:
                    bar.advance(1, docs=1, nbytes=len(data))
                result = _clean_one(pipeline, name, data, doc_id=name, html=html)
            except InputError as exc:
                _err(str(exc))
                status = max(status, EXIT_USAGE)
                continue
            except NotTextError:
                _err(f"{name}: not a text file (binary data)")
                status = max(status, EXIT_USAGE)
                continue
            if result is None:
                status = max(status, EXIT_SOME_FAILED)
                continue
            status = max(status, _report_timeouts(name, result))
            _report_no_main_content(name, result)
            totals.add(DocStats.of(result.decoded, result.text, result.edits), len(data))
            _write(result.text, out)
            if log_handle:
                log_handle.add_records(result.records())
        try:
            outputs.finish()
        except RemoteError as exc:
            _err(str(exc))
            status = max(status, EXIT_USAGE)
        if log_handle:
            log_handle.end()  # the log is whole: restore checks it holds what it says
    _flush()
    if missing:
        if missing == records:
            _err(f"no record has a string field {field!r} ({missing} passed through unchanged; --field names the field to clean)")
            status = max(status, EXIT_SOME_FAILED)
        else:
            _err(f"{missing} of {records} records have no string field {field!r}; passed through unchanged")
    seconds = time.perf_counter() - started
    if (jsonl or tables) and totals.documents:
        sys.stderr.write(f"cleaner clean: {totals.line(seconds)}\n")
    if stats is not None:
        try:
            stats.write_text(json.dumps(totals.to_dict(seconds), indent=1) + "\n", encoding="utf-8")
        except OSError as exc:
            _err(f"{stats}: cannot write ({exc.strerror or exc})")
            status = max(status, EXIT_USAGE)
    raise typer.Exit(status)


def _fetch_remote(names: list[str], staging) -> tuple[dict[str, str], set[str]]:
    """Remote inputs copied to local files: ``(name -> local path, names that could not be
    fetched)``; each failure is said on stderr."""
    from cleaner.io.remote import RemoteError, fetch, is_remote

    local: dict[str, str] = {}
    failed: set[str] = set()
    for name in dict.fromkeys(names):
        if is_remote(name):
            try:
                local[name] = fetch(name, staging.new_folder())
            except RemoteError as exc:
                _err(str(exc))
                failed.add(name)
    return local, failed


def _clean_table_file(pipeline, name: str, source: str, field: str, output_field: Optional[str], html, outputs,
                      log_handle, bar, totals) -> tuple[int, int, int]:
    """Clean one Parquet or Arrow file's ``field`` column (input ``name``, read from the
    local file ``source``): ``(rows, status, rows without the field)``."""
    from cleaner.corpus.passes import record_origin
    from cleaner.io.tables import DROP, TableError, clean_table, table_format
    from cleaner.stats import DocStats

    status = EXIT_OK
    if not Path(source).is_file():
        _err(f"{name}: no such file" if not Path(source).exists() else f"{name}: not a file")
        return 0, EXIT_USAGE, 0

    def clean_row(text: str, origin: dict, number: int):
        nonlocal status
        where = f"{name}:{number}"
        url, site = record_origin(origin)
        doc_id = str(origin["id"]) if origin.get("id") is not None else where
        result = _clean_one(pipeline, where, text, doc_id=doc_id, html=html, url=url, site=site)
        if bar:
            bar.advance(len(text), docs=1, nbytes=len(text))
        if result is None:
            status = EXIT_SOME_FAILED
            return DROP
        status = max(status, _report_timeouts(where, result))
        totals.add(DocStats.of(result.decoded, result.text, result.edits), len(text.encode("utf-8", "surrogatepass")))
        if log_handle:
            log_handle.add_records(result.records())
        return result.text

    target = outputs.path(name)
    sink = target if target is not None else sys.stdout.buffer
    try:
        counts = clean_table(source, sink, field, clean_row, kind=table_format(name) or "", output_field=output_field)
    except TableError as exc:
        _err(f"{name}: {exc}")
        return 0, EXIT_USAGE, 0
    except OSError as exc:
        if target is None and (isinstance(exc, BrokenPipeError) or "Broken pipe" in str(exc)):
            raise StdoutClosed from None
        _err(f"{name}: {exc.strerror or exc}")
        return 0, EXIT_USAGE, 0
    return counts.rows, status, counts.missing


def _refuse_log_over_input(log: Path, names: list[str]) -> None:
    """A log written over an input would destroy it before it is read: a usage error."""
    for name in names:
        if name != "-" and log.exists() and os.path.exists(name) and os.path.samefile(log, name):
            _err(f"--log {log} is the input {name}: writing the log would destroy it")
            raise typer.Exit(EXIT_USAGE)


def _open_log(path: Path):
    try:
        return open(path, "w", encoding="utf-8", newline="\n")
    except OSError as exc:
        _err(f"{path}: cannot write log ({exc.strerror or exc})")
        raise typer.Exit(EXIT_USAGE)


@app.command()
def explain(
    file: str = typer.Argument(..., help="The file to clean and explain (- for stdin), or a batch output directory."),
    doc_id: Optional[str] = typer.Argument(None, metavar="[DOC_ID]", help="With a batch output directory: the document to show.", show_default=False),
    config: Optional[Path] = ConfigOpt,
    html: Optional[bool] = HtmlOpt,
    extractor: Extractor = ExtractorOpt,
    removed_only: bool = typer.Option(False, "--removed-only", help="List only the changes, one line each: rule, offsets, text."),
    field: str = typer.Option("text", "--field", help="With a batch output of JSON Lines: the field that was cleaned."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colours (default: on a terminal only).", show_default=False),
) -> None:
    """Show a document with every removal marked and named by its rule.

    On a terminal, removed text is struck through and coloured by stage, each followed by
    its rule in angle brackets. Piped, removals print as [-text-]{rule}.
    """
    from cleaner.decode import NotTextError
    from cleaner.explain import plain, removal_lines, rich_text
    from cleaner.io.sources import InputError, read_bytes
    from cleaner.pipeline import Pipeline

    if Path(file).is_dir():
        doc_id_shown, decoded, edits = _from_batch_output(Path(file), doc_id, field)
    else:
        pipeline = Pipeline(_load_config(config, extractor))
        try:
            result = _clean_one(pipeline, file, read_bytes(file), doc_id=file, html=html)
        except InputError as exc:
            _err(str(exc))
            raise typer.Exit(EXIT_USAGE)
        except NotTextError:
            _err(f"{file}: not a text file (binary data)")
            raise typer.Exit(EXIT_USAGE)
        if result is None:
            raise typer.Exit(EXIT_SOME_FAILED)
        _report_timeouts(file, result)
        doc_id_shown, decoded, edits = result.id, result.decoded, result.edits
    if removed_only:
        lines = removal_lines(doc_id_shown, edits)
        _write("\n".join(lines) + ("\n" if lines else ""))
        return
    use_color = sys.stdout.isatty() if color is None else color
    if use_color:
        from rich.console import Console

        try:
            Console(force_terminal=True, highlight=False).print(rich_text(decoded, edits), end="")
            sys.stdout.write("\n" if not decoded.endswith("\n") else "")
        except BrokenPipeError:
            raise StdoutClosed from None
    else:
        _write(plain(decoded, edits))


def _from_batch_output(dest: Path, doc_id: Optional[str], field: str):
    """One document of a batch output directory, read back from its output and log."""
    from cleaner.review import find_in_batch, is_batch_output

    if not is_batch_output(dest):
        _err(f"{dest}: a directory, but not a batch output (no .cleaner/logs); use `cleaner batch`")
        raise typer.Exit(EXIT_USAGE)
    if doc_id is None:
        _err(f"{dest}: name the document to explain (explain DEST DOC_ID)")
        raise typer.Exit(EXIT_USAGE)
    try:
        doc = find_in_batch(dest, doc_id, field)
    except (OSError, ValueError, KeyError) as exc:
        _err(f"{dest}: cannot read the batch output ({exc})")
        raise typer.Exit(EXIT_USAGE)
    if doc is None:
        _err(f"{dest}: no document {doc_id!r}")
        raise typer.Exit(EXIT_USAGE)
    return doc.id, doc.original, doc.edits


@app.command()
def restore(
    clean_file: str = typer.Argument(..., metavar="CLEAN", help="The clean output (text, or JSON Lines with --jsonl)."),
    log_file: Path = typer.Argument(..., metavar="LOG", help="The provenance log written by --log."),
    jsonl: bool = typer.Option(False, "--jsonl", help="CLEAN is JSON Lines; restore the cleaned field of each record."),
    field: str = typer.Option("text", "--field", help="With --jsonl: the field that was cleaned."),
    doc: Optional[str] = typer.Option(None, "--doc", help="The document id to restore when the log holds several.", show_default=False),
) -> None:
    """Rebuild the decoded input exactly from a clean output and its log.

    Writes the original text (or, with --jsonl, the records with their original field) to stdout.
    """
    from cleaner.io.sources import InputError, read_bytes
    from cleaner.provenance import LoggedDocument, check_complete, documents, read_records

    try:
        with open(log_file, encoding="utf-8") as handle:
            records = read_records(handle)
        docs = documents(records)
    except OSError as exc:
        _err(f"{log_file}: cannot read ({exc.strerror or exc})")
        raise typer.Exit(EXIT_USAGE)
    except (ValueError, KeyError) as exc:
        _err(f"{log_file}: not a cleaner log ({exc})")
        raise typer.Exit(EXIT_USAGE)
    try:
        check_complete(records, docs)
    except ValueError as exc:
        _err(f"{log_file}: {exc}")
        raise typer.Exit(EXIT_USAGE)
    try:
        if jsonl:
            raise typer.Exit(_restore_jsonl(clean_file, field, docs))
        text = read_bytes(clean_file).decode("utf-8", errors="surrogateescape")
    except InputError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_USAGE)
    if doc is not None:
        chosen = [logged for logged in docs if logged.id == doc]
        if len(chosen) != 1:
            _err(f"{log_file}: {'no' if not chosen else 'several'} document(s) with id {doc!r}")
            raise typer.Exit(EXIT_USAGE)
        logged = chosen[0]
    elif len(docs) > 1:
        _err(f"{log_file} holds {len(docs)} documents; choose one with --doc")
        raise typer.Exit(EXIT_USAGE)
    else:
        logged = docs[0] if docs else LoggedDocument("", [], {})
    try:
        _write(logged.restore(text))
    except ValueError as exc:
        _err(f"{clean_file}: {exc}")
        raise typer.Exit(EXIT_SOME_FAILED)


def _restore_jsonl(clean_file: str, field: str, docs) -> int:
    """Restore each record's field; the n-th cleaned record pairs with the log's n-th document."""
    from cleaner.io.sources import iter_jsonl, open_binary

    status = EXIT_OK
    pending = iter(docs)
    for item in iter_jsonl(open_binary(clean_file), clean_file):
        if item.record is None:
            _err(item.error or "bad record")
            status = EXIT_SOME_FAILED
            continue
        value = item.record.get(field)
        if isinstance(value, str):
            logged = next(pending, None)
            if logged is None:
                _err(f"{clean_file}:{item.lineno}: the log has no document left for this record")
                status = EXIT_SOME_FAILED
            else:
                try:
                    value = logged.restore(value)
                except ValueError as exc:
                    _err(f"{clean_file}:{item.lineno} ({logged.id}): {exc}")
                    status = EXIT_SOME_FAILED
            _write(item.line(field, value))
        else:
            _write(item.line())
    left = sum(1 for _ in pending)
    if left:
        _err(f"{clean_file}: {left} document(s) of the log have no record here: records are missing")
        status = EXIT_SOME_FAILED
    return status


@app.command()
def rules() -> None:
    """List every stage and rule, in pipeline order, with a one-line description."""
    from cleaner.registry import all_stages

    out: list[str] = []
    for stage in all_stages():
        out.append(f"{stage.name}: {stage.description}")
        for each in stage.rules:
            reads = f" (thresholds: {', '.join(each.thresholds)})" if each.thresholds else ""
            out.append(f"  {each.id}: {each.description}{reads}")
        for name, (default, kind, description) in stage.settings.described().items():
            out.append(f"  [thresholds.{stage.name}] {name} = {default!r} ({getattr(kind, '__name__', kind)}): {description}")
    _write("\n".join(out) + "\n")



register_all(app)


_TERMINATED: list[int] = []


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM, handled as Ctrl-C is: temporary files removed, workers stopped."""
    _TERMINATED.append(signum)
    raise KeyboardInterrupt


def _warnings_to_stderr() -> None:
    """The library's warnings (a worker process that died and whose work is done again) as
    one ``cleaner: `` line each on stderr, like the commands' own messages."""
    import logging

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("cleaner: %(message)s"))
    logger = logging.getLogger("cleaner")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False


def main() -> None:
    """Console entry point: run the app; a closed pipe ends quietly; SIGTERM cleans up as
    Ctrl-C does (exit status 143)."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    _warnings_to_stderr()
    try:
        app(prog_name="cleaner")
    except (BrokenPipeError, StdoutClosed):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:
        _err("terminated" if _TERMINATED else "interrupted")
        sys.exit(143 if _TERMINATED else 130)
    except SystemExit:
        if _TERMINATED:  # the framework turned it into exit status 130, as for Ctrl-C
            _err("terminated")
            sys.exit(143)
        raise
    except OSError as exc:  # the machine, not a bug: a full disk, a read-only or missing folder
        if os.environ.get("CLEANER_DEBUG"):
            raise
        what = exc.filename if exc.filename is not None else "cannot write the output"
        _err(f"{what}: {exc.strerror or exc}")
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # a bug, not a user error: one line, the traceback on request
        if os.environ.get("CLEANER_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set CLEANER_DEBUG=1 for the traceback)")
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    main()
