"""Background work for the API: one worker thread, jobs tracked in the durable jobs table.

Model work is CPU-bound and the models are shared, so jobs run one at a time;
the job row (queued → running → done/failed) is the source of truth for
clients polling `/jobs/{id}`. Jobs left queued or running by a previous process
are marked failed at start-up so nobody waits on them forever; they can be retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import select

from copilot.services import Services
from copilot.storage.models import JobRow

log = logging.getLogger("copilot.api.jobs")


class JobRunner:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copilot-job")
        self.futures: dict[str, Future[None]] = {}

    def submit(self, job_id: str, work: Callable[[], None]) -> None:
        def run() -> None:
            try:
                work()
                log.info("job done", extra={"event": "job.done", "job_id": job_id})
            except Exception as exc:  # the job row already holds the reason
                log.warning(
                    "job failed", extra={"event": "job.failed", "job_id": job_id, "error_type": type(exc).__name__}
                )

        self.futures[job_id] = self._pool.submit(run)

    def fail_orphans(self) -> int:
        """Mark jobs a dead process left behind as failed (retryable)."""
        with self.services.db.session() as sess:
            rows = list(sess.scalars(select(JobRow).where(JobRow.state.in_(("queued", "running")))))
            for row in rows:
                row.state, row.error = "failed", "interrupted by a restart; retry it"
                row.updated_at = self.services.clock.now()
            return len(rows)

    def shutdown(self, *, wait: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)
