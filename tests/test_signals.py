"""The linguistic-signal detectors: varied wordings that must fire, near misses that must not."""

from __future__ import annotations

from typing import get_args

import pytest

from loopready.grading import signals
from loopready.grading.matcher import Index, prefixes
from loopready.grading.signals import analyse, detect, jargon_terms, metrics_named
from loopready.packs.schema import Signal


def fires(signal: str, sentence: str) -> bool:
    return bool(detect([sentence])[signal])


# Each signal: sentences that must fire (varied wording, formats) and ones that must not.
POSITIVE: dict[str, list[str]] = {
    "metric_named": [
        "We should track click-through rate on the home shelf.",
        "Day-7 retention is the number I care about.",
        "I'd look at precision@10 and NDCG.",
        "Conversion to a purchase is what finance will ask about.",
        "p95 latency has to stay under 200 ms.",
        "DAU went up after the redesign.",
        "Time to first play dropped by a third.",
        "We watched the false positive rate closely.",
        "Churn among PS Plus subscribers is the business risk.",
    ],
    "metric_prioritised": [
        "The two metrics I'd watch are weekly play hours and purchases.",
        "My north star is time to first play.",
        "Primary metric: purchases per recommended session.",
        "Everything else is secondary.",
        "I'd optimise for purchases, not clicks.",
        "I'd prioritise retention over raw engagement.",
        "The one number that matters here is seven-day retention.",
        "Success means players start a game within two minutes.",
        "Retention matters more than CTR for this launch.",
        "Click-through is a diagnostic; the others are secondary to purchases.",
        "I'd hold myself to one measure: reactivations per thousand impressions.",
        "Dwell time and hover rate are useful diagnostics, nothing more.",
        "But I'd probably anchor us on completed sessions started from a recommendation.",
    ],
    "outcome_link": [
        "Better recall means players find games they actually buy.",
        "If precision drops, users see bad suggestions and churn.",
        "Each point of AUC translates into roughly 2% more purchases.",
        "Lower latency leads to longer sessions.",
        "A model that ranks well drives revenue from the store.",
        "Players stay longer because the recommendations are more relevant.",
        "Fewer false positives so that photographers trust the feature.",
        "Above an 80 ms latency budget the home screen stutters because people back out.",
        "Each point of calibration error maps to a few percent more dismissed hints.",
        "Each point of recall is worth about $2M in revenue.",
        "Time played is what renews Plus and sells add-ons.",
        "Better keepers lead to better reviews, which leads to upgrades.",
        "A better ranking should mean people find games they want faster.",
    ],
    "threshold_action": [
        "If CTR drops below 2%, we roll back.",
        "If the false positive rate goes above 5 percent we pause the rollout.",
        "When accuracy falls more than three points over a week, we retrain.",
        "Anything under 95% precision gets relabelled by the vendor.",
        "Our alert threshold is a 10% shift in the input mix.",
        "Should latency exceed 300 ms, we fall back to the cloud model.",
        "Below 0.8 AUC we hold the launch.",
        "Once purchases are up at least 1% with significance, we expand to 50%.",
        "We don't ship anything that costs us more than half a percent of DAU.",
        "Crash rate can't go over 0.5% in any market.",
    ],
    "rollout_phase": [
        "We'd start with 5% of users and ramp from there.",
        "Phase one is an internal dogfood with employees.",
        "A closed beta with ten thousand players comes next.",
        "Launch in Japan first, then expand to more markets.",
        "Roll it out gradually, one region at a time.",
        "We'll ramp to 50% after two clean weeks.",
        "A canary on 1 percent of traffic catches crashes early.",
        "Then general availability in Q1.",
        "We'd run it in shadow mode before anyone sees it.",
        "A small pilot cohort of creators gets it first.",
        "Weeks two to four: a 5% randomised slice of eligible UK accounts.",
    ],
    "stop_rule": [
        "We keep a kill switch on the feature.",
        "If crash rate rises we roll back within the hour.",
        "The go/no-go call happens on day 14.",
        "We won't expand beyond 5% unless complaints stay flat.",
        "We only ship to everyone if retention holds.",
        "Our launch criteria are no regression in latency and no privacy incidents.",
        "We pause the rollout the moment opt-outs double.",
        "The guardrail is crash-free sessions above 99.5%.",
        "The new ranker needs to beat the incumbent offline before any online test.",
        "Evaluation sets the offline bar a model must clear.",
    ],
    "date_commitment": [
        "We ship the beta by March 14.",
        "I'll have a readout within 48 hours.",
        "The test runs for two weeks.",
        "Full launch is planned for Q3.",
        "We can decide by end of next week.",
        "I'll send the plan by Friday.",
        "Marketing gets a date before the holiday season.",
        "We'll know in two sprints whether it works.",
        "Kick-off is 3/15/2026.",
        "Legal signs off by mid-April.",
    ],
    "owner_next_step": [
        "I'll own the launch decision and the readout.",
        "The engineering lead owns the latency budget.",
        "By Friday I'll send the revised plan to legal.",
        "Legal will review the consent flow this week.",
        "Next steps: research freezes the model and marketing drafts copy.",
        "Priya will run the holdout analysis.",
        "Each metric gets a named owner.",
        "That one is on me.",
        "We'll send the recap to leadership by Tuesday.",
        "Decision date: go/no-go review on Sept 30, I run it.",
    ],
    "acknowledgement": [
        "I hear you on latency.",
        "That's a fair concern about personal data.",
        "You're right that the holiday date matters for revenue.",
        "I understand the pressure marketing is under.",
        "Legal is right to worry about face data leaving the device.",
        "Research's concern about model quality is valid.",
        "I can see why engineering is nervous.",
        "That makes sense, and it changes my plan.",
        "Fair point, the cloud option does cost more.",
        "I appreciate your concern here.",
        "The research team isn't wrong that NDCG is what they can move.",
    ],
    "tradeoff": [
        "We trade a little accuracy for a faster response.",
        "That comes at the cost of two weeks of delay.",
        "We accept slightly lower recall in exchange for privacy.",
        "The downside is less personalisation at launch.",
        "It means delaying the holiday date by a week.",
        "Pushing the date buys us time to fix latency.",
        "We'd lose some precision, and that's worth it.",
        "On-device versus cloud is really privacy against quality.",
        "I'd favour precision over recall for this feature.",
        "Smaller scope but safer.",
        "I'd rather move the date than launch on a shaky basis.",
        "We hit the holiday date with a smaller launch.",
        "The cheap fix gets most of the quality win without the six weeks.",
    ],
    "decision": [
        "My call is to ship on-device first.",
        "I recommend we launch to the beta cohort in November.",
        "We'll go with the on-device model.",
        "Let's hold the launch until the latency fix lands.",
        "I'd ship it with the smaller model.",
        "The decision is to delay by two weeks.",
        "Bottom line: we launch in Japan only.",
        "We decided to kill the feature after the test.",
        "I'm going with option B.",
        "We should ship the simpler ranker.",
        "We don't ship this yet.",
        "Here's what I'd propose.",
        "Data is a privacy call I make with legal.",
    ],
    "experiment": [
        "We'd run an A/B test against the current shelf.",
        "Keep a 5% holdout for a clean read.",
        "Treatment and control groups are split by account.",
        "Randomise at the user level, not the session.",
        "We need a sample size that detects a 1% lift.",
        "The result was statistically significant.",
        "An interleaving test compares the two rankers quickly.",
        "I'd set up a 50/50 split for two weeks.",
        "The experiment tells us whether to ship.",
    ],
    "drift_monitoring": [
        "I'd monitor for data drift in the camera inputs.",
        "Track the distribution of confidence scores week over week.",
        "A PSI above 0.2 on any key feature pages us.",
        "New phones shift the input distribution.",
        "Compare this week's images against the training set.",
        "Watch prediction distributions for sudden changes.",
        "Model performance degrades silently when lighting changes.",
        "Out-of-distribution scenes get routed to the fallback.",
    ],
    "pipeline": [
        "It starts with data collection from opted-in users.",
        "Labelling is done by a vendor with a golden set for quality.",
        "We retrain weekly on fresh interactions.",
        "The offline evaluation uses a held-out set sliced by device.",
        "Serving happens on-device to keep latency low.",
        "We fine-tune the base model on our own photos.",
        "Annotators review the hard cases.",
        "Deployment goes through the model registry.",
        "We log impressions and plays with consent.",
        "Contractors label a few thousand pairs each week.",
    ],
    "quantified_result": [
        "We grew retention 12% in two quarters.",
        "I cut latency from 300 to 120 ms.",
        "That drove a 4% lift in purchases.",
        "Support tickets fell by a third.",
        "We saw 30% fewer crashes after the fix.",
        "The feature doubled weekly active creators.",
        "Revenue was up 8 points year over year.",
        "It reached 3 million users in six months and I led the launch.",
        "We improved precision from 0.71 to 0.83.",
        "Conversion increased by five percent.",
    ],
    "motivation": [
        "What draws me to Sony is the mix of research and products people love.",
        "I grew up playing PlayStation, so this is personal.",
        "I'm excited about translating research into features.",
        "I want to join a team that ships AI to millions of players.",
        "The chance to work with Sony AI's researchers is rare.",
        "The reason I'm applying is the scale of the catalog.",
        "This role is the natural next step in my career.",
        "Sony's mission to fill the world with emotion resonates with me.",
    ],
    "total_comp": [
        "I look at total compensation, not just base.",
        "Equity upside matters more to me than a higher base.",
        "The sign-on bonus could close the gap on base.",
        "I'd like to talk about the whole package.",
        "Base plus bonus and RSUs is how I compare offers.",
        "The vesting schedule matters to me.",
    ],
    "scope": [
        "I'd scope v1 to the home screen only.",
        "Out of scope: voice and social features.",
        "The target users are lapsed players who haven't bought a game in six months.",
        "We're not going to cover kids' accounts in the first version.",
        "I'd focus on new PS5 owners.",
        "Multiplayer recommendations are a non-goal for launch.",
        "We'll park the social features for v2.",
        "This is for casual players who don't know what to play next.",
        "Limited to English-language titles at first.",
        "Who is this actually for?",
        "I'd launch it with a few first-party games.",
    ],
    "user_value": [
        "Players waste twenty minutes scrolling before they pick a game.",
        "The pain point is choice paralysis in a huge catalog.",
        "So that players spend less time browsing and more time playing.",
        "It helps photographers get a usable shot in low light.",
        "Users want a fix without having to leave the game.",
        "Players find something they enjoy in under a minute.",
        "The value to the user is one tap instead of five menus.",
        "Beginners get stuck on the first boss and give up.",
        "What matters is what the user sees: a clean edge around their hair.",
        "That's closest to a player getting value.",
    ],
    "structure": [
        "First, let me scope the problem.",
        "Second, the metrics.",
        "Finally, the rollout.",
        "1. Scope the users.",
        "- Latency under 200 ms.",
        "I'd cover this in three parts: scope, metrics, rollout.",
        "To sum up, ship on-device.",
        "Next, I'd look at the risks.",
        "Metrics: purchases first, play hours second.",
        "I'd go scope first, then metrics, and finally rollout.",
        "The second is seven-day return to the store.",
        "The PM decisions sit at three gates.",
    ],
}

