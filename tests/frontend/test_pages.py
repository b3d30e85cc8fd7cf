"""The frontend's shells as the server sends them; what they do in a browser is tests/e2e.

Every page of frontend/urls.py is checked (a new page joins by being routed): a strict CSP,
the CSRF cookie, one module and no inline script, style or handler, a label for every input.
"""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from core.pages import CONTENT_SECURITY_POLICY
from frontend import urls as frontend_urls

STATIC = Path(frontend_urls.__file__).resolve().parent / "static" / "frontend"
PAGES = [
    reverse(pattern.name, kwargs={name: 7 for name in pattern.pattern.converters})
    for pattern in frontend_urls.urlpatterns
]


def test_every_routed_page_is_checked():
    assert len(PAGES) == 19
    assert {"/", "/my/entries/", "/judge/assignments/7/", "/library/", "/organize/rounds/7/"} <= set(PAGES)


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_a_shell_with_a_strict_csp_a_csrf_cookie_and_no_inline_script(db, path):
    response = Client().get(path)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "csrftoken" in response.cookies
    html = response.content.decode()
    assert re.findall(r"<script[^>]*>", html) == [
        f'<script type="module" src="/static/frontend/pages/{response.context["page"]}.js">'
    ]
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
    assert "style=" not in html


@pytest.mark.parametrize("path", PAGES)
def test_every_input_of_every_page_has_a_label(db, path):
    html = Client().get(path).content.decode()

    inputs = set(re.findall(r'<(?:input|select|textarea)\b[^>]*\sid="([^"]+)"', html))
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    wrapped = set(re.findall(r"<label\b[^>]*>\s*<input\b[^>]*\sid=\"([^\"]+)\"", html))
    assert inputs <= labelled | wrapped


@pytest.mark.parametrize(
    ("path", "attribute", "stylesheet"),
    [
        ("/contests/7/", 'data-contest-id="7"', None),
        ("/judge/assignments/7/", 'data-assignment-id="7"', "judge.css"),
        ("/organize/contests/7/", 'data-contest-id="7"', "organize.css"),
        ("/organize/rounds/7/", 'data-round-id="7"', "organize.css"),
        ("/organize/contests/7/screening/", 'data-contest-id="7"', "organize.css"),
        ("/my/entries/", 'data-page="student_entries"', "student.css"),
        ("/library/", 'data-page="library"', "library.css"),
        ("/votes/7/", 'data-vote-id="7"', "voting.css"),
        ("/organize/votes/7/", 'data-vote-id="7"', "organize.css"),
    ],
)
def test_the_urls_ids_reach_the_module_and_each_area_links_its_stylesheet(db, path, attribute, stylesheet):
    html = Client().get(path).content.decode()

    assert attribute in html
    if stylesheet:
        assert f'<link rel="stylesheet" href="/static/frontend/{stylesheet}">' in html


def test_no_module_writes_html_from_strings():
    # Data reaches the page through textContent and attributes only (templates are cloned).
    modules = sorted(STATIC.rglob("*.js"))
    assert len(modules) > 20
    for module in modules:
        code = module.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", ".style."):
            assert sink not in code, f"{module.name} uses {sink}"


def test_the_root_is_the_frontend_home_and_the_api_docs_stay_without_the_csp(db):
    client = Client()

    home = client.get("/")
    docs = client.get("/api/docs/")

    assert home.status_code == 200
    assert 'data-page="home"' in home.content.decode()
    assert docs.status_code == 200
    assert "Content-Security-Policy" not in docs  # Swagger UI starts from an inline script


def test_the_qr_codes_verify_page_is_still_the_plain_server_page(db):
    response = Client().get("/verify/ABCD-EFGH-JKMN/")

    assert response.status_code == 404
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "<script" not in response.content.decode()


def test_pages_answer_only_reads(db):
    assert Client().post("/").status_code == 405
