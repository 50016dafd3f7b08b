"""The library-independent half of the quality benchmark.

Loading and decoding the development pages, the full-page text dumps and the
baselines (trafilatura, jusText, a C4-style line filter), the snippet scoring, a
crude language guess, and a small on-disk cache of the derived texts.
Nothing here imports :mod:`cleaner`: ``bench/quality.py`` and
``tests/test_quality_gate.py`` build on it.

>>> collapse_ws("  a\\n\\n b\\tc ")
'a b c'
>>> c4_filter("Menu\\nThis line has five words and ends.\\nToo short.")
'This line has five words and ends.'
"""

from __future__ import annotations

import base64
import codecs
import gzip
import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = REPO_ROOT / "bench" / ".cache"
GATE_LIST = REPO_ROOT / "tests" / "quality_gate_pages.txt"
DATA_ENV = "CLEANER_DEV_DATA"
DATA_NAME = "dev-pages.jsonl.gz"
GATE_SIZE = 150
WORKERS = 2

# Bump when the way a derived text is made changes (decoding, options), so that
# stale cache files are not reused.
DERIVE_VERSION = "1"


# --------------------------------------------------------------------------- data

def data_file() -> Path:
    """Where the development pages are: ``$CLEANER_DEV_DATA`` (a file or a folder
    holding ``dev-pages.jsonl.gz``), else ``../shared/data`` beside the repo."""
    env = os.environ.get(DATA_ENV)
    path = Path(env) if env else REPO_ROOT.parent / "shared" / "data"
    return path / DATA_NAME if path.is_dir() else path


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str                    # the decoded page
    with_: tuple[str, ...]       # snippets the output must contain
    without: tuple[str, ...]     # snippets it must not contain
    lang: str                    # guessed from the snippets, see page_language()
    encoding: str                # "utf-8 (given as text)" or how html_b64 bytes were decoded


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_pages(path: Path | None = None) -> list[Page]:
    """All pages of the data file, in file order."""
    path = path or data_file()
    pages = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            if "html" in row:
                html, how = row["html"], "utf-8 (given as text)"
            else:
                html, how = decode_html_bytes(base64.b64decode(row["html_b64"]))
            pages.append(Page(
                id=row["id"], url=row.get("url", ""), html=html,
                with_=tuple(row.get("with", ())), without=tuple(row.get("without", ())),
                lang=page_language(row.get("with", ()), row.get("without", ())), encoding=how,
            ))
    return pages


# ----------------------------------------------------------------------- decoding

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# WHATWG: these labels mean windows-1252 in a browser.
_AS_CP1252 = {"iso8859-1", "latin-1", "ascii", "cp1252"}


def _codec(label: bytes | str) -> str | None:
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_CP1252 else name


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (meta tag or XML prolog)."""
    head = data[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        match = pattern.search(head)
        if match and (codec := _codec(match.group(1))):
            return codec
    return None


def _mostly_utf8(data: bytes) -> bool:
    """True when valid multi-byte UTF-8 sequences outnumber undecodable bytes:
    a UTF-8 page with a few stray legacy bytes, not a mislabelled legacy page."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return good > bad


def decode_html_bytes(data: bytes) -> tuple[str, str]:
    """Decode a page's bytes; returns (text, how it was decoded).

    BOM, then strict UTF-8, then the declared charset (a declared UTF-8 is kept
    only if the bytes are mostly UTF-8), then charset-normalizer, then cp1252.

    >>> decode_html_bytes('<meta charset="iso-8859-1"><p>Grüße'.encode("latin-1"))[0][-5:]
    'Grüße'
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, "replace"), f"{codec} (BOM)"
    try:
        return data.decode("utf-8"), "utf-8 (valid)"
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared and (declared != "utf-8" or _mostly_utf8(data)):
        return data.decode(declared, "replace"), f"{declared} (declared)"
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best), f"{best.encoding} (detected)"
    return data.decode("cp1252", "replace"), "cp1252 (fallback)"


# ------------------------------------------------------------------------ subsets

def gate_ids(pages: Sequence[Page], n: int = GATE_SIZE) -> list[str]:
    """The gate subset: the n pages whose sha1(id) sorts first (stable under
    additions elsewhere in the file)."""
    return sorted((p.id for p in pages), key=lambda i: hashlib.sha1(i.encode()).hexdigest())[:n]


def read_id_list(path: Path = GATE_LIST) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def write_gate_list(pages: Sequence[Page], path: Path = GATE_LIST, n: int = GATE_SIZE) -> None:
    header = (f"# Quality gate subset: the {n} pages of {DATA_NAME} whose sha1(id) sorts first.\n"
              "# Regenerate (only if the data file changes) with: "
              "python bench/quality.py --write-gate-list\n")
    path.write_text(header + "".join(i + "\n" for i in gate_ids(pages, n)), encoding="utf-8")


def select(pages: Sequence[Page], ids: Iterable[str]) -> list[Page]:
    """The pages with these ids, in the order given; unknown ids raise KeyError."""
    by_id = {p.id: p for p in pages}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise KeyError(f"{len(missing)} ids not in the data file, e.g. {missing[:3]}")
    return [by_id[i] for i in ids]


# ------------------------------------------------------------------------ scoring

def collapse_ws(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0

    def __add__(self, other: "Score") -> "Score":
        return Score(self.tp + other.tp, self.fn + other.fn, self.fp + other.fp)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fn": self.fn, "fp": self.fp}


@dataclass
class PageResult:
    page: Page
    score: Score
    missed: list[str] = field(default_factory=list)   # `with` snippets not found
    leaked: list[str] = field(default_factory=list)   # `without` snippets found


def score_page(output: str, page: Page) -> PageResult:
    """Score one output against its page's snippets (whitespace collapsed on both sides)."""
    text = collapse_ws(output or "")
    missed = [s for s in page.with_ if collapse_ws(s) not in text]
    leaked = [s for s in page.without if collapse_ws(s) in text]
    score = Score(tp=len(page.with_) - len(missed), fn=len(missed), fp=len(leaked))
    return PageResult(page, score, missed, leaked)


