"""Raise (and lower) every blind-spot threshold to an absurd value; each change must fail a test.

mutmut does not mutate module-level constants, and nudges numbers by one rather than to an
absurd value, so this script checks the thresholds of ``grading/blindspots.py`` directly.
It edits a copy of ``src`` (never the checkout), runs ``tests/test_rule_examples.py``
against the copy, and prints one line per change. It exits non-zero when a change survives.

    .venv/bin/python tests/mutation/thresholds.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path("loopready/grading/blindspots.py")

#: (what changes, the code as it is, the code with the absurd value)
CHANGES: list[tuple[str, str, str]] = [
    ("metric_dump: distinct metrics 6 -> 60", "len(distinct) < 6", "len(distinct) < 60"),
    ("metric_dump: distinct metrics 6 -> 1", "len(distinct) < 6", "len(distinct) < 1"),
    ("metric_dump: a ranked list needs 9 -> 90", "len(distinct) < 9", "len(distinct) < 90"),
    ("metric_dump: a ranked list needs 9 -> 1", "len(distinct) < 9", "len(distinct) < 1"),
    ("metric_dump: rankings allowed 2 -> 200", "prioritised > 2", "prioritised > 200"),
    ("metric_dump: rankings allowed 2 -> 0", "prioritised > 2", "prioritised > 0"),
    ("jargon: terms 4 -> 40", "len(a.jargon) < 4", "len(a.jargon) < 40"),
    ("jargon: terms 4 -> 1", "len(a.jargon) < 4", "len(a.jargon) < 1"),
    ("jargon: tied share 0.2 -> 20", "len(a.jargon) > 0.2", "len(a.jargon) > 20"),
    ("jargon: tied share 0.2 -> 0", "len(a.jargon) > 0.2", "len(a.jargon) > 0"),
    ("experiments: tests 2 -> 20", "len(experiments) < 2", "len(experiments) < 20"),
    ("experiments: tests 2 -> 0", "len(experiments) < 2", "len(experiments) < 0"),
    ("algorithm: terms 4 -> 40", "len(terms) < 4", "len(terms) < 40"),
    ("algorithm: terms 4 -> 1", "len(terms) < 4", "len(terms) < 1"),
    ("algorithm: sentences 2 -> 20", "len(set(terms)) < 2", "len(set(terms)) < 20"),
    ("algorithm: sentences 2 -> 0", "len(set(terms)) < 2", "len(set(terms)) < 0"),
    ("algorithm: decisions 2 -> 200", "decisions >= 2", "decisions >= 200"),
    ("algorithm: decisions 2 -> 0", "decisions >= 2", "decisions >= 0"),
    ("no_tech: window 3 -> 300 sentences", "sentences[i : i + 3]", "sentences[i : i + 300]"),
    ("no_tech: window 3 -> 1 sentence", "sentences[i : i + 3]", "sentences[i : i + 1]"),
    ("semantic: similarity 0.78 -> 7.8", "THRESHOLD = 0.78", "THRESHOLD = 7.8"),
    ("semantic: similarity 0.78 -> 0", "THRESHOLD = 0.78", "THRESHOLD = 0.0"),
]


def main() -> int:
    source = (ROOT / "src" / TARGET).read_text(encoding="utf-8")
    survived = 0
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
        env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
        for label, old, new in CHANGES:
            if source.count(old) != 1:
                print(f"{label}: {old!r} not found once in {TARGET}; update this script")
                return 2
            (src / TARGET).write_text(source.replace(old, new), encoding="utf-8")
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "tests/test_rule_examples.py", "-q",
                 "-p", "no:randomly", "-p", "no:cacheprovider"],
                cwd=ROOT, env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            lines = run.stdout.splitlines()
            failed = [ln.split("::")[-1] for ln in lines if ln.startswith("FAILED")]
            verdict = "killed" if run.returncode else "SURVIVED"
            survived += run.returncode == 0
            print(f"{verdict:8} {label}: {len(failed)} failed: {' '.join(failed)}", flush=True)
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
