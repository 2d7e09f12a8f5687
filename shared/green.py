"""Prepare a process to run nameko services. Import and call this first.

eventlet must patch the standard library before anything else imports it, and
psycopg's C wait function blocks eventlet's hub while its select-based one does
not (TECH-NOTES: 3 concurrent ``pg_sleep(1)`` took 3 s, with ``wait_select`` 1 s).
"""

import os
import warnings


def green() -> None:
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
    # known and recorded in docs/dependencies.md; said once there, not on every run
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
