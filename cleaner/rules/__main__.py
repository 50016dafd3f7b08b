"""``python -m cleaner.rules``: rewrite the needle tables worked out in advance from the
phrase lists and the tail headers (see :mod:`cleaner.rules`)."""

from cleaner.rules import write_needles

if __name__ == "__main__":
    for kind in ("chrome", "tails"):
        print(f"wrote {write_needles(kind)}")
