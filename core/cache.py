"""The shared cache: Redis, or this process's memory while Redis is down or hung.

Only the throttles use the cache. When Redis does not answer within its socket timeout, a
throttle must not turn a sign-in into a 500 (nor wait): it counts in this process's memory
until Redis answers again. During an outage a client may therefore get the rate once per web
process instead of once in all; a looser limit for a few minutes is the price of staying up.
"""

import logging

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from core.breaker import breaker_for

logger = logging.getLogger(__name__)

# Every operation of Django's cache API that reaches the server.
_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._breaker = breaker_for(self._servers[0])
        self._local = LocMemCache(f"fallback:{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})


def _with_fallback(name: str):
    redis_operation = getattr(RedisCache, name)
    local_operation = getattr(LocMemCache, name)

    def operation(self, *args, **kwargs):
        if self._breaker.closed():
            try:
                return redis_operation(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                self._breaker.trip(error)
        return local_operation(self._local, *args, **kwargs)

    operation.__name__ = name
    operation.__doc__ = redis_operation.__doc__
    return operation


for _name in _OPERATIONS:
    setattr(FallbackRedisCache, _name, _with_fallback(_name))
