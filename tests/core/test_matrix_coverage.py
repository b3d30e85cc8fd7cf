from django.urls import URLPattern, URLResolver, get_resolver

from tests.matrix import matrix_rows

IGNORED_METHODS = {"head", "options", "trace"}


def api_routes() -> set[tuple[str, str]]:
    """(route name, METHOD) for every URL under /api/ and every method its view answers."""
    found = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/"):
                view = pattern.callback
                actions = getattr(view, "actions", None)
                view_class = view.cls if actions else view.view_class
                if actions:  # a viewset: the router maps methods to actions
                    methods = set(actions) & set(view_class.http_method_names)
                else:
                    methods = {m for m in view_class.http_method_names if hasattr(view_class, m)}
                for method in methods - IGNORED_METHODS:
                    found.add((pattern.name, method.upper()))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_api_url_and_method_has_a_row_in_a_permission_matrix():
    covered = {(row.route_name, row.method) for row in matrix_rows()}

    missing = sorted(api_routes() - covered)

    assert missing == []


def test_the_matrix_names_only_routes_that_exist():
    unknown = sorted({(row.route_name, row.method) for row in matrix_rows()} - api_routes())

    assert unknown == []
