"""Batch cleaning: SRC to DEST, resumable, atomic, errors isolated.

Layout of DEST:
- cleaned outputs at the same relative paths as their inputs (``.gz`` dropped, WARC as JSONL);
- ``.cleaner/logs/<output>.log.jsonl``: the provenance log of each output (records carry a
  ``source`` field), readable by ``cleaner restore`` and ``cleaner explain``;
- ``.cleaner/manifest.jsonl``: one line per finished input (its content hash and the hash of
  the configuration), appended only after its output is in place; an input with bad records
  is written but not marked done, so every run reports (and retries) it;
- ``.cleaner/errors.jsonl``: what failed in the last run, and why;
- ``.cleaner/templates.json``: the site templates learned in the first pass, if any;
- ``.cleaner/counts/``: what the first pass counted in each input (:mod:`cleaner.run.learned`),
  so that a rerun counts only new and changed inputs.

An input is cleaned again when its content or the configuration changed, or when the
template lines that apply to it did (:func:`cleaner.run.learned.applied`); new pages of one
site do not redo the other sites' outputs.

:func:`count_input` (the template pass) and :func:`process` (cleaning) each handle one input
file and are all a worker runs; engines (local processes, Dask) only decide where they run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

from cleaner.config import Config
from cleaner.decode import NotTextError
from cleaner.io.formats import AtomicFile, TooLarge, Unreadable, iter_lines, kind_of, open_input, output_name, read_all
from cleaner.io.sources import DEFAULT_MAX_BYTES, Oversized, dump_record, json_line, parse_line
from cleaner.patterns import timeout_message
from cleaner.provenance import end_record, record_lines
from cleaner.run.records import clean_record, record_id
from cleaner.stats import content_removed, share_removed
from cleaner.io.walk import DEFAULT_GLOBS, walk

STATE = ".cleaner"


class Progress(Protocol):
    """What a batch reports as it goes (the command line draws it as a progress bar)."""

    def phase(self, name: str, files: int) -> None:
        """A pass over ``files`` inputs begins ("learning templates", then "cleaning")."""

    def advance(self, result: dict[str, Any]) -> None:
        """One input of the current pass is finished."""


@dataclass(frozen=True)
class Task:
    """One input file to clean (picklable: it travels to worker processes)."""

    src: str
    dest: str
    rel: str
    config: Config
    field: str = "text"
    html: bool | None = None
    max_bytes: int | None = DEFAULT_MAX_BYTES  # the largest document: a file, a record
    templates: str | None = None  # path of a learned template model
    extracted: str | None = None  # path of the run's store of extracted pages (cleaner.io.extracted)
    output_field: str | None = None  # JSONL and tables: where the clean text goes (default: field)


@dataclass
class Summary:
    files: int = 0
    skipped: int = 0
    documents: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    chars_in: int = 0
    chars_out: int = 0
    chars_removed: int = 0  # content removed (cleaner.stats: layout edits are not counted)
    errors: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    learned: Learned | None = None  # the template pass, when it ran

    def add(self, result: dict[str, Any]) -> None:
        self.files += 1
        for key in ("documents", "bytes_in", "bytes_out", "chars_in", "chars_out", "chars_removed"):
            setattr(self, key, getattr(self, key) + result[key])
        self.errors.extend(result["errors"])

    def line(self) -> str:
        removed = share_removed(self.chars_in, self.chars_removed)
        line = (f"{self.files} files ({self.skipped} already done), {self.documents} documents, "
                f"{self.bytes_in / 1e6:.1f} MB in, {self.bytes_out / 1e6:.1f} MB out, "
                f"{removed:.1%} removed, {len(self.errors)} errors, {self.seconds:.1f} s")
        if self.learned is not None:
            line += (f"; templates: {self.learned.read} files read ({self.learned.documents} documents), "
                     f"{self.learned.kept} counted before")
        return line


@dataclass
class Learned:
    """What the template pass gives the cleaning pass, and what it read."""

    path: str | None = None  # the saved model; None when nothing was learned
    digests: dict[str, str | None] = field(default_factory=dict)  # per input: cleaner.run.learned.applied
    errors: list[dict[str, Any]] = field(default_factory=list)
    read: int = 0  # inputs counted by this run
    documents: int = 0  # the documents they held
    kept: int = 0  # inputs whose counts an earlier run had kept


# -- one input -----------------------------------------------------------------------------

_PIPELINES: dict[tuple[str, str | None, str | None, bool], Any] = {}


def _pipeline(config: Config, templates: str | None, extracted: str | None = None, keeping: bool = False):
    """One pipeline per worker process and configuration, built on first use. With
    ``extracted``, the pages it extracts are looked up in that store, and put there when
    ``keeping`` (the template pass)."""
    from cleaner.pipeline import Pipeline

    key = (config.fingerprint(), templates, extracted, keeping)
    if key in _PIPELINES:
        return _PIPELINES[key]
    model = store = None
    if templates:
        from cleaner.corpus.model import TemplateModel

        model = TemplateModel.load(templates)
    if extracted:
        from cleaner.io.extracted import ExtractedTexts

        store = ExtractedTexts.open(extracted)
        if store is not None:
            store.keeping = keeping
    _PIPELINES[key] = Pipeline(config, templates=model, extracted=store)
    return _PIPELINES[key]


def _forget_pipelines(extracted: str) -> None:
    """Close and drop this process's pipelines that use the store at ``extracted`` (the run
    that made it is over)."""
    for key in [key for key in _PIPELINES if key[2] == extracted]:
        store = _PIPELINES.pop(key).extracted
        if store is not None:
            store.close()


def _result(task: Task) -> dict[str, Any]:
    """The summary of one input before it is cleaned."""
    return {"input": task.rel, "output": str(output_name(Path(task.rel))), "documents": 0, "bytes_in": 0,
            "bytes_out": 0, "chars_in": 0, "chars_out": 0, "chars_removed": 0, "errors": [], "done": False, "hash": ""}


def process(task: Task) -> dict[str, Any]:
    """Clean one input file into DEST; return a small summary (errors included)."""
    src, dest, rel = Path(task.src), Path(task.dest), Path(task.rel)
    out_rel = output_name(rel)
    state = dest / STATE
    result = _result(task)
    result["hash"] = _hash_or_empty(src / rel)
    out = AtomicFile(dest / out_rel, state / "tmp")
    log = AtomicFile(state / "logs" / f"{out_rel}.log.jsonl", state / "tmp")
    try:
        writer = _WRITERS[kind_of(rel)]
        writer(task, src / rel, out, log, result)
        log.write(record_lines([end_record(result["documents"])], source=task.rel).encode())
        out.commit()
        log.commit()
        result["done"] = True
    except (TooLarge, Unreadable, NotTextError, ValueError) as exc:
        out.abort()
        log.abort()
        reason = "not a text file (binary data)" if isinstance(exc, NotTextError) else str(exc)
        result["errors"].append({"input": task.rel, "reason": reason})
    except Exception as exc:  # a bug met on this input: it fails, the batch goes on
        out.abort()
        log.abort()
        if os.environ.get("CLEANER_DEBUG"):
            raise
        result["errors"].append({"input": task.rel, "reason": _internal(exc)})
    except BaseException:
        out.abort()
        log.abort()
        raise
    return result


def _log(log: AtomicFile, records: list[dict[str, Any]], source: str) -> None:
    log.write(record_lines(records, source=source).encode())


def _count(result: dict[str, Any], clean) -> None:
    """Add one cleaned document's characters in, out and removed to an input's result."""
    result["chars_in"] += len(clean.decoded)
    result["chars_out"] += len(clean.text)
    result["chars_removed"] += content_removed(clean.edits)


def _timeouts(task: Task, doc_id: str, clean, result: dict) -> None:
    """A rule whose pattern timed out left the document unchanged by it: listed as an error
    (the document is written and logged; the input is retried on the next run)."""
    for stage, detail in clean.meta.get("pattern_timeouts", ()):
        result["errors"].append({"input": task.rel, "doc": doc_id, "reason": timeout_message(stage, detail)})


def _write_text(task: Task, path: Path, out: AtomicFile, log: AtomicFile, result: dict) -> None:
    from cleaner.corpus.passes import site_for_path

    data = read_all(path, task.max_bytes)
    html = task.html if task.html is not None else (True if kind_of(Path(task.rel)) == "html" else None)
    clean = _pipeline(task.config, task.templates, task.extracted).clean(
        data, doc_id=task.rel, html=html, site=site_for_path(task.src, path))
    _timeouts(task, task.rel, clean, result)
    body = clean.text.encode("utf-8", errors="surrogateescape")
    out.write(body)
    _log(log, clean.records(), task.rel)
    result.update(documents=1, bytes_in=len(data), bytes_out=len(body))
    _count(result, clean)


def _clean_record(task: Task, record: dict, where: str, write: Callable[[str | None], str], out: AtomicFile,
                  log: AtomicFile, result: dict) -> None:
    """Clean one record's field and write the record as ``write`` lays it out (given the
    clean value, or None to leave the record as it is); a record that cannot be cleaned is
    listed and left out, the file's other records go on."""
    from cleaner.io.html import ExtractError

    line = write(None)
    doc_id = record_id(record, where)
    try:
        clean = clean_record(_pipeline(task.config, task.templates, task.extracted), record, task.field, where, task.html)
    except ExtractError as exc:
        result["errors"].append({"input": task.rel, "doc": doc_id, "reason": str(exc)})
        return
    except Exception as exc:
        if os.environ.get("CLEANER_DEBUG"):
            raise
        result["errors"].append({"input": task.rel, "doc": doc_id, "reason": _internal(exc)})
        return
    if clean is not None:  # None: the record has no text in the field, and is written as it is
        _timeouts(task, doc_id, clean, result)
        line = write(clean.text)
        _log(log, clean.records(), task.rel)
        _count(result, clean)
        result["documents"] += 1
    data = line.encode("utf-8", errors="surrogateescape")
    out.write(data)
    result["bytes_out"] += len(data)


