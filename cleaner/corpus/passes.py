"""The counting pass over real inputs, for the command line and batch engines.

A *source* is one document as ``(data, url, site)``: its bytes or text, its URL if known,
and the site to file it under when the URL gives none (for example the source directory).
:func:`learn` reads sources the way the pipeline does (decode, HTML extraction, normalise),
counts their lines per site and returns the learned :class:`TemplateModel`.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import zlib
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from cleaner.config import Config
from cleaner.corpus.counts import CorpusCounts, count
from cleaner.corpus.model import TemplateModel, finalize
from cleaner.corpus.settings import TemplateSettings
from cleaner.corpus.sites import site_of
from cleaner.decode import NotTextError
from cleaner.io.html import ExtractError
from cleaner.io.sources import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from cleaner.io.extracted import ExtractedTexts

Source = tuple[bytes | str, str | None, str | None]


def prepared_documents(sources: Iterable[Source], config: Config | None = None,
                       html: bool | None = None, pipeline: Any = None) -> Iterator[tuple[str, str]]:
    """``(site, text)`` for each source with a site, ``text`` as the detection stages see it
    (read and normalised by ``pipeline``, a new one for ``config`` if not given). A source
    that cannot be read is left out: cleaning it reports why."""
    from cleaner.pipeline import Pipeline

    pipeline = pipeline or Pipeline(config)
    for data, url, site in sources:
        site = site_of(url, site)
        if not site:
            continue
        try:
            yield site, pipeline.prepare(data, html=html, url=url)
        except (NotTextError, ExtractError):
            continue  # the cleaning pass reports it
        except Exception:
            if os.environ.get("CLEANER_DEBUG"):
                raise
            continue  # likewise


def learn(sources: Iterable[Source], config: Config | None = None, html: bool | None = None,
          workers: int = 1, extracted: ExtractedTexts | None = None, missed: list[str] | None = None) -> TemplateModel:
    """Count the sources' lines per site and keep each site's template lines.

    With ``workers`` > 1, the sources are read (decoded, extracted from HTML, normalised) and
    their lines hashed on that many processes, and counted here in their order: the model
    is the one a single process learns. A document whose worker process dies on it twice
    is left out, and said so in ``missed`` (when given). The main texts of HTML pages are
    kept in ``extracted``, when given, for the pass that cleans them; when this returns,
    the store is finished (only looked up from then on).
    """
    from cleaner.pipeline import Pipeline

    pipeline = Pipeline(config, extracted=extracted)
    counts = _count(sources, pipeline, TemplateSettings.from_config(config), html, workers,
                    missed if missed is not None else [])
    if extracted is not None:
        extracted.finish()
    return finalize(counts)


def _count(sources: Iterable[Source], pipeline: Any, settings: TemplateSettings, html: bool | None,
           workers: int, missed: list[str]) -> CorpusCounts:
    """The sources' lines counted per site. With several workers, a document whose worker
    process died on it twice is left out, and said so in ``missed``."""
    if workers <= 1:
        return count(prepared_documents(sources, html=html, pipeline=pipeline), settings)
    from cleaner.engines import local

    global _WORKER_STATE
    counts = CorpusCounts(settings)
    _WORKER_STATE = (pipeline, counts, html)  # inherited by the forked workers
    try:
        chunks = local.chunked(enumerate(sources, start=1), _source_size)
        for hashed in local.ordered(_hash_chunk, chunks, workers, lost=_lost_sources, name=_chunk_name):
            for site, hashes in hashed:
                if isinstance(hashes, Missed):
                    missed.append(hashes.reason)
                else:
                    counts.add_hashes(site, hashes)
    finally:
        _WORKER_STATE = None
    return counts


_WORKER_STATE: Any = None

Numbered = tuple[int, Source]  # a source and its place in the stream, from 1


class Missed:
    """In place of a document's hashes: it could not be counted, and why."""

    def __init__(self, reason: str):
        self.reason = reason


def _source_size(item: Numbered) -> int:
    return len(item[1][0])


