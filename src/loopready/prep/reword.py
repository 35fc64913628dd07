"""Better wording for a drafted pack's questions, from an OpenAI-compatible endpoint (optional).

Only when the user asks for it and ``LOOPREADY_LLM_BASE_URL`` / ``LOOPREADY_LLM_MODEL`` are
set (the same settings as the LLM grader, :class:`~loopready.grading.openai_compat.LLMOptions`).
Each drafted question is sent with the round's name and the company, and the model is asked
for the same question in better words. A proposal is kept only when it is one question (one
line, ending with "?", 20-400 characters) that still names every product area and model term
the drafted one named; otherwise the drafted wording stays. The reworded pack then goes through
the same validation as any pack. A server that cannot be reached leaves the draft as it was and
says so.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from loopready.grading.openai_compat import LLMOptions
from loopready.packs.draft import Draft, to_yaml
from loopready.packs.loader import parse_pack

#: Sends one chat request (options, messages) and returns the reply's text.
Post = Callable[[LLMOptions, list[dict[str, str]]], str]

SYSTEM = (
    "You edit interview practice questions for product-manager candidates. Reply with the "
    "question only: one sentence or two, ending with a question mark, no preamble, no quotes. "
    "Keep every product name and technical term exactly as written."
)


@dataclass
class Reworded:
    """The draft after rewording, and what happened to each question."""

    draft: Draft
    kept: int = 0
    replaced: int = 0
    notes: list[str] = field(default_factory=list)


def post_chat(options: LLMOptions, messages: list[dict[str, str]]) -> str:
    """One chat completion from ``{base_url}/chat/completions``, without any client library."""
    body = json.dumps({"model": options.model, "messages": messages, "temperature": 0.2}).encode(
        "utf-8"
    )
    headers = {"Content-Type": "application/json"}
    key = options.api_key()
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(
        f"{options.base_url}/chat/completions", data=body, headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=options.timeout) as response:
        data: dict[str, Any] = json.loads(response.read().decode("utf-8"))
    content = data["choices"][0]["message"]["content"]
    return str(content)


def acceptable(proposal: str, original: str, names: list[str]) -> bool:
    """Whether *proposal* may replace *original*: one question naming what it named."""
    text = proposal.strip()
    if "\n" in text or not 20 <= len(text) <= 400 or not text.endswith("?"):
        return False
    kept = [n for n in names if n.lower() in original.lower()]
    return all(n.lower() in text.lower() for n in kept)


def reword_draft(
    draft: Draft, options: LLMOptions, *, post: Post = post_chat, today: date | None = None
) -> Reworded:
    """The draft with the endpoint's better wording where it passes :func:`acceptable`."""
    data: dict[str, Any] = yaml.safe_load(draft.text)
    names = [*draft.posting.product_areas, *draft.posting.model_terms, draft.pack.company]
    result = Reworded(draft)
    for rnd in data["rounds"]:
        for prompt in rnd["prompts"]:
            original = prompt["question"]
            messages = [
                {"role": "system", "content": SYSTEM},
                {
                    "role": "user",
                    "content": f"Company: {data['company']}. Round: {rnd['name']}.\n"
                    f"Question: {original}",
                },
            ]
            try:
                proposal = post(options, messages).strip().strip('"“”')
            except (urllib.error.URLError, OSError, KeyError, IndexError, ValueError) as exc:
                result.notes.append(
                    f"{options.host} could not be used ({exc}); the drafted wording is kept."
                )
                result.kept = sum(len(r["prompts"]) for r in data["rounds"])
                result.replaced = 0
                return result
            if acceptable(proposal, original, names):
                prompt["question"] = proposal
                prompt["source"] = f"{prompt.get('source', '')}, reworded by {options.model}"
                result.replaced += 1
            else:
                result.kept += 1
    text = to_yaml(data, draft.posting, today or date.today())
    result.draft = Draft(draft.posting, text, parse_pack(text, "reworded draft"))
    return result