def _internal(exc: BaseException) -> str:
    return f"internal error: {type(exc).__name__}: {exc} (set CLEANER_DEBUG=1 for the traceback)"


def _write_jsonl(task: Task, path: Path, out: AtomicFile, log: AtomicFile, result: dict) -> None:
    for lineno, raw in enumerate(iter_lines(path, task.max_bytes), start=1):
        result["bytes_in"] += len(raw)
        item = parse_line(raw, task.rel, lineno)
        if item is None:
            continue
        if item.record is None:
            reason = (item.error or "bad record").split(": ", 1)[-1]
            result["errors"].append({"input": task.rel, "line": lineno, "reason": reason})
            continue
        write = lambda value, item=item: item.line() if value is None else item.line(task.output_field or task.field, value)  # noqa: E731
        _clean_record(task, item.record, f"{task.rel}:{lineno}", write, out, log, result)


def _write_warc(task: Task, path: Path, out: AtomicFile, log: AtomicFile, result: dict) -> None:
    from cleaner.io.warc import html_responses

    with open_input(path, None) as stream:
        try:
            stray = lambda message: result["errors"].append({"input": task.rel, "reason": message})  # noqa: E731
            for n, (url, date, body) in enumerate(html_responses(stream, task.max_bytes, stray), start=1):
                result["bytes_in"] += len(body)
                if isinstance(body, Oversized):
                    result["errors"].append({"input": task.rel, "doc": f"{task.rel}:{n}", "reason": f"record of {body.reason}"})
                    continue
                record = {"id": f"{task.rel}:{n}", "url": url, "date": date, task.field: body.decode("utf-8", "replace")}
                write = lambda value, record=record: dump_record(record if value is None else {**record, task.output_field or task.field: value})  # noqa: E731
                _clean_record(replace(task, html=True), record, record["id"], write, out, log, result)
        except (OSError, EOFError) as exc:
            raise Unreadable(f"corrupt WARC: {exc}") from None


