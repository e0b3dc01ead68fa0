"""Resolve relative due dates ("next Friday", "end of the month", "下个月底") against the meeting date.

Deterministic on purpose: a small model guesses dates badly, and a due date
is something a person signs. Conventions (documented so evals agree):

- a bare weekday ("Friday", "by Friday", "this Friday", "周五前") is the next
  such day strictly after the meeting;
- "next <weekday>" / "下周五" / "下個禮拜五" is that weekday in the following
  calendar week (weeks start on Monday);
- "this week" / "end of the week" is this week's Friday, "next week" next
  week's Friday, "end of the month" the month's last day, "next month" and
  "end of next month" the last day of next month, "end of the quarter" /
  "end of the year" the last day of the quarter / year ("before the quarter
  closes" too); "early next week" is next Monday, "mid-December" the 15th;
- "by the 15th" (a day without a month) is the next such day on or after the
  meeting;
- "in N days/weeks" (or "give me N weeks") adds N days or weeks; an explicit date without a year is
  the next such date on or after the meeting.
Phrases that are not a due date ("every Monday", "this half") resolve to None.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

WEEKDAYS_EN = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
MONTHS_EN = {name: i for i in range(1, 13) for name in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower())}
MONTHS_EN["sept"] = 9
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "couple of": 2,
    "a couple of": 2,
    "few": 3,
    "a few": 3,
}
ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
ZH_WEEKDAY = {
    "一": 0,
    "二": 1,
    "三": 2,
    "四": 3,
    "五": 4,
    "六": 5,
    "日": 6,
    "天": 6,
    "1": 0,
    "2": 1,
    "3": 2,
    "4": 3,
    "5": 4,
    "6": 5,
    "7": 6,
}


@dataclass(frozen=True)
class ResolvedDate:
    """A due date found in text, with the words it came from (for evidence and debugging)."""

    date: dt.date
    phrase: str
    start: int
    end: int


def end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + (day.month - 1) + months
    return index // 12, index % 12 + 1


def end_of_quarter(day: dt.date) -> dt.date:
    last_month = ((day.month - 1) // 3 + 1) * 3
    return end_of_month(day.year, last_month)


def next_weekday(day: dt.date, weekday: int) -> dt.date:
    """The next `weekday` strictly after `day`."""
    delta = (weekday - day.weekday()) % 7
    return day + dt.timedelta(days=delta or 7)


def weekday_of_next_week(day: dt.date, weekday: int) -> dt.date:
    monday_next = day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=7)
    return monday_next + dt.timedelta(days=weekday)


def weekday_of_this_week(day: dt.date, weekday: int) -> dt.date:
    """`weekday` of the current week; a day already past rolls to next week's."""
    candidate = day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=weekday)
    return candidate if candidate >= day else candidate + dt.timedelta(days=7)


def _zh_number(text: str) -> int | None:
    """Parse 1–99 written in digits or Chinese numerals (十二, 二十, 廿)."""
    if text.isdigit():
        return int(text)
    text = text.replace("廿", "二十")
    if not text or any(ch not in ZH_DIGITS for ch in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (ZH_DIGITS[tens] if tens else 1) * 10 + (ZH_DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + ZH_DIGITS[ch]
    return value


def _day(text: str) -> int:
    """Day of month from "12", "12th" or "twelfth"."""
    low = text.lower()
    return ORDINAL_WORDS[low] if low in ORDINAL_WORDS else int(re.sub(r"\D", "", low))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_day(meeting: dt.date, month: int, day: int, year: int | None) -> dt.date | None:
    if year is not None:
        return _safe_date(year, month, day)
    candidate = _safe_date(meeting.year, month, day)
    if candidate is not None and candidate < meeting:
        candidate = _safe_date(meeting.year + 1, month, day)
    return candidate


_NUM = r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|(?:a )?couple of|(?:a )?few)"
# a short form only when capitalised: "see them sat at a desk", "they wed in June", "the sun's out" name no day
_WD_FULL = [w for w in WEEKDAYS_EN if w.endswith("day")]
_WD_SHORT = [w.capitalize() for w in WEEKDAYS_EN if not w.endswith("day")]
_WD = f"{'|'.join(sorted(_WD_FULL, key=len, reverse=True))}|(?-i:{'|'.join(sorted(_WD_SHORT, key=len, reverse=True))})"
_MON = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
ORDINAL_WORDS = {
    word: i
    for i, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
        "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        start=1,
    )
}
ORDINAL_WORDS |= {f"twenty-{w}": 20 + i for w, i in list(ORDINAL_WORDS.items())[:9]}
ORDINAL_WORDS |= {"thirtieth": 30, "thirty-first": 31}
_ORD_WORDS = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
CARDINAL_DAYS = {w: i for i, w in enumerate(_UNITS + _TEENS, 1)}  # "Monday twenty-six": a day said as a number
CARDINAL_DAYS |= {f"twenty-{w}": 20 + i for i, w in enumerate(_UNITS, 1)} | {"thirty": 30, "thirty-one": 31}
_CARD_WORDS = "|".join(sorted(CARDINAL_DAYS, key=len, reverse=True))
_ORD = r"(\d{1,2}(?:st|nd|rd|th)?|" + _ORD_WORDS + r")"
# "tomorrow noon", "Friday at 3pm", "Monday morning": the time of day belongs to the date phrase, not to the task
_TIME_OF_DAY = (
    r"(?:\s+(?:at\s+)?(?:morning|afternoon|evening|night|lunchtime|lunch|noon|midday|"
    r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|o'clock)))?"
)
_ZH_NUM = r"([0-9]{1,2}|[一二两兩三四五六七八九十廿]{1,3})"
_ZH_NEXT_WEEK = r"(?:下(?:个|個)?(?:周|週|星期|礼拜|禮拜))"
_ZH_THIS_WEEK = r"(?:(?:这|這|本)(?:个|個)?(?:周|週|星期|礼拜|禮拜)|(?:周|週|星期|礼拜|禮拜))"
_ZH_DAY = r"([一二三四五六日天1-7])"