def total(results: Iterable[PageResult], lang: str | None = None) -> Score:
    out = Score()
    for res in results:
        if lang is None or res.page.lang == lang:
            out = out + res.score
    return out


# ---------------------------------------------------------------------- baselines

# C4 kept lines ending in . ? ! or "; the English curly closing quotes count too.
# This set reproduces the documented baseline (html-text + C4 filter F1 0.782); adding
# » « “ … and ' raises that row to about 0.794 (German quotes, mostly).
TERMINAL = (".", "!", "?", '"', "”", "’")


def c4_filter(text: str, min_words: int = 5) -> str:
    """C4-style line filter: keep lines of `min_words`+ words ending in terminal
    punctuation; everything else goes."""
    kept = [line.strip() for line in (text or "").splitlines()]
    kept = [ln for ln in kept if len(ln.split()) >= min_words and ln.endswith(TERMINAL)]
    return "\n".join(kept)


JUSTEXT_LANGS = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "pl": "Polish",
    "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "cs": "Czech", "ru": "Russian",
    "sv": "Swedish", "da": "Danish", "tr": "Turkish", "hu": "Hungarian", "el": "Greek",
    "uk": "Ukrainian", "ro": "Romanian",
}
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _language_weights() -> tuple[dict[str, frozenset], Counter]:
    """Stopword sets per language from jusText's stoplists, de-noised.

    jusText's lists come from Wikipedia and carry English words ("the", "of") and a
    few shared ones ("de", "a"). English words are dropped from the other lists, and
    Romance words from the English list; a word still in several lists counts for
    each of them with weight 1/len(lists).
    """
    import justext

    raw = {code: {w for w in justext.get_stoplist(name) if _WORD.fullmatch(w)}
           for code, name in JUSTEXT_LANGS.items()}
    english = raw["en"]
    romance = raw["es"] | raw["fr"] | raw["pt"] | raw["it"]
    sets = {code: frozenset(words - romance if code == "en" else words - english)
            for code, words in raw.items()}
    counts = Counter(w for words in sets.values() for w in words)
    return sets, counts


def guess_language(texts: Iterable[str] | str, min_score: float = 1.0) -> str:
    """A crude language guess by stopword counts: an ISO 639-1 code, or "unknown".

    >>> guess_language(["Das ist nicht der Weg, den wir gehen wollen."])
    'de'
    >>> guess_language(["This is not the way we want to go."])
    'en'
    """
    if isinstance(texts, str):
        texts = [texts]
    sets, counts = _language_weights()
    tokens = _WORD.findall(" ".join(texts).lower())
    scores = {code: sum(1 / counts[t] for t in tokens if t in words)
              for code, words in sets.items()}
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top >= min_score and top > second else "unknown"


def page_language(with_: Sequence[str], without: Sequence[str] = ()) -> str:
    """A page's language from its `with` snippets; when they are too short to tell,
    from all its snippets (the chrome is mostly in the page's language too)."""
    lang = guess_language(with_)
    return lang if lang != "unknown" else guess_language(list(with_) + list(without))


def justext_text(html: str, lang: str = "en") -> str:
    """jusText's non-boilerplate paragraphs, joined by blank lines."""
    import justext

    stoplist = justext.get_stoplist(JUSTEXT_LANGS.get(lang, "English"))
    paragraphs = justext.justext(html.encode("utf-8"), stoplist, encoding="utf-8")
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


# ----------------------------------------------------------------- derived texts

def html_text_dump(html: str) -> str:
    import html_text

    return html_text.extract_text(html, guess_layout=True)


