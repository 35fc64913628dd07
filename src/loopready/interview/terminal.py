"""Typing a multi-line answer in a terminal, with a live clock and autosave.

In a terminal the answer is read key by key (the terminal's own line editing is
switched off for the duration), so that:

* the prompt of the line being typed shows the round's countdown, updated every
  second, coloured as the time box fills (half, 80 per cent, overtime), with a
  one-line warning printed when a threshold is crossed;
* every finished line is saved at once, and an unfinished line after a second
  without typing, or at the latest 1.5 s after its first unsaved key while typing
  goes on, so a crash or a killed terminal loses at most two seconds' words;
* a line holding only ``.`` (or Ctrl-D) ends the answer, Ctrl-C saves what is
  typed, including the unfinished line, and stops (:class:`Interrupted`);
* Backspace, Ctrl-U (clear the line) and Ctrl-W (delete a word) edit the current
  line; arrow keys are ignored.

From a pipe the answer is read line by line, with the same end markers and a save
after every line. Either way the text saved while typing keeps a trailing newline
when the last line is finished, so a resumed answer continues in the right place.
"""

from __future__ import annotations

import codecs
import os
import select
import signal
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from types import FrameType
from typing import IO, Literal

from loopready.interview.timebox import Phase, TimeStatus, crossed, warning

End = Literal["done", "eof", "decide"]

#: Seconds without typing after which an unfinished line is saved.
IDLE_SAVE_S = 1.0
#: Seconds an unfinished line may stay unsaved while typing goes on (no pause comes):
#: with a clock tick to spare, the saved text is never more than 2 s behind.
MAX_UNSAVED_S = 1.5
#: How often the clock is redrawn.
TICK_S = 0.25

_COLOURS: dict[Phase, str] = {
    "ok": "\x1b[36m",  # cyan
    "half": "\x1b[33m",  # yellow
    "eighty": "\x1b[1;33m",  # bold yellow
    "overtime": "\x1b[1;31m",  # bold red
}
_RESET = "\x1b[0m"
_DIM = "\x1b[2m"


class Interrupted(Exception):
    """The candidate pressed Ctrl-C (or the terminal went away); the text was saved."""

    def __init__(self, text: str) -> None:
        super().__init__("interrupted")
        self.text = text


@dataclass(frozen=True)
class Answer:
    """A finished answer and how it ended."""

    text: str
    end: End


def _up(rows: int) -> str:
    """The escape sequence moving the cursor up ``rows`` rows."""
    return f"\x1b[{rows}A" if rows else ""


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide characters count two)."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1
    return total


def split_saved(text: str) -> tuple[list[str], str]:
    """Saved text -> (finished lines, the unfinished last line)."""
    if not text:
        return [], ""
    if text.endswith("\n"):
        return text[:-1].split("\n"), ""
    lines = text.split("\n")
    return lines[:-1], lines[-1]


def join_saved(lines: list[str], current: str) -> str:
    """The inverse of :func:`split_saved`."""
    if not lines:
        return current
    return "\n".join(lines) + "\n" + current


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP (the terminal closing) stop the answer like Ctrl-C does."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = {}
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            with suppress(ValueError):  # not the main thread: leave signals alone
                previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