def _write_table(task: Task, path: Path, out: AtomicFile, log: AtomicFile, result: dict) -> None:
    """A Parquet or Arrow file: the field's column cleaned row group by row group, the other
    columns kept; a row that cannot be cleaned is listed and left out."""
    from cleaner.corpus.passes import record_origin
    from cleaner.io.html import ExtractError
    from cleaner.io.tables import DROP, TableError, clean_table, table_format

    pipeline = _pipeline(task.config, task.templates, task.extracted)

    def clean_row(text: str, origin: dict, number: int):
        doc_id = str(origin["id"]) if origin.get("id") is not None else f"{task.rel}:{number}"
        if task.max_bytes and len(text) > task.max_bytes:  # --max-bytes bounds each document (here in characters)
            result["errors"].append({"input": task.rel, "doc": doc_id,
                                     "reason": f"record of {len(text)} characters, over --max-bytes ({task.max_bytes})"})
            return DROP
        url, site = record_origin(origin)
        try:
            clean = pipeline.clean(text, doc_id=doc_id, html=task.html, url=url, site=site)
        except ExtractError as exc:
            result["errors"].append({"input": task.rel, "doc": doc_id, "reason": str(exc)})
            return DROP
        except Exception as exc:
            if os.environ.get("CLEANER_DEBUG"):
                raise
            result["errors"].append({"input": task.rel, "doc": doc_id, "reason": _internal(exc)})
            return DROP
        _timeouts(task, doc_id, clean, result)
        _log(log, clean.records(), task.rel)
        _count(result, clean)
        result["documents"] += 1
        return clean.text

    try:
        clean_table(str(path), out.handle, task.field, clean_row, kind=table_format(path.name) or "parquet",
                    output_field=task.output_field)
    except TableError as exc:
        raise Unreadable(str(exc)) from None
    out.handle.flush()
    result["bytes_in"] = path.stat().st_size
    result["bytes_out"] = out.handle.tell()


