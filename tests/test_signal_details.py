"""What a signal hit says about itself: its detail line, its quote, the analysis as JSON.

These kill mutants that survived `make mutate` in grading/signals.py (docs/testing.md).
"""

from __future__ import annotations

from loopready.grading.signals import MAX_QUOTE, analyse, detect, metrics_named

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


def test_false_friends_do_not_hide_the_real_parts_of_a_package() -> None:
    hits = analyse(
        [
            "Brand equity matters to me, and I want base plus bonus and RSUs.",
            "Brand equity aside, I would weigh the bonus and the RSUs.",
        ]
    ).hits
    assert [h.detail for h in hits["total_comp"]] == [
        "package: base plus bonus (base, bonus, equity)",
        "components: bonus, equity",
    ]


def test_a_long_sentence_is_quoted_in_whole_words_around_the_evidence() -> None:
    words = [f"w{'x' * (n % 7)}{n}" for n in range(90)]  # words of uneven length
    for at in (0, 3, 30, 45, 60, 89):
        sentence = " ".join([*words[:at], "retention", *words[at:]]) + "."
        assert len(sentence) > MAX_QUOTE
        (hit,) = analyse([sentence]).hits["metric_named"]
        quote = hit.quote
        assert "retention" in quote and len(quote) <= MAX_QUOTE + 12
        start = sentence.index(quote)
        end = start + len(quote)
        assert start == 0 or sentence[start - 1] == " ", (at, quote[:20])
        assert end == len(sentence) or sentence[end] == " ", (at, quote[-20:])


def test_a_story_thread_names_the_sentences_it_runs_through() -> None:
    sentences = [
        "Project Atlas started as a hack week idea at Valve.",
        "Atlas Prime and Project Atlas both shipped in May.",
        "We cut churn 4% with it.",
        "Project Atlas is still the team's template.",
    ]
    hits = analyse(sentences).hits["story_thread"]
    by_sentence = {h.sentence_index: h for h in hits}
    assert set(by_sentence) >= {1, 3}
    assert by_sentence[1].detail == "thread: Project Atlas (sentences 0, 1, 3)"
    # The hit points at the name where it first appears in the sentence.
    assert sentences[1][by_sentence[1].start : by_sentence[1].end] == "Project Atlas"
    # A name that starts a sentence counts when it has two words.
    assert sentences[3][by_sentence[3].start : by_sentence[3].end] == "Project Atlas"


def test_a_name_used_once_does_not_stop_the_search_for_the_next() -> None:
    sentences = ["Valve hired me to work on Steam.", "We grew at Nimbus.", "Nimbus doubled."]
    hits = analyse(sentences).hits["story_thread"]
    assert [(h.sentence_index, h.detail) for h in hits] == [(2, "thread: Nimbus (sentences 1, 2)")]


def test_a_backreference_needs_something_before_it() -> None:
    assert analyse(["That project taught me to ship small."]).hits["story_thread"] == []
    hits = analyse(["I ran search at Zalando.", "That project taught me to ship small."]).hits
    assert [h.sentence_index for h in hits["story_thread"]] == [1]


def test_a_capital_after_an_opening_quote_mark_is_still_the_first_word() -> None:
    sentences = ['"Honestly, the launch went fine."', '"Honestly, I would do it again."']
    assert analyse(sentences).hits["story_thread"] == []


def test_a_threshold_quotes_the_number_nearest_its_noun_and_the_first_action_after_it() -> None:
    hits = analyse(
        [
            "In 3 markets, the threshold is 2% churn.",
            "If retention drops below 2%, we pause the rollout and roll back.",
            "Never ship anything below 2% retention.",
        ]
    ).hits["threshold_action"]
    assert [(h.sentence_index, h.detail) for h in hits] == [
        (0, "threshold: 2%"),
        (1, "threshold: drops below 2% -> pause"),
        (2, "threshold: below 2% -> ship"),
    ]
    # The hit spans the condition too: from "If" to the action.
    assert (hits[1].start, hits[1].end) == (0, 37)


def test_a_guardrail_metric_keeps_its_sentence_and_words() -> None:
    (clicks, retention) = metrics_named(["We watch clicks.", "Retention is our guardrail."])
    assert clicks.kind != "guardrail"
    assert (retention.kind, retention.sentence_index, retention.text) == (
        "guardrail",
        1,
        "Retention",
    )


def test_a_link_from_the_sentence_before_starts_at_its_connective() -> None:
    sentences = ["Recall went up.", "That means players buy more games."]
    (hit,) = analyse(sentences).hits["outcome_link"]
    assert (hit.sentence_index, hit.start, hit.end) == (1, 5, 22)
    assert sentences[1][hit.start : hit.end] == "means players buy"


def test_a_guard_cue_in_a_last_sentence_without_a_full_stop_still_guards() -> None:
    # A typed answer's last sentence often has no full stop: the guard runs to its end.
    (metric,) = metrics_named(["We ship weekly while keeping retention flat"])
    assert (metric.name, metric.kind) == ("retention", "guardrail")


def test_a_connective_inside_the_next_sentence_links_back_without_a_back_reference() -> None:
    # "therefore" starts within the sentence's first words; "Players" is no back-reference.
    sentences = ["Recall went up.", "Players therefore buy more games."]
    (hit,) = analyse(sentences).hits["outcome_link"]
    assert hit.sentence_index == 1
    assert hit.detail.startswith("links Recall (previous sentence) to ")
    assert sentences[1][hit.start : hit.end].startswith("therefore")


def test_a_thread_points_at_the_first_of_two_mentions_in_a_sentence() -> None:
    sentences = [
        "Project Atlas was my first launch.",
        "Project Atlas slipped, so Project Atlas became a lesson.",
    ]
    (hit,) = analyse(sentences).hits["story_thread"]
    assert (hit.sentence_index, hit.start, hit.end) == (1, 0, len("Project Atlas"))


def test_a_thread_on_a_name_does_not_stop_the_search_for_thread_phrases_after_it() -> None:
    sentences = ["We grew at Nimbus.", "Nimbus doubled.", "That project taught me to ship small."]
    hits = analyse(sentences).hits["story_thread"]
    assert [(h.sentence_index, h.detail) for h in hits] == [
        (1, "thread: Nimbus (sentences 0, 1)"),
        (2, "thread: That project"),
    ]


def test_a_conditional_link_is_quoted_from_its_if() -> None:
    # The connective "If ... players" holds the signal word: the quote starts at "If".
    sentence = "If recall drops, players leave."
    (hit,) = analyse([sentence]).hits["outcome_link"]
    assert (hit.start, hit.end) == (0, len(sentence) - 1)
