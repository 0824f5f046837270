"""What a Celery worker's main process holds before it forks its pool, for ``apps.reports.bench``.

The bench's report figures run their pool in processes forked from a fresh process that has imported this
module (a ``forkserver``), not from the bench command itself: a forked child starts with its parent's memory,
and the command has by then built 长春-scale figures of every other app. The production worker
(``celery -A deputies_platform worker --concurrency 2``) forks its pool from a main process that has only set
Django up and imported the tasks' code, which is what this module does.
"""

import django

django.setup()

from apps.reports import bench, generation  # noqa: E402,F401  (the tasks' code, imported once before forking)
