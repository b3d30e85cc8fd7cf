"""The platform's settings with one more URL for bench/vote_bench.py's baseline."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.vote_urls"
