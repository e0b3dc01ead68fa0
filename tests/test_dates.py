"""The deterministic due-date resolver (copilot.domain.dates), English and Chinese."""

from __future__ import annotations

import datetime as dt

import pytest

from copilot.domain.dates import end_of_quarter, find_dates, resolve_due

MONDAY = dt.date(2026, 11, 30)
WEDNESDAY = dt.date(2026, 3, 11)


@pytest.mark.parametrize(
    ("text", "meeting", "expected"),
    [
        ("by Friday", MONDAY, "2026-12-04"),
        ("this Friday", MONDAY, "2026-12-04"),
        ("next Friday", MONDAY, "2026-12-11"),
        ("next Friday", WEDNESDAY, "2026-03-20"),
        ("Friday", dt.date(2026, 12, 4), "2026-12-11"),  # said on a Friday: the next one
        ("by Monday week", MONDAY, "2026-12-14"),  # British: a week after the coming Monday
        ("Friday week", dt.date(2026, 12, 4), "2026-12-18"),
        ("a week on Friday", MONDAY, "2026-12-11"),
        ("a week tomorrow", MONDAY, "2026-12-08"),
        ("by a week from Friday", MONDAY, "2026-12-11"),  # American for "a week on Friday"
        ("The tenth?", MONDAY, "2026-12-10"),  # a sentence that is only a day of the month
        ("by tomorrow noon", MONDAY, "2026-12-01"),
        ("Friday at 3pm", MONDAY, "2026-12-04"),
        ("a week from today", MONDAY, "2026-12-07"),
        ("The freeze is the eleventh.", MONDAY, "2026-12-11"),
        ("I'll chase it Thursday morning", MONDAY, "2026-12-03"),
        ("Sprint ends Friday, it's the 4th.", MONDAY, "2026-12-04"),
        ("I'll send it over after this.", MONDAY, "2026-11-30"),
        ("by the end of the month", MONDAY, "2026-11-30"),
        ("end of the month", WEDNESDAY, "2026-03-31"),
        ("end of next month", MONDAY, "2026-12-31"),
        ("next week", MONDAY, "2026-12-11"),
        ("this week", WEDNESDAY, "2026-03-13"),
        ("tomorrow", MONDAY, "2026-12-01"),
        ("by end of day", MONDAY, "2026-11-30"),
        ("in two weeks", WEDNESDAY, "2026-03-25"),
        ("within 3 days", MONDAY, "2026-12-03"),
        ("end of the quarter", WEDNESDAY, "2026-03-31"),
        ("by year end", MONDAY, "2026-12-31"),
        ("by December 12th", MONDAY, "2026-12-12"),
        ("by October first", MONDAY, "2027-10-01"),
        ("on the twenty-first of December", MONDAY, "2026-12-21"),
        ("on the 5th of January", MONDAY, "2027-01-05"),
        ("before 2027-02-01", MONDAY, "2027-02-01"),
        ("下周五前", MONDAY, "2026-12-11"),
        ("下個禮拜五", MONDAY, "2026-12-11"),
        ("下个星期三", MONDAY, "2026-12-09"),
        ("这周五", MONDAY, "2026-12-04"),
        ("下个月底", MONDAY, "2026-12-31"),
        ("月底前", WEDNESDAY, "2026-03-31"),
        ("明天", MONDAY, "2026-12-01"),
        ("12月5日之前", MONDAY, "2026-12-05"),
        ("十二月二十号", MONDAY, "2026-12-20"),
        ("两周内", MONDAY, "2026-12-14"),
        ("年底", MONDAY, "2026-12-31"),
        ("early next week", WEDNESDAY, "2026-03-16"),
        ("by the 15th", WEDNESDAY, "2026-03-15"),
        ("by the 5th", WEDNESDAY, "2026-04-05"),  # already past this month: next month
        ("on the 30th", dt.date(2027, 2, 3), "2027-03-30"),  # no 30 February: the next 30th
        ("before the quarter closes", MONDAY, "2026-12-31"),
        ("by mid-December", MONDAY, "2026-12-15"),
        ("I'll have it to you by the twentieth.", MONDAY, "2026-12-20"),
        ("before the regional meeting on the third", MONDAY, "2026-12-03"),
        ("by the twenty-seventh, okay?", WEDNESDAY, "2026-03-27"),
        ("before the site visit on the twenty-first I'll have it done", MONDAY, "2026-12-21"),
        ("I'll get them done in the next fortnight", MONDAY, "2026-12-14"),
        ("within a fortnight", WEDNESDAY, "2026-03-25"),
        ("I'll sit down with every one of the servers. Over the next two weeks.", MONDAY, "2026-12-14"),
        ("it took over two weeks", MONDAY, None),  # how long, not by when
        ("a fortnight ago", MONDAY, None),
        ("the first I heard of it", MONDAY, None),
        ("by mid-month", MONDAY, "2026-12-15"),
        ("this afternoon", MONDAY, "2026-11-30"),
        ("I'll email them this arvo", MONDAY, "2026-11-30"),  # Australian: this afternoon
        ("by close of business", WEDNESDAY, "2026-03-11"),
        ("by the end of Q1", MONDAY, "2027-03-31"),
        ("Q3 end", WEDNESDAY, "2026-09-30"),
        ("before the holidays", MONDAY, "2026-12-24"),
        ("before Christmas", MONDAY, "2026-12-24"),
        ("before the holidays", WEDNESDAY, None),  # in March: which holidays?
    ],
)
def test_resolves_relative_dates(text: str, meeting: dt.date, expected: str | None) -> None:
    assert resolve_due(text, meeting) == (dt.date.fromisoformat(expected) if expected else None)


