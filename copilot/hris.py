"""HRIS sync: deliver the transactional outbox by HMAC-signed webhook, or export it as CSV/JSON.

Events are written to `outbox` in the same transaction as the signing they
report, so none is lost to a crash. The worker delivers at least once: it
leases a row, posts it, and marks it delivered only after a 2xx. A retry
after a lost response resends the same idempotency key, so a receiver that
deduplicates on it applies every event exactly once.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import http.client
import io
import json
import random
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from sqlalchemy import func, select, update

from copilot.domain.canonical import canonical_json, sha256_hex
from copilot.errors import ConfigError, InputError
from copilot.ports import Clock
from copilot.schema import ReviewState
from copilot.storage import Database, repo
from copilot.storage.lifecycle_models import OutboxRow
from copilot.storage.models import ActionItemRow, ReviewRow

SIGNATURE_HEADER = "X-Copilot-Signature"
TIMESTAMP_HEADER = "X-Copilot-Timestamp"


@dataclass(frozen=True)
class OutboxEvent:
    id: str
    event_type: str
    idempotency_key: str
    payload: dict[str, Any]
    created_at: dt.datetime


class DeliveryError(Exception):
    """A delivery attempt failed; `permanent` means retrying cannot help (e.g. 400 Bad Request)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class HrisSink(Protocol):
    """Where outbox events go; raises DeliveryError when an attempt fails."""

    def deliver(self, event: OutboxEvent) -> None: ...


def event_body(event: OutboxEvent) -> bytes:
    return canonical_json(
        {
            "id": event.id,
            "type": event.event_type,
            "idempotency_key": event.idempotency_key,
            "created_at": event.created_at.isoformat(),
            "data": event.payload,
        }
    )


def body_signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """`sha256=<hex HMAC of "timestamp." + body>`; the timestamp stops replays of old bodies."""
    return "sha256=" + hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()


def check_body_signature(secret: bytes, timestamp: str, body: bytes, header: str) -> bool:
    """For receivers: constant-time check of the signature header."""
    return hmac.compare_digest(body_signature(secret, timestamp, body), header)


