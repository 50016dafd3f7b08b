"""Parquet and Arrow IPC tables: one text column cleaned, every other column kept.

A table is read and written one row group (Parquet) or record batch (Arrow) at a time, so
memory holds one group whatever the file's size. The output has the input's schema, the
cleaned column as text (or, with an output column, the input's columns plus that one).
Needs pyarrow (``pip install 'webtext-cleaner[parquet]'``); nothing of it is imported
until a table is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, Iterator

SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".arrow": "arrow", ".feather": "arrow"}
ORIGIN_COLUMNS = ("id", "url", "site")  # what a cleaning function is given of each row

DROP = object()  # a cleaning function's answer for a row that failed: it is left out


class TableError(Exception):
    """A table that cannot be read or written (not Parquet, a missing column, no pyarrow)."""


def table_format(name: str) -> str | None:
    """``parquet`` or ``arrow`` from a file's name, else None.

    >>> table_format("part-0.parquet"), table_format("x.ARROW"), table_format("a.jsonl")
    ('parquet', 'arrow', None)
    """
    lowered = name.lower()
    for suffix, kind in SUFFIXES.items():
        if lowered.endswith(suffix):
            return kind
    return None


def pyarrow_modules():
    """``(pyarrow, pyarrow.parquet)``, or a :class:`TableError` saying how to install them."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise TableError("Parquet and Arrow files need pyarrow: pip install 'webtext-cleaner[parquet]'") from None
    return pyarrow, pyarrow.parquet


@dataclass
class TableCounts:
    rows: int = 0  # rows read
    cleaned: int = 0  # rows whose column held text and was cleaned
    missing: int = 0  # rows whose column was null
    dropped: int = 0  # rows left out (their cleaning failed)


def _groups(source: str | BinaryIO, kind: str) -> tuple[Any, Iterator[Any]]:
    """The schema and the row groups (record batches) of a table."""
    pa, pq = pyarrow_modules()
    try:
        if kind == "parquet":
            reader = pq.ParquetFile(source)
            return reader.schema_arrow, (reader.read_row_group(i) for i in range(reader.num_row_groups))
        reader = pa.ipc.open_file(source)
        return reader.schema, (pa.Table.from_batches([reader.get_batch(i)]) for i in range(reader.num_record_batches))
    except (pa.ArrowInvalid, pa.ArrowException, OSError) as exc:
        raise TableError(f"not a readable {'Parquet' if kind == 'parquet' else 'Arrow'} file ({exc})") from None


def rows(source: str | BinaryIO, field: str, kind: str = "parquet") -> Iterator[dict[str, Any]]:
    """Each row's ``field`` and origin columns (id, url, site, where present), as dicts."""
    schema, groups = _groups(source, kind)
    if field not in schema.names:
        raise TableError(f"no column {field!r} (columns: {', '.join(schema.names)})")
    wanted = [name for name in (field, *ORIGIN_COLUMNS) if name in schema.names]
    for group in groups:
        yield from group.select(list(dict.fromkeys(wanted))).to_pylist()


def clean_table(source: str | BinaryIO, sink: str | BinaryIO, field: str,
                clean: Callable[[str, dict[str, Any], int], Any], *, kind: str = "parquet",
                output_field: str | None = None) -> TableCounts:
    """Copy a table from ``source`` to ``sink`` (same format) with ``field`` cleaned.

    ``clean(text, origin, row_number)`` gives the clean text of one row, or :data:`DROP` to
    leave the row out; ``origin`` holds the row's id, url and site columns where the table
    has them. Rows whose ``field`` is null stay as they are. With ``output_field`` the clean
    text goes to that column (added, or replaced) and ``field`` keeps the original.
    """
    pa, pq = pyarrow_modules()
    schema, groups = _groups(source, kind)
    if field not in schema.names:
        raise TableError(f"no column {field!r} (columns: {', '.join(schema.names)})")
    source_type = schema.field(field).type
    if not (pa.types.is_string(source_type) or pa.types.is_large_string(source_type)):
        raise TableError(f"column {field!r} holds {source_type}, not text")
    target = output_field or field
    out_schema = _output_schema(pa, schema, target, source_type)
    origin_names = [name for name in ORIGIN_COLUMNS if name in schema.names]
    counts = TableCounts()
    writer = pq.ParquetWriter(sink, out_schema) if kind == "parquet" else pa.ipc.new_file(sink, out_schema)
    try:
        for group in groups:
            texts = group.column(field).to_pylist()
            origins = group.select(origin_names).to_pylist() if origin_names else [{}] * len(texts)
            cleaned: list[Any] = []
            keep: list[bool] = []
            for text, origin in zip(texts, origins):
                counts.rows += 1
                if text is None:
                    counts.missing += 1
                    cleaned.append(None)
                    keep.append(True)
                    continue
                value = clean(text, origin, counts.rows)
                if value is DROP:
                    counts.dropped += 1
                    cleaned.append(None)
                    keep.append(False)
                    continue
                counts.cleaned += 1
                cleaned.append(value)
                keep.append(True)
            column = pa.array(cleaned, type=source_type)
            if target in group.column_names:
                group = group.set_column(group.column_names.index(target), target, column)
            else:
                group = group.append_column(target, column)
            if not all(keep):
                group = group.filter(pa.array(keep))
            writer.write_table(group.cast(out_schema)) if kind == "parquet" else writer.write(group.cast(out_schema))
    finally:
        writer.close()
    return counts


def _output_schema(pa, schema, target: str, text_type):
    """The input's schema with ``target`` as a text column (in place, or added at the end)."""
    if target in schema.names:
        return schema.set(schema.get_field_index(target), pa.field(target, text_type))
    return schema.append(pa.field(target, text_type))
