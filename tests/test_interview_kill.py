"""A mock round typed in a real terminal survives kill -9 and Ctrl-C without losing a word.

The CLI runs in a subprocess attached to a pseudo-terminal, exactly as in a
user's terminal: the countdown prompt, key-by-key input, autosave. No grading is
needed: the answer is never handed in.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from loopready.interview import loops, sessions
from loopready.packs import get_pack
from loopready.store import Database, open_db

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal"),
    pytest.mark.slow,  # each test starts the CLI in a terminal, a few seconds apiece
]

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class Terminal:
    """``loopready`` in a pseudo-terminal: type into it, read what it shows."""

    def __init__(self, *args: str) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "loopready", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
        )
        os.close(slave)
        self.screen = ""

    def read_until(self, pattern: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, ANSI.sub("", self.screen)):
                return self.screen
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.screen += os.read(self.master, 65536).decode("utf-8", "replace")
                except OSError:  # the process ended
                    break
        raise AssertionError(f"never saw {pattern!r}; screen:\n{ANSI.sub('', self.screen)}")

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def wait(self, timeout: float = 30.0) -> int:
        end = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < end:
            self.read_quietly()
        return self.proc.wait(timeout=1)

    def read_quietly(self) -> None:
        ready, _, _ = select.select([self.master], [], [], 0.1)
        if ready:
            try:
                self.screen += os.read(self.master, 65536).decode("utf-8", "replace")
            except OSError:
                time.sleep(0.05)

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        os.close(self.master)


@pytest.fixture
def db() -> Iterator[Database]:
    with open_db() as database:
        yield database


def _saved_text(db: Database, session_id: str) -> str:
    view = sessions.load(db, session_id)
    assert view.current is not None
    return view.current.text


def _wait_for_text(db: Database, round_id: str, loop_id: str, expected: str) -> str:
    deadline = time.monotonic() + 20
    session_id = None
    while time.monotonic() < deadline:
        session_id = session_id or sessions.find_in_progress(
            db, "sony-ai-pm-2026", round_id, loop_id
        )
        if session_id and _saved_text(db, session_id) == expected:
            return session_id
        time.sleep(0.1)
    found = _saved_text(db, session_id) if session_id else None
    raise AssertionError(f"the database never held {expected!r}; it holds {found!r}")


def test_kill_9_mid_answer_then_resume_with_the_text_intact(db: Database, tmp_path: Path) -> None:
    loop = loops.new_loop(db, get_pack("sony-ai-pm-2026"))
    term = Terminal("practice", "technical_depth", "--loop", loop.id[:8])
    try:
        term.read_until(r"\[\d\d:\d\d\] ")  # the countdown prompt
        term.read_until("How would you detect drift")
        term.type("First I would separate a shift in the inputs from a real drop in quality.\r")
        term.type("Then I would watch the undo rate by dev")  # no Enter: an unfinished line
        session_id = _wait_for_text(
            db,
            "technical_depth",
            loop.id,
            "First I would separate a shift in the inputs from a real drop in quality.\n"
            "Then I would watch the undo rate by dev",
        )
        os.killpg(term.proc.pid, signal.SIGKILL)  # kill -9: no handler runs
        assert term.proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        term.close()

    # The text survived the kill, and the same command resumes the same session.
    assert _saved_text(db, session_id).endswith("undo rate by dev")
    term = Terminal("practice", "technical_depth", "--loop", loop.id[:8])
    try:
        term.read_until("Resuming session " + session_id[:8])
        term.read_until("undo rate by dev")
        term.type("ice and region.")  # continues the unfinished line where it stopped
        _wait_for_text(
            db,
            "technical_depth",
            loop.id,
            "First I would separate a shift in the inputs from a real drop in quality.\n"
            "Then I would watch the undo rate by device and region.",
        )
        term.type("\x03")  # Ctrl-C: save and stop cleanly
        assert term.wait() == 130
        screen = ANSI.sub("", term.screen)
        assert "Saved." in screen
        assert f"loopready practice technical_depth --loop {loop.id[:8]}" in screen
        assert "Traceback" not in screen
    finally:
        term.close()
    assert _saved_text(db, session_id) == (
        "First I would separate a shift in the inputs from a real drop in quality.\n"
        "Then I would watch the undo rate by device and region."
    )


def test_ctrl_c_saves_the_unfinished_line_at_once(db: Database) -> None:
    """Ctrl-C straight after typing (before the idle autosave) keeps the words too."""
    term = Terminal("practice", "recruiter_screen", "--no-loop")
    try:
        term.read_until(r"\[\d\d:\d\d\] ")
        term.type("I have shipped two AI products")
        term.type("\x03")
        assert term.wait() == 130
        assert "--no-loop" in ANSI.sub("", term.screen)
    finally:
        term.close()
    session_id = sessions.find_in_progress(db, "sony-ai-pm-2026", "recruiter_screen", None)
    assert session_id is not None
    assert _saved_text(db, session_id) == "I have shipped two AI products"


def test_terminal_editing_keys(db: Database) -> None:
    term = Terminal("practice", "recruiter_screen", "--no-loop")
    try:
        term.read_until(r"\[\d\d:\d\d\] ")
        term.type("I led a teem")
        term.type("\x7f\x7fam of 8\r")  # backspace fixes the typo
        term.type("delete these words\x17\x17\x17")  # Ctrl-W three times
        term.type("\x1b[Aand a launch\x15")  # an arrow key is ignored; Ctrl-U clears
        term.type("Ctrl-U left this line")
        term.type("\x03")
        assert term.wait() == 130, ANSI.sub("", term.screen)
    finally:
        term.close()
    session_id = sessions.find_in_progress(db, "sony-ai-pm-2026", "recruiter_screen", None)
    assert session_id is not None
    assert _saved_text(db, session_id) == "I led a team of 8\nCtrl-U left this line"


def test_the_countdown_warns_at_half_time_and_shows_overtime(db: Database) -> None:
    pack = get_pack("sony-ai-pm-2026")
    view = sessions.start(db, pack, "technical_depth")  # 30 minutes
    sessions.autosave(db, view.id, 0, "", active_s=30 * 60 * 0.5 - 1.5)
    term = Terminal("practice", "technical_depth", "--no-loop")
    try:
        term.read_until(r"\[1[45]:\d\d\] ")
        term.read_until("Half your time is gone", timeout=15)
        term.type("\x03")
        assert term.wait() == 130
    finally:
        term.close()
    sessions.autosave(db, view.id, 0, "Nearly done", active_s=30 * 60 - 1.5)
    term = Terminal("practice", "technical_depth", "--no-loop")
    try:
        term.read_until("You are over time", timeout=15)
        term.read_until(r"\[\+00:0\d\] ")
        term.type("\x03")
        assert term.wait() == 130
    finally:
        term.close()
    assert sessions.load(db, view.id).active_s >= 30 * 60


def test_a_whole_round_typed_in_the_terminal(db: Database) -> None:
    """Answer, probes and close typed in a terminal; the report prints when it ends."""
    term = Terminal("practice", "recruiter_screen", "--no-loop", "--prompt", "rs_walkthrough")
    try:
        term.read_until(r"\[\d\d:\d\d\] ")
        term.type(
            "I have shipped two AI products end to end. Beacon, a recommendation feature, "
            "lifted weekly sessions by 9% in one quarter, and I owned its metric and rollout.\r"
            "What links my launches is turning model quality into something users notice.\r.\r"
        )
        asked = 0
        deadline = time.monotonic() + 120  # the first grade loads the model
        while time.monotonic() < deadline:
            term.read_quietly()
            plain = ANSI.sub("", term.screen)
            if "Your report" in plain:
                break
            if plain.count("Interviewer:") > asked:
                asked = plain.count("Interviewer:")
                term.read_until(r"\[\d\d:\d\d\] $")  # the prompt of the next answer
                term.type("Beacon is the launch I am proudest of, and I decided to ship it.\r.\r")
        else:
            raise AssertionError(ANSI.sub("", term.screen))
        assert 2 <= asked <= 4  # one to three probes, then the close
        assert term.wait(timeout=60) == 0
        plain = ANSI.sub("", term.screen)
        assert "Recruiter screen:" in plain and "/100" in plain
        assert "Scores by criterion" in plain
    finally:
        term.close()
    view = sessions.load(db, "last")
    assert view.status == "completed" and view.done
    assert view.active_s > 0  # timed: the clock ran while typing


def test_typing_without_a_pause_is_saved_along_the_way_and_survives_kill_9(
    db: Database,
) -> None:
    """No pause of a second ever comes, yet the saved text follows the typing."""
    words = "I would cut the scope to lapsed players and watch purchase rate weekly. " * 2
    term = Terminal("practice", "recruiter_screen", "--no-loop")
    try:
        term.read_until(r"\[\d\d:\d\d\] ")
        session_id = None
        saved_while_typing = ""
        for ch in words:  # a key every 50 ms or so, for about eight seconds
            term.type(ch)
            time.sleep(0.05)
            term.read_quietly()
            session_id = session_id or sessions.find_in_progress(
                db, "sony-ai-pm-2026", "recruiter_screen", None
            )
            if session_id:
                saved_while_typing = _saved_text(db, session_id)
        assert session_id is not None
        # Saved along the way, although typing never paused for the idle save.
        assert saved_while_typing and words.startswith(saved_while_typing)
        os.killpg(term.proc.pid, signal.SIGKILL)  # kill -9 while the last keys are fresh
        assert term.proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        term.close()
    kept = _saved_text(db, session_id)
    assert words.startswith(kept)
    assert len(kept) >= len(words) // 2
