"""Stopword lists (jusText's, installed with trafilatura) and a language guess from them.

The guess only has to be good enough to pick a stoplist: each word found in the text votes
for the languages whose lists hold it, split evenly among them, so words shared by many
lists ("a", "de", "la") weigh little and distinctive ones decide.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import regex

# Languages we guess between: the widely written ones jusText has lists for.
LANGUAGES = (
    "English", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch", "Polish",
    "Czech", "Slovak", "Swedish", "Danish", "Norwegian_Bokmal", "Finnish", "Hungarian",
    "Romanian", "Russian", "Ukrainian", "Bulgarian", "Greek", "Turkish", "Croatian",
    "Serbian", "Slovenian", "Catalan", "Indonesian", "Vietnamese", "Estonian", "Latvian",
    "Lithuanian", "Arabic", "Persian", "Hebrew", "Hindi",
)

_WORD = regex.compile(r"[\p{L}\p{M}']+")


@dataclass(frozen=True)
class Stoplists:
    lists: dict[str, frozenset[str]]
    votes: dict[str, tuple[tuple[str, float], ...]]  # word -> (language, weight) pairs

    def guess(self, text: str, sample: int = 20_000, min_votes: float = 3.0) -> str | None:
        """The language whose stopwords the text uses most; None when too little evidence.

        >>> stoplists().guess("The council said that it would not approve the plan for the harbour.")
        'English'
        >>> stoplists().guess("Der Rat hat gesagt, dass er den Plan für den Hafen nicht genehmigen wird.")
        'German'
        >>> stoplists().guess("東京の桜") is None
        True
        """
        score: dict[str, float] = defaultdict(float)
        for word in _WORD.findall(text[:sample].lower()):
            for lang, weight in self.votes.get(word, ()):
                score[lang] += weight
        if not score:
            return None
        lang, best = max(score.items(), key=lambda item: item[1])
        return lang if best >= min_votes else None

    def words(self, lang: str | None) -> frozenset[str]:
        return self.lists.get(lang or "", frozenset())


@lru_cache(maxsize=1)
def stoplists() -> Stoplists:
    """Load the lists once per process (they are immutable data)."""
    import justext

    lists = {lang: frozenset(justext.get_stoplist(lang)) for lang in LANGUAGES}
    holders: dict[str, list[str]] = defaultdict(list)
    for lang, words in lists.items():
        for word in words:
            holders[word].append(lang)
    votes = {word: tuple((lang, 1.0 / len(langs)) for lang in langs) for word, langs in holders.items()}
    return Stoplists(lists, votes)
