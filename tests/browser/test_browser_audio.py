"""Browser: speak an answer in the mock room, as a candidate does, in Debian's Chromium.

Chromium's fake microphone plays an espeak-ng recording (``--use-file-for-fake-audio-capture``),
so MediaRecorder records real speech: record, stop, watch the transcription, find the
transcript in the answer, hand it in and read the speech figures in the report. Also: a
refused microphone, a browser without MediaRecorder, and uploads (silence, then speech).

Needs espeak-ng (Debian package ``espeak-ng``), faster-whisper (``pip install
'loopready[speech]'``) and Chromium (Debian package ``chromium``); each missing one skips
the tests with that message, except under ``CI=true``, where it fails them.
"""

from __future__ import annotations

import os
import shutil
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import expect

from loopready.speech.wer import word_error_rate
from loopready.web.testing import local_grader_problem

from .conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

SCRIPT = (
    "My main metric is the share of store visits that end in a purchase within seven days. "
    "I would stop the test if refunds rise."
)


def _need(ok: bool, message: str) -> None:
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (required when CI=true)", pytrace=False)
    pytest.skip(message)


def _seconds(path: Path) -> float:
    with wave.open(str(path)) as audio:
        return float(audio.getnframes()) / float(audio.getframerate())


@pytest.fixture(scope="module")
def spoken_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The answer Chromium's fake microphone says."""
    import importlib.util
    import subprocess

    _need(
        CHROMIUM.exists(),
        f"{CHROMIUM} is missing: install Debian's package `chromium` (apt-get install chromium)",
    )
    _need(
        shutil.which("espeak-ng") is not None,
        "espeak-ng is not installed: install Debian's package `espeak-ng` "
        "(apt-get install espeak-ng)",
    )
    _need(
        importlib.util.find_spec("faster_whisper") is not None,
        "faster-whisper is not installed: pip install 'loopready[speech]'",
    )
    path = tmp_path_factory.mktemp("speech") / "answer.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(path), SCRIPT],
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture(scope="module")
def mic_browser(browser: Any, spoken_wav: Path) -> Iterator[Any]:
    """Chromium whose microphone says ``SCRIPT`` and whose permission prompts say yes."""
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={spoken_wav}%noloop",  # said once
        ],
    )
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def asking_browser(browser: Any, spoken_wav: Path) -> Iterator[Any]:
    """Chromium with a (fake) microphone that asks before using it, as browsers do."""
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream"],
    )
    yield chromium
    chromium.close()


def _tab(chromium: Any, server: Any, **options: Any) -> Any:
    context = chromium.new_context(base_url=server.url, **{"viewport": DESKTOP, **options})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.js_errors = errors
    return tab


def _start_round(page: Any, round_id: str = "product_sense") -> None:
    page.goto("/practice")
    page.locator(f"#round-{round_id} form button[type=submit]").click()
    page.wait_for_url("**/mock/**")


def _grader_or_skip() -> None:
    problem = local_grader_problem()
    if problem is not None:
        _need(False, problem)