NEGATIVE: dict[str, list[str]] = {
    "metric_named": [
        "I like this product a lot.",
        "We need precision engineering on the hardware side.",
        "I recall a launch where the team worked nights.",
        "The sales team wants a date.",
        "At what cost to the roadmap, though?",
        "The user base is huge.",
        "The first cut targets lapsed subscribers in the UK.",
        "Novelty is a worry in week one.",
    ],
    "metric_prioritised": [
        "We'll track CTR, retention, revenue, NPS, latency and AUC.",
        "Our primary users are new PS5 owners.",
        "Metrics are important for any launch.",
    ],
    "outcome_link": [
        "We'll track precision, recall, CTR and revenue.",
        "The model uses embeddings and a transformer.",
        "Retention improved because we hired a new designer.",
        "Players love the new home screen.",
        "Engagement and revenue both matter to us.",
        "CTR, retention and revenue are on the dashboard.",
    ],
    "threshold_action": [
        "If it works, we ship.",
        "We'll look at precision and recall.",
        "Latency is under 100 ms today.",
        "My call is to ship on December 1 with latency under 100 ms.",
        "We cut latency to below 100 ms and shipped.",
        "If p95 latency is high during launch, engineers get paged.",
    ],
    "rollout_phase": [
        "We'll phase out the old shelf.",
        "That was a hard phase of my career.",
        "At this stage, I'd rather ask questions.",
        "We use a pipeline with several stages.",
    ],
    "stop_rule": [
        "We'll ship it and see how it goes.",
        "The model has three layers.",
        "I'd stop by the office on Monday.",
        "Players back out when the screen stutters.",
    ],
    "date_commitment": [
        "In 2019 I joined Spotify as a PM.",
        "I spent two years on the recommendations team.",
        "Users take a few minutes to pick a game.",
        "We track play hours and purchases.",
        "At the end of the day, users decide.",
        "It's the number leadership looks at every Monday.",
    ],
    "owner_next_step": [
        "The model will recommend games.",
        "It will take time.",
        "I'll focus on vision.",
        "Users will love it.",
        "The ranking team will talk about NDCG.",
    ],
    "acknowledgement": [
        "I understand the model architecture well.",
        "The precision is fair.",
        "We see users leaving after a week.",
    ],
    "tradeoff": [
        "We track retention and revenue.",
        "I accepted the offer last year.",
        "The model is accurate.",
        "Maybe we can find a middle ground that works for everyone.",
        "We compare the treatment versus the holdout.",
    ],
    "decision": [
        "We could ship it, or we could wait; it depends.",
        "I'd like to understand the data first.",
        "There are many options to consider.",
        "Users will decide what they like.",
        "I'd hold myself to one measure.",
        "Maybe we can find a middle ground that works for everyone.",
    ],
    "experiment": [
        "We'll ship and watch the dashboard.",
        "I'd test my assumptions with the team.",
        "The model is trained on photos.",
    ],
    "drift_monitoring": [
        "I drifted into product management from consulting.",
        "We track revenue and retention.",
        "The model is accurate on the test set.",
    ],
    "pipeline": [
        "I'd benchmark the salary against market benchmarks.",
        "The rollout will be data-driven.",
        "We serve customers in forty countries.",
        "Players love racing games.",
    ],
    "quantified_result": [
        "If CTR drops 5%, we roll back.",
        "I have two ideas.",
        "In 2021 I joined the team.",
        "We track retention and revenue.",
    ],
    "motivation": [
        "The model ranks games by predicted purchase.",
        "There is a market opportunity in Japan.",
        "I want to make sure the test is powered.",
    ],
    "total_comp": [
        "Our user base is forty million players.",
        "Brand equity is a strength of PlayStation.",
        "I'd negotiate a higher base salary.",
        "Users sign on with their PSN account.",
        "Right now I'm on $148k base plus a 10% bonus.",
    ],
    "scope": [
        "The model is accurate.",
        "We'll start with 5% of users.",
        "I like games.",
        "I'll focus on the product vision rather than the model.",
    ],
    "user_value": [
        "We have ten million users.",
        "The user embeddings are 256-dimensional.",
        "Precision and recall are both 0.9.",
    ],
    "structure": [
        "The first time I used it, it crashed.",
        "Then we shipped it to everyone.",
        "Next quarter we expand.",
        "We track third-party data carefully.",
    ],
}


