"""Raise (and lower) every blind-spot and red-flag threshold to an absurd value; each change
must fail a test.

mutmut does not mutate module-level constants, and nudges numbers by one rather than to an
absurd value, so this script checks the thresholds of ``grading/blindspots.py`` and
``grading/redflags.py`` directly. It edits a copy of ``src`` (never the checkout), runs
``tests/test_rule_examples.py`` against the copy (for a red flag, its red-flag tests), and
prints one line per change. It exits non-zero when a change survives.

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
SPOTS = Path("loopready/grading/blindspots.py")
FLAGS = Path("loopready/grading/redflags.py")
#: The tests run for a change to each file.
TESTS = {
    SPOTS: ["tests/test_rule_examples.py", "-k", "not red_flag"],
    FLAGS: ["tests/test_rule_examples.py", "-k", "red_flag"],
}

#: (what changes, the code as it is, the code with the absurd value), in blindspots.py
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
#: The same for redflags.py.
FLAG_CHANGES: list[tuple[str, str, str]] = [
    ("red flag: example floor 0.70 -> 7.0", "EXAMPLE_FLOOR = 0.70", "EXAMPLE_FLOOR = 7.0"),
    ("red flag: example floor 0.70 -> 0", "EXAMPLE_FLOOR = 0.70", "EXAMPLE_FLOOR = 0.0"),
    ("red flag: cued floor 0.45 -> 4.5", "CUED_FLOOR = 0.45", "CUED_FLOOR = 4.5"),
    ("red flag: cued floor 0.45 -> 0", "CUED_FLOOR = 0.45", "CUED_FLOOR = 0.0"),
    ("red flag: near-miss margin -0.05 -> 5", "NEAR_MISS_MARGIN = -0.05", "NEAR_MISS_MARGIN = 5.0"),
    (
        "red flag: near-miss margin -0.05 -> -5",
        "NEAR_MISS_MARGIN = -0.05",
        "NEAR_MISS_MARGIN = -5.0",
    ),
    ("red flag: clear margin 0.20 -> 20", "CLEAR_MARGIN = 0.20", "CLEAR_MARGIN = 20.0"),
    ("red flag: clear margin 0.20 -> -20", "CLEAR_MARGIN = 0.20", "CLEAR_MARGIN = -20.0"),
    ("red flag: criterion cap 1 -> 40", "CRITERION_CAP = 1\n", "CRITERION_CAP = 40\n"),
    ("red flag: overall cap 40 -> 4000", "OVERALL_CAP = 40.0", "OVERALL_CAP = 4000.0"),
    ("red flag: overall cap 40 -> 0", "OVERALL_CAP = 40.0", "OVERALL_CAP = 0.0"),
    ("red flag: below the bar 10 -> 1000", "BELOW_BAR = 10.0", "BELOW_BAR = 1000.0"),
    ("red flag: below the bar 10 -> 0", "BELOW_BAR = 10.0", "BELOW_BAR = 0.0"),
]


def main() -> int:
    survived = 0
    planned = [(SPOTS, *c) for c in CHANGES] + [(FLAGS, *c) for c in FLAG_CHANGES]
    only = sys.argv[1:]  # optional: run only the changes whose label contains one of these
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
        env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
        for target, label, old, new in planned:
            if only and not any(word in label for word in only):
                continue
            source = (ROOT / "src" / target).read_text(encoding="utf-8")
            if source.count(old) != 1:
                print(f"{label}: {old!r} not found once in {target}; update this script")
                return 2
            (src / target).write_text(source.replace(old, new), encoding="utf-8")
            run = subprocess.run(
                [sys.executable, "-m", "pytest", *TESTS[target], "-q",
                 "-p", "no:randomly", "-p", "no:cacheprovider"],
                cwd=ROOT, env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            (src / target).write_text(source, encoding="utf-8")
            lines = run.stdout.splitlines()
            failed = [ln.split("::")[-1] for ln in lines if ln.startswith("FAILED")]
            verdict = "killed" if run.returncode else "SURVIVED"
            survived += run.returncode == 0
            first = f" (one: {failed[0]})" if failed else ""
            print(f"{verdict:8} {label}: {len(failed)} failed{first}", flush=True)
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