def inscriptis_dump(html: str) -> str:
    import inscriptis

    return inscriptis.get_text(html)


def trafilatura_text(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def dom_blocks_dump(html: str) -> str:
    """The page's text blocks as cleaner's DOM walk finds them, all of them, a paragraph each
    (cleaner.io.dom): a full-page dump laid out unlike html-text's or inscriptis's, which no
    model is trained on."""
    from cleaner.io.dom import dom_blocks, parse
    from cleaner.stages.extract import page_text

    return page_text(dom_blocks(parse(html)))[0]


def justext_baseline(html: str) -> str:
    """jusText with the stoplist of the language guessed from the page's own text dump
    (not from the annotations); English when unsure."""
    lang = guess_language(html_text_dump(html))
    return justext_text(html, lang if lang in JUSTEXT_LANGS else "en")


# name -> (function, distributions whose versions key its cache)
DERIVED: dict[str, tuple[Callable[[str], str], tuple[str, ...]]] = {
    "html-text": (html_text_dump, ("html-text", "lxml")),
    "inscriptis": (inscriptis_dump, ("inscriptis", "lxml")),
    "trafilatura": (trafilatura_text, ("trafilatura", "lxml", "justext", "htmldate")),
    "dom-blocks": (dom_blocks_dump, ("lxml",)),
    "justext": (justext_baseline, ("justext", "html-text", "lxml")),
}


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


def versions() -> dict[str, str]:
    names = sorted({d for _, dists in DERIVED.values() for d in dists} | {"charset-normalizer"})
    return {name: _version(name) for name in names}


def cache_path(kind: str, data_hash: str) -> Path:
    _, dists = DERIVED[kind]
    key = json.dumps([DERIVE_VERSION, data_hash, kind, [(d, _version(d)) for d in dists],
                      _version("charset-normalizer")])
    return CACHE_DIR / f"{kind}-{hashlib.sha1(key.encode()).hexdigest()[:16]}.json.gz"


def _derive_one(task: tuple[str, str, tuple[str, ...]]) -> tuple[str, dict[str, str], dict[str, str]]:
    page_id, html, kinds = task
    texts, errors = {}, {}
    for kind in kinds:
        try:
            texts[kind] = DERIVED[kind][0](html)
        except Exception as exc:  # one bad page must not stop the run
            texts[kind] = ""
            errors[kind] = f"{type(exc).__name__}: {exc}"
    return page_id, texts, errors


def pool_map(func: Callable, tasks: list, workers: int = WORKERS, chunksize: int = 4):
    """map() over a process pool (in-process for one worker or few tasks)."""
    if workers <= 1 or len(tasks) < 8:
        return list(map(func, tasks))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(func, tasks, chunksize=chunksize))


@dataclass
class Derived:
    texts: dict[str, dict[str, str]]        # kind -> page id -> text
    errors: dict[str, dict[str, str]]       # kind -> page id -> error (texts are "")
    computed: int                           # page-kind pairs computed in this run
    cached: int                             # page-kind pairs read from the cache


def derive(pages: Sequence[Page], kinds: Sequence[str], data_hash: str | None,
           workers: int = WORKERS, use_cache: bool = True) -> Derived:
    """The derived texts of `kinds` for `pages`, from the cache where possible.

    The cache is one file per kind, keyed by the data file's hash and the versions of
    the libraries that make the text; missing pages are computed and added.
    """
    use_cache = use_cache and data_hash is not None
    stores: dict[str, dict] = {}
    for kind in kinds:
        store = {"texts": {}, "errors": {}}
        path = cache_path(kind, data_hash) if use_cache else None
        if path is not None and path.exists():
            try:
                with gzip.open(path, "rt", encoding="utf-8") as fh:
                    store = json.load(fh)
            except (OSError, ValueError):
                pass  # a damaged cache file is rebuilt
        stores[kind] = store
    tasks = []
    for page in pages:
        todo = tuple(k for k in kinds if page.id not in stores[k]["texts"])
        if todo:
            tasks.append((page.id, page.html, todo))
    for page_id, texts, errors in pool_map(_derive_one, tasks, workers):
        for kind, text in texts.items():
            stores[kind]["texts"][page_id] = text
            if kind in errors:
                stores[kind]["errors"][page_id] = errors[kind]
    computed = sum(len(t[2]) for t in tasks)
    if use_cache and tasks:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for kind in kinds:
            _write_json_gz(cache_path(kind, data_hash), stores[kind])
    ids = {p.id for p in pages}
    return Derived(
        texts={k: {i: t for i, t in s["texts"].items() if i in ids} for k, s in stores.items()},
        errors={k: {i: e for i, e in s["errors"].items() if i in ids} for k, s in stores.items()},
        computed=computed, cached=len(pages) * len(kinds) - computed,
    )


def _write_json_gz(path: Path, obj: dict) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            fh.write(json.dumps(obj, ensure_ascii=False).encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
