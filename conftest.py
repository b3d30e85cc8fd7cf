"""Top-level pytest configuration.

Tests marked `worker` need a real Celery worker on Redis. Without REDIS_URL they are
deselected, and the summary says so: they are never counted as passed or skipped.
"""

import os

_deselected_for_redis = []


def pytest_collection_modifyitems(config, items):
    if os.environ.get("REDIS_URL"):
        return
    kept = []
    for item in items:
        (_deselected_for_redis if item.get_closest_marker("worker") else kept).append(item)
    if _deselected_for_redis:
        config.hook.pytest_deselected(items=_deselected_for_redis)
        items[:] = kept


def pytest_terminal_summary(terminalreporter):
    if _deselected_for_redis:
        terminalreporter.write_line(
            f"{len(_deselected_for_redis)} tests need a real Celery worker on Redis and were not run: "
            "set REDIS_URL (and DATABASE_URL on PostgreSQL) to run them."
        )
