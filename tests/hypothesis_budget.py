"""How many examples each class of property test draws, and the hypothesis profiles (loaded in tests/conftest.py).

Profiles (``HYPOTHESIS_PROFILE``, default ``ci`` when ``CI`` is set, else ``dev``):

* ``ci`` — ``derandomize=True``: the same examples on every run, so a CI failure reproduces; no deadline (a
  shared 2-core machine); no example database.
* ``dev`` — random examples (new ones each run, the failures found are kept in ``.hypothesis/``); no deadline.

The examples that found a past failure are pinned with ``@example`` (or an explicit payload) next to each test,
so lowering a budget never loses what the earlier runs found.
"""

from __future__ import annotations

import os

from hypothesis import settings

# Each form of every page (tests/security/test_fuzz_forms.py): the drawn payloads (15 before), on top of the pinned
# ones that found the past failures (every field "-sNaN", every field with a NUL).
FORM_FUZZ_EXAMPLES = 8
# Each spreadsheet import (tests/security/test_fuzz_importers.py).
IMPORT_FUZZ_EXAMPLES = 15

settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
settings.register_profile("dev", deadline=None)


def load_profile() -> None:
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
