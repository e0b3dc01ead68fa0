"""Demo-like data for lifecycle tests: the sample meeting as a transcript, a cited draft, people, a clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from copilot.lifecycle import ReviewLifecycle
from copilot.schema import (
    ActionItem,
    Contribution,
    DevelopmentGoal,
    Evidence,
    ImprovementArea,
    OkrProgress,
    ReviewDraft,
    Role,
    Segment,
    SummaryPoint,
    Transcript,
)
from copilot.signing_keys import KeyStore
from copilot.storage import Database, repo

REPO_ROOT = Path(__file__).resolve().parents[2]
MEETING = dt.date(2026, 11, 20)


class FakeClock:
    """A settable UTC clock, so deadlines are testable without sleeping."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.current = start or dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


def demo_transcript() -> Transcript:
    """samples/review_demo.txt as a transcript: one segment per line, four seconds each."""
    lines = (REPO_ROOT / "samples" / "review_demo.txt").read_text(encoding="utf-8").splitlines()
    segments = []
    for i, line in enumerate(x for x in lines if x.strip()):
        speaker, text = line.split("|", 1)
        segments.append(Segment(id=i, start=4.0 * i, end=4.0 * i + 3.5, speaker=speaker, text=text))
    return Transcript(language="en", duration_s=4.0 * len(segments), segments=segments, model="fake")


def _ev(t: Transcript, seg: int, quote: str) -> list[Evidence]:
    assert quote in t.segments[seg].text, (seg, quote)
    return [Evidence(segment_id=seg, quote=quote)]


def demo_draft(t: Transcript | None = None) -> ReviewDraft:
    """What a good drafter would produce for the demo meeting, every item cited."""
    t = t or demo_transcript()
    return ReviewDraft(
        meeting_date=MEETING,
        employee="Priya Shah",
        manager="Dana Lee",
        summary=[
            SummaryPoint(
                text="Pipeline migration finished; dashboard latency still behind target.",
                evidence=_ev(t, 1, "The data pipeline migration is finished"),
            )
        ],
        okr_progress=[
            OkrProgress(
                objective="Dashboard latency under two seconds",
                status="behind",
                note="At four seconds instead of two.",
                evidence=_ev(t, 2, "four seconds instead of two"),
            )
        ],
        contributions=[
            Contribution(
                statement="Moved all twelve jobs to the new platform.",
                evidence=_ev(t, 1, "all twelve jobs now run on the new platform"),
            )
        ],
        improvement_areas=[
            ImprovementArea(
                area="Status updates",
                behavioural_example="Delays heard from other teams first.",
                evidence=_ev(t, 10, "I heard about delays from other teams first"),
            )
        ],
        development_plan=[
            DevelopmentGoal(
                goal="Grow mentoring skills",
                actions=["Mentor a new hire"],
                timeframe="this half",
                evidence=_ev(t, 7, "grow my mentoring skills"),
            )
        ],
        action_items=[
            ActionItem(
                owner="employee",
                task="Send the latency plan",
                due=dt.date(2026, 11, 27),
                evidence=_ev(t, 5, "I will send you the plan by next Friday"),
            ),
            ActionItem(
                owner="manager",
                task="Book an architecture review with the platform team",
                due=dt.date(2026, 11, 27),
                evidence=_ev(t, 6, "book an architecture review"),
            ),
            ActionItem(
                owner="employee",
                task="Post a status update every Monday",
                due=None,
                evidence=_ev(t, 11, "post a short status update every Monday"),
            ),
        ],
    )


@dataclass
class People:
    manager: str
    employee: str
    hr: str
    auditor: str
    admin: str
    other_employee: str


def add_people(db: Database) -> People:
    with db.session() as s:
        m = repo.add_user(s, name="Dana Lee", email="dana@example.com", role=Role.manager)
        e = repo.add_user(s, name="Priya Shah", email="priya@example.com", role=Role.employee, manager_id=m.id)
        hr = repo.add_user(s, name="Hana Ruiz", email="hr@example.com", role=Role.hr)
        au = repo.add_user(s, name="Aude Tor", email="audit@example.com", role=Role.auditor)
        ad = repo.add_user(s, name="Ada Min", email="admin@example.com", role=Role.admin)
        o = repo.add_user(s, name="Olu Other", email="olu@example.com", role=Role.employee)
        return People(m.id, e.id, hr.id, au.id, ad.id, o.id)


def make_lifecycle(db: Database, home: Path, clock: FakeClock | None = None) -> ReviewLifecycle:
    return ReviewLifecycle(db, clock or FakeClock(), keys=KeyStore(home / "keys"))


def sign_both(lc: ReviewLifecycle, people: People, review_id: str) -> None:
    for who in (people.manager, people.employee):
        version, intent = lc.intent_for(who, review_id)
        lc.sign(who, review_id, version=version, intent=intent)