@pytest.mark.parametrize(
    "text",
    [
        "every Monday",
        "this half",
        "starting next month",
        "每周一",
        "从下个月开始",
        "we talked last week",
        "no date",
        "after this one is signed off",
        "That's the first. Then the rota.",
        "This is the fourth time it has failed",
        "for the first time",
        "on the second day",
        "Q2 numbers look good",
        "before tax year-end",
        "starting from Friday",
        "The first.",
        "from Friday on",
    ],
)
def test_recurrences_starts_and_plain_words_are_not_due_dates(text: str) -> None:
    assert resolve_due(text, MONDAY) is None


def test_a_corrected_date_wins_and_past_dates_are_ignored() -> None:
    assert resolve_due("by Friday, actually make it next Tuesday", MONDAY) == dt.date(2026, 12, 8)
    assert resolve_due("it was due 2026-11-01", MONDAY) is None


def test_found_phrases_are_exact_slices() -> None:
    text = "I'll send it by next Friday and review it 下周五"
    for found in find_dates(text, MONDAY):
        assert text[found.start : found.end] == found.phrase


def test_quarter_ends() -> None:
    assert end_of_quarter(dt.date(2026, 2, 1)) == dt.date(2026, 3, 31)
    assert end_of_quarter(dt.date(2026, 11, 30)) == dt.date(2026, 12, 31)


def test_a_weekday_naming_a_recurring_thing_is_no_date_and_weekday_the_nth_is_that_day() -> None:
    monday = dt.date(2027, 5, 10)
    assert find_dates("let me take the Friday drop-in sessions off you", monday) == []
    [found] = find_dates("by Friday the 28th", monday)
    assert found.date == dt.date(2027, 5, 28)
    [found] = find_dates("I'll do it on the Friday.", monday)
    assert found.date == dt.date(2027, 5, 14)


def test_a_short_weekday_is_a_day_only_when_capitalised() -> None:
    meeting = dt.date(2026, 11, 30)  # a Monday
    assert find_dates("I'll believe it when I see them sat at a desk.", meeting) == []
    assert not {d.phrase.lower() for d in find_dates("They wed last year, the sun was out.", meeting)} & {"wed", "sun"}
    assert [d.date for d in find_dates("by Sat", meeting)] == [dt.date(2026, 12, 5)]
    assert [d.date for d in find_dates("by next Tues", meeting)] == [dt.date(2026, 12, 8)]


def test_a_cut_off_day_of_the_month_is_still_a_date() -> None:
    meeting = dt.date(2027, 1, 19)
    assert [d.date for d in find_dates("Sure. I can do on the twenty-eighth-", meeting)] == [dt.date(2027, 1, 28)]
    assert find_dates("We can meet on the third-floor landing.", meeting) == []


def test_the_nth_weekday_of_a_month() -> None:
    meeting = dt.date(2027, 4, 16)
    assert [d.date for d in find_dates("The last Friday in June.", meeting)] == [dt.date(2027, 6, 25)]
    assert [d.date for d in find_dates("the first Monday of May", meeting)] == [dt.date(2027, 5, 3)]
    assert [d.date for d in find_dates("the second Tuesday in April", meeting)] == [dt.date(2028, 4, 11)]  # passed


def test_public_holidays_with_a_fixed_rule() -> None:
    meeting = dt.date(2027, 5, 14)
    assert [d.date for d in find_dates("I'll get it done by Memorial Day.", meeting)] == [dt.date(2027, 5, 31)]
    assert [d.date for d in find_dates("before Thanksgiving", meeting)] == [dt.date(2027, 11, 24)]  # the day before
    assert [d.date for d in find_dates("by New Years Day", meeting)] == [dt.date(2028, 1, 1)]
    assert find_dates("Memorial Day weekend was fun.", meeting) == []  # no deadline word


