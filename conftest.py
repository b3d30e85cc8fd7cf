"""Top-level pytest configuration: markers that need a service are deselected, loudly, when
the service is not configured (they never count as skipped-but-passing)."""

import os


def pytest_collection_modifyitems(config, items):
    if os.environ.get("REDIS_URL"):
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("worker") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
        print(f"\n{len(dropped)} tests need a real Celery worker on Redis: set REDIS_URL to run them.")