_WRITERS: dict[str, Callable[..., None]] = {"text": _write_text, "html": _write_text, "jsonl": _write_jsonl,
                                            "warc": _write_warc, "table": _write_table}


# -- the whole batch -----------------------------------------------------------------------

def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _hash_or_empty(path: Path) -> str:
    try:
        return file_hash(path)
    except OSError:
        return ""


def read_manifest(dest: Path) -> dict[str, dict[str, Any]]:
    """Finished inputs by relative path (the last line for an input wins)."""
    done: dict[str, dict[str, Any]] = {}
    path = dest / STATE / "manifest.jsonl"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
                done[entry["input"]] = entry
            except (json.JSONDecodeError, KeyError, TypeError):
                continue  # a line cut short by a crash: that input is simply redone
    return done


class Manifest:
    """The manifest, appended in group commits: finished inputs wait until one ``os.sync()``
    has put their outputs on disk (at most every ``every`` seconds, and at the end), then
    their lines are written. A crash or power loss before that only means the inputs are
    redone; the manifest never lists an output that is not on disk."""

    def __init__(self, path: Path, every: float = 5.0):
        self.handle = open(path, "a", encoding="utf-8")
        self.every = every
        self.pending: list[dict[str, Any]] = []
        self.synced = time.monotonic()

    def add(self, entry: dict[str, Any]) -> None:
        self.pending.append(entry)
        if time.monotonic() - self.synced >= self.every:
            self.commit()

    def commit(self) -> None:
        self.synced = time.monotonic()
        if not self.pending:
            return
        os.sync()
        self.handle.write("".join(json.dumps(entry) + "\n" for entry in self.pending))
        self.handle.flush()
        self.pending.clear()

    def __enter__(self) -> "Manifest":
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.commit()  # inputs finished before an error elsewhere stay done
        finally:
            self.handle.close()


@dataclass
class Plan:
    tasks: list[Task]
    skipped: int
    config_hash: str
    digests: dict[str, str | None] = field(default_factory=dict)  # of the template lines applied, per task


def plan(src: Path, dest: Path, config: Config, *, globs: tuple[str, ...] = DEFAULT_GLOBS,
         force: bool = False, field: str = "text", html: bool | None = None,
         max_bytes: int | None = DEFAULT_MAX_BYTES, templates: str | None = None, extracted: str | None = None,
         output_field: str | None = None, digests: dict[str, str | None] | None = None,
         hashes: dict[str, str] | None = None) -> Plan:
    """What must be (re)done: every input whose content or configuration changed, or the
    template lines that apply to it (``digests``, from the template pass; an input missing
    there is redone whenever there are ``templates``).

    Only an input the manifest lists is hashed here (unless ``hashes`` already holds it), to
    compare; each work unit hashes the input it cleans for the manifest (on many workers,
    in parallel).
    """
    from cleaner.run.learned import NO_TEMPLATES

    config_hash = config.fingerprint()
    done = {} if force else read_manifest(dest)
    content = {} if hashes is None else hashes
    tasks, skipped, applied = [], 0, {}
    for rel in walk(src, dest, globs):
        digest = (digests or {}).get(str(rel)) if templates else NO_TEMPLATES
        entry = done.get(str(rel))
        if entry and entry.get("config") == config_hash and digest is not None and entry.get("templates") == digest \
                and entry.get("hash") == content_hash(src, str(rel), content) and (dest / entry.get("output", "")).exists():
            skipped += 1
            continue
        tasks.append(Task(str(src), str(dest), str(rel), config, field, html, max_bytes, templates, extracted,
                          output_field))
        applied[str(rel)] = digest
    return Plan(tasks, skipped, config_hash, applied)


