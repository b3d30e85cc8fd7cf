"""Top-level pytest configuration: which tests this run can run, in what order, on what clock.

A test that needs what this run lacks is deselected, never skipped, and the summary says how many,
why, and where they do run. `selection_rules` holds one rule per reason: to add one (a marker for
tests that need some service), add a `Rule` there and the marker in pyproject.toml.

TEST_SCOPE=smoke is the second pass of CI (.ci/run): on top of a full pass on PostgreSQL, it
runs what the embedded default (SQLite, tasks in-process) could break and leaves out what the full
pass already covers, and says so.

TEST_CLOCK=23:30 runs the whole session at that time of day (tests/clock.py).

Under pytest-xdist, each worker gets its own test database (pytest-django adds _gw0, _gw1...)
and its own Redis database: the index in REDIS_URL plus the worker's number, because tests
marked `worker` purge and consume the queue and every test empties the cache.
"""

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from tests import clock
from tests.e2e import CHROMIUM


@dataclass
class Rule:
    leaves_out: Callable[[pytest.Item], bool]
    why: str  # follows the count in the summary
    items: list = field(default_factory=list)


def _postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def selection_rules() -> list[Rule]:
    redis, postgres = bool(os.environ.get("REDIS_URL")), _postgres()
    scope = os.environ.get("TEST_SCOPE", "full")
    if scope not in ("full", "smoke"):
        raise pytest.UsageError(f"TEST_SCOPE={scope!r}: full (the default) or smoke")
    smoke = scope == "smoke"
    if smoke and (gone := [path for path in SMOKE_MODULES if not (settings.BASE_DIR / path).exists()]):
        raise pytest.UsageError(f"SMOKE_MODULES names modules that are gone: {gone}")

    def marked(name: str) -> Callable[[pytest.Item], bool]:
        return lambda item: item.get_closest_marker(name) is not None

    from tests.matrix import fuzz_case_refused

    rules = [
        Rule(
            fuzz_case_refused,
            "schema-fuzz cases not run: the permission matrix shows their role refused on the operation (401, "
            "403, or 404: not shown the object), and tests/*/test_permissions.py checks that refusal",
        )
    ]
    if not (redis and postgres):
        rules.append(
            Rule(
                marked("worker"),
                "tests marked `worker` not run: they need a real Celery worker on Redis; set REDIS_URL and "
                "DATABASE_URL (PostgreSQL)",
            )
        )
    if not postgres:
        rules.append(
            Rule(
                marked("postgres"),
                "tests marked `postgres` not run: threads racing on row locks (SQLite locks the whole file and "
                "ignores SELECT ... FOR UPDATE); set DATABASE_URL (PostgreSQL)",
            )
        )
    if not (postgres and shutil.which("redis-server")):
        rules.append(
            Rule(
                marked("fault"),
                "tests marked `fault` not run (Redis stopped, paused, restarted under a real worker): they start "
                "their own redis-server and need PostgreSQL; set DATABASE_URL (PostgreSQL) and install redis-server",
            )
        )
    if smoke:
        rules.append(
            Rule(
                lambda item: not (marked("smoke")(item) or item.nodeid.split("::")[0] in SMOKE_MODULES),
                "tests left to the full pass: TEST_SCOPE=smoke runs what works differently on the embedded "
                "default (conftest.py, SMOKE_MODULES), CI's PostgreSQL pass runs them all",
            )
        )
    return rules


