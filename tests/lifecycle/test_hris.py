"""HRIS webhook delivery against a real HTTP receiver on 127.0.0.1 that fails and drops connections."""

from __future__ import annotations

import csv
import io
import json
import random
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from copilot.hris import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    OutboxWorker,
    WebhookSink,
    check_body_signature,
    export_records,
)
from copilot.ports import SystemClock
from copilot.storage.lifecycle_models import OutboxRow
from tests.lifecycle.conftest import World
from tests.lifecycle.helpers import sign_both

SECRET = b"test-webhook-secret"


class FlakyReceiver:
    """An HRIS stand-in that deduplicates on Idempotency-Key, and misbehaves on purpose."""

    def __init__(self, *, fail: float, drop_before: float, drop_after: float, seed: int, status: int = 503) -> None:
        self.fail, self.drop_before, self.drop_after, self.status = fail, drop_before, drop_after, status
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.effects: dict[str, dict[str, object]] = {}
        self.applied: Counter[str] = Counter()
        self.stats: Counter[str] = Counter()

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers["Content-Length"]))
        key = handler.headers["Idempotency-Key"]
        with self.lock:
            self.stats["requests"] += 1
            roll = self.rng.random()
            if roll < self.fail:
                self.stats["failed"] += 1
                return self._reply(handler, self.status)
            if roll < self.fail + self.drop_before:
                self.stats["dropped_before"] += 1
                return self._drop(handler)
            if not check_body_signature(
                SECRET, handler.headers[TIMESTAMP_HEADER], body, handler.headers[SIGNATURE_HEADER]
            ):
                self.stats["bad_signature"] += 1
                return self._reply(handler, 401)
            event = json.loads(body)
            assert event["idempotency_key"] == key
            if key in self.effects:
                self.stats["duplicates_ignored"] += 1  # a redelivery: acknowledged, not applied again
            else:
                self.effects[key] = event
                self.applied[key] += 1
            if roll < self.fail + self.drop_before + self.drop_after:
                self.stats["dropped_after_apply"] += 1
                return self._drop(handler)
        self._reply(handler, 200)

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int) -> None:
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    @staticmethod
    def _drop(handler: BaseHTTPRequestHandler) -> None:
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)


@contextmanager
def serve(receiver: FlakyReceiver) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            receiver.handle(self)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hris/events"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _worker(world: World, url: str, secret: bytes = SECRET, **kw: float) -> OutboxWorker:
    return OutboxWorker(
        world.db,
        SystemClock(),
        WebhookSink(url, secret, timeout_s=5),
        backoff_base_s=0.005,
        backoff_max_s=0.05,
        rng=random.Random(7),
        **kw,
    )  # type: ignore[arg-type]


def _archive(world: World, n: int) -> set[str]:
    for _ in range(n):
        sign_both(world.lc, world.people, world.new_review().id)
    with world.db.session() as s:
        return set(s.scalars(select(OutboxRow.idempotency_key)))


@pytest.mark.e2e
def test_every_event_arrives_once_despite_failures_and_dropped_connections(world: World) -> None:
    keys = _archive(world, 10)
    assert len(keys) == 40  # 10 signed reviews + 30 action items
    receiver = FlakyReceiver(fail=0.30, drop_before=0.08, drop_after=0.08, seed=1)
    with serve(receiver) as url:
        stats = _worker(world, url, max_attempts=60).run(max_seconds=120)
    assert _worker(world, url).status() == {"delivered": 40, "dead": 0, "pending": 0}
    assert set(receiver.effects) == keys  # every event arrived
    assert set(receiver.applied.values()) == {1}  # no duplicate effects
    assert receiver.stats["failed"] > 0 and receiver.stats["dropped_before"] > 0
    assert receiver.stats["dropped_after_apply"] > 0 and receiver.stats["duplicates_ignored"] > 0
    assert receiver.stats["bad_signature"] == 0
    assert stats.delivered == 40 and stats.failed_attempts == receiver.stats["requests"] - 40
    signed = [e for e in receiver.effects.values() if e["type"] == "review.signed"]
    assert len(signed) == 10 and all(len(e["data"]["action_item_ids"]) == 3 for e in signed)  # type: ignore[index]
    report = world.lc.verify_audit(None)
    assert report.ok
    print(  # noqa: T201
        f"webhook test: 40 events, {receiver.stats['requests']} requests, {dict(receiver.stats)}, "
        f"arrived {len(receiver.effects)}, applied twice {sum(v > 1 for v in receiver.applied.values())}"
    )


def test_wrong_secret_is_dead_lettered_not_retried_forever(world: World) -> None:
    keys = _archive(world, 1)
    receiver = FlakyReceiver(fail=0, drop_before=0, drop_after=0, seed=2)
    with serve(receiver) as url:
        stats = _worker(world, url, secret=b"wrong").run(max_seconds=30)
    assert stats.dead == len(keys) and receiver.stats["bad_signature"] == len(keys)
    assert receiver.effects == {}


def test_retries_stop_after_max_attempts(world: World) -> None:
    _archive(world, 1)
    receiver = FlakyReceiver(fail=1.0, drop_before=0, drop_after=0, seed=3)
    with serve(receiver) as url:
        worker = _worker(world, url, max_attempts=3)
        stats = worker.run(max_seconds=30)
    assert worker.status() == {"delivered": 0, "dead": 4, "pending": 0}
    assert receiver.stats["requests"] == 12 and stats.dead == 4


def test_backoff_doubles_with_jitter_and_is_capped(world: World) -> None:
    worker = OutboxWorker(
        world.db,
        SystemClock(),
        WebhookSink("http://127.0.0.1:9/", SECRET),
        backoff_base_s=2,
        backoff_max_s=60,
        rng=random.Random(1),
    )
    for attempts, full in [(1, 2), (2, 4), (3, 8), (6, 60), (20, 60)]:
        assert full * 0.5 <= worker.backoff(attempts) <= full


def test_csv_and_json_export_path(world: World) -> None:
    review = world.new_review()
    draft = review.draft.model_copy(deep=True)
    draft.action_items[0].task = '=HYPERLINK("http://evil")'
    world.lc.edit(world.people.manager, review.id, base_version=1, draft=draft)
    sign_both(world.lc, world.people, review.id)
    rows = list(csv.DictReader(io.StringIO(export_records(world.db, "csv"))))
    assert [r["record_type"] for r in rows] == ["review", "action_item", "action_item", "action_item"]
    assert {r["task"] for r in rows} >= {'\'=HYPERLINK("http://evil")'}  # no spreadsheet formula
    data = json.loads(export_records(world.db, "json"))
    assert data["records"][0]["review_id"] == review.id and len(data["records"]) == 4
