"""The wall clock a test session runs at.

`TEST_CLOCK=23:30` (today, in UTC) or `TEST_CLOCK=2026-11-29T23:30:00+00:00` sends the whole
session there, the clock ticking on from that instant:

- the test process, its live-server threads included (time-machine patches the process's clock);
- the xdist workers and every Python subprocess that starts through `python -m tests.clock`
  (the Celery workers of tests/worker.py): they inherit the session's offset from the real clock
  (TEST_CLOCK_OFFSET) and travel by it, so that all of them read the same time;
- the browser's pages: tests/e2e/conftest.py installs each context's clock at the session's now.

Not moved: PostgreSQL's and Redis's own clocks (the code never asks them the time: every
timestamp is written from Python), `time.monotonic()` (timeouts stay real), and the browser's
cookie jar, which expires cookies by the real clock: keep TEST_CLOCK within a few days of today.
"""

import os
import re
import runpy
import sys
from datetime import UTC, datetime, time

import time_machine

SETTING = "TEST_CLOCK"
OFFSET = "TEST_CLOCK_OFFSET"  # seconds from the real clock, exported to subprocesses


def destination(value: str, *, now: datetime) -> datetime:
    """`HH:MM` is that time today (UTC); anything else is an ISO 8601 time with its offset."""
    if re.fullmatch(r"\d{1,2}:\d{2}", value):
        hour, minute = (int(part) for part in value.split(":"))
        return datetime.combine(now.astimezone(UTC).date(), time(hour, minute), tzinfo=UTC)
    when = datetime.fromisoformat(value)
    if when.tzinfo is None:
        raise ValueError(f"{SETTING}={value!r}: give the offset too (2026-11-29T23:30:00+00:00), or HH:MM for UTC")
    return when


def travel() -> datetime | None:
    """Starts this process's travel, if the session travels; returns where the clock now is."""
    now = datetime.now(UTC)
    if os.environ.get(OFFSET):
        offset = float(os.environ[OFFSET])
    elif os.environ.get(SETTING):
        offset = (destination(os.environ[SETTING], now=now) - now).total_seconds()
        os.environ[OFFSET] = repr(offset)
    else:
        return None
    traveller = time_machine.travel(now.timestamp() + offset, tick=True)
    traveller.start()  # for the life of the process
    return datetime.now(UTC)


if __name__ == "__main__":
    # python -m tests.clock MODULE ARGS...: runs `python -m MODULE ARGS...` on the session's clock.
    travel()
    sys.argv = sys.argv[1:]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
