"""The student's shells (register, my entries, my certificates) as the server sends them."""

import re
import sys
import unicodedata

import pytest
from django.test import Client

from frontend.views import CONTENT_SECURITY_POLICY

PAGES = ["/register/", "/my/entries/", "/my/certificates/"]


@pytest.mark.parametrize("path", PAGES)
def test_each_student_page_is_a_shell_with_a_strict_csp_a_csrf_cookie_and_no_inline_script(db, path):
    response = Client().get(path)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "csrftoken" in response.cookies
    html = response.content.decode()
    assert re.findall(r"<script[^>]*>", html) == [
        f'<script type="module" src="/static/frontend/pages/{response.context["page"]}.js">'
    ]
    assert '<link rel="stylesheet" href="/static/frontend/student.css">' in html
    assert not re.search(r"\son[a-z]+=", html)
    assert "style=" not in html


@pytest.mark.parametrize("path", PAGES)
def test_every_input_of_the_student_pages_has_a_label(db, path):
    html = Client().get(path).content.decode()

    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html))
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids <= labelled


def test_the_servers_word_letters_are_exactly_unicodes_letters_and_numbers_as_the_js_mirror_assumes():
    # student.js counts words with [\p{L}\p{N}]; submissions.content with Python's [^\W_].
    letter = re.compile(r"[^\W_]")

    differ = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if bool(letter.match(chr(code))) != (unicodedata.category(chr(code))[0] in "LN")
    ]

    assert differ == []
