"""Decode: bytes to text, never crashing on bad bytes, recording how it was done.

Order of evidence: a byte-order mark; valid UTF-8; a charset declared in an HTML/XML
head that fits all but a few bytes; text that is mostly valid UTF-8 (a stray byte becomes a
replacement character); charset-normalizer's detection; and last UTF-8 with replacement
characters.
"""

from __future__ import annotations

import codecs
from dataclasses import asdict, dataclass
from functools import lru_cache

import regex


class NotTextError(ValueError):
    """The input is binary (an image, an archive, ...), not text."""


@dataclass(frozen=True, slots=True)
class Decoding:
    encoding: str
    method: str  # "str" | "bom" | "utf-8" | "declared" | "detected" | "fallback"
    bom: bool = False
    replaced: int = 0  # bytes that could not be decoded and became U+FFFD

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of common binary formats that are never text.
_BINARY_MAGIC = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"%PDF", b"PK\x03\x04",
    b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"RIFF", b"\x00\x00\x01\x00", b"\x7fELF", b"OggS",
)



@lru_cache(maxsize=None)
def _declared() -> regex.Pattern[bytes]:
    """A charset declared in a page's head; compiled on first use, as only bytes that are
    not UTF-8 need it (never text given as str, as JSON Lines fields are)."""
    return regex.compile(
        rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""",
        regex.IGNORECASE,
    )


# Bytes that text never holds, in any charset this module decodes without a byte-order mark:
# C0 controls other than tab, line feed, vertical tab, form feed, carriage return and escape.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_SAMPLE = 65536
_MAX_CONTROL_SHARE = 0.02  # random or compressed bytes hold about 10 % of them


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: a known binary signature, or more than 2 % of
    control bytes (NUL and the like) in the first 64 KB. A page with a few stray NUL bytes
    is still text.

    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n....")
    True
    >>> looks_binary("plain text".encode()), looks_binary(b"<p>A page</p>\\x00" + b"<p>more text</p>" * 20)
    (False, False)
    >>> looks_binary(bytes(range(256)) * 4)
    True
    """
    if data.startswith(_BINARY_MAGIC):
        return True
    sample = data[:_SAMPLE]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > _MAX_CONTROL_SHARE * len(sample)


def _declared_charset(data: bytes) -> str | None:
    match = _declared().search(data[:4096])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _few(size: int) -> int:
    """How many bytes a charset may fail to decode and still be the right one: a few stray
    bytes in a page, not a page in another charset."""
    return max(3, size // 1000)


def _replaced(text: str, data: bytes, encoding: str) -> int:
    """How many U+FFFD in ``text`` came from bytes that ``encoding`` could not decode."""
    found = text.count("\ufffd")
    if not found:
        return 0
    try:
        return found - data.count("\ufffd".encode(encoding))
    except (UnicodeEncodeError, LookupError):
        return found


def _mostly_utf8(text: str, replaced: int) -> bool:
    """Text is UTF-8 with a few stray bytes when at least as many of its characters beyond
    ASCII decoded as UTF-8 as there are bytes that did not: a legacy charset's text has
    almost none of UTF-8's multi-byte sequences.

    >>> _mostly_utf8("B\u00fcrger \ufffd f\u00fcr", 1), _mostly_utf8("caf\ufffd", 1)
    (True, False)
    """
    beyond_ascii = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    return beyond_ascii >= max(1, replaced)


def decode(data: bytes | str) -> tuple[str, Decoding]:
    """Decode bytes to text and say how.

    >>> decode("déjà".encode("utf-8"))[1].method
    'utf-8'
    >>> decode("Déjà vu: the café reopened in März, à la française.".encode("cp1252"))[0]
    'Déjà vu: the café reopened in März, à la française.'
    >>> decode(codecs.BOM_UTF8 + b"hi")
    ('hi', Decoding(encoding='utf-8', method='bom', bom=True, replaced=0))
    >>> decode("Die Bürger und die Öffentlichkeit".encode() + b"\\xff")
    ('Die Bürger und die Öffentlichkeit\ufffd', Decoding(encoding='utf-8', method='utf-8', bom=False, replaced=1))

    Raises :class:`NotTextError` for binary data.
    """
    if isinstance(data, str):
        return data, Decoding("str", "str")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text = body.decode(encoding, errors="replace")
            return text, Decoding(encoding, "bom", True, text.count("\ufffd") - body.count(b"\xef\xbf\xbd"))
    if looks_binary(data):
        raise NotTextError("binary data, not text")
    try:
        return data.decode("utf-8"), Decoding("utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared:
        text = data.decode(declared, errors="replace")
        replaced = _replaced(text, data, declared)
        if replaced <= _few(len(data)):  # the declaration fits all but a few stray bytes
            return text, Decoding(declared, "declared", False, replaced)
    text = data.decode("utf-8", errors="replace")
    replaced = _replaced(text, data, "utf-8")
    if _mostly_utf8(text, replaced):
        return text, Decoding("utf-8", "utf-8", False, replaced)
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is not None:
        # On a tie, prefer the web's most common legacy charset over its neighbours.
        tied = [m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
        encoding = "cp1252" if "cp1252" in tied else best.encoding
        try:
            return data.decode(encoding), Decoding(encoding, "detected")
        except (UnicodeDecodeError, LookupError):
            pass
    text = data.decode("utf-8", errors="replace")
    return text, Decoding("utf-8", "fallback", False, text.count("\ufffd"))