def test_every_schema_signal_has_a_detector() -> None:
    assert set(signals.SIGNALS) == set(get_args(Signal))
    hits = detect(["Nothing to see."])
    assert list(hits) == list(get_args(Signal))
    assert all(v == [] for v in hits.values())


def test_every_signal_is_covered_by_these_tests() -> None:
    # story_thread needs several sentences and has its own tests below
    assert set(POSITIVE) | {"story_thread"} == set(get_args(Signal))
    assert set(NEGATIVE) | {"story_thread"} == set(get_args(Signal))


@pytest.mark.parametrize(("signal", "sentence"), [(k, s) for k, v in POSITIVE.items() for s in v])
def test_signal_fires(signal: str, sentence: str) -> None:
    hits = detect([sentence])[signal]
    assert hits, f"{signal} should fire on: {sentence}"
    hit = hits[0]
    assert hit.quote == sentence.strip()
    assert hit.sentence_index == 0
    assert 0 <= hit.start < hit.end <= len(sentence)
    assert hit.detail


@pytest.mark.parametrize(("signal", "sentence"), [(k, s) for k, v in NEGATIVE.items() for s in v])
def test_signal_does_not_fire(signal: str, sentence: str) -> None:
    assert not fires(signal, sentence), detect([sentence])[signal]


