"""Text as every output can carry it: no control characters, line breaks only where allowed.

Calendar feeds refuse control characters and raw line breaks in most properties, XML (and so
the PDFs' HTML) refuses most control characters, and a CR/LF in an e-mail header is a header
injection. Forms clean what users type on the way in (app/forms_base.py); the renderers clean
again on the way out, so data that reached the database another way prints safely too.
"""

import re
import unicodedata

# C0 and C1 controls and DEL, except tab and line feed (handled by each function).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_SPACES = re.compile("[ \t]+")


def single_line(value: str | None) -> str:
    """One line: breaks and tabs become spaces, other control characters go."""
    text = _LINE_BREAKS.sub(" ", value or "").replace("\t", " ")
    text = _CONTROLS.sub("", text)
    return _SPACES.sub(" ", text) if "  " in text else text


def multi_line(value: str | None) -> str:
    """Lines as typed (any line break becomes LF), without other control characters."""
    text = _LINE_BREAKS.sub("\n", value or "")
    return _CONTROLS.sub("", text)


def is_control(char: str) -> bool:
    """True for a control character (Unicode category Cc)."""
    return unicodedata.category(char) == "Cc"
