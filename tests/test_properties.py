"""Property-based tests of every parser of user input (issue 12).

Whatever a user types, uploads or pipes in, each parser gives a result or a named
error (:class:`LoopreadyError`, which the CLI prints as one ``Error:`` line and the
web app as a page), never a traceback. Hypothesis draws the inputs: random text and
bytes, random YAML and JSON structures, and real documents (the Sony pack, an offer, a
brief, an export) with one value replaced by something odd.

The example counts are modest so the suite stays fast; a failure prints the input that
broke the parser, to keep as a regression example.
"""

from __future__ import annotations

import copy
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopready.briefs.markdown import parse_markdown
from loopready.briefs.model import from_form, parse_brief, parse_brief_text
from loopready.cli.grade import _check_record, _parse_line
from loopready.errors import LoopreadyError
from loopready.grading.service import build_request, read_answer_bytes
from loopready.interview.loops import parse_round_dates
from loopready.offers.form import FIELDS
from loopready.offers.model import parse_offer, parse_offer_text
from loopready.packs import get_pack, parse_pack
from loopready.packs.registry import builtin_dir
from loopready.planning.inputs import parse_date, parse_round_date, parse_time, zone
from loopready.store.transfer import FORMAT, FORMAT_VERSION, check_document, read_document
from loopready.yamlfiles import load_bounded

#: ``LOOPREADY_PROPERTY_EXAMPLES=500`` searches harder, by hand; CI keeps the default.
PROPERTY = settings(
    max_examples=int(os.environ.get("LOOPREADY_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# -- strategies -------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "1e308", "9999-12-31", "0001-01-01", "\x00", "170k", "nan"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
#: YAML-ish text: random characters, and YAML's own punctuation in random order.
yaml_text = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            [
                "a: ",
                "- ",
                "&x ",
                "*x",
                "\n",
                "  ",
                "[",
                "]",
                "{",
                "}",
                ": ",
                "'",
                '"',
                "!!python/object ",
                "? ",
                "|",
                ">",
                "#",
                "base",
                "id",
                "1e9",
                "\x00",
                "\t",
            ]
        ),
        max_size=60,
    ).map("".join),
)


def _replace_somewhere(document: Any, draw: st.DrawFn) -> Any:
    """*document* with one value, anywhere inside it, replaced by a random JSON value."""
    doc = copy.deepcopy(document)
    node = doc
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node, key=str)))
            if not isinstance(node[key], dict | list) or not node[key]:
                node[key] = draw(json_values)
                return doc
            node = node[key]
        elif isinstance(node, list) and node:
            index = draw(st.integers(min_value=0, max_value=len(node) - 1))
            if not isinstance(node[index], dict | list) or not node[index]:
                node[index] = draw(json_values)
                return doc
            node = node[index]
        else:
            break
    if isinstance(node, dict):
        node[draw(st.text(max_size=10))] = draw(json_values)
    elif isinstance(node, list):
        node.append(draw(json_values))
    return doc


_SONY: dict[str, Any] = yaml.safe_load(
    (builtin_dir() / "sony-ai-pm-2026.yaml").read_text(encoding="utf-8")
)


@st.composite
def mutated_packs(draw: st.DrawFn) -> str:
    return yaml.safe_dump(_replace_somewhere(_SONY, draw), sort_keys=False)


_OFFER: dict[str, Any] = {
    "name": "Sony",
    "currency": "USD",
    "base": 170000,
    "bonus_target_pct": 12.5,
    "equity": {"grant_value": 200000},
    "vesting": {"years": 4, "cliff_months": 12, "frequency": "quarterly"},
    "sign_on": [15000],
    "refreshers": [{"year": 2, "grant_value": 50000}],
    "other": [{"label": "Relocation", "amount": 5000}],
}

# -- packs ------------------------------------------------------------------------------