def test_easter_and_more_public_holidays() -> None:
    meeting = dt.date(2026, 3, 19)
    assert [d.date for d in find_dates("Give us till Easter, aye.", meeting)] == [dt.date(2026, 4, 5)]
    assert [d.date for d in find_dates("by Good Friday", meeting)] == [dt.date(2026, 4, 3)]  # not the next Friday
    assert [d.date for d in find_dates("by Easter Monday", dt.date(2027, 1, 5))] == [dt.date(2027, 3, 29)]
    assert [d.date for d in find_dates("I'll have that done by Columbus Day.", meeting)] == [dt.date(2026, 10, 12)]
    assert [d.date for d in find_dates("by Veterans Day", meeting)] == [dt.date(2026, 11, 11)]
    # a season named after the day is not the day
    assert find_dates("Could you get them signed off before the Easter shutdown?", meeting) == []
    assert find_dates("before Easter peak kicks off", meeting) == []


def test_a_day_put_after_its_event_and_the_weekend() -> None:
    meeting = dt.date(2028, 3, 17)  # a Friday
    said = "I will do the teaching at the next staff meeting, the twenty-ninth."
    assert [d.date for d in find_dates(said, meeting)] == [dt.date(2028, 3, 29)]
    assert find_dates("Yeah, the twentieth. Thanks.", meeting) == []  # an answer says which day, not a deadline
    restated = find_dates("I'll have it done by the Friday before, so the twenty-fifth.", meeting)
    assert [(d.phrase, d.date) for d in restated][-1] == ("so the twenty-fifth", dt.date(2028, 3, 25))
    assert [d.date for d in find_dates("I'll send you my reflections this weekend.", meeting)] == [dt.date(2028, 3, 19)]
    assert find_dates("if the pump fails over the weekend", meeting) == []  # when it happens, not a deadline
    assert [d.date for d in find_dates("next weekend", meeting)] == [dt.date(2028, 3, 26)]
    assert find_dates("I'm on nights at weekends.", meeting) == []
    assert find_dates("I'm away at the weekend.", meeting) == []  # when, not by when
    assert [d.date for d in find_dates("I'll update that by the weekend.", meeting)] == [dt.date(2028, 3, 19)]
    assert [d.date for d in find_dates("I'll take it to HR the week after next.", meeting)] == [dt.date(2028, 3, 31)]
    assert [d.date for d in find_dates("Can you send it before the weekend?", meeting)] == [dt.date(2028, 3, 17)]


def test_the_morn_is_tomorrow() -> None:
    meeting = dt.date(2027, 7, 10)
    assert [d.date for d in find_dates("Aye, I'll get it done the morn.", meeting)] == [dt.date(2027, 7, 11)]
    assert find_dates("the morning after the match", meeting) == []
    said = "Then I'll do it first thing in the mornin', before the taproom opens."
    assert [d.date for d in find_dates(said, meeting)] == [dt.date(2027, 7, 11)]
    assert [d.date for d in find_dates("first thing in the morning", meeting)] == [dt.date(2027, 7, 11)]
    assert find_dates("I do the counts in the morning.", meeting) == []  # when, every day: no deadline


def test_a_weekday_with_its_day_said_as_a_number() -> None:
    meeting = dt.date(2027, 7, 12)  # a Monday
    assert [d.date for d in find_dates("Monday twenty-six, okay.", meeting)] == [dt.date(2027, 7, 26)]
    assert [d.date for d in find_dates("Monday 26, okay", meeting)] == [dt.date(2027, 7, 26)]
    assert [d.date for d in find_dates("Monday 25, okay", meeting)] == [
        dt.date(2027, 7, 19)
    ]  # not a Monday: the weekday
    assert [d.date for d in find_dates("Tuesday two hours", meeting)] == [dt.date(2027, 7, 13)]


def test_a_day_of_the_month_said_alone_with_a_tag() -> None:
    meeting = dt.date(2026, 10, 7)
    for said in ("The nineteenth, is it still?", "The 19th, yes.", "The nineteenth, right?"):
        assert [d.date for d in find_dates(said, meeting)] == [dt.date(2026, 10, 19)], said
    assert find_dates("The first, yes.", meeting) == []  # the first three days are as often a list


def test_a_week_of_a_month_and_a_span_from_now() -> None:
    """The week that holds the month's first Thursday: 1 January 2027 is a Friday, but not that week's end."""
    meeting = dt.date(2026, 12, 8)
    found = find_dates("I'll do the training for Abena in the first week of January.", meeting)
    assert [d.date for d in found] == [dt.date(2027, 1, 8)]
    assert [d.date for d in find_dates("a clinic in the first week of February", dt.date(2027, 1, 7))] == [
        dt.date(2027, 2, 5)
    ]
    assert [d.date for d in find_dates("by the last week of March", meeting)] == [dt.date(2027, 3, 26)]
    assert [d.date for d in find_dates("I'll write it up, a fortnight from now.", dt.date(2027, 1, 7))] == [
        dt.date(2027, 1, 21)
    ]
    assert [d.date for d in find_dates("I'll have it three weeks from today.", meeting)] == [dt.date(2026, 12, 29)]
    assert find_dates("I'll send you the notes from today.", meeting) == []  # where the notes come from