# -- metrics ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Precision and recall on the top ten.", [("precision", "model"), ("recall", "model")]),
        ("AUC moved, and so did the F1 score.", [("AUC", "model"), ("F1", "model")]),
        (
            "CTR and session length are up.",
            [("click-through rate", "product"), ("session length", "product")],
        ),
        (
            "Weekly active users and time to first play.",
            [("DAU/MAU", "product"), ("time to first play", "product")],
        ),
        (
            "Revenue, ARPU and churn.",
            [("revenue", "business"), ("revenue", "business"), ("churn", "business")],
        ),
        (
            "Store conversion and lifetime value.",
            [("conversion", "business"), ("lifetime value", "business")],
        ),
        ("Inference cost per request matters.", [("cost", "business")]),
        (
            "Crash rate, battery drain and opt-outs.",
            [("crash rate", "guardrail"), ("battery", "guardrail"), ("opt-out rate", "guardrail")],
        ),
        (
            "Complaints and fairness across skin tones.",
            [("complaints", "guardrail"), ("fairness", "guardrail")],
        ),
        ("The precision-recall curve looks fine.", [("precision-recall curve", "model")]),
        ("NPS and task success rate.", [("NPS", "product"), ("task success", "product")]),
    ],
)
def test_metric_kinds(sentence: str, expected: list[tuple[str, str]]) -> None:
    got = [(m.name, m.kind) for m in metrics_named([sentence])]
    assert got == expected