class WebhookSink:
    """POSTs each event as canonical JSON with HMAC signature and Idempotency-Key headers."""

    _RETRYABLE_4XX = {408, 425, 429}

    def __init__(self, url: str, secret: bytes, *, timeout_s: float = 10.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"HRIS webhook URL must be http(s): {url!r}")
        if not secret:
            raise ConfigError("HRIS webhook needs a secret (COPILOT_HRIS_WEBHOOK_SECRET) to sign bodies")
        self.url, self.secret, self.timeout_s = url, secret, timeout_s

    def deliver(self, event: OutboxEvent) -> None:
        body = event_body(event)
        timestamp = str(int(time.time()))
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": event.idempotency_key,
                "X-Copilot-Event": event.event_type,
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: body_signature(self.secret, timestamp, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 409:  # the receiver already has this key: delivered
                return
            permanent = 400 <= exc.code < 500 and exc.code not in self._RETRYABLE_4XX
            raise DeliveryError(f"HTTP {exc.code}", permanent=permanent) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise DeliveryError(f"{type(exc).__name__}: {reason}") from None


@dataclass
class DeliveryStats:
    delivered: int = 0
    failed_attempts: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


class OutboxWorker:
    """Delivers due outbox rows with exponential backoff and jitter; safe to run in several processes."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        sink: HrisSink,
        *,
        max_attempts: int = 12,
        backoff_base_s: float = 2.0,
        backoff_max_s: float = 900.0,
        lease_s: float = 60.0,
        rng: random.Random | None = None,
    ) -> None:
        self.db, self.clock, self.sink = db, clock, sink
        self.max_attempts, self.backoff_base_s, self.backoff_max_s = max_attempts, backoff_base_s, backoff_max_s
        self.lease_s = lease_s
        self.rng = rng or random.Random()

    def backoff(self, attempts: int) -> float:
        """Seconds before the next attempt: doubling from the base, capped, with jitter in [50%, 100%]."""
        delay = min(self.backoff_max_s, self.backoff_base_s * 2.0 ** max(attempts - 1, 0))
        return delay * self.rng.uniform(0.5, 1.0)

    def _claim(self, now: dt.datetime, limit: int) -> list[OutboxEvent]:
        """Lease due rows; a row another worker leased first is skipped (compare-and-set on the lease)."""
        claimed: list[OutboxEvent] = []
        with self.db.session() as sess:
            rows = list(
                sess.scalars(
                    select(OutboxRow)
                    .where(
                        OutboxRow.delivered_at.is_(None),
                        OutboxRow.dead_at.is_(None),
                        OutboxRow.next_attempt_at <= now,
                        (OutboxRow.locked_until.is_(None)) | (OutboxRow.locked_until < now),
                    )
                    .order_by(OutboxRow.created_at, OutboxRow.id)
                    .limit(limit)
                )
            )
            lease = now + dt.timedelta(seconds=self.lease_s)
            for row in rows:
                result = sess.execute(
                    update(OutboxRow)
                    .where(
                        OutboxRow.id == row.id,
                        OutboxRow.delivered_at.is_(None),
                        (OutboxRow.locked_until.is_(None)) | (OutboxRow.locked_until < now),
                    )
                    .values(locked_until=lease, attempts=OutboxRow.attempts + 1)
                    .execution_options(synchronize_session=False)
                )
                if getattr(result, "rowcount", 0) == 1:
                    claimed.append(
                        OutboxEvent(
                            row.id, row.event_type, row.idempotency_key, dict(row.payload), _aware(row.created_at)
                        )
                    )
        return claimed

    def deliver_due(self, *, limit: int = 50) -> DeliveryStats:
        """One pass: lease what is due, post each, record the outcome."""
        stats = DeliveryStats()
        for event in self._claim(self.clock.now(), limit):
            try:
                self.sink.deliver(event)
            except DeliveryError as exc:
                self._failed(event, exc, stats)
            else:
                self._delivered(event)
                stats.delivered += 1
        return stats

    def _delivered(self, event: OutboxEvent) -> None:
        with self.db.session() as sess:
            row = sess.get(OutboxRow, event.id)
            assert row is not None
            row.delivered_at, row.locked_until, row.last_error = self.clock.now(), None, None
            repo.append_audit(
                sess,
                actor_id=None,
                action="hris.deliver",
                object_type="outbox",
                object_id=row.id,
                after_hash=sha256_hex(event_body(event)),
                details={"event_type": row.event_type, "aggregate_id": row.aggregate_id, "attempts": row.attempts},
            )

    def _failed(self, event: OutboxEvent, exc: DeliveryError, stats: DeliveryStats) -> None:
        stats.failed_attempts += 1
        stats.errors.append(str(exc))
        with self.db.session() as sess:
            row = sess.get(OutboxRow, event.id)
            assert row is not None
            now = self.clock.now()
            row.last_error, row.locked_until = str(exc)[:500], None
            if exc.permanent or row.attempts >= self.max_attempts:
                row.dead_at = now
                stats.dead += 1
                repo.append_audit(
                    sess,
                    actor_id=None,
                    action="hris.dead",
                    object_type="outbox",
                    object_id=row.id,
                    details={"event_type": row.event_type, "attempts": row.attempts, "error": row.last_error},
                )
            else:
                row.next_attempt_at = now + dt.timedelta(seconds=self.backoff(row.attempts))

    def pending(self) -> tuple[int, dt.datetime | None]:
        """How many rows still wait for delivery, and when the next one is due."""
        with self.db.session() as sess:
            count, due = sess.execute(
                select(func.count(), func.min(OutboxRow.next_attempt_at)).where(
                    OutboxRow.delivered_at.is_(None), OutboxRow.dead_at.is_(None)
                )
            ).one()
            return int(count), _aware(due) if due else None

    def run(self, *, max_seconds: float, sleep: Any = time.sleep) -> DeliveryStats:
        """Deliver until nothing is pending or `max_seconds` pass, sleeping until the next row is due."""
        total = DeliveryStats()
        deadline = time.monotonic() + max_seconds
        while True:
            stats = self.deliver_due()
            total.delivered += stats.delivered
            total.failed_attempts += stats.failed_attempts
            total.dead += stats.dead
            total.errors.extend(stats.errors)
            count, due = self.pending()
            remaining = deadline - time.monotonic()
            if count == 0 or remaining <= 0:
                return total
            if stats.delivered or stats.failed_attempts:
                continue
            wait = (due - self.clock.now()).total_seconds() if due else 0.05
            sleep(min(max(wait, 0.01), remaining, 5.0))

    def status(self) -> dict[str, int]:
        return outbox_status(self.db)


def outbox_status(db: Database) -> dict[str, int]:
    """Counts of delivered, pending and dead-lettered outbox events."""
    with db.session() as sess:
        rows = sess.execute(select(OutboxRow.delivered_at, OutboxRow.dead_at)).all()
    return {
        "delivered": sum(1 for d, _ in rows if d is not None),
        "dead": sum(1 for d, x in rows if d is None and x is not None),
        "pending": sum(1 for d, x in rows if d is None and x is None),
    }


def export_records(db: Database, fmt: Literal["csv", "json"]) -> str:
    """The second path to the HRIS: every signed review and its action items, for a manual import."""
    with db.session() as sess:
        reviews = list(
            sess.scalars(
                select(ReviewRow).where(ReviewRow.state == ReviewState.signed.value).order_by(ReviewRow.meeting_date)
            )
        )
        records: list[dict[str, Any]] = []
        for review in reviews:
            version = repo.get_version(sess, review_id=review.id, version=review.current_version)
            records.append(
                {
                    "record_type": "review",
                    "review_id": review.id,
                    "employee_id": review.employee_id,
                    "manager_id": review.manager_id,
                    "meeting_date": review.meeting_date.isoformat(),
                    "version": review.current_version,
                    "content_sha256": version.content_sha256,
                    "amends_review_id": review.amends_review_id,
                }
            )
            for item in sess.scalars(select(ActionItemRow).where(ActionItemRow.review_id == review.id)):
                records.append(
                    {
                        "record_type": "action_item",
                        "review_id": review.id,
                        "action_item_id": item.id,
                        "owner": item.owner,
                        "owner_user_id": item.owner_user_id,
                        "task": item.task,
                        "due": item.due.isoformat() if item.due else None,
                        "status": item.status,
                    }
                )
        repo.append_audit(
            sess,
            actor_id=None,
            action="hris.export",
            object_type="hris",
            object_id=None,
            details={"format": fmt, "records": len(records)},
        )
    if fmt == "json":
        return json.dumps({"records": records}, ensure_ascii=False, indent=2) + "\n"
    if fmt != "csv":
        raise InputError(f"unknown HRIS export format {fmt!r}: use csv or json")
    columns = [
        "record_type",
        "review_id",
        "employee_id",
        "manager_id",
        "meeting_date",
        "version",
        "content_sha256",
        "amends_review_id",
        "action_item_id",
        "owner",
        "owner_user_id",
        "task",
        "due",
        "status",
    ]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _csv_cell(record.get(k)) for k in columns})
    return buf.getvalue()


def _csv_cell(value: Any) -> Any:
    """Blank for None, and a leading apostrophe on text a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
