"""gunicorn's settings, for the image and for a machine without it:
`gunicorn -c config/gunicorn.py config.wsgi`.

Threaded workers: a worker's main thread keeps telling the arbiter it is alive while its threads
serve, so `timeout` bounds a hung worker, not a request. A ZIP of a national contest's
certificates or a results CSV streams for as long as it takes; with the default sync workers,
the arbiter would kill the worker, and cut the download, `timeout` seconds into it.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60
graceful_timeout = 30
accesslog = "-"
