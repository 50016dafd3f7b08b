"""Word tokens and bags of words, as WCXB scores an output against its gold text.

A token is a run of word characters in lower case; each Han or kana character is a token
of its own (those scripts write no spaces).

>>> tokens("Der Hafen öffnet 2025, 港が再開")
['der', 'hafen', 'öffnet', '2025', '港', 'が', '再', '開']
"""

from __future__ import annotations

from collections import Counter

import regex

_TOKEN = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]|(?:(?![\p{Han}\p{Hiragana}\p{Katakana}])\w)+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def bag(text: str) -> Counter[str]:
    return Counter(tokens(text))
