"""The student page's live word count (student.js) mirrors the server's (submissions.content)."""

import re
import sys
import unicodedata


def test_the_servers_word_letters_are_exactly_unicodes_letters_and_numbers_as_the_js_mirror_assumes():
    # student.js counts words with [\p{L}\p{N}]; submissions.content with Python's [^\W_].
    letter = re.compile(r"[^\W_]")

    differ = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if bool(letter.match(chr(code))) != (unicodedata.category(chr(code))[0] in "LN")
    ]

    assert differ == []
