"""Free-form role-play: the panel's words from a chat model, its judgement still local.

Optional. With ``LOOPREADY_ROLEPLAY=llm`` and the OpenAI-compatible endpoint the
LLM grader uses (``LOOPREADY_LLM_BASE_URL``, ``LOOPREADY_LLM_MODEL``, ...; see
:mod:`loopready.grading.openai_compat`), the personas' replies are written by the
model: the case facts, each persona's position, voice and concerns (with how each
stands right now) become the system prompt, and the local panel's plan for the
turn (who speaks, about which concern, and how) is given as stage directions.
Replies are short, in character, and stream to the web page as they arrive.

What the candidate's words *did* is still judged locally (:mod:`roleplay`): every
concern's state, the red flags and the report are the same as with the scripted
panel, and a session replays from its saved turns without the model. When the
model cannot be reached, or replies with nothing usable, the scripted lines are
used and the conversation goes on. Without ``LOOPREADY_ROLEPLAY=llm`` nothing
leaves the computer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator

from loopready.grading.openai_compat import LLMOptions, announce
from loopready.interview.roleplay import PANEL, Line, RolePlay

ENV_ROLEPLAY = "LOOPREADY_ROLEPLAY"
#: Persona lines kept from one reply of the model.
MAX_LINES = 2
#: The reply's length limit, in tokens: two or three short sentences per voice.
MAX_TOKENS = 260

_STATE_WORDS = {
    "open": "still open",
    "acknowledged": "heard but not settled",
    "addressed": "settled",
    "dismissed": "waved away (you are upset about it)",
}


def llm_options() -> LLMOptions | None:
    """The endpoint to voice the panel with, or None for the scripted panel."""
    if os.environ.get(ENV_ROLEPLAY, "").strip().lower() != "llm":
        return None
    return LLMOptions.from_env()


def system_prompt(play: RolePlay) -> str:
    """The case, the panel and where each concern stands, for the model."""
    prompt = play.prompt
    facts = "\n".join(f"- {f}" for f in prompt.case_facts) or (prompt.brief or "")
    people = []
    for state in play.states:
        p = state.persona
        concerns = "\n".join(
            f"    - {i.issue.concern} ({_STATE_WORDS[i.state]}). If asked: {i.issue.answer}"
            for i in state.issues
        )
        people.append(
            f"* {p.name} ({p.role}). Position: {p.position}\n"
            f"  Voice: thanks like '{p.voice.thanks}'; doubts like '{p.voice.doubt}'.\n"
            f"  Concerns:\n{concerns}"
        )
    return (
        "You play a panel of stakeholders in a product-manager interview role-play. The "
        "candidate is the product manager. Stay in character; never play the candidate, never "
        "decide for them, never give advice as a coach.\n\n"
        f"The case: {prompt.question}\n\nCase facts (use only these figures):\n{facts}\n\n"
        "The panel:\n" + "\n".join(people) + "\n\n"
        "Reply as at most two panel members, each on its own line starting with the first name "
        "and a colon (for example 'Kenji: ...'). One to three short spoken sentences each. "
        "Follow the stage directions you are given for who speaks and about what."
    )


def _directions(lines: list[Line]) -> str:
    """The local panel's plan for this turn, as stage directions."""
    what = {
        "answer": "answers the question or challenge, with the case figure",
        "acknowledge": "acknowledges what the candidate just committed to, quoting it briefly",
        "escalation": "objects firmly: the candidate waved the concern away",
        "pushback": "raises a concern that is still open",
        "reaction": "reacts to the proposal: likes the direction, asks who and by when",
        "concern": "asks whether there is anything else",
    }
    steps = []
    for line in lines:
        if line.speaker == PANEL:
            continue
        ref = f" (concern: {line.ref})" if line.ref else ""
        steps.append(f"- {line.name.split(',')[0]} {what.get(line.kind, 'speaks')}{ref}.")
    return "Stage directions for this reply:\n" + "\n".join(steps)


def messages(
    play: RolePlay, text: str, planned: list[Line], history: list[tuple[str, str]]
) -> list[dict[str, str]]:
    """The conversation so far (``(who, text)``, panel lines as the assistant's), the
    candidate's new turn and the stage directions."""
    out: list[dict[str, str]] = [{"role": "system", "content": system_prompt(play)}]
    for who, said in history:
        if who == "You":
            out.append({"role": "user", "content": said})
        else:
            out.append({"role": "assistant", "content": f"{who.split(',')[0]}: {said}"})
    out.append({"role": "user", "content": f"{text}\n\n[{_directions(planned)}]"})
    return out


def parse(reply: str, play: RolePlay, planned: list[Line]) -> list[Line]:
    """The model's reply as persona lines ("Name: text"), at most :data:`MAX_LINES`;
    the planned lines when nothing in it can be attributed."""
    by_first = {s.persona.name.split(",")[0].strip().lower(): s.persona for s in play.states}
    lines: list[Line] = []
    for raw in reply.splitlines():
        m = re.match(r"^\s*\**([A-Z][\w'-]*)\**\s*(?:\([^)]*\))?\s*:\s*(.+)$", raw)
        if not m:
            if lines and raw.strip():
                last = lines[-1]
                lines[-1] = Line(last.speaker, last.name, f"{last.text} {raw.strip()}", last.kind)
            continue
        persona = by_first.get(m.group(1).lower())
        if persona is None:
            continue
        plan = next((p for p in planned if p.speaker == persona.id), None)
        kind = plan.kind if plan else "reaction"
        lines.append(
            Line(persona.id, persona.name, m.group(2).strip(), kind, plan.ref if plan else None)
        )
    lines = lines[:MAX_LINES]
    if not lines:
        return [p for p in planned if p.speaker != PANEL]
    return lines


def stream(options: LLMOptions, chat: list[dict[str, str]]) -> Iterator[str]:
    """The model's reply, piece by piece as it streams in."""
    from loopready.grading.openai_compat import _import_openai

    openai = _import_openai()
    announce(options)
    client = openai.OpenAI(
        base_url=options.base_url,
        api_key=options.api_key() or "not-needed",
        timeout=options.timeout,
        max_retries=0,
    )
    response = client.chat.completions.create(
        model=options.model,
        messages=chat,
        temperature=0.7,
        max_tokens=MAX_TOKENS,
        stream=True,
    )
    for chunk in response:
        choices = getattr(chunk, "choices", None) or []
        if not choices:
            continue
        piece = getattr(choices[0].delta, "content", None)
        if piece:
            yield piece


def voice(
    play: RolePlay,
    text: str,
    planned: list[Line],
    *,
    options: LLMOptions | None = None,
    history: list[tuple[str, str]] | None = None,
    on_chunk: Callable[[str], None] | None = None,
) -> list[Line]:
    """The panel's lines for this turn in the model's words (the panel's own lines,
    the decision call and time cues, are kept); the planned lines if the model fails."""
    if options is None:
        return planned
    panel_lines = [line for line in planned if line.speaker == PANEL]
    try:
        pieces: list[str] = []
        for piece in stream(options, messages(play, text, planned, history or [])):
            pieces.append(piece)
            if on_chunk is not None:
                on_chunk(piece)
    except Exception as exc:  # whatever failed, the scripted panel speaks
        if on_chunk is not None:
            on_chunk(f"\n[no reply from the model ({type(exc).__name__}): the scripted panel]\n")
        return planned
    spoken = parse("".join(pieces), play, planned)
    return [*spoken, *panel_lines]