def _rules(meeting: dt.date) -> list[tuple[re.Pattern[str], object]]:
    """Ordered (pattern, resolver) pairs; earlier, more specific patterns win overlaps."""
    m = meeting

    def iso(g: re.Match[str]) -> dt.date | None:
        return _safe_date(int(g[1]), int(g[2]), int(g[3]))

    def nth_weekday(g: re.Match[str]) -> dt.date:
        weekday, month = WEEKDAYS_EN[g[2].lower()], MONTHS_EN[g[3].lower()]

        nth = -1 if g[1].lower() == "last" else ("first", "second", "third", "fourth").index(g[1].lower()) + 1
        this_year = _nth_weekday(m.year, month, weekday, nth)
        return this_year if this_year >= m else _nth_weekday(m.year + 1, month, weekday, nth)

    def nth_weekday_of_month(g: re.Match[str]) -> dt.date:
        """This month's, unless it has gone (then next month's); "next month" says next month's."""
        weekday = WEEKDAYS_EN[g[2].lower()]
        nth = -1 if g[1].lower() == "last" else ("first", "second", "third", "fourth").index(g[1].lower()) + 1
        this_month = _nth_weekday(m.year, m.month, weekday, nth)
        if g[3].lower() != "next" and this_month >= m:
            return this_month
        return _nth_weekday(*add_months(m, 1), weekday, nth)

    def weekday_after_holiday(g: re.Match[str]) -> dt.date:
        name = g[2].lower()

        def on(year: int) -> dt.date:
            if name.startswith("christmas"):
                return dt.date(year, 12, 25)
            if name.startswith("new") and "day" not in name and "eve" not in name:  # "New Year": its first day
                return dt.date(year, 1, 1)
            return _holiday(name, year)

        return next_weekday(next(d for d in (on(m.year), on(m.year + 1)) if d >= m), WEEKDAYS_EN[g[1].lower()])

    def week_of_month(g: re.Match[str]) -> dt.date:
        """The Friday of that week, a week being the one that holds the month's first (or last) Thursday, so
        "the first week of January" is not a New Year's Day that falls on a Friday."""
        month = MONTHS_EN[g[2].lower()]
        which = g[1].lower()
        nth = -1 if which == "last" else ("first", "second").index(which) + 1
        day = _nth_weekday(*_month_year(m, month), 3, nth) + dt.timedelta(days=1)
        return day if day >= m else _nth_weekday(_month_year(m, month)[0] + 1, month, 3, nth) + dt.timedelta(days=1)

    def holiday(g: re.Match[str]) -> dt.date:
        day = next(d for d in (_holiday(g[2], m.year), _holiday(g[2], m.year + 1)) if d >= m)
        return day - dt.timedelta(days=1) if g[1].lower() == "before" else day

    def month_first(g: re.Match[str]) -> dt.date | None:
        return _month_day(m, MONTHS_EN[g[1].lower()], _day(g[2]), int(g[3]) if g[3] else None)

    def day_first(g: re.Match[str]) -> dt.date | None:
        return _month_day(m, MONTHS_EN[g[2].lower()], _day(g[1]), int(g[3]) if g[3] else None)

    def next_day_of_month(day: int) -> dt.date | None:
        """The next such day on or after the meeting (this month, else next month)."""
        candidate = _safe_date(m.year, m.month, day)
        return candidate if candidate is not None and candidate >= m else _safe_date(*add_months(m, 1), day)

    def weekday_and_day(g: re.Match[str]) -> dt.date | None:
        """ "Monday twenty-six": the day of the month, when it falls on that weekday (else it is no date)."""
        day = CARDINAL_DAYS.get(g[2].lower()) or (int(g[2]) if g[2].isdigit() else None)
        found = next_day_of_month(day) if day else None
        return found if found is not None and found.weekday() == WEEKDAYS_EN[g[1].lower()] else None

    def day_of_month(g: re.Match[str]) -> dt.date | None:
        """ "by the 15th", "on the third"."""
        return next_day_of_month(_day(g[1]))

    def quarter_end(quarter: int) -> dt.date:
        end = end_of_month(m.year, quarter * 3)
        return end if end >= m else end_of_month(m.year + 1, quarter * 3)

    def end_of_month_in(g: re.Match[str]) -> dt.date:
        return end_of_month(*_month_year(m, MONTHS_EN[g[1].lower()]))

    def number(word: str) -> int:
        return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]

    def in_units(g: re.Match[str]) -> dt.date:
        n, unit = number(g[1]), g[2].lower()
        if unit.startswith("day"):
            return m + dt.timedelta(days=n)
        if unit.startswith("week"):
            return m + dt.timedelta(weeks=n)
        y, mo = add_months(m, n)
        return _safe_date(y, mo, m.day) or end_of_month(y, mo)

    def zh_month_day(g: re.Match[str]) -> dt.date | None:
        month, day = _zh_number(g[2]), _zh_number(g[3])
        if month is None or day is None:
            return None
        year = int(g[1]) if g[1] else None
        return _month_day(m, month, day, year)

    def zh_in_units(g: re.Match[str]) -> dt.date | None:
        n = _zh_number(g[1])
        if n is None:
            return None
        unit = g[2]
        if unit in ("天", "日"):
            return m + dt.timedelta(days=n)
        if unit in ("周", "週", "星期", "个星期", "個星期", "个礼拜", "個禮拜", "礼拜", "禮拜"):
            return m + dt.timedelta(weeks=n)
        y, mo = add_months(m, n)
        return _safe_date(y, mo, m.day) or end_of_month(y, mo)

    nxt = next_weekday
    eom_next = end_of_month(*add_months(m, 1))
    return [
        (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), iso),
        # "by Memorial Day", "before Thanksgiving": a public holiday with a fixed rule (the day before, for
        # "before"); ahead of the weekdays, so "by Good Friday" is no plain Friday
        (
            re.compile(rf"\b(by|before|on|for|until|till|at)\s+(?:the\s+)?({_HOLIDAYS})(?!\s+{_SEASON_OF})", re.I),
            holiday,
        ),
        # "a fortnight from now", "three weeks from today": counted from the meeting
        (
            re.compile(r"\b(?:a|one)\s+fortnight\s+(?:from\s+)?(?:now|today)\b", re.I),
            lambda _: m + dt.timedelta(weeks=2),
        ),
        (re.compile(rf"\b{_NUM}\s+(days?|weeks?|months?)\s+from\s+(?:now|today)\b", re.I), in_units),
        # "the day after tomorrow": two days on, not tomorrow
        (re.compile(r"\b(?:the\s+)?day\s+after\s+tomorrow\b", re.I), lambda _: m + dt.timedelta(days=2)),
        # "the Monday after New Year", "the Tuesday after Easter": the first such weekday after the holiday
        (
            re.compile(
                rf"\bthe\s+({_WD})\s+after\s+(?:the\s+)?({_HOLIDAYS}|christmas(?:\s+day)?|new\s+year(?:['’]?s)?)\b",
                re.I,
            ),
            weekday_after_holiday,
        ),
        # "the last Wednesday of the month", "the first Monday of next month"
        (
            re.compile(rf"\b(first|second|third|fourth|last)\s+({_WD})\s+(?:in|of)\s+(the|this|next)\s+month\b", re.I),
            nth_weekday_of_month,
        ),
        # "The last Friday in June", "the first Monday of May": not the next Friday
        (re.compile(rf"\b(first|second|third|fourth|last)\s+({_WD})\s+(?:in|of)\s+({_MON})\b", re.I), nth_weekday),
        # "in the first week of February": by its Friday
        (re.compile(rf"\b(first|second|last)\s+week\s+(?:of|in)\s+({_MON})\b", re.I), week_of_month),
        (re.compile(rf"\b({_MON})\.?\s+{_ORD}(?:,?\s+(\d{{4}}))?\b", re.I), month_first),
        (re.compile(rf"\b{_ORD}\s+(?:of\s+)?({_MON})\b(?:,?\s+(\d{{4}}))?", re.I), day_first),
        (re.compile(rf"\b(?:the\s+)?end\s+of\s+({_MON})\b", re.I), end_of_month_in),
        (re.compile(rf"\bmid[- ]?({_MON})\b", re.I), lambda g: _month_day(m, MONTHS_EN[g[1].lower()], 15, None)),
        (
            re.compile(
                # "by the 28th", "Friday the 28th"
                rf"\b(?:by|on|before|until|for|{_WD})\s+the\s+(\d{{1,2}}(?:st|nd|rd|th)\b(?!\s+of\b)|(?:"
                + _ORD_WORDS
                # a cut-off word ("on the twenty-eighth-") ends the phrase too, a compound ("the third-floor") not
                + r")\b(?=\s*(?:[,.;:!?]|-(?!\w)|$|(?:and|or|so|then|at|latest|please|if|but|okay|ok|when|which"
                r"|i|i'll|we|we'll)\b)))",
                re.I,
            ),
            day_of_month,
        ),
        # "The freeze is the eleventh.": a day said as what something is, at the end of a clause ("That's the first."
        # counts, so the first three days are left out)
        (
            re.compile(
                r"(?:(?<=\bis )|(?<=\bwas )|(?<='s )|(?<=’s ))the\s+"
                r"(\d{1,2}(?:st|nd|rd|th)|(?!first\b|second\b|third\b)(?:" + _ORD_WORDS + r"))(?=\s*(?:[,.;:!?]|$))",
                re.I,
            ),
            day_of_month,
        ),
        # "Can you cover the Tuesday ship? The tenth?": a sentence that is only a day of the month (not the first
        # three days, which are as often a list: "The first.")
        (
            re.compile(
                r"^\W*(?:(?:so|and|um|uh|on|by|that's|that\s+is)\s+)*the\s+"
                r"(\d{1,2}(?:st|nd|rd|th)|(?!first\b|second\b|third\b)(?:" + _ORD_WORDS + r"))"
                # "The nineteenth, is it still?", "The 19th, yes.": the day with a tag asking or agreeing
                r"(?:\s*,\s*(?:is\s+it(?:\s+still)?|isn't\s+it|yes|yeah|yep|right|okay|ok|still))?\W*$",
                re.I,
            ),
            day_of_month,
        ),
        # "Monday twenty-six, okay.": a weekday with its day of the month, said as a number
        (
            re.compile(
                rf"\b({_WD})\s+(\d{{1,2}}|{_CARD_WORDS})\b(?!\s*(?:%|percent|hours?|minutes?|o'clock|am|pm))", re.I
            ),
            weekday_and_day,
        ),
        # "at the next staff meeting, the twenty-ninth.": a day of the month put after what happens on it
        (
            re.compile(
                # not an answer ("Yeah, the twentieth."): that says which day, not when a task falls due
                r"(?<=\w{3}, )(?<!\byes, )(?<!yeah, )(?<!okay, )(?<!right, )(?<!sure, )(?<!\bno, )"
                r"(?:(?:so|that's|that\s+is|which\s+is)\s+)?"  # "by the Friday before, so the twenty-fifth."
                r"the\s+(\d{1,2}(?:st|nd|rd|th)|(?!first\b|second\b|third\b)(?:" + _ORD_WORDS + r"))"
                r"(?=\s*(?:[.;:!?]|$))",
                re.I,
            ),
            day_of_month,
        ),
        # "I'll send you my reflections this weekend": by its Sunday
        (
            re.compile(r"\bthis\s+weekend\b", re.I),  # "over/at the weekend" says when, not by when
            lambda _: m + dt.timedelta(days=(6 - m.weekday()) % 7),
        ),
        (re.compile(r"\bnext\s+weekend\b", re.I), lambda _: m + dt.timedelta(days=(6 - m.weekday()) % 7 + 7)),
        # "I'll update that by the weekend": by its Sunday, as "this weekend"; "before the weekend" is its Friday
        (re.compile(r"\bby\s+the\s+weekend\b", re.I), lambda _: m + dt.timedelta(days=(6 - m.weekday()) % 7)),
        (re.compile(r"\bbefore\s+the\s+weekend\b", re.I), lambda _: m + dt.timedelta(days=(4 - m.weekday()) % 7)),
        # "by mid-month": the next 15th
        (re.compile(r"\bmid[- ]month\b", re.I), lambda _: next_day_of_month(15)),
        (re.compile(r"\bearly\s+next\s+week\b", re.I), lambda _: weekday_of_next_week(m, 0)),
        (
            re.compile(rf"\bnext\s+week'?s?\s+({_WD})\b{_TIME_OF_DAY}", re.I),
            lambda g: weekday_of_next_week(m, WEEKDAYS_EN[g[1].lower()]),
        ),
        (re.compile(rf"\b({_WD})\s+next\s+week\b", re.I), lambda g: weekday_of_next_week(m, WEEKDAYS_EN[g[1].lower()])),
        (
            re.compile(rf"\bnext\s+({_WD})\b{_TIME_OF_DAY}", re.I),
            lambda g: weekday_of_next_week(m, WEEKDAYS_EN[g[1].lower()]),
        ),
        # "Monday week", "a week on Friday" (British), "a week from Friday" (American): a week after the coming Friday
        (
            re.compile(rf"\b({_WD})\s+week\b|\ba\s+week\s+(?:on\s+|from\s+)?({_WD})\b", re.I),
            lambda g: nxt(m, WEEKDAYS_EN[(g[1] or g[2]).lower()]) + dt.timedelta(days=7),
        ),
        (
            re.compile(r"\ba\s+week\s+(?:from\s+)?(today|tomorrow)\b", re.I),
            lambda g: m + dt.timedelta(days=7 + (g[1].lower() == "tomorrow")),
        ),
        (
            re.compile(
                rf"\b(?:first\s+thing\s+(?:on\s+)?)?(?:this\s+(?:coming\s+)?|coming\s+)?({_WD})\b{_TIME_OF_DAY}",
                re.I,
            ),
            lambda g: nxt(m, WEEKDAYS_EN[g[1].lower()]),
        ),
        (
            # "I'll get it done the morn" (Scots): tomorrow, not "the morning"; "first thing in the mornin'" too
            re.compile(
                rf"\b(?:(?:first\s+thing\s+)?(?:tomorrow|the\s+morn|the\s+morra)|first\s+thing\s+in\s+the\s+morn(?:ing|in))\b"
                rf"['’]?{_TIME_OF_DAY}",
                re.I,
            ),
            lambda _: m + dt.timedelta(days=1),
        ),
        (
            re.compile(
                r"\b(?:today|tonight|end of (?:the )?day|eod|this\s+(?:afternoon|arvo|morning|evening)|later\s+today|"
                r"(?:close|end)\s+of\s+business|cob|(?:straight\s+|right\s+)?after\s+(?:this|the|our)\s+(?:call|meeting|chat)|"
                r"(?:straight\s+|right\s+)?after\s+this(?=\s*(?:[,.;:!?]|$))|"
                r"before\s+I\s+(?:go\s+home|leave|head\s+off))\b",
                re.I,
            ),
            lambda _: m,
        ),
        # "end of Q1", "by Q3 end": the end of that calendar quarter, this year or the next
        (
            re.compile(r"\b(?:(?:the\s+)?end\s+of\s+)?q([1-4])(?:\s+end)?\b", re.I),
            lambda g: quarter_end(int(g[1])) if re.search(r"end", g[0], re.I) else None,
        ),
        # "before Christmas", "before the holidays" said in the last third of the year: Christmas Eve
        (
            re.compile(
                r"\b(?:before|by)\s+(?:christmas|the\s+(?:christmas\s+|holiday\s+|winter\s+)?(?:holidays|break))\b",
                re.I,
            ),
            lambda _: dt.date(m.year, 12, 24) if m.month >= 9 and m <= dt.date(m.year, 12, 24) else None,
        ),
        # "I'll take it to HR the week after next": its Friday, as "next week" is next week's
        (
            re.compile(r"\b(?:the\s+)?week\s+after\s+next\b", re.I),
            lambda _: weekday_of_next_week(m, 4) + dt.timedelta(7),
        ),
        (
            re.compile(r"\b(?:the\s+)?end\s+of\s+next\s+week\b|\bnext\s+week\b", re.I),
            lambda _: weekday_of_next_week(m, 4),
        ),
        (
            re.compile(r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+week\b|\bthis\s+week\b", re.I),
            lambda _: weekday_of_this_week(m, 4),
        ),
        (re.compile(r"\b(?:the\s+)?end\s+of\s+next\s+month\b|\bnext\s+month\b", re.I), lambda _: eom_next),
        (
            re.compile(r"\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month\b|\bmonth[- ]end\b", re.I),
            lambda _: end_of_month(m.year, m.month),
        ),
        (
            re.compile(
                r"\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?quarter\b|\bquarter[- ]end\b"
                r"|\b(?:before|by|until)\s+(?:the\s+)?quarter\s+(?:closes|ends|close)\b",
                re.I,
            ),
            lambda _: end_of_quarter(m),
        ),
        (
            re.compile(r"\b(?:the\s+)?end\s+of\s+next\s+quarter\b", re.I),
            lambda _: end_of_quarter(dt.date(*add_months(m, 3), 1)),
        ),
        (
            re.compile(r"\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?year\b|\byear[- ]end\b", re.I),
            lambda _: dt.date(m.year, 12, 31),
        ),
        (
            # "over the next two weeks" (not "over two weeks", which may be how long something took)
            re.compile(
                rf"\b(?:(?:in|within|give\s+me)\s+(?:the\s+next\s+)?|over\s+the\s+next\s+){_NUM}\s+(days?|weeks?|months?)\b",
                re.I,
            ),
            in_units,
        ),
        # "in the next fortnight", "within a fortnight": two weeks (British speakers say it often)
        (
            re.compile(r"\b(?:in|within|over|give\s+me)\s+(?:the\s+next\s+|a\s+)?fortnight\b", re.I),
            lambda _: m + dt.timedelta(weeks=2),
        ),
        # Chinese (simplified and traditional)
        (re.compile(rf"(?:(\d{{4}})年)?{_ZH_NUM}月{_ZH_NUM}[日号號]"), zh_month_day),
        (re.compile(rf"{_ZH_NEXT_WEEK}{_ZH_DAY}"), lambda g: weekday_of_next_week(m, ZH_WEEKDAY[g[1]])),
        (re.compile(rf"{_ZH_THIS_WEEK}{_ZH_DAY}"), lambda g: nxt(m, ZH_WEEKDAY[g[1]])),
        (re.compile(r"明天|明日|聽日|听日|聽朝|听朝"), lambda _: m + dt.timedelta(days=1)),  # 聽日: Cantonese
        (re.compile(r"后天|後天|後日|后日"), lambda _: m + dt.timedelta(days=2)),
        (re.compile(r"今天|今日|今晚"), lambda _: m),
        (re.compile(r"下(?:个|個)?月(?:底|末)|下(?:个|個)月"), lambda _: eom_next),
        (re.compile(r"(?:这|這|本)?(?:个|個)?月(?:底|末)"), lambda _: end_of_month(m.year, m.month)),
        (re.compile(rf"{_ZH_NEXT_WEEK}(?:内|內|前|之前|底|末)?"), lambda _: weekday_of_next_week(m, 4)),
        (
            re.compile(r"(?:这|這|本)(?:个|個)?(?:周|週|星期|礼拜|禮拜)(?:内|內|前|之前|底|末)?|(?:周|週)末前"),
            lambda _: weekday_of_this_week(m, 4),
        ),
        (re.compile(r"(?:本|这个|這個)?季度?(?:末|底)|(?:这|這|本)?(?:个|個)?季末"), lambda _: end_of_quarter(m)),
        (re.compile(r"(?:今|本)?年底|年末"), lambda _: dt.date(m.year, 12, 31)),
        (
            re.compile(
                rf"{_ZH_NUM}\s*(天|日|周|週|个星期|個星期|星期|个礼拜|個禮拜|礼拜|禮拜|个月|個月)(?:内|內|之内|之內)"
            ),
            zh_in_units,
        ),
    ]


