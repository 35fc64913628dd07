"""``loopready grade``: score an answer against a round's rubric, or a batch of them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

import click

from loopready.cli.options import grader_option
from loopready.errors import InputError, LoopreadyError
from loopready.grading.service import build_request, grade_request, read_answer_bytes
from loopready.packs import DEFAULT_PACK_ID


@click.command()
@click.argument("answer_file", required=False, type=click.Path(allow_dash=True, path_type=Path))
@click.option("--round", "round_id", help="Round id, e.g. product_sense.")
@click.option("--pack", "pack_id", default=DEFAULT_PACK_ID, show_default=True, help="Pack id.")
@click.option("--question", "question_id", help="Prompt id within the round.")
@click.option("--reference", help="A reference answer or key points (one per line).")
@click.option(
    "--batch",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Grade every line of a JSONL file.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --batch: write results here (default: stdout).",
)
@grader_option()
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def grade(
    answer_file: Path | None,
    round_id: str | None,
    pack_id: str,
    question_id: str | None,
    reference: str | None,
    batch: Path | None,
    out: Path | None,
    grader_name: str,
    as_json: bool,
) -> None:
    """Score an answer against the round's rubric, quoting the words behind each score.

    The answer comes from FILE, or standard input with `-` or when piped.
    Batch lines are JSON objects: {"id", "answer", "round"?, "question"?,
    "reference"?}; results are written one JSON object per line.

    \b
        loopready grade --round product_sense answer.txt
        loopready grade --round technical_depth --json - < answer.txt
        loopready grade --batch answers.jsonl --out graded.jsonl
    """
    if batch is not None:
        failures = _grade_batch(batch, out, pack_id, grader_name)
        if failures:
            sys.exit(1)
        return
    if round_id is None and reference is None:
        raise InputError("give --round ROUND (or --reference for a custom question)")
    text = _read_answer(answer_file)
    request = build_request(
        text, pack_id=pack_id, round_id=round_id, question_id=question_id, reference=reference
    )
    result = grade_request(request, grader_name)
    if as_json:
        click.echo(json.dumps(result.to_json_dict(), ensure_ascii=False))
        return
    from loopready.cli.render import print_grade as show

    show(result)


def _read_answer(answer_file: Path | None) -> str:
    if answer_file is None or str(answer_file) == "-":
        stream = sys.stdin.buffer
        if answer_file is None and stream.isatty():
            raise InputError("give an answer file, or pipe the answer in: ... | loopready grade -")
        data = stream.read()
        name = "standard input"
    else:
        try:
            data = answer_file.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{answer_file}: file not found") from None
        except IsADirectoryError:
            raise InputError(f"{answer_file}: is a folder; give a text file") from None
        name = str(answer_file)
    return read_answer_bytes(data, name)


def _grade_batch(path: Path, out: Path | None, pack_id: str, grader_name: str) -> int:
    """Grade each line; a bad line is reported with its number and the rest still run."""
    from rich.progress import Progress

    lines = path.read_bytes().splitlines()
    failures = 0
    sink: IO[str] = out.open("w", encoding="utf-8") if out else sys.stdout
    try:
        with Progress(console=_stderr_console(), transient=True) as progress:
            task = progress.add_task("Grading", total=len(lines))
            for number, raw in enumerate(lines, start=1):
                progress.advance(task)
                if (number - 1) % PREFETCH == 0 and grader_name == "local":
                    _prefetch(lines[number - 1 : number - 1 + PREFETCH])
                if not raw.strip():
                    continue
                record: dict[str, Any] = {}
                try:
                    record = _parse_line(raw, number)
                    _check_record(record)
                    request = build_request(
                        record["answer"],
                        pack_id=record.get("pack", pack_id),
                        round_id=record.get("round"),
                        question_id=record.get("question"),
                        reference=record.get("reference"),
                        request_id=record.get("id"),
                    )
                    result = grade_request(request, grader_name).to_json_dict()
                except LoopreadyError as exc:
                    failures += 1
                    message = f"{path}: line {number}: {exc}"
                    click.echo(message, err=True)
                    result = {"line": number, "error": message}
                    if "id" in record:
                        result["id"] = record["id"]
                sink.write(json.dumps(result, ensure_ascii=False) + "\n")
                sink.flush()
    finally:
        if out:
            sink.close()
    if failures:
        click.echo(f"{failures} of {len(lines)} lines could not be graded", err=True)
    return failures


#: Answers whose sentences are embedded together, ahead of grading them one by one.
PREFETCH = 32


def _prefetch(raws: list[bytes]) -> None:
    """Embed the sentences of the next answers in one call: one model run over many
    sentences costs far less than one run per answer. Grading then finds them cached."""
    from loopready.grading.embeddings import get_embedder
    from loopready.language.sentences import split_sentences

    sentences: list[str] = []
    for raw in raws:
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue  # reported with its line number when its turn comes
        if isinstance(record, dict) and isinstance(record.get("answer"), str):
            sentences += split_sentences(record["answer"])
    if sentences:
        get_embedder().embed(list(dict.fromkeys(sentences)))


def _parse_line(raw: bytes, number: int) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text") from None
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise InputError("each line must be a JSON object")
    return record


def _check_record(record: dict[str, Any]) -> None:
    if not isinstance(record.get("answer"), str):
        raise InputError('missing "answer" (a string)')
    if record.get("round") is None and record.get("reference") is None:
        raise InputError('give "round", or "reference" for a custom question')
    if "pack" in record and record["pack"] is None:
        del record["pack"]  # null: the --pack given on the command line
    for key in ("round", "question", "reference", "pack"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise InputError(f'"{key}" must be a string, not {json.dumps(record[key])[:40]}')
    identifier = record.get("id")
    if isinstance(identifier, int) and not isinstance(identifier, bool):
        record["id"] = str(identifier)  # a line number used as the id
    elif identifier is not None and not isinstance(identifier, str):
        raise InputError(f'"id" must be a string or a number, not {json.dumps(identifier)[:40]}')


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)