def _named_error_or_value(parse: Any, *args: Any) -> Any:
    try:
        return parse(*args)
    except LoopreadyError as exc:
        assert str(exc).strip(), "an error must say what is wrong"
        return None


@PROPERTY
@given(yaml_text)
def test_pack_text_parses_or_names_the_problem(text: str) -> None:
    _named_error_or_value(parse_pack, text, "pack.yaml")


@PROPERTY
@given(mutated_packs())
def test_a_pack_with_one_odd_value_parses_or_names_the_problem(text: str) -> None:
    _named_error_or_value(parse_pack, text, "pack.yaml")


@PROPERTY
@given(yaml_text)
def test_bounded_yaml_loads_or_names_the_problem(text: str) -> None:
    try:
        load_bounded(text, "file.yaml")
    except yaml.YAMLError:
        pass  # each caller words malformed YAML itself (checked through them above)
    except LoopreadyError:
        pass


# -- offers -----------------------------------------------------------------------------


@PROPERTY
@given(yaml_text)
def test_offer_text_parses_or_names_the_problem(text: str) -> None:
    _named_error_or_value(parse_offer_text, text, "offer.yaml")


@st.composite
def mutated_offers(draw: st.DrawFn) -> Any:
    return _replace_somewhere(_OFFER, draw)


@PROPERTY
@given(mutated_offers())
def test_an_offer_with_one_odd_value_parses_or_names_the_problem(data: Any) -> None:
    offer = _named_error_or_value(parse_offer, data, "offer.yaml")
    if offer is not None:  # an accepted offer can always be modelled and drawn
        from loopready.offers.compute import model_offer
        from loopready.offers.scenarios import PRESETS

        model = model_offer(offer, PRESETS["flat"], 4)
        assert len(model.rows) >= 1


#: Every field the offer form reads, from the form itself (not a copy that drifts).
OFFER_FORM_FIELDS = list(FIELDS)


@PROPERTY
@given(st.dictionaries(st.sampled_from(OFFER_FORM_FIELDS), st.text(max_size=25), max_size=12))
def test_the_offer_form_reads_any_fields(fields: dict[str, str]) -> None:
    from loopready.offers.form import read_form
    from loopready.web.routes.offers import results_context

    reading = read_form(fields)
    results_context(reading, get_pack())  # what the live model renders


# -- briefs -----------------------------------------------------------------------------


@PROPERTY
@given(yaml_text)
def test_brief_text_parses_or_names_the_problem(text: str) -> None:
    _named_error_or_value(parse_brief_text, text, "brief.yaml")


@PROPERTY
@given(st.text(max_size=400))
def test_brief_markdown_parses_or_names_the_problem(text: str) -> None:
    _named_error_or_value(parse_markdown, "# Title\n\n" + text, "brief.md")


@PROPERTY
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "title",
                "hypothesis.who",
                "kpis.north_star.name",
                "kpis.primary.0.target",
                "kpis.primary.0.name",
                "rollout.0.name",
                "rollout.0.start",
                "rollout.2.start",
                "decision_date",
                "rollout.x.name",
                "kpis.primary.-1.name",
            ]
        ),
        st.text(max_size=20),
        max_size=8,
    )
)
def test_the_brief_form_reads_any_fields(fields: dict[str, str]) -> None:
    try:
        data = from_form(fields)
    except LoopreadyError:
        return
    _named_error_or_value(parse_brief, data, "the form")


# -- answers ----------------------------------------------------------------------------


@PROPERTY
@given(st.binary(max_size=200))
def test_answer_bytes_decode_or_name_the_encoding(data: bytes) -> None:
    _named_error_or_value(read_answer_bytes, data, "answer.txt")


