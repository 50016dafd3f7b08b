"""`cleaner explain`: a removal is marked, with its rule, on the line it removes."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, run_cli

pytestmark = pytest.mark.slow  # runs the command line in subprocesses


def test_a_dropped_lines_rule_is_on_that_line(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Hello world, this is the article.\n\nFollow us on Twitter\n\nIt has a second paragraph.\n\n12 Comments\n")
    out = run_cli("explain", "--no-color", str(page)).stdout.decode()
    lines = out.splitlines()
    assert "[-Follow us on Twitter-]{chrome_phrase}" in lines
    assert "[-12 Comments-]{stray_counter}" in lines
    for line in lines:  # no line starts with the label of a removal above it
        assert not re.match(r"-\]\{", line), line
    for seed in sorted((ROOT / "seeds").glob("*[0-9a-f].txt"))[:3]:
        shown = run_cli("explain", "--no-color", str(seed)).stdout.decode()
        assert not re.search(r"^-\]\{", shown, re.M), seed
