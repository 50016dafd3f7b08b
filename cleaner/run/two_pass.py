"""The two-pass mode of `cleaner clean --jsonl` (and table inputs): a first pass learns each
site's template lines from the input itself, then the cleaning pass drops them. The pages
the first pass extracts from HTML are kept for the second, so each is extracted once."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from cleaner.io.sources import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from cleaner.config import Config


def templates_for_clean(templates: Path | None, config: Config, records: bool, names: list[str],
                        field: str, html: bool | None, stack: ExitStack, bar: Any = None, workers: int = 1,
                        max_bytes: int | None = DEFAULT_MAX_BYTES):
    """The templates `cleaner clean` uses, where to read each input from afterwards, and the
    main texts of the HTML pages the first pass extracted (or None).

    With a templates file, that file (:class:`~cleaner.corpus.model.ModelError` when it cannot
    be read). Otherwise, for JSON Lines or table input (``records``), a first pass learns them
    on ``workers`` processes (stdin is spooled to a temporary file first), leaving out the
    records over ``max_bytes`` as the cleaning pass does; ``[stages] templates = false``
    skips it. The pages it extracts are kept in a temporary file, so the
    cleaning pass does not extract them again.
    """
    from cleaner.corpus.model import TemplateModel
    from cleaner.corpus.passes import jsonl_sources, learn as learn_model, remove_quietly, spool_stdin, table_sources
    from cleaner.io.tables import table_format

    if templates is not None:
        return TemplateModel.load(templates), {}, None
    if not records or not config.stage_on("templates"):
        return None, {}, None
    paths = {}
    for name in dict.fromkeys(names):
        if name == "-":
            paths[name] = spool_stdin()
            stack.callback(remove_quietly, paths[name])
        elif Path(name).is_file():
            paths[name] = name
    sources: Iterable[Any] = (source for path in paths.values()
                              for source in (table_sources(path, field) if table_format(path) else jsonl_sources([path], field, max_bytes)))
    if bar:
        bar.phase("learning templates", sum(os.path.getsize(p) for p in paths.values()), unit="bytes")
        sources = counted(sources, bar)
    extracted = None if html is False else extracted_store(stack)
    return learn_model(sources, config, html, workers, extracted), paths, extracted


def extracted_store(stack: ExitStack) -> Any:
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


def counted(sources: Iterable[Any], bar: Any) -> Iterator[Any]:
    """The sources, advancing the bar by each document's length (its share of the file,
    near enough for an ETA)."""
    for source in sources:
        bar.advance(len(source[0]), docs=1, nbytes=len(source[0]))
        yield source