# public holidays with a fixed rule (month, day) or (month, weekday, nth; -1 = last); Christmas has its own rule
HOLIDAYS: dict[str, tuple[int, int] | tuple[int, int, int]] = {
    "memorial day": (5, 0, -1),
    "labor day": (9, 0, 1),
    "labour day": (9, 0, 1),
    "thanksgiving": (11, 3, 4),
    "independence day": (7, 4),
    "fourth of july": (7, 4),
    "halloween": (10, 31),
    "new year's eve": (12, 31),
    "new year's day": (1, 1),
    "boxing day": (12, 26),
    "valentine's day": (2, 14),
    "columbus day": (10, 0, 2),
    "indigenous peoples' day": (10, 0, 2),
    "veterans day": (11, 11),
    "remembrance day": (11, 11),
    "juneteenth": (6, 19),
    "martin luther king day": (1, 0, 3),
    "mlk day": (1, 0, 3),
    "presidents' day": (2, 0, 3),
    # moveable feasts: days after Easter Sunday (month 0 marks them)
    "easter": (0, 0),
    "easter sunday": (0, 0),
    "good friday": (0, -2),
    "easter monday": (0, 1),
}
_HOLIDAYS = "|".join(re.escape(h).replace("'", "['’]?") for h in sorted(HOLIDAYS, key=len, reverse=True))


