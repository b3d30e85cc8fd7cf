"""Checks of what an entry contains: words, video links, ISBNs, sealed codes."""

import re
import secrets
import unicodedata
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext_lazy as _

from contests.enums import VideoHost
from core.errors import DomainError
from core.text import code_point

# A word is a run of letters or digits, joined by inner apostrophes or hyphens. Vietnamese
# writes one syllable per space-separated token ("văn hóa đọc" is three words, as Vietnamese
# word counts are made), so after NFC — where "ọ" is one letter, not "o" plus a combining
# mark — this counts the way a Vietnamese teacher does. Punctuation and emoji are not words.
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def words_count(text: str) -> int:
    return len(_WORD.findall(unicodedata.normalize("NFC", text)))


VIDEO_HOSTS = {
    VideoHost.YOUTUBE: {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"},
    VideoHost.FACEBOOK: {"facebook.com", "www.facebook.com", "m.facebook.com", "fb.watch"},
    VideoHost.TIKTOK: {"tiktok.com", "www.tiktok.com", "vm.tiktok.com", "vt.tiktok.com"},
    VideoHost.GOOGLE_DRIVE: {"drive.google.com"},
}


class VideoUrlInvalid(DomainError):
    default_message = _("The video link must be an https:// link to an allowed site.")


def video_url_check(url: str, *, allowed_hosts: list[str]) -> str:
    url = url.strip()
    # Controls (CR/LF, NUL, ESC …), invisible format characters (zero-width spaces, bidi
    # overrides that show the link reversed) and white space, as typed or percent-encoded: a
    # link a judge opens must be the link it looks like.
    hidden = [ch for ch in url + unquote(url) if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")]
    if hidden:
        raise VideoUrlInvalid(
            _("The video link holds a control, invisible or space character ({char}); copy the link again.").format(
                char=code_point(hidden[0])
            ),
            field="video_url",
        )
    try:
        parts = urlsplit(url)
        host, port = (parts.hostname or "").lower(), parts.port  # .port raises on "99999"
    except ValueError:
        raise VideoUrlInvalid(field="video_url") from None
    if parts.scheme != "https" or parts.username or parts.password or port not in (None, 443):
        raise VideoUrlInvalid(_("The video link must start with https://."), field="video_url")
    allowed = set().union(*(VIDEO_HOSTS[VideoHost(h)] for h in allowed_hosts)) if allowed_hosts else set()
    if host not in allowed:
        names = ", ".join(VideoHost(h).label for h in allowed_hosts)
        raise VideoUrlInvalid(_("Video links must point to: {hosts}.").format(hosts=names), field="video_url")
    return url


class IsbnInvalid(DomainError):
    default_message = _("This is not a valid ISBN-10 or ISBN-13.")


def isbn_clean(value: str) -> str:
    isbn = re.sub(r"[\s\-]", "", value).upper()
    if not isbn:
        return ""
    if len(isbn) == 10 and re.fullmatch(r"[0-9]{9}[0-9X]", isbn):
        total = sum((10 - i) * (10 if ch == "X" else int(ch)) for i, ch in enumerate(isbn))
        if total % 11 == 0:
            return isbn
    elif len(isbn) == 13 and re.fullmatch(r"[0-9]{13}", isbn):
        total = sum(int(ch) * (1 if i % 2 == 0 else 3) for i, ch in enumerate(isbn))
        if total % 10 == 0:
            return isbn
    raise IsbnInvalid(field="book_isbn")


# No 0/O, 1/I/L: a code read aloud or copied by hand stays unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def entry_code_new(prefix: str) -> str:
    """PREFIX-7K3F9Q: six of 31 letters (31^6 ≈ 887 million codes per contest), drawn by a CSPRNG, so a code
    can neither be guessed nor say anything about the entrant."""
    return f"{prefix}-{''.join(secrets.choice(CODE_ALPHABET) for _ in range(6))}"
