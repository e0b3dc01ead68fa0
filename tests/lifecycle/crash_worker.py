"""Child process of the kill -9 test: sign/archive loop, one stdout line per committed step.

A line is printed only after its transaction committed, so every line the
parent reads is an acknowledged write that must survive the kill.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from copilot.lifecycle import ReviewLifecycle  # noqa: E402
from copilot.ports import SystemClock  # noqa: E402
from copilot.signing_keys import KeyStore  # noqa: E402
from copilot.storage import Database  # noqa: E402
from tests.lifecycle.helpers import demo_draft, demo_transcript  # noqa: E402


def ack(step: str, review_id: str) -> None:
    sys.stdout.write(f"{step} {review_id}\n")
    sys.stdout.flush()


def main() -> None:
    db_url, home, manager, employee, hr = sys.argv[1:6]
    lc = ReviewLifecycle(Database(db_url), SystemClock(), keys=KeyStore(Path(home) / "keys"))
    transcript = demo_transcript()
    draft = demo_draft(transcript)
    ack("ready", "-")
    while True:
        review = lc.create(manager, employee_id=employee, draft=draft, transcript=transcript)
        ack("created", review.id)
        lc.send(manager, review.id)
        ack("sent", review.id)
        for step, who in (("signed_manager", manager), ("archived", employee)):
            version, intent = lc.intent_for(who, review.id)
            lc.sign(who, review.id, version=version, intent=intent)
            ack(step, review.id)
        lc.export(hr, review.id, "json")
        ack("exported", review.id)


if __name__ == "__main__":
    main()
