"""Did a change alter any output? Hashes of every document's clean text and provenance log.

    python bench/identical.py record base.json     # before the change
    python bench/identical.py compare base.json    # after it: exit 1 on any difference

Cleans, with one default pipeline, the texts bench/speed.py times (the dev pages' html-text
dumps and trafilatura outputs), then every case in seeds/ and fixtures/, and keeps per
document a hash of ``result.text`` and of ``json.dumps(result.records())``, plus one of the
pipeline's stats. A speed change must leave them all equal. Use the same Python and
library versions for both runs (ftfy or regex upgrades may change outputs on their own).
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


def fingerprints() -> dict[str, str]:
    pipeline = Pipeline()
    out = {}
    for name, data in corpus():
        result = pipeline.clean(data, doc_id=name)
        out[name] = _hash(result.text) + _hash(json.dumps(result.records(), ensure_ascii=False))
    out["__stats__"] = _hash(json.dumps(sorted(pipeline.stats.items())))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="record or compare output fingerprints")
    parser.add_argument("mode", choices=["record", "compare"])
    parser.add_argument("path", type=Path)
    args = parser.parse_args()
    found = fingerprints()
    if args.mode == "record":
        args.path.write_text(json.dumps(found))
        print(f"{len(found) - 1} documents recorded in {args.path}")
        return
    base = json.loads(args.path.read_text())
    differ = sorted(key for key in base.keys() | found.keys() if base.get(key) != found.get(key))
    print(f"{len(found) - 1} documents, {len(differ)} differences" + (f": {', '.join(differ[:20])}" if differ else ""))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
