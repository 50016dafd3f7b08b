"""Decoding: text that is almost all UTF-8 stays UTF-8, a declared charset that fits all but
a few bytes wins over a guess, and text in a legacy charset is still recognised."""

from __future__ import annotations

import pytest

from cleaner.decode import decode

GERMAN = "Die Bürgerinnen und Bürger der Stadt haben über die Öffnungszeiten abgestimmt. Grüße aus Köln."
PAGE = ('<html><head><meta charset="utf-8"><title>Café</title></head><body><p>Le café a rouvert — '
        "après des mois de travaux, dit le maire.</p></body></html>")

CASES = [
    # (bytes, text expected, method expected)
    (GERMAN.encode() + b"\xff", GERMAN + "\ufffd", "utf-8"),
    (GERMAN.encode().replace(b" und ", b" und \x81"), GERMAN.replace(" und ", " und \ufffd"), "utf-8"),
    (PAGE.encode().replace("—".encode(), b"\x96"), PAGE.replace("—", "\ufffd"), "declared"),
    # must not change: clean UTF-8, and legacy text with no UTF-8 sequence in it
    (GERMAN.encode(), GERMAN, "utf-8"),
    (GERMAN.encode("cp1252"), GERMAN, "detected"),
]


@pytest.mark.parametrize("data, text, method", CASES)
def test_decoding(data: bytes, text: str, method: str):
    decoded, how = decode(data)
    assert decoded == text
    assert how.method == method
    assert how.replaced == text.count("\ufffd")