def test_the_week_after_a_date_said_before() -> None:
    meeting = dt.date(2027, 1, 21)
    said = "Janet's doing the VAT return first week of February, so I'll do your review the week after."
    assert [d.date for d in find_dates(said, meeting)] == [dt.date(2027, 2, 5), dt.date(2027, 2, 12)]
    assert find_dates("I'll do your review the week after.", meeting) == []  # after nothing said


def test_the_day_after_tomorrow_is_two_days_on() -> None:
    meeting = dt.date(2027, 3, 4)  # a Thursday
    assert resolve_due("I'll pull those tapes the day after tomorrow.", meeting) == dt.date(2027, 3, 6)
    assert resolve_due("I'll send it tomorrow.", meeting) == dt.date(2027, 3, 5)


@pytest.mark.parametrize(
    ("said", "due"),
    [
        ("I will close the answered queries and share the listing by tomorrow EOD.", dt.date(2027, 8, 12)),
        ("I'll send it Thursday, end of day.", dt.date(2027, 8, 12)),
        ("You'll have it EOD Friday.", dt.date(2027, 8, 13)),
        ("Tomorrow COB at the latest.", dt.date(2027, 8, 12)),
        ("I'll send it by end of day.", dt.date(2027, 8, 11)),  # said alone, it is today
    ],
)
def test_end_of_day_said_with_a_day_is_that_day(said: str, due: dt.date) -> None:
    assert resolve_due(said, dt.date(2027, 8, 11)) == due  # a Wednesday


def test_a_weekday_of_the_month_said_by_its_rank() -> None:
    meeting = dt.date(2027, 7, 10)
    said = "I'll run an open session the last Wednesday of the month"
    assert resolve_due(said, meeting) == dt.date(2027, 7, 28)
    assert resolve_due("on the first Monday of next month", meeting) == dt.date(2027, 8, 2)
    # this month's first Monday has gone: the next one is meant
    assert resolve_due("I'll book it for the first Monday of the month.", meeting) == dt.date(2027, 8, 2)


def test_a_weekday_after_a_holiday() -> None:
    assert resolve_due("I'll run it the Monday after New Year.", dt.date(2026, 11, 26)) == dt.date(2027, 1, 4)
    assert resolve_due("the Tuesday after Easter", dt.date(2027, 1, 12)) == dt.date(2027, 3, 30)
    # a holiday on that very weekday: the following week's
    assert resolve_due("the Friday after Christmas", dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)


def test_a_weekday_that_names_the_date_just_said_is_no_second_day() -> None:
    meeting = dt.date(2027, 3, 4)
    said = "I'll run the drill on the unit on April fourteenth, it's a Wednesday, the residents are around."
    assert [d.date for d in find_dates(said, meeting)] == [dt.date(2027, 4, 14)]
    assert resolve_due(said, meeting) == dt.date(2027, 4, 14)
    # a weekday said as a day of its own still counts
    assert [d.date for d in find_dates("By the 12th, or Friday if it slips.", meeting)] == [
        dt.date(2027, 3, 12),
        dt.date(2027, 3, 5),
    ]


@pytest.mark.parametrize(
    "said",
    [
        "Tuesday won't work.",
        "Thursday's gone with the lenders' visit.",
        "Friday's no good for me.",
        "Friday is too late.",
        "No, not Monday.",
        "So not the Tuesday.",
    ],
)
def test_a_day_turned_down_is_no_deadline(said: str) -> None:
    assert find_dates(said, MONDAY) == []


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("Not until the tenth.", dt.date(2026, 12, 10)),  # "not until" still sets the day
        ("Friday's fine.", dt.date(2026, 12, 4)),
        ("Okay, so not the Tuesday, the Wednesday.", dt.date(2026, 12, 2)),
    ],
)
def test_a_day_kept_or_chosen_over_a_refused_one_stays(said: str, expected: dt.date) -> None:
    assert [d.date for d in find_dates(said, MONDAY)] == [expected]


def test_a_weekday_said_before_the_date_it_names_is_no_second_day() -> None:
    """'Friday the first of October' is the first of October; the Friday only says which weekday it is."""
    meeting = dt.date(2027, 9, 15)
    assert [d.date for d in find_dates("Can I make it Friday the first of October instead?", meeting)] == [
        dt.date(2027, 10, 1)
    ]
    # another weekday than the date's is a day of its own
    said = "I'll sign off the overtime for Saturday first thing tomorrow."
    assert [d.date for d in find_dates(said, meeting)] == [dt.date(2027, 9, 18), dt.date(2027, 9, 16)]
