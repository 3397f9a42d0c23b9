"""Production settings for the benchmarks, with the collected static files in a temporary folder.

`STATIC_ROOT` is fixed in `atmp.settings.base`; the benchmarks collect into their own folder (and put the
static copies of the measured pages there) instead of the work tree's `staticfiles/`. Nothing else differs.
"""

import os

from atmp.settings.production import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
