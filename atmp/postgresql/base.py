"""Django's PostgreSQL backend, with a health check that needs no round trip.

Persistent connections (CONN_MAX_AGE) are checked before each request's first query (CONN_HEALTH_CHECKS), so a
PostgreSQL restart costs a reconnect rather than a 503. Django checks with `SELECT 1`: a round trip on every
request, a sixth of those an enrolment makes. A connection the server has closed (a restart, an idle timeout,
an administrator's terminate) says so on its socket: the server's last message and the end of the stream are
waiting there. So a connection at rest whose socket has nothing to read is usable; one with anything to read
(which an idle connection is never sent in this project: no LISTEN) is treated as closed and replaced. After an
error, Django asks again, and then the check is `SELECT 1` as before.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        raw = self.connection
        if raw is None or raw.closed or self.errors_occurred or raw.info.transaction_status != 0:  # 0: idle
            return super().is_usable()
        try:
            readable, _writable, _errors = select.select([raw.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
