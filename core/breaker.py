"""A circuit breaker per Redis server, shared by the cache and the broker of this process.

A Redis that is down answers at once (connection refused); a hung one (paused, its machine
swapping, a half-open connection) answers nothing, and every command waits its socket timeout.
Once a command has failed, the next ones skip that server for `REDIS_RETRY_AFTER` seconds: the
throttles count in memory meanwhile, queued tasks wait in the outbox for its sweep, and a
request pays the timeout at most once per pause instead of once per command.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)


class Breaker:
    def __init__(self, name: str):
        self.name = name
        self._open_until = 0.0

    def closed(self) -> bool:
        """Whether to try the server (a float read: no lock needed)."""
        return time.monotonic() >= self._open_until

    def trip(self, error: BaseException | None = None) -> None:
        if self.closed():
            logger.warning(
                "Redis at %s did not answer (%r): skipped for %s s", self.name, error, settings.REDIS_RETRY_AFTER
            )
        self._open_until = time.monotonic() + settings.REDIS_RETRY_AFTER

    def reset(self) -> None:
        self._open_until = 0.0


_breakers: dict[str, Breaker] = {}
_lock = threading.Lock()


def breaker_for(url: str) -> Breaker:
    """The breaker of the server at `url` (host and port: databases of one server share it)."""
    parts = urlsplit(url)
    name = f"{parts.hostname}:{parts.port or 6379}"
    with _lock:
        return _breakers.setdefault(name, Breaker(name))


def breakers_reset() -> None:
    """Every server tried again at once (tests; a process that knows the servers are back)."""
    for breaker in list(_breakers.values()):
        breaker.reset()
