"""Stopword lists (jusText's, installed with trafilatura) and a language guess from them.

The guess only has to be good enough to pick a stoplist: each distinct word of the text
votes for the languages whose lists hold it, split evenly among them, so words shared by
many lists ("a", "de", "la") weigh little and distinctive ones decide.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

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
# How many characters from a text's start the language guess reads.
GUESS_SAMPLE = 20_000


@dataclass(frozen=True)
class Stoplists:
    lists: dict[str, frozenset[str]]
    vocabulary: frozenset[str]  # every listed word
    # word -> indices (in ``lists`` order) of the lists that hold it; filled as words are seen
    holders: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False)

    def guess(self, text: str, sample: int = GUESS_SAMPLE, min_votes: float = 3.0) -> str | None:
        """The language whose stopwords the text's first ``sample`` characters use most;
        None when too little evidence.

        >>> stoplists().guess("The council said that it would not approve the plan for the harbour.")
        'English'
        >>> stoplists().guess("Der Rat hat gesagt, dass er den Plan für den Hafen nicht genehmigen wird.")
        'German'
        >>> stoplists().guess("東京の桜") is None
        True
        """
        return self.guess_from_tokens(set(text[:sample].lower().split()), min_votes)

    def guess_from_tokens(self, tokens: set[str], min_votes: float = 3.0) -> str | None:
        """:meth:`guess` from the distinct space-separated tokens of the lowered sample, for a
        caller that has split the text already.

        >>> stoplists().guess_from_tokens({"the", "council", "said", "that", "it", "would", "not"})
        'English'
        """
        # Each listed word votes once, split evenly among the lists that hold it: one pass
        # over the words adding to every holder's score, not one set intersection per list.
        scores = [0.0] * len(self.lists)
        for word in self.listed_tokens(tokens):
            holders = self.holders.get(word)
            if holders is None:
                holders = self.holders[word] = self._holders(word)
            weight = 1 / len(holders)
            for i in holders:
                scores[i] += weight
        best, best_score = None, 0.0
        for lang, score in zip(self.lists, scores):
            if score > best_score:
                best, best_score = lang, score
        return best if best_score >= min_votes else None

    def listed_words(self, lowered: str) -> set[str]:
        """The distinct words of ``lowered`` (runs of letters, marks and apostrophes) that
        some list holds.

        >>> sorted(stoplists().listed_words("(the) harbour's walls, and  l'eau 12de"))
        ['and', 'de', 'the']

        The same as ``set(_WORD.findall(lowered)) & vocabulary``, faster: most
        space-separated tokens are letters only (every character ``str.isalpha`` accepts is
        in ``_WORD``'s class) and are their own word; only the others (punctuation, digits,
        apostrophes, marks attached) go through the pattern.
        """
        return self.listed_tokens(set(lowered.split()))

    def listed_tokens(self, tokens: set[str]) -> set[str]:
        """:meth:`listed_words` from the distinct space-separated tokens of the lowered text."""
        # The listed tokens, then, for the tokens not all letters, the listed words the
        # pattern finds in them instead (a list holds "moře," too, which is not a word).
        found = tokens & self.vocabulary
        rest = list(filterfalse(str.isalpha, tokens))
        if rest:
            found.difference_update(rest)
            found.update(self.vocabulary.intersection(_WORD.findall(" ".join(rest))))
        return found

    def _holders(self, word: str) -> tuple[int, ...]:
        """The lists that hold ``word``. Looked up as words are first seen; for the whole
        vocabulary it would cost every run's start-up."""
        return tuple(i for i, words in enumerate(self.lists.values()) if word in words)

    def words(self, lang: str | None) -> frozenset[str]:
        return self.lists.get(lang or "", frozenset())


@lru_cache(maxsize=1)
def stoplists() -> Stoplists:
    """Load the lists once per process (they are immutable data).

    The files are read straight from jusText's package folder: importing jusText itself
    would pull in its HTML stack, which text cleaning never needs.
    """
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jusText's stoplists are not installed (pip install justext)")
    folder = Path(spec.submodule_search_locations[0]) / "stoplists"
    lists = {
        lang: frozenset((folder / f"{lang}.txt").read_text(encoding="utf-8").lower().split())
        for lang in LANGUAGES
    }
    return Stoplists(lists, frozenset().union(*lists.values()))