def content_hash(src: Path, rel: str, hashes: dict[str, str]) -> str:
    """The hash of input ``rel``, computed once per run (``hashes`` keeps it); "" when it
    cannot be read."""
    if rel not in hashes:
        hashes[rel] = _hash_or_empty(src / rel)
    return hashes[rel]


def _count_sources(task: Task) -> Iterator[tuple[bytes | str, str | None, str | None]]:
    """The documents of one input as template sources ``(data, url, site)``, read the way
    the cleaning pass reads them; an input that cannot be read ends early (the cleaning pass
    reports it)."""
    from cleaner.corpus.passes import record_origin, site_for_path
    from cleaner.io.warc import html_responses

    path, kind = Path(task.src) / task.rel, kind_of(Path(task.rel))
    try:
        if kind in ("text", "html"):
            yield read_all(path, task.max_bytes), None, site_for_path(task.src, path)
        elif kind == "jsonl":
            for lineno, raw in enumerate(iter_lines(path, task.max_bytes), start=1):
                item = parse_line(raw, task.rel, lineno)
                record = item.record if item is not None else None
                if record is not None and isinstance(record.get(task.field), str):
                    yield (record[task.field], *record_origin(record))
        elif kind == "warc":
            with open_input(path, None) as stream:
                for url, _date, body in html_responses(stream, task.max_bytes):
                    if not isinstance(body, Oversized):
                        yield body, url, None
        elif kind == "table":
            from cleaner.corpus.passes import table_sources

            yield from table_sources(str(path), task.field)
    except (TooLarge, Unreadable, NotTextError, OSError, EOFError, ValueError):
        return


def count_input(task: Task) -> dict[str, Any]:
    """First pass, for one input: its lines counted per site, and the set of its lines per
    site (:class:`cleaner.run.learned.LineSets`). Runs wherever the engine puts it (a worker
    process, a Dask worker); the counts are merged by :func:`learn_templates`."""
    from cleaner.corpus.counts import CorpusCounts
    from cleaner.corpus.passes import prepared_documents
    from cleaner.corpus.settings import TemplateSettings
    from cleaner.run.learned import LineSets

    kind = kind_of(Path(task.rel))
    html = True if kind == "warc" or (kind == "html" and task.html is None) else task.html
    pipeline = _pipeline(task.config, None, task.extracted, keeping=True)
    counts, lines = CorpusCounts(TemplateSettings.from_config(task.config)), LineSets()
    for site, text in prepared_documents(_count_sources(task), html=html, pipeline=pipeline):
        hashes = counts.hashes(text)
        counts.add_hashes(site, hashes)
        lines.add(site, hashes)
    return {"input": task.rel, "counts": counts, "lines": lines.packed(),
            "documents": sum(site.docs for site in counts.sites.values()), "errors": []}