# "before the Easter shutdown", "before Easter peak kicks off": a season named after the day, not the day
_SEASON_OF = r"(?:weekend|break|peak|shutdown|holidays?|hols|rush|term|period|trading|party|sales?)\b"
_HOLIDAY_KEYS = {name.replace("'", ""): name for name in HOLIDAYS}  # "new years day" is said too


def _holiday(said: str, year: int) -> dt.date:
    rule = HOLIDAYS[_HOLIDAY_KEYS[re.sub(r"['’]", "", said.lower())]]
    if rule[0] == 0:
        return _easter(year) + dt.timedelta(days=rule[1])
    if len(rule) == 2:
        return dt.date(year, rule[0], rule[1])
    return _nth_weekday(year, *rule)


def _easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian computus, the anonymous algorithm): "Give us till Easter"."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    week = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * week) // 433
    month = (h + week - 7 * m + 90) // 25
    return dt.date(year, month, (h + week - 7 * m + 33 * month + 19) % 32)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The nth (1-4) or last (-1) given weekday of a month: Memorial Day is the last Monday of May."""
    days = [
        d for d in range(1, calendar.monthrange(year, month)[1] + 1) if dt.date(year, month, d).weekday() == weekday
    ]
    return dt.date(year, month, days[nth if nth < 0 else nth - 1])


def _month_year(meeting: dt.date, month: int) -> tuple[int, int]:
    year = meeting.year if month >= meeting.month else meeting.year + 1
    return year, month


NOT_A_DEADLINE = re.compile(
    r"\b(?:every|each)\s+(?:\w+\s+)?(?:" + _WD + r"|day|week|month|morning)s?\b|每(?:周|週|个|個|天|日|月)"
    r"|\b(?:starting|beginning|(?<!\ba\sweek\s)(?<!fortnight\s)(?<!days\s)(?<!weeks\s)(?<!months\s)from|since)\s+(?:on\s+|in\s+)?(?:next|this|the)?\s*\w+(?:\s+\w+)?"
    r"|\b(?:tax|fiscal|financial)\s+year[- ]end\b"  # its date depends on the country and the company
    # "the Friday drop-in sessions", "the Thursday one": a weekday naming a recurring thing, not a day
    r"|(?<!\bat\s)(?<!\bin\s)\bthe\s+(?:"
    + _WD
    + r")\s+(?!(?:after|before|of|at|in|morning|afternoon|evening|night|then|and|or)\b)[a-z]"
    # "I'll take it up with engineering in the Monday meeting": the next one is when it happens
    r"|\b(?:at|in)\s+the\s+(?:" + _WD + r")\s+(?!(?:after|before|of|at|in|morning|afternoon|evening|night|then|and|or"
    r"|meeting|call|catch-?up|huddle|stand-?up|briefing)\b)[a-z]"
    r"|从(?:下|这|這|本)?(?:个|個)?(?:周|週|月)\S?开始|從(?:下|这|這|本)?(?:个|個)?(?:周|週|月)\S?開始",
    re.I,
)


# "Tuesday won't work", "Thursday's gone with the lenders' visit", "Friday's no good": a day turned down is no deadline
REJECTED_AFTER = re.compile(
    r"^(?:['’]s|\s+is|\s+was)?\s*(?:won['’]t|doesn['’]t|does\s+not|will\s+not|isn['’]t|is\s+not|can['’]t)\s+"
    r"(?:work|suit|do\b|be\s+(?:done|possible))"
    r"|^(?:['’]s|\s+is)\s+(?:no\s+good|out\b|gone\b|bad\b|impossible|too\s+(?:late|early|soon|tight)|not\s+(?:good|possible))",
    re.I,
)
# "not the Tuesday, the Wednesday": a day said only to be turned down ("not until the tenth" still sets one)
REJECTED_BEFORE = re.compile(r"\bnot\s+(?:on\s+)?(?:the\s+)?$", re.I)
NOT_REJECTING = re.compile(r"^(?:by|before|until|till|til|after|within|in)\b", re.I)


def _rejected(date: ResolvedDate, text: str) -> bool:
    """True for a day turned down where it is said: it is then no one's deadline."""
    if REJECTED_AFTER.match(text[date.end :]):
        return True
    return bool(REJECTED_BEFORE.search(text[: date.start])) and not NOT_REJECTING.match(date.phrase)


