"""Text typed by the public (comments, complaints): kept as plain text and
escaped wherever it is shown; here it loses what could mislead a reader or a
moderator: control characters, bidirectional overrides (which make text read
differently from how it is stored), and runs of blank lines."""

import re
import unicodedata

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_comment_text(value: str | None, *, multiline: bool = True) -> str:
    text = unicodedata.normalize("NFC", value or "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    if not multiline:
        return " ".join(text.split())
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
