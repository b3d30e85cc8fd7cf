"""The library staff's shell as the server sends it (its own file: test_pages.py is shared)."""

import re

from django.test import Client

from tests.frontend import test_pages


def test_the_library_page_is_a_shell_with_a_strict_csp_and_no_inline_script(db):
    test_pages.test_each_page_is_a_shell_with_a_strict_csp_a_csrf_cookie_and_no_inline_script(db, "/library/")


def test_the_library_page_links_its_own_stylesheet_and_labels_every_input(db):
    html = Client().get("/library/").content.decode()

    assert '<link rel="stylesheet" href="/static/frontend/library.css">' in html
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html))
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids and ids <= labelled