def find_dates(text: str, meeting_date: dt.date) -> list[ResolvedDate]:
    """Every due-date phrase in `text`, resolved, left to right, without overlaps."""
    taken: list[tuple[int, int]] = []
    found: list[ResolvedDate] = []
    blocked = [(mm.start(), mm.end()) for mm in NOT_A_DEADLINE.finditer(text)]
    for pattern, resolver in _rules(meeting_date):
        for match in pattern.finditer(text):
            span = (match.start(), match.end())
            if any(a < span[1] and span[0] < b for a, b in taken + blocked):
                continue
            value = resolver(match)  # type: ignore[operator]
            if value is None:
                continue
            taken.append(span)
            found.append(ResolvedDate(date=value, phrase=match.group(0), start=span[0], end=span[1]))
    # "by tomorrow EOD", "Thursday, end of day", "EOD Friday": the time of day belongs to the day said with it
    found = [r for r in found if not (DAY_PART.match(r.phrase) and any(_said_with(r, o, text) for o in found))]
    # "on April fourteenth, it's a Wednesday": the weekday says again which day the date is, it is no other day
    found = [r for r in found if not (BARE_WEEKDAY.match(r.phrase) and any(_named_again(o, r, text) for o in found))]
    # "Janet's doing the VAT return first week of February, so I'll do your review the week after": a week on
    for match in WEEK_AFTER.finditer(text):
        said = [r for r in found if r.end <= match.start()]
        if said and not any(a < match.end() and match.start() < b for a, b in taken):
            last = max(said, key=lambda r: r.start)
            found.append(
                ResolvedDate(
                    date=last.date + dt.timedelta(weeks=1), phrase=match.group(0), start=match.start(), end=match.end()
                )
            )
    return sorted((r for r in found if not _rejected(r, text)), key=lambda r: r.start)


