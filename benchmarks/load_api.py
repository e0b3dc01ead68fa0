"""API load run: 50 concurrent clients reading and editing drafts against `copilot serve` on loopback.

Each client logs in once, then loops for the duration: read a review (GET, keeps the
ETag), and every `--edit-every`-th time save an edit with `If-Match` that appends a
unique marker to the summary. A 409 (someone saved first) is the designed answer to
a stale edit: the client re-reads and retries, and it is counted as a conflict, not
an error. Several clients share each review, so edits really race.

At the end every acknowledged edit's marker must be in the review's final version
(lost edits = 0) and every non-409 failure or transport error counts as an error
(errors = 0). Latency percentiles are over all requests, measured by the client.

    python benchmarks/load_api.py                       # SQLite and PostgreSQL, 50 clients, 60 s each
    python benchmarks/load_api.py --backends sqlite --duration 20

Then, when `wrk` is installed (`apt-get install wrk`), a read-only phase with wrk and
benchmarks/wrk_read.lua measures GET throughput with a C load generator.

Writes benchmarks/results/load_api.json and load_api.md. The mixed load generator is a
Python asyncio/httpx client on the same 2-core machine as the server, so its numbers
are a floor for what the server does with a dedicated client.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
PG_ADMIN_URL = os.environ.get("COPILOT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "load-test-password-1"


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    reads: int = 0
    edits_ok: int = 0
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    acknowledged: dict[str, list[str]] = field(default_factory=dict)  # review id → markers saved
    elapsed: float = 0.0  # seconds the clients ran (logins and the final check excluded)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def create_pg_database() -> str:
    from sqlalchemy import create_engine, text

    name = f"copilot_load_{uuid.uuid4().hex[:10]}"
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    engine.dispose()


def seed(home: Path, database_url: str | None, pairs: int) -> list[dict[str, str]]:
    """Create `pairs` manager/employee pairs, each with one review sent for review."""
    from copilot.auth import hash_password
    from copilot.schema import ReviewDraft, Role, SummaryPoint
    from copilot.services import build_services
    from copilot.settings import Settings
    from copilot.storage import repo

    services = build_services(Settings(home=home, database_url=database_url))
    pw_hash = hash_password(PASSWORD)
    out = []
    for i in range(pairs):
        with services.db.session() as sess:
            mgr = repo.add_user(
                sess, name=f"Manager {i}", email=f"m{i}@load.test", role=Role.manager, password_hash=pw_hash
            )
            emp = repo.add_user(
                sess,
                name=f"Employee {i}",
                email=f"e{i}@load.test",
                role=Role.employee,
                manager_id=mgr.id,
                password_hash=pw_hash,
            )
            mgr_id, emp_id = mgr.id, emp.id
        draft = ReviewDraft(meeting_date=dt.date(2026, 11, 20), summary=[SummaryPoint(text="Baseline summary.")])
        review = services.lifecycle.create(mgr_id, employee_id=emp_id, draft=draft)
        services.lifecycle.send(mgr_id, review.id)
        out.append({"review": review.id, "manager": f"m{i}@load.test", "employee": f"e{i}@load.test"})
    services.db.dispose()
    return out


async def client_loop(
    http: httpx.AsyncClient, name: str, token: str, review_id: str, stop_at: float, edit_every: int, stats: Stats
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    n = 0

    async def timed(method: str, url: str, **kwargs: Any) -> httpx.Response:
        started = time.perf_counter()
        resp = await http.request(method, url, headers={**headers, **kwargs.pop("extra", {})}, **kwargs)
        stats.latencies.append(time.perf_counter() - started)
        return resp

    while time.monotonic() < stop_at:
        n += 1
        try:
            got = await timed("GET", f"/reviews/{review_id}")
            if got.status_code != 200:
                stats.errors.append(f"GET {got.status_code}")
                continue
            stats.reads += 1
            if n % edit_every:
                continue
            marker = f"{name}-{n}"
            # edit until saved: a 409 means another client saved first; re-read and apply again
            etag, draft = got.headers["etag"], got.json()["draft"]
            for _attempt in range(50):
                draft["summary"].append({"text": f"edit {marker}", "evidence": [], "flags": []})
                resp = await timed("PUT", f"/reviews/{review_id}", json={"draft": draft}, extra={"If-Match": etag})
                if resp.status_code == 200:
                    stats.edits_ok += 1
                    stats.acknowledged.setdefault(review_id, []).append(marker)
                    break
                if resp.status_code != 409:
                    stats.errors.append(f"PUT {resp.status_code} {resp.text[:100]}")
                    break
                stats.conflicts += 1
                again = await timed("GET", f"/reviews/{review_id}")
                stats.reads += 1
                etag, draft = again.headers["etag"], again.json()["draft"]
            else:
                stats.errors.append("PUT gave up after 50 conflicts")
        except httpx.HTTPError as exc:
            stats.errors.append(f"transport {type(exc).__name__}")


async def run_load(api: str, pairs: list[dict[str, str]], clients: int, duration: float, edit_every: int) -> Stats:
    stats = Stats()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=api, limits=limits, timeout=60) as http:
        tokens: dict[str, str] = {}
        for pair in pairs:
            for who in ("manager", "employee"):
                resp = await http.post("/auth/login", json={"email": pair[who], "password": PASSWORD})
                resp.raise_for_status()
                tokens[pair[who]] = resp.json()["access_token"]
        stop_at = time.monotonic() + duration
        tasks = []
        for i in range(clients):
            pair = pairs[i % len(pairs)]
            who = pair["manager"] if (i // len(pairs)) % 2 == 0 else pair["employee"]
            tasks.append(client_loop(http, f"c{i}", tokens[who], pair["review"], stop_at, edit_every, stats))
        loop_started = time.monotonic()
        await asyncio.gather(*tasks)
        stats.elapsed = time.monotonic() - loop_started
        # lost edits: every acknowledged marker must be in the final version
        lost = 0
        for pair in pairs:
            final = await http.get(
                f"/reviews/{pair['review']}", headers={"Authorization": f"Bearer {tokens[pair['manager']]}"}
            )
            texts = {p["text"] for p in final.json()["draft"]["summary"]}
            acked = stats.acknowledged.get(pair["review"], [])
            lost += sum(1 for m in acked if f"edit {m}" not in texts)
            if final.json()["version"] != 1 + len(acked):
                stats.errors.append(
                    f"review {pair['review']}: version {final.json()['version']} != 1 + {len(acked)} edits"
                )
        stats.acknowledged = {"lost": [str(lost)]}
    return stats


def wrk_reads(api: str, pairs: list[dict[str, str]], clients: int, duration: float) -> dict[str, Any]:
    """Read-only throughput with wrk (a C load generator that barely competes with the server for CPU)."""
    tokens = []
    for pair in pairs:
        resp = httpx.post(f"{api}/auth/login", json={"email": pair["employee"], "password": PASSWORD}, timeout=60)
        resp.raise_for_status()
        tokens.append(resp.json()["access_token"])
    env = {**os.environ, "REVIEWS": ",".join(p["review"] for p in pairs), "TOKENS": ",".join(tokens)}
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{int(duration)}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(ROOT / "benchmarks" / "wrk_read.lua"),
            api,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(out.split("WRK_JSON ", 1)[1].splitlines()[0])
    errors = sum(v for k, v in data.items() if k.startswith("errors_"))
    return {
        "requests": data["requests"],
        "throughput_rps": round(data["requests"] / (data["duration_us"] / 1e6), 1),
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p95_ms": round(data["p95_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "errors": errors,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def one_backend(backend: str, clients: int, duration: float, edit_every: int, pairs_n: int) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix=f"copilot-load-{backend}-"))
    database_url = create_pg_database() if backend == "postgresql" else None
    try:
        pairs = seed(home, database_url, pairs_n)
        port = free_port()
        env = {**os.environ, "COPILOT_HOME": str(home), "COPILOT_LOG_LEVEL": "WARNING"}
        if database_url:
            env["COPILOT_DATABASE_URL"] = database_url
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("copilot")), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            api = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    if httpx.get(f"{api}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            stats = asyncio.run(run_load(api, pairs, clients, duration, edit_every))
            elapsed = stats.elapsed
            wrk = wrk_reads(api, pairs, clients, duration) if shutil.which("wrk") else None
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if database_url:
            drop_pg_database(database_url)
    requests = len(stats.latencies)
    return {
        "backend": backend,
        "clients": clients,
        "duration_s": round(elapsed, 1),
        "requests": requests,
        "throughput_rps": round(requests / elapsed, 1),
        "reads": stats.reads,
        "edits_saved": stats.edits_ok,
        "conflicts_409": stats.conflicts,
        "p50_ms": round(percentile(stats.latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(stats.latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(stats.latencies, 99) * 1000, 1),
        "mean_ms": round(statistics.fmean(stats.latencies) * 1000, 1),
        "errors": len(stats.errors),
        "error_samples": sorted(set(stats.errors))[:5],
        "lost_edits": int(stats.acknowledged["lost"][0]),
        "wrk_reads": wrk,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--edit-every", type=int, default=5, help="every Nth read is followed by an edit")
    parser.add_argument("--reviews", type=int, default=10, help="reviews shared by the clients")
    args = parser.parse_args()
    results = [one_backend(b, args.clients, args.duration, args.edit_every, args.reviews) for b in args.backends]
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "note": "client and server share the machine (the client is Python asyncio/httpx)",
    }
    (RESULTS / "load_api.json").write_text(json.dumps({"meta": meta, "runs": results}, indent=2) + "\n")
    cols = [
        "backend",
        "clients",
        "duration_s",
        "requests",
        "throughput_rps",
        "edits_saved",
        "conflicts_409",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "errors",
        "lost_edits",
    ]
    lines = [
        "# API load run",
        "",
        f"{meta['machine']}; {meta['note']}; {meta['measured_at']}",
        "",
        "| " + " | ".join(cols) + " |",
        "|" + "---|" * len(cols),
    ]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in results]
    wrk_rows = [(r["backend"], r["wrk_reads"]) for r in results if r["wrk_reads"]]
    if wrk_rows:
        lines += [
            "",
            f"Read-only with wrk ({args.clients} connections, {int(args.duration)} s, GET /reviews/{{id}}):",
            "",
            "| backend | requests | throughput_rps | p50_ms | p95_ms | p99_ms | errors |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {b} | {w['requests']} | {w['throughput_rps']} | {w['p50_ms']} | {w['p95_ms']} | {w['p99_ms']} | "
            f"{w['errors']} |"
            for b, w in wrk_rows
        ]
    (RESULTS / "load_api.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    bad = [r for r in results if r["errors"] or r["lost_edits"] or (r["wrk_reads"] or {}).get("errors")]
    if bad:
        print(json.dumps(bad, indent=2))
        sys.exit(1)


if __name__ == "__main__":
    main()
