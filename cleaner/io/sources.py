"""Reading inputs: files and stdin as bytes, JSON Lines as records. No cleaning logic."""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # public in practice, not in the stubs
import sys
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterator


class InputError(Exception):
    """An input that cannot be read; the message names it."""


DEFAULT_MAX_BYTES = 50_000_000
"""The largest document read by default (``--max-bytes``): a text or HTML file, a JSON Lines
record, a WARC record. Cleaning takes about 15 times a document's size in memory."""


class Oversized:
    """A line (or record) over the size limit, skipped without being held in memory: only
    its size is kept.

    >>> len(Oversized(120, 100)), Oversized(120, 100).reason
    (120, '120 bytes, over --max-bytes (100)')
    """

    def __init__(self, size: int, limit: int):
        self.size, self.limit = size, limit

    def __len__(self) -> int:
        return self.size

    @property
    def reason(self) -> str:
        return f"{self.size} bytes, over --max-bytes ({self.limit})"


def bounded_lines(stream: BinaryIO, limit: int | None) -> Iterator[bytes | Oversized]:
    """The lines of ``stream``; a line longer than ``limit`` bytes comes as :class:`Oversized`
    (read past in pieces, never whole), so memory stays bounded whatever the input.

    >>> import io
    >>> [line if isinstance(line, bytes) else len(line) for line in bounded_lines(io.BytesIO(b"ab\\n" + b"x" * 9 + b"\\ncd"), 4)]
    [b'ab\\n', 10, b'cd']
    """
    while True:
        line = stream.readline(limit + 1) if limit else stream.readline()
        if not line:
            return
        if limit and len(line) > limit and not (len(line) == limit + 1 and line.endswith(b"\n")):
            size = len(line)
            while not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
                if not line:
                    break
                size += len(line)
            yield Oversized(size, limit)
        else:
            yield line


def read_bytes(name: str, limit: int | None = None) -> bytes:
    """The bytes of a file, or of stdin for ``-``; at most ``limit`` of them (more is an
    :class:`InputError`)."""
    try:
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1) if limit else sys.stdin.buffer.read()
        else:
            with open(name, "rb") as handle:
                data = handle.read(limit + 1) if limit else handle.read()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory (use `cleaner batch` for directories)") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if limit and len(data) > limit:
        raise InputError(f"{name}: over --max-bytes ({limit} bytes); raise the limit to clean it")
    return data


def is_jsonl_name(name: str) -> bool:
    """Whether a file's name says it holds JSON Lines.

    >>> is_jsonl_name("crawl/part-1.jsonl.gz"), is_jsonl_name("a.NDJSON"), is_jsonl_name("page.txt")
    (True, True, False)
    """
    name = name.lower().removesuffix(".gz")
    return name.endswith((".jsonl", ".ndjson"))


def open_binary(name: str) -> BinaryIO:
    """A file (or stdin for ``-``) as a binary stream; a name ending in ``.gz`` is gunzipped
    as it is read (a corrupt archive raises :class:`OSError`, :class:`EOFError` or
    ``zlib.error`` then)."""
    if name == "-":
        return sys.stdin.buffer
    try:
        if name.endswith(".gz"):
            import gzip

            return gzip.open(name, "rb")  # type: ignore[return-value]
        return open(name, "rb")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory (use `cleaner batch` for directories)") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


@dataclass
class JsonLine:
    """One line of a JSON Lines input: the record, or the reason it could not be read.

    :meth:`line` writes the record back: the line as it was read, with only the cleaned
    field's value replaced, so the other fields (numbers like ``1E5`` or ``1e400``, key
    order, escapes, spacing) pass through byte for byte."""

    source: str
    lineno: int
    record: dict[str, Any] | None
    error: str | None = None
    size: int = 0  # bytes of the line in the input
    text: str = ""  # the line, decoded
    bounds: tuple[int, int] = (0, 0)  # where the record is in ``text`` (spaces around left out)
    spans: dict[str, tuple[int, int]] | None = None  # where each member's value is in ``text``

    def line(self, field: str | None = None, value: str | None = None) -> str:
        """The record as one output line, with ``field`` set to ``value`` when given.

        A new member goes after the others.

        >>> item = parse_line(b' {"n": 1E5, "text": "a",  "x": 1e400}\\n', "in", 1)
        >>> item.line(), item.line("text", "b")
        ('{"n": 1E5, "text": "a",  "x": 1e400}\\n', '{"n": 1E5, "text": "b",  "x": 1e400}\\n')
        >>> item.line("clean", "b"), parse_line(b'{ }', "in", 1).line("clean", "b")
        ('{"n": 1E5, "text": "a",  "x": 1e400, "clean": "b"}\\n', '{"clean": "b"}\\n')
        """
        start, end = self.bounds
        if field is None:
            return self.text[start:end] + "\n"
        span = self.spans.get(field) if self.spans is not None else None
        if span is None and self.spans is not None:  # a new member, after the others
            head = self.text[start:end - 1].rstrip()  # up to the closing brace
            member = json_line(field)[:-1] + ": " + json_line(value)[:-1]
            return head + ("" if head.endswith("{") else ", ") + member + "}\n"
        if span is None:  # read by the fallback: the record written anew
            return json_line({**(self.record or {}), field: value})
        return self.text[start:span[0]] + json_line(value)[:-1] + self.text[span[1]:end] + "\n"


