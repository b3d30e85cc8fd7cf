"""TEST_CLOCK (tests/clock.py): the session's wall clock, and its subprocesses' with it."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from tests.clock import OFFSET, destination
from tests.worker import ROOT

NIGHT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


def test_a_time_of_day_is_today_in_utc():
    assert destination("23:30", now=NIGHT) == datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert destination("7:05", now=NIGHT + timedelta(hours=23)) == datetime(2026, 11, 30, 7, 5, tzinfo=UTC)


def test_a_full_time_keeps_its_offset_and_must_have_one():
    assert destination("2027-01-01T06:30:00+07:00", now=NIGHT) == datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="give the offset too"):
        destination("2027-01-01T06:30:00", now=NIGHT)


def test_a_subprocess_started_through_the_clock_reads_the_sessions_time():
    # `python -m calendar` prints the current year's calendar, its year first (the local year:
    # Django sets TZ to Vietnam's, for this process and its subprocesses).
    a_year_on = 366 * 24 * 3600
    printed = subprocess.run(
        [sys.executable, "-m", "tests.clock", "calendar"],
        cwd=ROOT,
        env={**os.environ, OFFSET: repr(float(os.environ.get(OFFSET, 0)) + a_year_on)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout

    assert printed.split()[0] == str((datetime.now(UTC) + timedelta(seconds=a_year_on)).astimezone().year)
