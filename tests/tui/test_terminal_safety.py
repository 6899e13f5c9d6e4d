"""In a real terminal (tmux), no article-originated ESC, BEL, C1 or bidi byte reaches the pty.

The reader runs as the pane's own command, so the recorded stream holds only its output;
the pane title and the clipboard (OSC 52, which tmux turns into a paste buffer) must not change.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("newsdesk")
ATTACK = (
    "Evil article\n\nAngela Merkel said \x1b]0;PWNED\x07 hello \x1b]52;c;ZXZpbA==\x07 clip"
    " \x1b[31mred\x1b[0m \x9b2J c1 \u202ebidi\u202c and bell\x07 [@click=app.quit]click[/]"
    " Price [/] drop in Berlin.\n"
)
FORBIDDEN = [
    b"]0;PWNED",
    b"PWNED",
    b"]52;",
    b"ZXZpbA",
    b"\x07",
    b"\xc2\x9b",
    b"\xe2\x80\xae",
    b"\xe2\x80\xac",
]

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _wait_for(tmux: list[str], text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = subprocess.run(
            [*tmux, "capture-pane", "-p", "-t", "e"], capture_output=True, text=True
        ).stdout
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared:\n{screen}")


@pytest.mark.parametrize("no_color", [False, True])
def test_no_article_bytes_reach_the_terminal(tmp_path: Path, no_color: bool) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(ATTACK, encoding="utf-8")
    lib = tmp_path / "lib"
    added = subprocess.run(
        [str(BIN), "add", str(corpus), "--library", str(lib), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert added.returncode == 0, added.stderr
    raw = tmp_path / "pty.raw"
    tmux = ["tmux", "-L", f"newsdesk-safety-{os.getpid()}-{int(no_color)}", "-f", "/dev/null"]
    env = f"env TERM=xterm-256color {'NO_COLOR=1' if no_color else ''} "
    command = f"{env}{BIN} --library {lib}"
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "e", "-x", "100", "-y", "30", command], check=True
    )
    try:
        subprocess.run([*tmux, "set", "-g", "set-clipboard", "on"], check=True)
        subprocess.run([*tmux, "select-pane", "-t", "e", "-T", "sentinel"], check=True)
        subprocess.run([*tmux, "pipe-pane", "-t", "e", "-o", f"cat >> {raw}"], check=True)
        _wait_for(tmux, "Evil article")
        subprocess.run([*tmux, "send-keys", "-t", "e", "Enter"], check=True)
        screen = _wait_for(tmux, "drop in Berlin")
        for literal in ("[@click=app.quit]click[/]", "Price [/] drop", "said hello clip red"):
            assert literal in screen, "corpus text is shown literally, never as markup"
        title = subprocess.run(
            [*tmux, "display", "-p", "-t", "e", "#{pane_title}"], capture_output=True, text=True
        ).stdout.strip()
        assert title == "sentinel"
        buffers = subprocess.run([*tmux, "list-buffers"], capture_output=True, text=True).stdout
        assert buffers.strip() == "", "OSC 52 reached the terminal"
        subprocess.run([*tmux, "send-keys", "-t", "e", "q"], check=True)
        time.sleep(0.5)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    stream = raw.read_bytes()
    assert len(stream) > 1000
    # Textual's own pointer-shape request (OSC 22) ends in BEL; nothing else may.
    stream = re.sub(rb"\x1b\]22;[a-z-]*\x07", b"", stream)
    for needle in FORBIDDEN:
        assert needle not in stream, f"{needle!r} reached the terminal"