def test_record_an_answer_then_hand_it_in(
    mic_browser: Any, server: Any, spoken_wav: Path, shot: Any
) -> None:
    page = _tab(mic_browser, server)
    _start_round(page)
    panel = page.locator("#audio-panel")
    expect(panel.get_by_role("button", name="Record", exact=True)).to_be_enabled()
    shot(page, "mock-room-with-audio-panel")
    phone = _tab(mic_browser, server, viewport=PHONE, is_mobile=True)
    phone.goto(page.url)
    phone.locator("#audio-panel").scroll_into_view_if_needed()
    shot(phone, "audio-panel-phone", full_page=False)
    phone.context.close()

    page.locator("textarea").fill("Notes first.")
    panel.get_by_role("button", name="Record", exact=True).click()
    timer = panel.locator("[data-audio-timer]")
    expect(timer).to_be_visible()
    expect(panel.locator("[data-audio-note]")).to_contain_text("Recording")
    time.sleep(_seconds(spoken_wav) + 1.5)
    assert panel.locator("[data-audio-clock]").inner_text() not in {"", "0:00"}
    shot(page, "recording", full_page=False)
    panel.get_by_role("button", name="Stop and transcribe").click()
    expect(timer).to_be_hidden()

    result = panel.locator('.audio-job[data-state="used"]')
    result.wait_for(timeout=120_000)
    text = page.locator("textarea").input_value()
    assert text.startswith("Notes first.\n\n")
    # Opus from Chromium's fake microphone is rougher than the file, and what the model
    # hears differs by CPU: a word-error bound on the transcript, never exact words.
    heard = text.removeprefix("Notes first.\n\n")
    assert heard.strip() and "\n\n" not in heard.strip()  # one transcript, appended once
    assert word_error_rate(SCRIPT, heard) <= 0.5, heard
    expect(result).to_contain_text("Added to your answer")
    expect(result).to_contain_text("words a minute")
    page.locator(".save-state.saved").wait_for(timeout=10_000)
    shot(page, "transcript-added")
    page.reload()  # the transcript was saved as the turn's text
    assert page.locator("textarea").input_value() == text

    _grader_or_skip()
    page.once("dialog", lambda dialog: dialog.accept())  # "End the mock now?" asks first
    page.get_by_role("button", name="End the mock now and see my report").click()
    # Grading loads its model on first use: slow on a busy machine, so a generous wait.
    page.wait_for_url("**/reports/**", timeout=180_000)
    delivery = page.locator("section", has=page.locator("#delivery-h"))
    expect(delivery.get_by_role("heading", name="How you spoke")).to_be_visible()
    expect(delivery).to_contain_text("words a minute")
    expect(delivery).to_contain_text("130–160 is the usual band")
    expect(delivery).to_contain_text("Longest stretch")
    delivery.scroll_into_view_if_needed()
    shot(page, "report-speech-figures")
    assert page.js_errors == []


def test_a_refused_microphone_says_so(asking_browser: Any, server: Any, shot: Any) -> None:
    page = _tab(asking_browser, server, permissions=[])
    _start_round(page)
    page.locator("textarea").fill("Typed so far.")
    panel = page.locator("#audio-panel")
    panel.get_by_role("button", name="Record", exact=True).click()
    note = panel.locator(".audio-note.error")
    expect(note).to_contain_text("The microphone was refused")
    expect(note).to_contain_text("Allow this page to use the microphone")
    expect(panel.get_by_role("button", name="Record", exact=True)).to_be_enabled()  # can try again
    assert page.locator("textarea").input_value() == "Typed so far."
    shot(page, "microphone-refused")
    assert page.js_errors == []


def test_a_browser_without_mediarecorder_says_so(asking_browser: Any, server: Any) -> None:
    page = _tab(asking_browser, server)
    page.add_init_script("delete window.MediaRecorder;")
    _start_round(page)
    panel = page.locator("#audio-panel")
    expect(panel.get_by_role("button", name="Record", exact=True)).to_be_disabled()
    expect(panel.locator(".audio-note.error")).to_contain_text("no MediaRecorder")
    expect(panel.get_by_role("button", name="Transcribe")).to_be_enabled()  # upload still works


def test_upload_silence_then_speech(
    asking_browser: Any, server: Any, spoken_wav: Path, tmp_path: Path, shot: Any
) -> None:
    silent = tmp_path / "silent.wav"
    with wave.open(str(silent), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(np.zeros(16_000 * 3, dtype="<i2").tobytes())
    page = _tab(asking_browser, server)
    _start_round(page)
    page.locator("textarea").fill("Typed so far.")
    panel = page.locator("#audio-panel")

    panel.get_by_label("Or upload a recording").set_input_files(str(silent))
    panel.get_by_role("button", name="Transcribe").click()
    failed = panel.locator("[data-audio-failed]")
    expect(failed).to_contain_text(
        "No speech detected in the recording: check your microphone and try again",
        timeout=60_000,
    )
    assert page.locator("textarea").input_value() == "Typed so far."
    shot(page, "no-speech")

    panel.get_by_label("Or upload a recording").set_input_files(str(spoken_wav))
    panel.get_by_role("button", name="Transcribe").click()
    aside = page.get_by_role("button", name="Set this mock aside")
    aside.focus()  # the progress updates every second must not pull the focus away
    panel.locator('.audio-job[data-state="used"]').wait_for(timeout=120_000)
    assert aside.evaluate("el => el === document.activeElement")
    text = page.locator("textarea").input_value()
    assert text.startswith("Typed so far.\n\n")
    assert word_error_rate(SCRIPT, text.removeprefix("Typed so far.\n\n")) <= 0.5, text
    assert page.js_errors == []