@pytest.mark.parametrize(
    ("sentence", "metric", "kind"),
    [
        ("Grow engagement without hurting retention.", "retention", "guardrail"),
        ("Grow engagement without hurting retention.", "engagement", "product"),
        ("Our guardrails are CTR and revenue.", "click-through rate", "guardrail"),
        ("Revenue must not drop during the test.", "revenue", "guardrail"),
        ("We push purchases while keeping churn flat.", "churn", "guardrail"),
        ("We push purchases while keeping churn flat.", "conversion", "business"),
        ("Accuracy is a guardrail, not the goal.", "accuracy", "guardrail"),
        ("Our guardrail is latency, but the north star is play hours.", "time spent", "product"),
    ],
)
def test_guardrail_kind_comes_from_context(sentence: str, metric: str, kind: str) -> None:
    kinds = {m.name: m.kind for m in metrics_named([sentence])}
    assert kinds[metric] == kind


def test_metric_mentions_locate_the_words() -> None:
    sentences = ["Intro.", "We watch “click-through rate” and D7 retention."]
    ms = metrics_named(sentences)
    assert [m.sentence_index for m in ms] == [1, 1]
    for m in ms:
        assert sentences[1][m.start : m.end] == m.text
    assert ms[0].text == "click-through rate"


# -- jargon -----------------------------------------------------------------------------


def test_jargon_terms_and_outcome_ties() -> None:
    sentences = [
        "We tuned the embeddings and the transformer.",
        "Higher recall means players find more games they buy.",
        "AUC went from 0.81 to 0.86.",
        "That means fewer bad picks, so players stay longer.",
        "We watched the learning rate and epochs.",
    ]
    terms = jargon_terms(sentences)
    got = [(j.term, j.sentence_index, j.tied_to_outcome) for j in terms]
    assert got == [
        ("embeddings", 0, False),
        ("transformer", 0, False),
        ("recall", 1, True),
        ("AUC", 2, True),  # tied by the next sentence
        ("hyper-parameters", 4, False),
        ("hyper-parameters", 4, False),
    ]
    for j in terms:
        assert sentences[j.sentence_index][j.start : j.end] == j.text


def test_recall_as_memory_is_not_jargon() -> None:
    assert jargon_terms(["I recall that the launch slipped.", "As far as I recall, yes."]) == []


# -- cross-sentence ---------------------------------------------------------------------


def test_outcome_link_across_adjacent_sentences() -> None:
    hits = detect(
        [
            "Recall on the top shelf rose four points.",
            "That means players find a game faster and buy more.",
        ]
    )["outcome_link"]
    assert [h.sentence_index for h in hits] == [1]
    assert "previous sentence" in hits[0].detail


def test_story_thread_follows_a_named_project() -> None:
    sentences = [
        "At Spotify I led Project Atlas, a podcast recommender.",
        "We shipped it to 5% of listeners first.",
        "Atlas taught me to pick one metric.",
        "That's why I'd start with purchases here.",
        "The same lesson from Atlas applies to PlayStation.",
    ]
    hits = detect(sentences)["story_thread"]
    assert [h.sentence_index for h in hits] == [2, 4]
    assert "Atlas" in hits[0].detail


def test_story_thread_phrases() -> None:
    hits = detect(
        ["I built ranking at two companies.", "The common thread is turning models into decisions."]
    )["story_thread"]
    assert [h.sentence_index for h in hits] == [1]


