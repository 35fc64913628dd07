"""Draft a pack from a job posting: the usual rounds for the role, questions from the posting.

The rounds come from a small library (``data/drafting/rounds.yaml``): a recruiter
screen, a product-sense case, a technical-depth round when the role is an AI or ML one,
and a cross-functional round. Each round gets practice questions written from the
posting (:mod:`loopready.packs.posting`): the product-sense case is about a product area
the posting names, with the responsibility that names it as the brief; the technical
round asks about the model or data the posting mentions, behind that product; the
cross-functional round takes a responsibility that involves other teams. Key points come
from the round's rubric and each criterion brings its follow-up question.

The draft is marked ``draft: true``, says so in its name and its header, and goes through
the same validation as any pack (:func:`loopready.packs.loader.parse_pack`). Everything is
deterministic: no network and no language model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml

from loopready.packs.loader import parse_pack
from loopready.packs.posting import Posting
from loopready.packs.registry import builtin_dir
from loopready.packs.scaffold import slugify
from loopready.packs.schema import Pack

#: Practice questions drafted per round, at most.
PER_ROUND: Final = 3
#: Words that make a responsibility one about working with other teams.
PARTNER_WORDS: Final = re.compile(
    r"\b(?:work with|partner|negotiate|trade-offs?|legal|compliance|merchandising|marketing|"
    r"stakeholders?|align|cross-functional|research scientists|disagree)\b",
    re.IGNORECASE,
)
#: What a question calls the product when the posting names none.
NO_AREA: Final = "the product this role owns"


@dataclass(frozen=True)
class Draft:
    """A drafted pack: the posting it came from, the YAML text and the validated pack."""

    posting: Posting
    text: str
    pack: Pack

    @property
    def questions(self) -> list[str]:
        """Every drafted question, round by round."""
        return [p.question for r in self.pack.rounds for p in r.prompts]


def library_path() -> Path:
    return builtin_dir() / "drafting" / "rounds.yaml"


@cache
def _library() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(library_path().read_text(encoding="utf-8"))
    return data


def draft_pack(posting: Posting, *, today: date | None = None) -> Draft:
    """The drafted pack for *posting*, validated like any pack (a :class:`PackError` if not)."""
    data = draft_data(posting, today=today)
    text = to_yaml(data, posting, today or date.today())
    return Draft(posting, text, parse_pack(text, "drafted pack"))


def draft_data(posting: Posting, *, today: date | None = None) -> dict[str, Any]:
    """The drafted pack as a mapping with the keys of :class:`~loopready.packs.schema.Pack`."""
    today = today or date.today()
    company = posting.company or "The company"
    role = posting.role or "Product manager"
    areas = posting.product_areas or [NO_AREA]
    library = _library()
    rounds: list[dict[str, Any]] = []
    for spec in library["rounds"]:
        if spec.get("for_ml") and not posting.is_ml:
            continue
        prompts = _prompts(spec, posting, company, areas)
        rounds.append(_round(spec, prompts))
    round_ids = {r["id"] for r in rounds}
    last_day = max(r["day"] for r in rounds)
    pack_id = _pack_id(company, role)
    return {
        "id": pack_id,
        "name": f"{company} {role} loop (draft)",
        "company": company,
        "role": role,
        "version": "1",
        "description": (
            f"A draft loop for the {role} role at {company}, written by loopready from the job "
            "posting. The rounds are the usual ones for the role and the questions come from "
            "the posting's responsibilities: check and edit every one."
        ),
        "sources": [
            {
                "title": f"Job posting: {role}, {company}",
                "note": (
                    f"Pasted into loopready on {today.isoformat()}. Questions drafted from its "
                    "responsibilities; rounds, rubrics and decision rule are loopready's "
                    "defaults for the role, not the company's."
                ),
            }
        ],
        "process": {
            "total_days": last_day + 7,
            "notes": [
                "Drafted: the rounds and their days are the usual ones for this role. Ask the "
                "recruiter for the real loop and edit the rounds to match."
            ],
        },
        "rounds": rounds,
        "blind_spots": [
            {**b, "rounds": [r for r in b["rounds"] if r in round_ids]}
            for b in library["blind_spots"]
            if any(r in round_ids for r in b["rounds"])
        ],
        "prep": _prep(posting, areas),
        "launches": _launches(posting, areas),
        "decision": {**library["decision"], "required_rounds": [r["id"] for r in rounds]},
        "draft": True,
    }


def to_yaml(data: dict[str, Any], posting: Posting, today: date) -> str:
    """The pack as YAML text, with a header that says it is a draft and what was read."""
    header = [
        "# DRAFT pack, written by loopready from a job posting on " + today.isoformat() + ".",
        "# Every question is a starting point: edit them until they sound like this company,",
        "# then set `draft: false`. Check it with `loopready packs validate FILE`.",
        f"# Read from the posting: company {posting.company or '(not found)'}, "
        f"role {posting.role or '(not found)'}.",
    ]
    if posting.product_areas:
        header.append("# Product areas it names: " + ", ".join(posting.product_areas) + ".")
    for missing in posting.missing:
        header.append(f"# Not found: {missing}.")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(header) + "\n\n" + body


# -- rounds and questions ----------------------------------------------------------------------


def _round(spec: dict[str, Any], prompts: list[dict[str, Any]]) -> dict[str, Any]:
    criteria = [{k: v for k, v in c.items() if k != "follow_up"} for c in spec["criteria"]]
    return {
        "id": spec["id"],
        "name": spec["name"],
        "kind": spec["kind"],
        "minutes": spec["minutes"],
        "day": spec["day"],
        "interviewer": spec["interviewer"],
        "goal": spec["goal"],
        "prompts": prompts,
        "rubric": {"criteria": criteria},
    }


def _prompt(spec: dict[str, Any], number: int, question: str, brief: str | None) -> dict[str, Any]:
    prompt_id = f"{spec['id']}_{number}"
    prompt: dict[str, Any] = {"id": prompt_id, "question": question}
    if brief:
        prompt["brief"] = brief
    prompt["key_points"] = [c["strong"] for c in spec["criteria"]][:4]
    prompt["follow_ups"] = [
        {"id": f"{prompt_id}_fu_{c['id']}", "criterion": c["id"], "question": c["follow_up"]}
        for c in spec["criteria"]
        if c.get("follow_up")
    ]
    prompt["source"] = "Drafted by loopready from the job posting"
    return prompt


def _prompts(
    spec: dict[str, Any], posting: Posting, company: str, areas: list[str]
) -> list[dict[str, Any]]:
    kind = spec["kind"]
    written: list[tuple[str, str | None]] = []
    # Products a responsibility names come first wherever a question needs a product.
    main = _backed(areas, lambda a: _responsibility_for(posting, a), least=1) or areas
    if kind == "screen":
        written = [
            (
                f"Walk me through your background. Which of your launches best prepares you to "
                f"work on {main[0]} at {company}?",
                None,
            ),
            (
                f"Why {company}, and why {main[1] if len(main) > 1 else main[0]}? "
                "What would you want to change in it first?",
                None,
            ),
        ]
    elif kind == "case":
        for area in _backed(areas, lambda a: _responsibility_for(posting, a)):
            written.append(
                (
                    f"{company} wants to improve {area}. Who would you build for first, which "
                    "one or two metrics would you put first, and how would you roll the change "
                    "out?",
                    _from_posting(_responsibility_for(posting, area)),
                )
            )
    elif kind == "technical":
        terms = posting.model_terms or ["model"]
        backed = _backed(terms, lambda t: _responsibility_for(posting, t), least=1)
        for k, term in enumerate(backed):
            resp = _responsibility_for(posting, term)
            area = _area_in(resp, areas) or main[k % len(main)]
            if term.lower().endswith("data"):
                question = (
                    f"Before you trust a model built on the {term} for {area}, what would you "
                    "check, what would you ask the team, and what would make you wait?"
                )
            else:
                question = (
                    f"Three weeks after launch, the {term} behind {area} starts to slip. How "
                    "would you notice, what would you ask the ML team, and what product "
                    "decision would follow?"
                )
            written.append((question, _from_posting(resp)))
    elif kind == "stakeholder":
        partnered = [r for r in posting.responsibilities if PARTNER_WORDS.search(r)]
        for k, resp in enumerate(partnered[:PER_ROUND] or [""]):
            area = _area_in(resp, areas) or main[k % len(main)]
            written.append(
                (
                    f"On {area}, two teams you work with disagree: one wants to ship now, the "
                    "other wants more time. How do you reach a decision, and who does what next?",
                    _from_posting(resp),
                )
            )
    return [_prompt(spec, n, q, brief) for n, (q, brief) in enumerate(written, start=1)]


def _backed(items: list[str], responsibility: Callable[[str], str], least: int = 2) -> list[str]:
    """The items a responsibility names, first; others only to make up *least* of them."""
    named = [i for i in items if responsibility(i)]
    rest = [i for i in items if i not in named]
    chosen = named[:PER_ROUND]
    return chosen + rest[: max(0, least - len(chosen))]


def _responsibility_for(posting: Posting, phrase: str) -> str:
    """The first responsibility that names *phrase* (or its first word), else ""."""
    low = phrase.lower()
    for resp in posting.responsibilities:
        if low in resp.lower():
            return resp
    head = low.split()[0] if low.split() else ""
    for resp in posting.responsibilities:
        if head and re.search(rf"\b{re.escape(head)}\b", resp.lower()):
            return resp
    return ""


def _area_in(text: str, areas: list[str]) -> str | None:
    low = text.lower()
    for area in areas:
        if area != NO_AREA and (area.lower() in low or area.split()[0].lower() in low):
            return area
    return None


def _from_posting(responsibility: str) -> str | None:
    return f"From the posting: {responsibility}" if responsibility else None


# -- the rest of the pack ----------------------------------------------------------------------


def _pack_id(company: str, role: str) -> str:
    base = slugify(f"{company} {role}")[:52].strip("-") or "drafted"
    pack_id = f"{base}-draft"
    if (builtin_dir() / f"{pack_id}.yaml").exists():
        pack_id = f"{base}-mine-draft"
    return pack_id


def _prep(posting: Posting, areas: list[str]) -> dict[str, Any]:
    research = [
        f"Study {area}: who uses it, what it does well, and the metric it most likely answers to."
        for area in areas[:3]
        if area != NO_AREA
    ] + ["Read the posting again and mark the two responsibilities you would own first."]
    stories = [f"Prepare a story that shows: {req}" for req in posting.requirements[:4]] or [
        "Pick the two projects you will use as your story in every round."
    ]
    return {
        "source": "Drafted by loopready from the job posting",
        "phases": [
            {"id": "research", "name": "Research", "days": 5, "min_days": 2, "tasks": research},
            {"id": "stories", "name": "Stories", "days": 4, "min_days": 1, "tasks": stories},
            {
                "id": "mocks",
                "name": "Mock interviews",
                "days": 5,
                "min_days": 2,
                "tasks": [
                    "Answer each drafted question aloud against the clock, then edit the ones "
                    "that do not sound like this company."
                ],
            },
        ],
    }


def _launches(posting: Posting, areas: list[str]) -> list[dict[str, Any]]:
    launches = []
    seen: set[str] = set()
    for area in areas:
        if area == NO_AREA:
            continue
        launch_id = slugify(area).replace("-", "_")[:60] or "product"
        if launch_id in seen:
            continue
        seen.add(launch_id)
        resp = _responsibility_for(posting, area)
        launches.append(
            {
                "id": launch_id,
                "name": area,
                "product": area,
                "summary": f"Named in the posting: {resp}" if resp else "Named in the posting.",
                "candidate_metrics": [],
            }
        )
    return launches
