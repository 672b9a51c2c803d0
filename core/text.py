"""What counts as plain text in this service. Plain Python, no Django.

Control characters (NUL, vertical tab, escape and the rest of C0 and C1)
arrive by pasting from other programs or in a crafted file. Nobody can see
them on a page, PostgreSQL refuses NUL, and an Excel file cannot hold most
of them: one in a title broke every Excel export of the register. Long text
keeps tab and its line breaks (browsers send a textarea's as CR LF).
"""

import re

# C0 and C1 controls and DEL; lone surrogates, which are not text at all
# (JSON can carry "\ud800") and cannot be stored; the two noncharacters XML,
# and so Excel, refuses.
_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The same less tab (\x09), line feed (\x0a) and carriage return (\x0d).
_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def control_character(text: str, *, multiline: bool = False) -> str | None:
    """A description of the first character `text` must not contain, such as
    "U+0001 at character 5", or None if it is plain text."""
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(text)
    if found is None:
        return None
    return f"U+{ord(found.group()):04X} at character {found.start() + 1}"