def test_story_thread_ignores_company_being_interviewed_for() -> None:
    sentences = ["Sony has a big catalog.", "PlayStation players want help.", "Sony can do it."]
    assert detect(sentences)["story_thread"] == []


# -- quoting and robustness -------------------------------------------------------------


def test_quote_is_substring_and_long_sentences_are_windowed() -> None:
    long = "We considered many things. " * 20 + "Our kill switch flips if crashes double."
    hit = detect([long])["stop_rule"][0]
    assert hit.quote in long
    assert len(hit.quote) <= signals.MAX_QUOTE + 20
    assert "kill switch" in hit.quote
    assert long[hit.start : hit.end] == "kill switch"


def test_curly_quotes_and_odd_hyphens_are_normalised_without_moving_offsets() -> None:
    s = "I\u2019ll own the read\u2011out; we\u2019ll roll back if CTR drops below 2\u00a0%."
    hits = detect([s])
    assert hits["owner_next_step"] and hits["threshold_action"]
    h = hits["owner_next_step"][0]
    assert s[h.start : h.end] == "I\u2019ll own"


def test_empty_and_blank_sentences() -> None:
    hits = detect(["", "   ", "We ship."])
    assert all(h.sentence_index == 2 for v in hits.values() for h in v)
    assert detect([]) == {name: [] for name in get_args(Signal)}


def test_one_hit_per_sentence_per_signal() -> None:
    hits = detect(["Precision, recall, CTR, retention and revenue all matter."])
    assert len(hits["metric_named"]) == 1
    assert "precision (model)" in hits["metric_named"][0].detail
    assert "revenue (business)" in hits["metric_named"][0].detail


def test_repeated_analysis_returns_independent_copies() -> None:
    sentences = ["My call is to ship by Friday.", "Recall means players buy more."]
    first = analyse(sentences)
    first.hits["decision"].clear()
    first.metrics.clear()
    again = analyse(sentences)
    assert again.hits["decision"] and again.metrics
    assert again.to_dict() == analyse(list(sentences)).to_dict()


def test_analysis_serialises() -> None:
    a = analyse(["My call is to ship on-device by March 14.", "Recall means players buy."])
    d = a.to_dict()
    assert d["hits"]["decision"][0]["sentence_index"] == 0
    assert a.count("date_commitment") == 1
    assert d["metrics"][0]["name"] == "recall"


# -- the matcher ------------------------------------------------------------------------


def test_prefixes_are_read_from_the_pattern() -> None:
    assert prefixes(r"roll(?:s|ed)? back") == {"rolls", "rolle", "roll "}
    assert prefixes(r"(?:a|the) cat") == {"a cat", "the c"}
    assert prefixes(r"\d+%") == set("0123456789")
    assert "" in prefixes(r"\w+ing")


def test_matcher_agrees_with_a_plain_alternation() -> None:
    """Every phrase set finds exactly what one big ``re`` alternation would find."""
    import re

    every = [s for v in (*POSITIVE.values(), *NEGATIVE.values()) for s in v]
    # a third is plenty and keeps this test quick; add odd characters on purpose
    corpus = [*every[::3], "Ça coûte 5 € — “quotes” and naïve İstanbul, ok?"]
    index = signals.INDEX
    for ps in index._sets:
        plain = re.compile(
            r"(?<![\w-])(?:" + "|".join(f"(?:{a})" for a in ps.sources) + r")(?!\w)",
            re.IGNORECASE,
        )
        for sentence in corpus:
            scan = index.scan(sentence)
            ours = [(h.start(), h.end()) for h in ps.finditer(scan)]
            theirs = [m.span() for m in plain.finditer(sentence)]
            assert ours == theirs, (ps.name, sentence)


def test_matcher_leftmost_first_and_bounds() -> None:
    index = Index()
    ps = index.phrases("t", ["cat", "cats? and dogs", "dog"])
    scan = index.scan("Cats and dogs; a cat, hotdog, dog-cat.")
    assert [(h.alt, h.group()) for h in ps.finditer(scan)] == [
        (1, "Cats and dogs"),
        (0, "cat"),
        (2, "dog"),
    ]
    later = ps.search(scan, start=5)
    assert later is not None and later.group() == "cat"  # "dogs" is not "dog"
    capped = ps.search(scan, start=0, end=3)  # like re: the end bound is the string's end
    assert capped is not None and capped.group() == "Cat"