def learn_templates(tasks: list[Task], dest: Path, config: Config, engine: Callable[..., Iterator[dict]],
                    workers: int, progress: Progress | None = None, hashes: dict[str, str] | None = None,
                    force: bool = False) -> Learned:
    """First pass: count on the engine every input whose counts DEST does not keep yet
    (:mod:`cleaner.run.learned`; every input with ``force``), keep each one's counts as it
    arrives, then merge all the inputs' counts in input order (so every engine, and a run
    resumed after a kill, learns the same model) and save the site templates. Returns the
    model's path (None when there is too little to learn from), each input's digest of the
    template lines that apply to it, and the inputs it could not learn from (an input the
    cleaning pass cannot read either is left for that pass to report)."""
    from cleaner.corpus.counts import CorpusCounts, merge
    from cleaner.corpus.model import finalize
    from cleaner.corpus.settings import TemplateSettings
    from cleaner.run.learned import CountStore, applied, count_key, unpack

    settings = TemplateSettings.from_config(config)
    store, content = CountStore(dest / STATE), {} if hashes is None else hashes
    keys = {task.rel: count_key(content_hash(Path(task.src), task.rel, content), config.fingerprint(), task.field,
                                task.html, task.max_bytes) for task in tasks}
    todo = [task for task in tasks if force or not store.has(task.rel, keys[task.rel])]
    learned = Learned(kept=len(tasks) - len(todo))
    fresh: dict[str, dict[str, Any]] = {}  # counts DEST could not keep, or read back: for this run
    lost: set[str] = set()  # inputs whose worker died on them: counted again next run

    def keep(result: dict[str, Any]) -> None:
        rel = result["input"]
        learned.read += 1
        learned.documents += result["documents"]
        learned.errors.extend(result.get("errors", ()))
        if "counts" not in result:
            lost.add(rel)
        elif not store.save(rel, keys[rel], result["counts"], result["lines"]):
            fresh[rel] = result

    if progress:
        progress.phase("learning templates", len(todo))
    for result in engine(count_input, todo, workers):
        keep(result)
        if progress:
            progress.advance(result)
    merged = CorpusCounts(settings)
    for task in tasks:
        if task.rel in lost:
            continue
        counts = fresh[task.rel]["counts"] if task.rel in fresh else store.counts(task.rel, keys[task.rel], settings)
        if counts is None:  # kept counts that cannot be read (cut by a power failure, say): counted again here
            result = count_input(task)
            keep(result)
            fresh[task.rel], counts = result, result["counts"]
        merged = merge(merged, counts)
    store.prune(store.path(task.rel, keys[task.rel]) for task in tasks)  # inputs gone or changed
    model = finalize(merged)
    path = dest / STATE / "templates.json"
    if not model.sites:
        path.unlink(missing_ok=True)  # an earlier run's model, learned from inputs since gone
        learned.digests = {task.rel: applied(None, None) for task in tasks}
        return learned
    learned.digests = {task.rel: applied(model, unpack(fresh[task.rel]["lines"]) if task.rel in fresh
                                         else store.lines(task.rel, keys[task.rel])) for task in tasks}
    part = dest / STATE / "tmp" / "templates.json.part"
    part.parent.mkdir(parents=True, exist_ok=True)
    model.save(part)
    os.replace(part, path)
    learned.path = str(path)
    return learned


class Refused(Exception):
    """A batch that cannot start without losing data; the message says why."""