def iter_jsonl(stream: BinaryIO, source: str, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[JsonLine]:
    """Records of a JSON Lines stream, one per non-blank line; bad lines carry an error.

    Lines are decoded as UTF-8 (invalid bytes are replaced, never fatal), and spaces around
    a record are allowed, JSON's or not, as is a byte-order mark before the first. A line
    over ``max_bytes`` is an error of its own (and never held in memory).

    >>> import io
    >>> stream = io.BytesIO(b'\\xef\\xbb\\xbf{"a": 1}\\n \\n\\x0c{"a": 2}\\xc2\\xa0\\n[3]\\n{"a":\\n')
    >>> [(item.lineno, item.record, item.error) for item in iter_jsonl(stream, "in")]
    [(1, {'a': 1}, None), (3, {'a': 2}, None), (4, None, 'in:4: not a JSON object'), (5, None, 'in:5: not valid JSON (Expecting value)')]
    """
    for lineno, raw in enumerate(bounded_lines(stream, max_bytes), start=1):
        item = parse_line(raw, source, lineno)
        if item is not None:
            yield item


class LongNumber:
    """An integer too long for Python to read (over 4,300 digits): kept as its digits, and
    written back as it was (records are written back from the line, see :meth:`JsonLine.line`)."""

    def __init__(self, digits: str):
        self.digits = digits

    def __str__(self) -> str:
        return self.digits

    __repr__ = __str__


def _number(digits: str) -> int | LongNumber:
    return int(digits) if len(digits) < 4300 else LongNumber(digits)


_DECODER = json.JSONDecoder(parse_int=_number)
_SPACE = re.compile(r"[ \t\n\r]*")


def _after_space(text: str, at: int) -> int:
    """Where the white space from ``at`` ends."""
    match = _SPACE.match(text, at)
    return match.end() if match else at  # the pattern matches everywhere, if only nothing


def parse_line(raw: bytes | Oversized, source: str, lineno: int) -> JsonLine | None:
    """One line of a JSON Lines input as a record (or the reason it is none); None for a
    blank line. A record nested too deep, or that is not JSON, or over the size limit, is
    an error of its own line."""
    if isinstance(raw, Oversized):
        return JsonLine(source, lineno, None, f"{source}:{lineno}: record of {raw.reason}", len(raw))
    line = raw.decode("utf-8", errors="replace")
    start, end = _trimmed(line, 1 if lineno == 1 and line.startswith("\ufeff") else 0)
    if start == end:
        return None
    where = f"{source}:{lineno}"
    try:
        record, spans = _members(line, start, end)
    except (ValueError, IndexError, RecursionError):
        spans = None
        try:
            record = _DECODER.decode(line[start:end])
        except json.JSONDecodeError as exc:
            return JsonLine(source, lineno, None, f"{where}: not valid JSON ({exc.msg})", len(raw))
        except RecursionError:
            return JsonLine(source, lineno, None, f"{where}: nested too deep to read", len(raw))
        except ValueError as exc:
            return JsonLine(source, lineno, None, f"{where}: not valid JSON ({exc})", len(raw))
    if not isinstance(record, dict):
        return JsonLine(source, lineno, None, f"{where}: not a JSON object", len(raw))
    return JsonLine(source, lineno, record, None, len(raw), line, (start, end), spans)


def _trimmed(line: str, start: int) -> tuple[int, int]:
    """Where ``line`` is, spaces of any kind around it left out (without copying it)."""
    end = len(line)
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def _members(text: str, start: int, end: int) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """The JSON object that is ``text[start:end]``, and where each member's value is; a
    ValueError when it is anything else (the caller asks the json module why)."""
    if text[start] != "{":
        raise ValueError("not an object")
    record: dict[str, Any] = {}
    spans: dict[str, tuple[int, int]] = {}
    at = _after_space(text, start + 1)
    if text[at] == "}":
        at += 1
    else:
        while True:
            if text[at] != '"':
                raise ValueError("expected a key")
            key, at = scanstring(text, at + 1)
            at = _after_space(text, at)
            if text[at] != ":":
                raise ValueError("expected a colon")
            at = _after_space(text, at + 1)
            record[key], after = _DECODER.raw_decode(text, at)
            spans[key] = (at, after)
            at = _after_space(text, after)
            if text[at] == "}":
                at += 1
                break
            if text[at] != ",":
                raise ValueError("expected a comma")
            at = _after_space(text, at + 1)
    if at != end:
        raise ValueError("extra data")
    return record, spans


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for every line (json.dumps builds one per call)
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_line(value: Any) -> str:
    """One JSON Lines line: non-ASCII kept as is, except lone surrogates (from ``\\ud800``
    escapes in the input), which are written as escapes so the line stays valid UTF-8."""
    line = _ENCODE(value)
    if _SURROGATE.search(line):
        line = json.dumps(value)
    return line + "\n"


def dump_record(record: dict[str, Any]) -> str:
    """One JSON Lines line, keys in their original order, non-ASCII kept as is."""
    return json_line(record)