@PROPERTY
@given(
    answer=st.text(max_size=200),
    round_id=st.one_of(st.none(), st.sampled_from(["product_sense", "nope", ""]), st.text()),
    question_id=st.one_of(st.none(), st.text(max_size=10)),
    pack_id=st.one_of(st.just("sony-ai-pm-2026"), st.text(max_size=80)),
)
def test_grade_requests_build_or_name_the_problem(
    answer: str, round_id: str | None, question_id: str | None, pack_id: str
) -> None:
    _named_error_or_value(
        lambda: build_request(answer, pack_id=pack_id, round_id=round_id, question_id=question_id)
    )


# -- batch lines of `grade --batch` ------------------------------------------------------


@st.composite
def batch_lines(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "json", "record"]))
    if kind == "bytes":
        return draw(st.binary(max_size=80))
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    record = {
        "answer": draw(st.one_of(st.text(max_size=60), json_values)),
        "round": draw(st.one_of(st.sampled_from(["product_sense", "nope"]), json_values)),
        "question": draw(st.one_of(st.none(), json_values)),
        "pack": draw(st.one_of(st.just("sony-ai-pm-2026"), json_values)),
        "reference": draw(st.one_of(st.none(), json_values)),
        "id": draw(json_values),
    }
    return json.dumps(record).encode()


@PROPERTY
@given(batch_lines())
def test_batch_lines_become_requests_or_named_errors(raw: bytes) -> None:
    def run() -> Any:
        record = _parse_line(raw, 1)
        _check_record(record)
        return build_request(
            record["answer"],
            pack_id=record.get("pack", "sony-ai-pm-2026"),
            round_id=record.get("round"),
            question_id=record.get("question"),
            reference=record.get("reference"),
            request_id=record.get("id"),
        )

    _named_error_or_value(run)


# -- dates and times ----------------------------------------------------------------------


@PROPERTY
@given(st.one_of(st.text(max_size=20), st.dates().map(date.isoformat)))
def test_dates_times_and_zones_parse_or_name_the_problem(text: str) -> None:
    for parse in (
        lambda: parse_date(text, "date", today=date(2026, 12, 7)),
        lambda: parse_time(text),
        lambda: parse_round_date(text),
        lambda: parse_round_date(f"product_sense={text}"),
        lambda: zone(text),
        lambda: parse_round_dates(get_pack(), [f"product_sense={text}"]),
    ):
        _named_error_or_value(parse)


@PROPERTY
@given(st.datetimes().map(lambda moment: moment.isoformat()))
def test_round_dates_with_times_parse_or_name_the_problem(text: str) -> None:
    _named_error_or_value(lambda: parse_round_dates(get_pack(), [f"product_sense={text}"]))


# -- imports (JSON export files) ----------------------------------------------------------


@PROPERTY
@given(st.binary(max_size=200))
def test_any_file_reads_as_an_export_or_names_the_problem(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("import") / "export.json"
    path.write_bytes(data)
    try:
        document = read_document(path)
    except LoopreadyError:
        return
    _named_error_or_value(check_document, document, "export.json")


def _sample_export() -> dict[str, Any]:
    from loopready.interview.loops import new_loop
    from loopready.store import export_data, open_db
    from loopready.web.testing import seed_attempt

    pack = get_pack()
    with open_db("sqlite://") as db:
        loop = new_loop(db, pack, title="Loop")
        seed_attempt(db, pack, "product_sense", "We ship to 5% of users.", score=60)
        document = export_data(db)
        document["tables"]["loops"][0]["id"] = loop.id
    return json.loads(json.dumps(document))


_EXPORT: dict[str, Any] | None = None


@st.composite
def mutated_exports(draw: st.DrawFn) -> Any:
    global _EXPORT
    if _EXPORT is None:
        _EXPORT = _sample_export()
    assert _EXPORT["format"] == FORMAT and _EXPORT["format_version"] == FORMAT_VERSION
    return _replace_somewhere(_EXPORT, draw)


@PROPERTY
@given(mutated_exports())
def test_an_export_with_one_odd_value_checks_or_names_the_problem(
    loopready_home: Path, document: Any
) -> None:
    _named_error_or_value(check_document, document, "export.json")
