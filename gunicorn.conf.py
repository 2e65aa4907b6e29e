"""gunicorn's settings wherever Weft is served (the image, docker-compose, the
load benchmark); gunicorn reads this file from the working directory.

Sync workers, one per core plus one (``WEFT_WEB_WORKERS`` overrides): the
request path is CPU-bound and, on a machine that also runs PostgreSQL, more
workers only queue for the same cores — on 2 cores, 5 workers answered the
tenant list at 100 requests/s with a p99 of 153 ms, 3 workers with 62 ms
(docs/performance.md)."""

import os

bind = os.environ.get("WEFT_WEB_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEFT_WEB_WORKERS", (os.cpu_count() or 1) + 1))
worker_class = "sync"
