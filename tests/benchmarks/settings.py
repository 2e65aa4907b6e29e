"""Settings of `make bench-scale` and `make bench-load`: the production settings,
plus a bare JSON view at /bench/bare/ on every host (the load run's baseline)
and, while WEFT_SCALE_MIGRATIONS names a migrations package, a throwaway
tenant app whose migrations the scale run writes into a temporary folder (so
they never reach the real migration graph)."""

from core.settings import *
from core.settings import INSTALLED_APPS, TENANT_APPS, env

PUBLIC_SCHEMA_URLCONF = "tests.benchmarks.urls_public"
ROOT_URLCONF = "tests.benchmarks.urls_tenant"
# migrate_schemas --executor multiprocessing: one process per core.
TENANT_MULTIPROCESSING_MAX_PROCESSES = env.int("WEFT_MIGRATE_PROCESSES", default=2)

SCALE_MIGRATIONS = env("WEFT_SCALE_MIGRATIONS", default="")
if SCALE_MIGRATIONS:
    TENANT_APPS = [*TENANT_APPS, "tests.benchmarks.scale_app"]
    INSTALLED_APPS = [*INSTALLED_APPS, "tests.benchmarks.scale_app"]
    MIGRATION_MODULES = {"bench_scale": SCALE_MIGRATIONS}
    # Columns the throwaway model has beyond its first; each increase is one
    # generated one-column migration.
    SCALE_EXTRA_COLUMNS = env.int("WEFT_SCALE_EXTRA_COLUMNS", default=0)
