"""Did a change alter any output? Hashes of every document's clean text and provenance log.

    python bench/identical.py record base.json     # before the change
    python bench/identical.py compare base.json    # after it: exit 1 on any difference
    python bench/identical.py record base.json --html 0   # text mode only (quicker)

Cleans, with one default pipeline, the texts bench/speed.py times (the dev pages' html-text
dumps and trafilatura outputs), then every case in seeds/ and fixtures/, and keeps per
document a hash of ``result.text`` and of ``json.dumps(result.records())``, plus one of the
pipeline's stats. With ``--html N`` (default 200) it also cleans the first N dev pages in
html mode (``clean(page, html=True, url=page's url)``, as ``cleaner clean --jsonl --html``
does), with another pipeline, and keeps the same hashes of those. A speed change must leave
them all equal (``compare`` also fails when the two runs did not hash the same documents:
record and compare with the same ``--html``). Use the same Python and library versions for both runs (ftfy or regex
upgrades may change outputs on their own).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _data  # noqa: E402
import speed  # noqa: E402
from cleaner.pipeline import Pipeline  # noqa: E402


def corpus() -> list[tuple[str, str | bytes]]:
    docs: list[tuple[str, str | bytes]] = [(f"dev{i}", text) for i, text in enumerate(speed.texts())]
    for folder in ("seeds", "fixtures"):
        for path in sorted((ROOT / folder).glob("*.txt")):
            if not path.name.endswith(".expected.txt"):
                docs.append((f"{folder}/{path.name}", path.read_bytes()))
    return docs


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _fingerprint(result) -> str:
    return _hash(result.text) + _hash(json.dumps(result.records(), ensure_ascii=False))


def fingerprints(html_pages: int = 0) -> dict[str, str]:
    """The hashes of every document of :func:`corpus` (text mode), and of the first
    ``html_pages`` dev pages cleaned in html mode (keys ``html/<page id>``)."""
    pipeline = Pipeline()
    out = {}
    for name, data in corpus():
        out[name] = _fingerprint(pipeline.clean(data, doc_id=name))
    out["__stats__"] = _hash(json.dumps(sorted(pipeline.stats.items())))
    if html_pages:
        html_pipeline = Pipeline()
        for page in _data.load_pages()[:html_pages]:
            name = f"html/{page.id}"
            out[name] = _fingerprint(html_pipeline.clean(page.html, doc_id=name, html=True, url=page.url))
        out["__html_stats__"] = _hash(json.dumps(sorted(html_pipeline.stats.items())))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="record or compare output fingerprints")
    parser.add_argument("mode", choices=["record", "compare"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--html", type=int, default=200, metavar="N",
                        help="also clean the first N dev pages in html mode (default 200; 0: text mode only)")
    args = parser.parse_args()
    found = fingerprints(args.html)
    documents = sum(not key.startswith("__") for key in found)
    html = sum(key.startswith("html/") for key in found)
    if args.mode == "record":
        args.path.write_text(json.dumps(found))
        print(f"{documents} documents ({html} in html mode) recorded in {args.path}")
        return
    base = json.loads(args.path.read_text())
    both = base.keys() & found.keys()
    differ = sorted(key for key in both if base[key] != found[key])
    unmatched = sorted(base.keys() ^ found.keys())
    print(f"{documents} documents ({html} in html mode), {len(differ)} differences"
          + (f": {', '.join(differ[:20])}" if differ else ""))
    if unmatched:
        print(f"{len(unmatched)} documents hashed in one run only (another --html?): {', '.join(unmatched[:5])}")
    sys.exit(1 if differ or unmatched else 0)


if __name__ == "__main__":
    main()
