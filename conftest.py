"""Top-level pytest configuration.

Tests marked `worker` need a real Celery worker on Redis. Without REDIS_URL they are
deselected, and the summary says so: they are never counted as passed or skipped.
Tests marked `fault` stop, pause and restart a Redis of their own (a redis-server on a free
port) under a real worker, on PostgreSQL; without DATABASE_URL on PostgreSQL or without the
redis-server program they are deselected, and the summary says so too.
"""

import os
import shutil

_deselected = {"worker": [], "fault": []}


def _fault_tests_can_run() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres") and shutil.which("redis-server") is not None


def pytest_collection_modifyitems(config, items):
    runnable = {"worker": bool(os.environ.get("REDIS_URL")), "fault": _fault_tests_can_run()}
    kept = []
    for item in items:
        marker = next((name for name in _deselected if item.get_closest_marker(name)), None)
        if marker is not None and not runnable[marker]:
            _deselected[marker].append(item)
        else:
            kept.append(item)
    deselected = _deselected["worker"] + _deselected["fault"]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def pytest_terminal_summary(terminalreporter):
    from tests.figures import FIGURES

    if FIGURES:
        terminalreporter.section("figures measured by the fault and worker tests")
        for title, values in FIGURES:
            terminalreporter.write_line(f"{title}:")
            for name, value in values.items():
                terminalreporter.write_line(f"    {name.replace('_', ' ')}: {value}")
    if _deselected["worker"]:
        terminalreporter.write_line(
            f"{len(_deselected['worker'])} tests need a real Celery worker on Redis and were not run: "
            "set REDIS_URL (and DATABASE_URL on PostgreSQL) to run them."
        )
    if _deselected["fault"]:
        terminalreporter.write_line(
            f"{len(_deselected['fault'])} fault tests (Redis stopped, paused, restarted under a real worker) "
            "were not run: they need DATABASE_URL on PostgreSQL and the redis-server program."
        )
