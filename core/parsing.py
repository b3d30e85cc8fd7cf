import re


def ascii_number(raw: str, *, digits: int = 9) -> int | None:
    """The int in `raw` if it is plain ASCII digits. str.isdigit() says yes to "²" and "٣",
    which int() then refuses or reads in ways no user meant."""
    return int(raw) if re.fullmatch(rf"[0-9]{{1,{digits}}}", raw) else None