# TEST_SCOPE=smoke (CI's second pass, after a full one on PostgreSQL with a broker): the modules
# whose code runs differently on the embedded default, SQLite with tasks in-process, and why.
# The rest is the same code through the same ORM; the full pass runs it, the fuzz included.
SMOKE_MODULES = {
    "tests/judging/test_closing.py": "closing's ranking SQL has a SQLite branch (its own temporary tables)",
    "tests/judging/test_fairness.py": "the per-judge normalizations run in that SQL",
    "tests/judging/test_assign.py": "assignments are written by COPY on PostgreSQL, by bulk INSERT on SQLite",
    "tests/results/test_figures.py": "SQLite's ROUND is replaced by the platform's own rounding (core/figures.py)",
    "tests/submissions/test_submit.py": "SQLite has no row locks: the quota and deadline rules on its locking",
    "tests/core/test_outbox.py": "without a broker the outbox runs tasks in-process at commit",
    "tests/certificates/test_certificates.py": "certificates rendered in-process at commit",
    "tests/demo/test_seed_demo.py": "`make run`'s demo: seeded on SQLite, run twice",
    "tests/demo/test_readme.py": "the README's API examples against `make run`'s platform",
    "tests/judging/test_demo_flow.py": "the demo contest judged as the README says, tasks in-process",
    "tests/results/test_demo_flow.py": "the demo contest published as the README says, tasks in-process",
    "tests/voting/test_ballots.py": "a new ballot: a raw INSERT ... ON CONFLICT DO NOTHING RETURNING",
}

_rules: list[Rule] = []
_left_out: dict[str, int] = {}  # why -> how many; under xdist, as the workers report it


def pytest_configure(config):
    here = clock.travel()
    if here is not None:
        config.stash[_clock_key] = here
    _redis_database_per_xdist_worker()


_clock_key = pytest.StashKey()


def pytest_report_header(config):
    if _clock_key in config.stash:
        started = config.stash[_clock_key]
        return f"clock: the session travelled to {started:%Y-%m-%d %H:%M %Z} (TEST_CLOCK, tests/clock.py)"
    return None


def _redis_database_per_xdist_worker() -> None:
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("REDIS_URL")
    if not (worker and url):
        return
    parts = urlsplit(url)
    index = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    url = urlunsplit(parts._replace(path=f"/{index}"))
    os.environ["REDIS_URL"] = url  # for the Celery workers the tests start
    settings.REDIS_URL = settings.CELERY_BROKER_URL = url
    settings.CACHES["default"]["LOCATION"] = url
    from config.celery import app

    app.conf.broker_url = url


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    _rules[:] = selection_rules()
    kept = []
    for item in items:
        rule = next((rule for rule in _rules if rule.leaves_out(item)), None)
        (rule.items if rule else kept).append(item)
    left_out = [item for rule in _rules for item in rule.items]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
    _left_out.update({rule.why: len(rule.items) for rule in _rules if rule.items})
    # Last of all (after pytest-django's order): the tests of an xdist group (the seeded demo)
    # first, together, so that the demo is seeded once; the browser tests after everything else
    # (tests/e2e/conftest.py says why).
    kept.sort(key=lambda item: (item.get_closest_marker("e2e") is not None, not item.get_closest_marker("xdist_group")))
    items[:] = kept
    _browser_check([item for item in kept if item.get_closest_marker("e2e")])


def _browser_check(browser_tests: list) -> None:
    if browser_tests and not shutil.which(CHROMIUM):
        raise pytest.UsageError(
            f"{len(browser_tests)} browser tests need Chromium at {CHROMIUM}: `apt-get install chromium` "
            "(as .ci/run does), or CHROMIUM=/path/to/chromium; to run the others only: "
            "make test PYTEST_ARGS=\"-m 'not e2e'\""
        )


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # an xdist worker: the controller prints the summary
        from tests.figures import FIGURES

        session.config.workeroutput["left_out"] = _left_out
        session.config.workeroutput["figures"] = FIGURES


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from tests.figures import FIGURES

    output = getattr(node, "workeroutput", {})
    # Every worker collects the same tests and leaves out the same ones.
    _left_out.update(output.get("left_out", {}))
    FIGURES.extend((title, values) for title, values in output.get("figures", []))


def pytest_terminal_summary(terminalreporter):
    from tests.figures import FIGURES

    if FIGURES:
        terminalreporter.section("figures measured by the fault and worker tests")
        for title, values in FIGURES:
            terminalreporter.write_line(f"{title}:")
            for name, value in values.items():
                terminalreporter.write_line(f"    {name.replace('_', ' ')}: {value}")
    for why, count in _left_out.items():
        terminalreporter.write_line(f"{count} {why}.")