DAY_PART = re.compile(r"^(?:end\s+of\s+(?:the\s+)?day|eod|(?:close|end)\s+of\s+business|cob)$", re.I)
SAID_WITH = re.compile(r"^[\s,]*(?:on\s+|at\s+)?$", re.I)


def _said_with(part: ResolvedDate, other: ResolvedDate, text: str) -> bool:
    """Whether `other` is a day said right next to the time of day `part` ("tomorrow EOD", "EOD Friday")."""
    if other is part or DAY_PART.match(other.phrase):
        return False
    between = text[other.end : part.start] if other.end <= part.start else text[part.end : other.start]
    return bool(SAID_WITH.match(between))


BARE_WEEKDAY = re.compile(rf"^(?:{_WD})$", re.I)
NAMED_AGAIN = re.compile(r"^\s*,?\s*(?:(?:it['’]s|it\s+is|that['’]s|that\s+is|which\s+is)\s+)?(?:a|the)?\s*$", re.I)
WEEKDAY_BEFORE = re.compile(r"^\s*,?\s*(?:the\s*)?$", re.I)
HAS_DAY_NUMBER = re.compile(rf"\d|\b(?:{'|'.join(ORDINAL_WORDS)})\b", re.I)


def _named_again(date: ResolvedDate, weekday: ResolvedDate, text: str) -> bool:
    """Whether `weekday` is said next to `date`, a day of the month, only to say which weekday it is.

    "April fourteenth, it's a Wednesday" names it after the date, "Friday the first of October" before it.
    """
    if not HAS_DAY_NUMBER.search(date.phrase):  # a bare weekday has none
        return False
    if date.end <= weekday.start:
        return bool(NAMED_AGAIN.match(text[date.end : weekday.start]))
    return (
        weekday.end <= date.start
        and bool(WEEKDAY_BEFORE.match(text[weekday.end : date.start]))
        and WEEKDAYS_EN.get(weekday.phrase.lower()) == date.date.weekday()  # not "Saturday first thing tomorrow"
    )


WEEK_AFTER = re.compile(r"\bthe\s+week\s+after(?=\s*(?:[.,;!?]|$))", re.I)


def resolve_due(text: str, meeting_date: dt.date) -> dt.date | None:
    """The due date said in `text` (the last one when several are said, e.g. a corrected date)."""
    found = [r for r in find_dates(text, meeting_date) if r.date >= meeting_date]
    return found[-1].date if found else None
