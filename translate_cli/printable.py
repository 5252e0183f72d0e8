"""Make untrusted text safe to show: file names and messages can hold terminal escape sequences."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the Unicode line separators and bidirectional overrides that can
# reorder or hide what a terminal or a rendered report shows ("Trojan source" file names).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_KEEPING_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character shown as an escape (ESC as `\\x1b`), so that a file
    name can never move the cursor, clear the screen or retitle the terminal.

    With `multiline`, tabs and newlines are kept as they are.
    """
    pattern = _UNSAFE_KEEPING_LINES if multiline else _UNSAFE
    return pattern.sub(_escaped, text)