@contextmanager
def dest_lock(state: Path) -> Iterator[None]:
    """Hold ``state/lock`` for the run: a second batch into the same DEST would delete the
    first one's temporary files. The holder writes who it is there, so :class:`Refused`
    can name it; the kernel lets go of the lock when the holder dies, however it dies."""
    import fcntl
    import socket

    handle = open(state / "lock", "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise Refused(f"{state.parent} is in use by another batch ({holder}); wait for it to end") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        yield
    finally:
        handle.close()


def check_layout(src: Path, dest: Path, globs: tuple[str, ...] = DEFAULT_GLOBS) -> None:
    """Raise :class:`Refused` when SRC lies inside DEST (its files would not be walked), or
    when two inputs would be written to the same output (``x.txt`` and ``x.txt.gz``,
    ``y.jsonl`` and ``y.warc``): which one wins would be a matter of chance."""
    if os.path.commonpath([src.resolve(), dest.resolve()]) == str(dest.resolve()):
        raise Refused(f"SRC {src} is inside DEST {dest}: choose a DEST outside SRC's folder")
    outputs: dict[Path, list[Path]] = {}
    for rel in walk(src, dest, globs):
        outputs.setdefault(output_name(rel), []).append(rel)
    clashes = [f"{' and '.join(map(str, inputs))} -> {out}" for out, inputs in outputs.items() if len(inputs) > 1]
    if clashes:
        shown = "; ".join(clashes[:5]) + (f"; and {len(clashes) - 5} more" if len(clashes) > 5 else "")
        raise Refused(f"inputs that would be written to the same output: {shown} (rename one, or leave one out with --glob)")


def run(src: Path, dest: Path, config: Config, *, workers: int = 1, force: bool = False,
        field: str = "text", html: bool | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES,
        globs: tuple[str, ...] = DEFAULT_GLOBS, templates: bool = True,
        engine: Callable[..., Iterator[dict]] | None = None,
        progress: Progress | None = None, output_field: str | None = None) -> Summary:
    """Clean every input under ``src`` into ``dest``; returns the summary. Raises
    :class:`Refused`, before anything is written, for a layout that would lose data."""
    started = time.perf_counter()
    # Absolute paths: the tasks may run where the working directory differs (a Dask worker).
    src, dest = Path(os.path.abspath(src)), Path(os.path.abspath(dest))
    check_layout(src, dest, globs)
    state = dest / STATE
    state.mkdir(parents=True, exist_ok=True)
    with dest_lock(state):  # one batch at a time in a DEST
        shutil.rmtree(state / "tmp", ignore_errors=True)  # parts left by a killed run
        on_this_machine = engine is None
        engine = engine or _local_engine
        extracted = None
        learned: Learned | None = None
        hashes: dict[str, str] = {}  # of the inputs, computed once
        if templates and config.stage_on("templates"):
            # The pages the template pass extracts are kept for the cleaning pass, when the
            # workers run on this machine (a cluster's workers share no disk with it).
            if on_this_machine and html is not False:
                extracted = _extracted_store(state)
            inputs = [Task(str(src), str(dest), str(rel), config, field, html, max_bytes, extracted=extracted)
                      for rel in walk(src, dest, globs)]
            learned = learn_templates(inputs, dest, config, engine, workers, progress, hashes, force)
        work = plan(src, dest, config, globs=globs, force=force, field=field, html=html, max_bytes=max_bytes,
                    templates=learned.path if learned else None, extracted=extracted, output_field=output_field,
                    digests=learned.digests if learned else None, hashes=hashes)
        summary = Summary(skipped=work.skipped, errors=list(learned.errors) if learned else [], learned=learned)
        if progress:
            progress.phase("cleaning", len(work.tasks))
        with Manifest(state / "manifest.jsonl") as manifest:
            for result in engine(process, work.tasks, workers):
                summary.add(result)
                if result["done"] and not result["errors"]:  # inputs with bad records are retried
                    manifest.add({"input": result["input"], "output": result["output"], "hash": result["hash"],
                                  "config": work.config_hash, "templates": work.digests.get(result["input"])})
                if progress:
                    progress.advance(result)
        if extracted:
            _remove_store(extracted)
        errors = AtomicFile(state / "errors.jsonl", state / "tmp")
        for error in summary.errors:
            errors.write(json_line(error).encode())
        errors.commit()
        summary.seconds = time.perf_counter() - started
        return summary


def _local_engine(func: Callable[[Task], dict], tasks: list[Task], workers: int) -> Iterator[dict]:
    """Worker processes on this machine; an input that kills its worker twice is given up
    as failed, the others go on."""
    from cleaner.engines import local

    return local.run(func, tasks, workers, lost=lambda task, why: _lost(func, task, why), name=lambda task: task.rel)


def _lost(func: Callable[[Task], dict], task: Task, why: str) -> dict[str, Any]:
    """What a pass gives for an input whose worker process died on it."""
    if func is count_input:
        return {"input": task.rel, "documents": 0,  # no counts: it is counted again next run
                "errors": [{"input": task.rel, "reason": f"templates not learned from it: its {why}"}]}
    result = _result(task)
    result["errors"].append({"input": task.rel, "reason": f"not cleaned: its {why}"})
    return result


def _extracted_store(state: Path) -> str | None:
    """A new store for this run's extracted pages, under ``state``: its path, or None when
    it cannot be made."""
    import uuid

    from cleaner.io.extracted import ExtractedTexts

    (state / "tmp").mkdir(parents=True, exist_ok=True)
    path = str(state / "tmp" / f"extracted-{uuid.uuid4().hex}.sqlite")
    return path if ExtractedTexts.open(path) is not None else None  # made before any worker opens it


def _remove_store(path: str) -> None:
    """The run is over: its pipelines in this process let go of the store, and it goes (a
    killed run leaves it in the state's tmp folder, which the next run empties)."""
    from cleaner.io.extracted import remove

    _forget_pipelines(path)
    remove(path)
