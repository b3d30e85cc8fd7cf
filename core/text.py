"""Checks of what people type that look at characters rather than words: text that shows
nothing, control characters."""

import unicodedata

# Categories that show nothing by themselves: controls, format characters (zero-width space
# and joiners, bidi marks, soft hyphen, tags), unassigned and private-use code points,
# separators, and combining marks (with no letter to sit on, they show at most a dotted circle).
_SHOW_NOTHING = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me", "Mc"}
# Letters and symbols that render blank although Unicode files them as letters: the Hangul
# fillers, the blank Braille pattern, Khmer's inherent vowels, Mongolian's vowel separator.
_BLANK = set("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u180e")


def has_visible_text(value: str) -> bool:
    return any(ch not in _BLANK and unicodedata.category(ch) not in _SHOW_NOTHING for ch in value)


def control_characters(value: str) -> list[str]:
    """C0 and C1 controls and DEL (category Cc), in the order they appear."""
    return [ch for ch in value if unicodedata.category(ch) == "Cc"]


def code_point(ch: str) -> str:
    """How to name a character in a message: itself if it shows, else U+XXXX."""
    return f"“{ch}”" if has_visible_text(ch) else f"U+{ord(ch):04X}"
