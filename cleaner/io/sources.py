"""Reading inputs: files and stdin as bytes, JSON Lines as records. No cleaning logic."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Iterator


class InputError(Exception):
    """An input that cannot be read; the message names it."""


def read_bytes(name: str) -> bytes:
    """The bytes of a file, or of stdin for ``-``."""
    if name == "-":
        return sys.stdin.buffer.read()
    path = Path(name)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory (use `cleaner batch` for directories)") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def open_binary(name: str) -> BinaryIO:
    if name == "-":
        return sys.stdin.buffer
    try:
        return open(name, "rb")
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory (use `cleaner batch` for directories)") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


@dataclass
class JsonLine:
    """One line of a JSON Lines input: the record, or the reason it could not be read."""

    source: str
    lineno: int
    record: dict[str, Any] | None
    error: str | None = None
    size: int = 0  # bytes of the line in the input


def iter_jsonl(stream: BinaryIO, source: str) -> Iterator[JsonLine]:
    """Records of a JSON Lines stream, one per non-blank line; bad lines carry an error.

    Lines are decoded as UTF-8 (invalid bytes are replaced, never fatal), and spaces around
    a record are allowed, JSON's or not.

    >>> import io
    >>> stream = io.BytesIO(b'{"a": 1}\\n \\n\\x0c{"a": 2}\\xc2\\xa0\\n[3]\\n{"a":\\n')
    >>> [(item.lineno, item.record, item.error) for item in iter_jsonl(stream, "in")]
    [(1, {'a': 1}, None), (3, {'a': 2}, None), (4, None, 'in:4: not a JSON object'), (5, None, 'in:5: not valid JSON (Expecting value)')]
    """
    for lineno, raw in enumerate(stream, start=1):
        item = parse_line(raw, source, lineno)
        if item is not None:
            yield item


def parse_line(raw: bytes, source: str, lineno: int) -> JsonLine | None:
    """One line of a JSON Lines input as a record (or the reason it is none); None for a
    blank line."""
    line = raw.decode("utf-8", errors="replace")
    try:
        # A line that holds a record unstripped holds it stripped too (what strip takes
        # from around a JSON text is JSON's own spaces), so the copy strip makes of a
        # long line is made only for lines that do not parse as they are.
        record = json.loads(line)
    except json.JSONDecodeError:
        line = line.strip()
        if not line:
            return None
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            return JsonLine(source, lineno, None, f"{source}:{lineno}: not valid JSON ({exc.msg})", len(raw))
    if not isinstance(record, dict):
        return JsonLine(source, lineno, None, f"{source}:{lineno}: not a JSON object", len(raw))
    return JsonLine(source, lineno, record, None, len(raw))


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
