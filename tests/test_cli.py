"""The command line, end to end, in subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

pytestmark = pytest.mark.slow  # runs the command line in subprocesses

SEED = ROOT / "seeds" / "000_5ee60291405f7b65.txt"
EXPECTED = ROOT / "seeds" / "000_5ee60291405f7b65.expected.txt"


def test_seed_is_exact():
    proc = run_cli("clean", str(SEED))
    assert proc.returncode == 0
    assert proc.stdout == EXPECTED.read_bytes()


def test_log_then_restore_is_exact(tmp_path: Path):
    log = tmp_path / "log.jsonl"
    out = tmp_path / "clean.txt"
    proc = run_cli("clean", str(SEED), "--log", str(log))
    out.write_bytes(proc.stdout)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    drops = [r for r in records if r["action"] == "drop"]
    assert [r["rule"] for r in drops] == ["date_banner", "chrome_phrase", "merged_fragment", "stray_counter"]
    for r in drops:
        assert set(r) >= {"doc", "stage", "rule", "action", "start", "end", "original", "replacement"}
        assert SEED.read_text()[r["start"] : r["end"]] == r["original"]
    restored = run_cli("restore", str(out), str(log))
    assert restored.returncode == 0
    assert restored.stdout == SEED.read_bytes()


def test_jsonl_keeps_fields_and_order():
    proc = run_cli("clean", "--jsonl", input=b'{"id": "a", "text": "Hello world.\\n\\n0"}\n')
    assert proc.stdout == b'{"id": "a", "text": "Hello world.\\n"}\n'


def test_jsonl_other_field_and_restore(tmp_path: Path):
    src = b'{"body": "Advertisement\\nReal text here.", "n": 1}\n{"body": "Second.\\n\\n12 Comments", "n": 2}\n'
    log = tmp_path / "log.jsonl"
    proc = run_cli("clean", "--jsonl", "--field", "body", "--log", str(log), input=src)
    lines = [json.loads(l) for l in proc.stdout.decode().splitlines()]
    assert [l["body"] for l in lines] == ["Real text here.\n", "Second.\n"]
    assert [list(l) for l in lines] == [["body", "n"], ["body", "n"]]
    clean = tmp_path / "clean.jsonl"
    clean.write_bytes(proc.stdout)
    restored = run_cli("restore", "--jsonl", "--field", "body", str(clean), str(log))
    assert [json.loads(l)["body"] for l in restored.stdout.decode().splitlines()] == [
        "Advertisement\nReal text here.", "Second.\n\n12 Comments"]


def test_jsonl_lone_surrogate_escapes_are_logged_and_restored(tmp_path: Path):
    """``\\ud800`` in JSON is a lone surrogate: the log must still be valid UTF-8 JSON."""
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "s", "text": "Hello \\ud800 world.\\n\\n0", "note": "\\udc80"}\n')
    log = tmp_path / "log.jsonl"
    proc = run_cli("clean", "--jsonl", str(src), "--log", str(log))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out == {"id": "s", "text": "Hello \ufffd world.\n", "note": "\udc80"}
    records = [json.loads(line) for line in log.read_bytes().decode("utf-8").splitlines()]
    assert any(r["original"] == "\ud800" for r in records)
    (tmp_path / "out.jsonl").write_bytes(proc.stdout)
    back = run_cli("restore", "--jsonl", str(tmp_path / "out.jsonl"), str(log))
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout) == json.loads(src.read_text())


NAMES = ["Anna", "Ben", "Carla", "David", "Emma", "Felix"]


def test_a_terminal_shows_progress_and_stdout_stays_clean(tmp_path: Path):
    import os
    import pty

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": str(i), "url": f"https://a.example/{i}",
                                       "text": f"Menu\n\n{NAMES[i % 6]} met {NAMES[(i + 1) % 6]} on day {i} and approved the {NAMES[i // 6]} plan.\n"}) + "\n"
                           for i in range(30)))
    out = tmp_path / "out.jsonl"
    pid, fd = pty.fork()
    if pid == 0:  # the child: stderr is a terminal, stdout a file
        os.chdir(ROOT)
        os.environ.update(TERM="xterm", COLUMNS="200")
        os.dup2(os.open(str(out), os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
        os.execv(sys.executable, [sys.executable, "-m", "cleaner.cli", "clean", "--jsonl", str(src)])
    shown = b""
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, shown
    text = shown.decode("utf-8", "replace")
    assert "learning templates" in text and "cleaning" in text and "30 docs" in text and "MB" in text
    records = [json.loads(line) for line in out.read_text().splitlines()]  # no bar in the output
    assert len(records) == 30 and "on day 7" in records[7]["text"] and "Menu" not in records[7]["text"]


def test_bad_json_line_is_named_and_others_come_out():
    proc = run_cli("clean", "--jsonl", input=b'{"text": "One."}\nnot json\n{"text": "Two."}\n')
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines() == ['{"text": "One.\\n"}', '{"text": "Two.\\n"}']
    assert b":2:" in proc.stderr and b"Traceback" not in proc.stderr


def test_empty_input():
    proc = run_cli("clean", input=b"")
    assert (proc.returncode, proc.stdout) == (0, b"")


def test_binary_file_is_an_error_and_others_still_processed(tmp_path: Path):
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    proc = run_cli("clean", str(image), str(SEED))
    assert proc.returncode == 2
    assert proc.stdout == EXPECTED.read_bytes()
    err = proc.stderr.decode().strip().splitlines()
    assert len(err) == 1 and "photo.png" in err[0] and "Traceback" not in err[0]


def test_missing_file(tmp_path: Path):
    proc = run_cli("clean", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2 and b"no such file" in proc.stderr


def test_invalid_utf8_is_decoded():
    proc = run_cli("clean", input="Straße in München, schön.\n".encode("cp1252") + b"\xff\xfe ok\n")
    assert proc.returncode == 0
    assert "Straße".encode() in proc.stdout


@pytest.mark.parametrize("options", ["", "--jsonl", "--jsonl --workers 2"])
def test_closed_pipe_ends_quietly(tmp_path: Path, options: str):
    """However the closed pipe surfaces (a write, a flush, a worker pool), cleaner stops
    with status 0 and says nothing."""
    line = "A line of real article text that goes on."
    if options:
        big = tmp_path / "big.jsonl"
        big.write_text(f'{{"text": "{line}"}}\n' * 100_000)
        first = f'{{"text": "{line}\\n"}}\n'.encode()
    else:
        big = tmp_path / "big.txt"
        big.write_text(f"{line}\n\n" * 200_000)
        first = f"{line}\n".encode()
    cmd = f"{sys.executable} -m cleaner.cli clean {options} {big} | head -1; exit ${{PIPESTATUS[0]}}"
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, timeout=120)
    assert proc.stdout == first
    assert proc.stderr == b""
    assert proc.returncode == 0


def test_html_is_detected_and_extracted():
    page = (
        "<!DOCTYPE html><html><head><title>T</title></head><body><nav>Home | News</nav>"
        "<article><h1>Harbour reopens</h1>"
        + "".join(f"<p>The harbour reopened on Monday after repairs that took {i} months, officials said.</p>" for i in range(2, 8))
        + "<p>Follow us on Twitter</p></article><footer>All rights reserved</footer></body></html>"
    ).encode()
    proc = run_cli("clean", input=page)
    out = proc.stdout.decode()
    assert "The harbour reopened on Monday" in out
    assert "<p>" not in out and "Follow us on Twitter" not in out


def test_config_switches_rules_and_adds_patterns(tmp_path: Path):
    cfg = tmp_path / "cleaner.toml"
    cfg.write_text('[rules]\nstray_counter = false\n[patterns]\ndrop = ["^Sponsored by "]\nkeep = ["Google News"]\n')
    src = b"Sponsored by Acme\nFor the latest headlines, follow our Google News channel.\n\nBody text is here.\n\n0\n"
    proc = run_cli("clean", "--config", str(cfg), input=src)
    assert proc.stdout == b"For the latest headlines, follow our Google News channel.\n\nBody text is here.\n\n0\n"


@pytest.mark.parametrize("content,message", [
    ('[rules]\nno_such_rule = false\n', "unknown rule"),
    ('[stages]\ndecode = false\n', "cannot be switched off"),
    ('[thresholds.chrome]\nmax_wordz = 3\n', "unknown threshold"),
    ('[patterns]\ndrop = ["(unclosed"]\n', "bad pattern"),
    ('not toml [', "not valid TOML"),
])
def test_bad_config_is_a_clear_error(tmp_path: Path, content: str, message: str):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(content)
    proc = run_cli("clean", "--config", str(cfg), input=b"x")
    assert proc.returncode == 2
    assert message in proc.stderr.decode() and b"Traceback" not in proc.stderr


def test_rules_lists_every_rule():
    out = run_cli("rules").stdout.decode()
    for rule in ("fix_mojibake", "chrome_phrase", "stray_counter", "date_banner", "merged_fragment", "final_newline"):
        assert f"  {rule}: " in out


def test_explain_marks_removals_when_piped():
    out = run_cli("explain", str(SEED)).stdout.decode()
    assert "[-Wednesday , 1 May 2024" in out and "{date_banner}" in out
    assert "{stray_counter}" in out
    listing = run_cli("explain", "--removed-only", str(SEED)).stdout.decode().splitlines()
    assert len(listing) == 4 and "chrome/chrome_phrase" in listing[1]


@pytest.mark.parametrize("command", ["clean", "explain", "restore", "rules"])
def test_every_command_has_help(command: str):
    proc = run_cli(command, "--help")
    assert proc.returncode == 0 and b"Usage" in proc.stdout


def test_a_log_over_an_input_is_refused(tmp_path: Path):
    page = tmp_path / "a.txt"
    page.write_text("Follow us on Twitter\n\nThe harbour reopened on Monday.\n")
    before = page.read_bytes()
    for log in (str(page), str(tmp_path / "." / "a.txt")):
        proc = run_cli("clean", str(page), "--log", log)
        assert proc.returncode == 2
        assert proc.stderr.decode() == f"cleaner: --log {log} is the input {page}: writing the log would destroy it\n"
        assert proc.stdout == b"" and page.read_bytes() == before


def test_restore_refuses_a_log_cut_short(tmp_path: Path):
    page = tmp_path / "page.txt"
    page.write_text("Follow us on Twitter\n\nThe harbour reopened.\n\n12 Comments\n\nShare this\n")
    log, out = tmp_path / "log.jsonl", tmp_path / "out.txt"
    proc = run_cli("clean", str(page), "--log", str(log))
    out.write_bytes(proc.stdout)
    lines = log.read_text().splitlines(keepends=True)
    assert len(lines) >= 4  # the note, edits, the end record
    assert run_cli("restore", str(out), str(log)).stdout == page.read_bytes()
    for keep in (1, 2, len(lines) - 1):  # only the note; the note and one edit; all but the end
        cut = tmp_path / f"cut{keep}.jsonl"
        cut.write_text("".join(lines[:keep]))
        proc = run_cli("restore", str(out), str(cut))
        assert proc.returncode == 2 and proc.stdout == b""
        assert "cut short" in proc.stderr.decode()


def test_restore_refuses_a_jsonl_output_missing_records(tmp_path: Path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": f"Record {i}.\n\n12 Comments"}) + "\n" for i in range(3)))
    log, out = tmp_path / "log.jsonl", tmp_path / "out.jsonl"
    out.write_bytes(run_cli("clean", "--jsonl", str(src), "--log", str(log)).stdout)
    assert run_cli("restore", "--jsonl", str(out), str(log)).stdout == src.read_bytes()
    out.write_text("".join(out.read_text().splitlines(keepends=True)[:2]))
    proc = run_cli("restore", "--jsonl", str(out), str(log))
    assert proc.returncode == 1
    assert "1 document(s) of the log have no record here" in proc.stderr.decode()
    cut = tmp_path / "cut.jsonl"
    records = log.read_text().splitlines(keepends=True)
    cut.write_text("".join(line for line in records if '"doc": 2' not in line and '"doc": "2"' not in line))
    proc = run_cli("restore", "--jsonl", str(out), str(cut))
    assert proc.returncode == 2 and "says it holds 3 documents but holds 2" in proc.stderr.decode()


def test_explain_shows_control_characters_instead_of_sending_them_to_the_terminal(tmp_path: Path):
    page = tmp_path / "page.txt"
    page.write_bytes(b"Follow us on Twitter\x1b[2J\x1b[3J\n\nThe harbour \x1b]0;owned\x07reopened\x1b[8m hidden.\n\n12 Comments\x9b\n")
    plain = run_cli("explain", "--no-color", str(page))
    assert plain.returncode == 0, plain.stderr
    assert b"\x1b" not in plain.stdout and b"\x07" not in plain.stdout
    assert "\u241b[2J" in plain.stdout.decode() and "\u2407" in plain.stdout.decode()
    colour = run_cli("explain", "--color", str(page))
    out = colour.stdout.decode()
    assert "\x1b[2J" not in out and "\x1b]" not in out and "\x07" not in out and "\x1b[8m" not in out
    assert "\u241b" in out and "[8m hidden" in out


@pytest.mark.parametrize("value", ["-5", "-0.5", "inf", "nan"])
def test_a_negative_or_endless_threshold_is_refused(tmp_path: Path, value: str):
    config = tmp_path / "cleaner.toml"
    config.write_text(f"[thresholds.chrome]\nmax_words = {value}\n")
    proc = run_cli("clean", "--config", str(config), input=b"Hello there.\n")
    assert proc.returncode == 2 and proc.stdout == b""
    assert "threshold chrome.max_words must be" in proc.stderr.decode()


def test_a_config_that_is_not_utf8_is_named(tmp_path: Path):
    config = tmp_path / "cleaner.toml"
    config.write_bytes(b"[rules]\n# caf\xe9\nstray_counter = false\n")
    proc = run_cli("clean", "--config", str(config), input=b"Hello there.\n")
    assert proc.returncode == 2
    assert proc.stderr.decode() == f"cleaner: config {config} is not UTF-8 (byte 13: b'\\xe9'); save it as UTF-8\n"
