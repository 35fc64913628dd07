"""What a signal hit says about itself: its detail line, its quote, the analysis as JSON.

These kill mutants that survived `make mutate` in grading/signals.py (docs/testing.md).
"""

from __future__ import annotations

from loopready.grading.signals import MAX_QUOTE, analyse, detect

SENTENCES = [
    "We track retention.",
    "We track retention and click-through rate.",
    "We retrain weekly.",
    "We label data and retrain weekly.",
    "I look at total compensation: base, bonus and RSUs.",
    "I look at the whole package.",
]


def test_details_name_what_was_found_in_the_singular_or_plural() -> None:
    hits = analyse(SENTENCES).hits
    assert [h.detail for h in hits["metric_named"]] == [
        "metric: retention (product)",
        "metrics: retention (product), click-through rate (product)",
    ]
    assert [h.detail for h in hits["pipeline"]] == [
        "stage: training",
        "stages: labelling, training",
    ]
    assert [h.detail for h in hits["total_comp"]] == [
        "package: total compensation (base, bonus, equity)",
        "package: whole package",
    ]
    assert all(h.signal == name for name, found in hits.items() for h in found)


def test_the_analysis_as_json_keeps_metrics_and_jargon() -> None:
    data = analyse(["The AUC went up, so players find games faster."]).to_dict()
    assert list(data) == ["hits", "metrics", "jargon"]
    assert [j["term"] for j in data["jargon"]] == ["AUC"]
    assert data["jargon"][0]["tied_to_outcome"] is True
    assert [m["name"] for m in data["metrics"]] == ["AUC"]


def _long(middle: str) -> str:
    head = " ".join(f"word{i}" for i in range(60))
    tail = " ".join(f"tail{i}" for i in range(60))
    return f"{head} {middle} {tail}"


def test_a_long_sentence_is_quoted_as_whole_words_around_the_evidence() -> None:
    raw = _long("we retrain weekly")
    (hit,) = detect([raw])["pipeline"]
    assert raw[hit.start : hit.end] == "retrain"
    assert hit.quote == raw[raw.index("word41") : raw.index("tail19") + len("tail19")]
    assert len(hit.quote) == MAX_QUOTE


def test_a_sentence_of_exactly_the_limit_is_quoted_whole() -> None:
    raw = "We retrain weekly " + "x" * (MAX_QUOTE - len("We retrain weekly ") - 1) + "."
    assert len(raw) == MAX_QUOTE
    (hit,) = detect([f"  {raw}  "])["pipeline"]
    assert hit.quote == raw
