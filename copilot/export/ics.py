"""ICS (RFC 5545) calendar of one person's open action items, one all-day event on each due date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarItem:
    id: str
    task: str
    due: dt.date
    review_id: str
    owner: str
    status: str


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold content lines at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    for ch in line:
        limit = 75 if not out else 74  # continuation lines start with one space
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = ch
        else:
            current += ch
    out.append(current)
    return "\r\n ".join(out)


def action_items_ics(items: Iterable[CalendarItem], *, person: str, now: dt.datetime) -> str:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Review Copilot//Action items//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape('Action items: ' + person)}",
    ]
    for item in items:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.id}@review-copilot",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(item.due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(item.task)}",
            f"DESCRIPTION:{_escape(f'Action item from review {item.review_id}, owner {item.owner}, {item.status}.')}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