def _chunk_name(chunk: list[Numbered]) -> str:
    """A chunk as messages name it: ``templates: documents 1-64`` (places in the stream)."""
    first, last = chunk[0][0], chunk[-1][0]
    return f"templates: document {first}" if first == last else f"templates: documents {first}-{last}"


def _hash_chunk(chunk: list[Numbered]) -> list[tuple[str, Any]]:
    """On a worker: each source's site and the hashes its document adds, in the order
    the counting in one process would add them."""
    pipeline, counts, html = _WORKER_STATE
    sources = [source for _n, source in chunk]
    return [(site, list(counts.hashes(text))) for site, text in prepared_documents(sources, html=html, pipeline=pipeline)]


def _lost_sources(chunk: list[Numbered], why: str) -> list[tuple[str, Any]]:
    """What a chunk whose worker died on it twice gives: its documents counted again one by
    one on fresh workers, so that only a document that kills its worker is missed."""
    from cleaner.engines import local

    if len(chunk) == 1:
        n, (_data, url, site) = chunk[0]
        where = f" ({url or site})" if url or site else ""
        return [("", Missed(f"document {n}{where}: not counted: its {why}"))]
    out: list[tuple[str, Any]] = []
    for part in local.ordered(_hash_chunk, ([item] for item in chunk), 2, lost=_lost_sources, name=_chunk_name):
        out.extend(part)
    return out


def record_origin(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """A JSON record's ``url`` and ``site`` fields, when they are strings."""
    url, site = record.get("url"), record.get("site")
    return (url if isinstance(url, str) else None, site if isinstance(site, str) else None)


def jsonl_sources(paths: Iterable[str], field: str = "text", max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[Source]:
    """The sources of JSON Lines files: each record's ``field``, ``url`` and ``site``.

    Records that cannot be read, lack the field or are over ``max_bytes`` are skipped (the
    cleaning pass reports them).
    """
    from cleaner.io.sources import iter_jsonl, open_binary

    for path in paths:
        with open_binary(path) if path != "-" else nullcontext(sys.stdin.buffer) as stream:
            try:
                for item in iter_jsonl(stream, path, max_bytes):
                    record = item.record
                    value = record.get(field) if record is not None else None
                    if record is not None and isinstance(value, str):
                        yield (value, *record_origin(record))
            except (OSError, EOFError, zlib.error):
                continue  # a corrupt or truncated archive: learned from up to there


def table_sources(path: str, field: str = "text") -> Iterator[Source]:
    """The sources of a Parquet or Arrow file: each row's ``field``, ``url`` and ``site``
    columns. A table that cannot be read gives none (the cleaning pass reports it)."""
    from cleaner.io.tables import TableError, rows, table_format

    try:
        for row in rows(path, field, table_format(path) or "parquet"):
            if isinstance(row.get(field), str):
                yield (row[field], *record_origin(row))
    except (TableError, OSError):
        return


def site_for_path(root: str | Path, path: str | Path) -> str:
    """The site of a file found under ``root``: its directory, relative to ``root``.

    >>> site_for_path("crawl", "crawl/example.com/2024/a.html"), site_for_path("crawl", "crawl/a.txt")
    ('example.com/2024', '.')
    """
    return Path(path).parent.relative_to(Path(root)).as_posix()


def directory_files(root: str | Path) -> Iterator[Path]:
    """The files under ``root``, in a stable order, hidden files and folders left out."""
    root = Path(root)
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts):
            yield path


def directory_sources(root: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[Source]:
    """Each file under ``root`` as one document, filed under its directory
    (:func:`site_for_path`); files over ``max_bytes`` are left out."""
    for path in directory_files(root):
        try:
            if max_bytes and path.stat().st_size > max_bytes:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        yield data, None, site_for_path(root, path)


def spool_stdin() -> str:
    """Copy standard input to a temporary file, so it can be read twice; returns its path.

    The caller removes the file (see :func:`remove_quietly`).
    """
    handle, path = tempfile.mkstemp(prefix="cleaner-stdin-", suffix=".jsonl")
    with os.fdopen(handle, "wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
    return path


def remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
