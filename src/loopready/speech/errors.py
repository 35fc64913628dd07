"""Errors specific to spoken answers."""

from __future__ import annotations

from loopready.errors import InputError


class NoSpeech(InputError):
    """The recording holds no speech: silence, near-silence or only noise.

    Transcription stops with this error instead of returning text, so a model
    never puts words in a silent answer.
    """
