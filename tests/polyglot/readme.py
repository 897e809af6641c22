"""Helpers of the README tests: the fenced blocks of a client's README and output matching."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["fenced_block", "matches_transcript"]

_FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def fenced_block(readme: Path, language: str) -> str:
    """The text of the first ```LANGUAGE block of `readme`."""
    for lang, body in _FENCE.findall(readme.read_text()):
        if lang == language:
            return str(body)
    raise AssertionError(f"{readme} has no ```{language} block")


def matches_transcript(output: str, transcript: str) -> bool:
    """Whether `output` has exactly the lines of `transcript`, where a line `...` stands for any
    number of lines (none included)."""
    parts = []
    for line in transcript.strip("\n").splitlines():
        parts.append(r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + r"\n")
    return re.fullmatch("".join(parts), output.strip("\n") + "\n") is not None