class AnswerReader:
    """Reads one answer from ``stdin``; ``save`` is called with the text so far."""

    def __init__(
        self,
        save: Callable[[str], None],
        *,
        clock: Callable[[], TimeStatus] | None = None,
        initial: str = "",
        allow_decide: bool = False,
        phase: Phase | None = None,
        stdin: IO[str] | None = None,
        stdout: IO[str] | None = None,
    ) -> None:
        self.save = save
        self.clock = clock
        self.allow_decide = allow_decide
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.lines, self.line = split_saved(initial)
        self._saved = initial
        #: The time-box phase already warned about; carry it from one turn to the next so
        #: a threshold crossed between turns is still announced once.
        self.phase: Phase | None = phase

    @property
    def text(self) -> str:
        return join_saved(self.lines, self.line)

    def _save(self) -> None:
        text = self.text
        if text != self._saved:
            self.save(text)
            self._saved = text

    def _end_marker(self, line: str) -> End | None:
        stripped = line.strip()
        if stripped == ".":
            return "done"
        if self.allow_decide and stripped.lower() == "/decide":
            return "decide"
        return None

    def _result(self, end: End) -> Answer:
        text = "\n".join(self.lines)
        if self.line.strip():
            text = join_saved(self.lines, self.line).rstrip("\n")
        self.line = ""
        self._save_final(text)
        return Answer(text.strip("\n"), end)

    def _save_final(self, text: str, *, force: bool = False) -> None:
        if force or text != self._saved:
            self.save(text)
            self._saved = text

    def read(self) -> Answer:
        """Read until the end marker, Ctrl-D or end of input; Ctrl-C raises
        :class:`Interrupted` after saving."""
        try:
            fd = self.stdin.fileno()
            tty = os.isatty(fd) and os.isatty(self.stdout.fileno())
        except (AttributeError, OSError, ValueError):
            fd, tty = -1, False
        with _terminate_as_interrupt():
            try:
                if tty:
                    return self._read_tty(fd)
                return self._read_lines()
            except KeyboardInterrupt:
                text = self.text
                self._save_final(text, force=True)  # the time spent is saved too
                raise Interrupted(text) from None

    # -- from a pipe ------------------------------------------------------------------

    def _read_lines(self) -> Answer:
        if self.line:  # a resumed unfinished line is kept as a line of its own
            self.lines.append(self.line)
            self.line = ""
        while True:
            raw = self.stdin.readline()
            if raw == "":
                return self._result("eof")
            line = raw.rstrip("\r\n")
            end = self._end_marker(line)
            if end is not None:
                return self._result(end)
            self.lines.append(line)
            self.line = ""
            self._save_with_newline()

    def _save_with_newline(self) -> None:
        text = self.text if self.line else "\n".join(self.lines) + "\n"
        if text != self._saved:
            self.save(text)
            self._saved = text

    # -- in a terminal ----------------------------------------------------------------

    def _prompt(self) -> tuple[str, int]:
        """The prompt of the current line, and its width in columns."""
        if self.clock is None:
            return "> ", 2
        status = self.clock()
        label = f"[{status.clock}] "
        return f"{_COLOURS[status.phase]}{label}{_RESET}", width(label)

    def _columns(self) -> int:
        try:
            return max(20, os.get_terminal_size(self.stdout.fileno()).columns)
        except (OSError, ValueError, AttributeError):
            return 80

    def _write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _redraw(self, drawn: int) -> int:
        """Rewrite the current line in place (it may wrap); returns its new width."""
        columns = self._columns()
        up = max(0, -(-drawn // columns) - 1) if drawn else 0
        prompt, prompt_width = self._prompt()
        out = _up(up) + "\r\x1b[J" + prompt + self.line
        self._write(out)
        return prompt_width + width(self.line)

    def _warn(self, drawn: int) -> int:
        """Print a time-box warning above the line being typed, if a threshold passed."""
        if self.clock is None:
            return drawn
        phase = self.clock().phase
        if self.phase is None:
            self.phase = phase
            return drawn
        entered = crossed(self.phase, phase)
        self.phase = phase
        if not entered:
            return drawn
        columns = self._columns()
        up = max(0, -(-drawn // columns) - 1) if drawn else 0
        message = warning(entered[-1])
        self._write(_up(up) + "\r\x1b[J" + f"{_COLOURS[entered[-1]]}! {message}{_RESET}\n")
        return self._redraw(0)

    def _read_tty(self, fd: int) -> Answer:
        import termios

        old = termios.tcgetattr(fd)
        new = termios.tcgetattr(fd)
        new[0] &= ~termios.IXON  # Ctrl-S and Ctrl-Q are plain keys
        new[3] &= ~(termios.ICANON | termios.ECHO | termios.ISIG | termios.IEXTEN)
        new[6][termios.VMIN] = 1
        new[6][termios.VTIME] = 0
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        # Raw input first, prompt second: keys typed as soon as the prompt shows are ours.
        termios.tcsetattr(fd, termios.TCSADRAIN, new)
        try:
            for line in self.lines:
                self._write(f"{_DIM}  {line}{_RESET}\r\n")
            drawn = self._redraw(0)
            last_key = time.monotonic()
            unsaved_since: float | None = None  # the first key not yet saved
            shown_clock = self._prompt()[0]
            escape = ""
            while True:
                now = time.monotonic()
                if self.text != self._saved:
                    unsaved_since = unsaved_since or now
                    if now - last_key >= IDLE_SAVE_S or now - unsaved_since >= MAX_UNSAVED_S:
                        self._save()
                if self.text == self._saved:
                    unsaved_since = None
                ready, _, _ = select.select([fd], [], [], TICK_S)
                if not ready:
                    drawn = self._warn(drawn)
                    prompt = self._prompt()[0]
                    if prompt != shown_clock:
                        shown_clock = prompt
                        drawn = self._redraw(drawn)
                    continue
                data = os.read(fd, 4096)
                if not data:
                    return self._finish_tty("eof")
                last_key = time.monotonic()
                for ch in decoder.decode(data):
                    if escape:
                        escape += ch
                        # CSI/SS3 sequences end with a letter or ~; ESC + one key otherwise
                        if (len(escape) == 2 and ch not in "[O") or (
                            len(escape) > 2 and ("@" <= ch <= "~")
                        ):
                            escape = ""
                        continue
                    if ch == "\x1b":
                        escape = ch
                    elif ch in "\r\n":
                        end = self._end_marker(self.line)
                        if end is not None:
                            self.line = ""
                            self._clear(drawn)  # the marker line disappears
                            return self._result(end)
                        self._write("\r\n")
                        self.lines.append(self.line)
                        self.line = ""
                        self._save_with_newline()
                        drawn = self._redraw(0)
                        shown_clock = self._prompt()[0]
                    elif ch == "\x04":  # Ctrl-D
                        if self.line:
                            return self._finish_tty("done")
                        self._clear(drawn)
                        return self._result("done")
                    elif ch == "\x03":  # Ctrl-C
                        raise KeyboardInterrupt
                    elif ch in "\x7f\x08":
                        if self.line:
                            self.line = self.line[:-1]
                            drawn = self._redraw(drawn)
                    elif ch == "\x15":  # Ctrl-U
                        self.line = ""
                        drawn = self._redraw(drawn)
                    elif ch == "\x17":  # Ctrl-W
                        self.line = self.line.rstrip()
                        cut = self.line.rfind(" ")
                        self.line = self.line[: cut + 1] if cut >= 0 else ""
                        drawn = self._redraw(drawn)
                    elif ch == "\t":
                        self.line += " "
                        drawn += 1
                        self._write(" ")
                    elif ch >= " ":
                        self.line += ch
                        drawn += width(ch)
                        self._write(ch)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)

    def _clear(self, drawn: int) -> None:
        """Erase the line being typed, prompt included."""
        columns = self._columns()
        up = max(0, -(-drawn // columns) - 1) if drawn else 0
        self._write(_up(up) + "\r\x1b[J")

    def _finish_tty(self, end: End) -> Answer:
        self._write("\r\n")
        return self._result(end)
