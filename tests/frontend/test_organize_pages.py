"""The organizers' shells as the server sends them (the browser's part is tests/e2e/test_organize.py)."""

import re

import pytest
from django.test import Client

from frontend.views import CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    ("path", "page", "data"),
    [
        ("/organize/", "organize", ""),
        ("/organize/contests/7/", "organize_contest", 'data-contest-id="7"'),
        ("/organize/rounds/9/", "organize_round", 'data-round-id="9"'),
    ],
)
def test_organizer_pages_are_shells_with_their_module_styles_and_a_strict_csp(db, path, page, data):
    response = Client().get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert re.findall(r"<script[^>]*>", html) == [f'<script type="module" src="/static/frontend/pages/{page}.js">']
    assert '<link rel="stylesheet" href="/static/frontend/organize.css">' in html
    assert data in html
    assert not re.search(r"\son[a-z]+=", html)
    assert "style=" not in html


@pytest.mark.parametrize("page", ["organize", "organize_contest", "organize_round"])
def test_every_input_of_the_organizer_pages_has_a_label(db, page):
    path = {
        "organize": "/organize/",
        "organize_contest": "/organize/contests/1/",
        "organize_round": "/organize/rounds/1/",
    }
    html = Client().get(path[page]).content.decode()

    inputs = re.findall(r"<(?:input|textarea|select)\b[^>]*\bid=\"([^\"]+)\"", html)
    labelled = set(re.findall(r"<label for=\"([^\"]+)\"", html))
    wrapped = set(re.findall(r"<label class=\"check\"><input[^>]*\bid=\"([^\"]+)\"", html))

    assert set(inputs) <= labelled | wrapped
