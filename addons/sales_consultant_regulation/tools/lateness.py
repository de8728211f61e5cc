# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The arithmetic of the daily rules (R9.1), free of the ORM so it is tested without Odoo.

A day's expected work is a list of ``(start, end)`` intervals, as the working schedule gives
them once lunch breaks, public holidays and approved time off are removed (Odoo's
``resource.calendar._work_intervals_batch``). Attendances are ``(key, check_in, check_out)``
with ``check_out`` None while the employee is still at work. All datetimes of one call are
comparable with each other (all aware, or all naive in the same zone).

Lateness is the expected work missed before the first check-in of the day; early leave is the
expected work missed after the last check-out. Gaps between two attendances of the same day
(an errand, a long lunch) are neither. A figure up to the grace minutes counts as zero; above
them it counts in full, so arriving 6 minutes late with 5 minutes of grace is 6 minutes late.
"""

from datetime import date, timedelta

FIGURES = ("late", "early_leave", "absence", "retroactive_leave")
# Written Chinese: Hong Kong and Macau read traditional characters, Singapore simplified.
CLOSE_VARIANTS = {"zh_HK": "zh_TW", "zh_MO": "zh_TW", "zh_SG": "zh_CN"}


def _minutes(delta):
    return int(delta.total_seconds() // 60)


def work_minutes_between(intervals, start=None, end=None):
    """Whole minutes of the intervals that fall between start and end (None: unbounded)."""
    total = timedelta()
    for interval_start, interval_end in intervals:
        lower = interval_start if start is None else max(interval_start, start)
        upper = interval_end if end is None else min(interval_end, end)
        if upper > lower:
            total += upper - lower
    return _minutes(total)


def apply_grace(minutes, grace_minutes):
    """Minutes within the grace period are forgiven; beyond it they count in full."""
    return minutes if minutes > max(grace_minutes or 0, 0) else 0


def late_minutes(intervals, check_in, grace_minutes=0):
    """Expected work the employee missed before checking in."""
    return apply_grace(work_minutes_between(intervals, end=check_in), grace_minutes)


def early_leave_minutes(intervals, check_out, grace_minutes=0):
    """Expected work the employee missed after checking out (0 while still at work)."""
    if check_out is None:
        return 0
    return apply_grace(work_minutes_between(intervals, start=check_out), grace_minutes)


def judge_day(intervals, attendances, grace_minutes=0):
    """Late and early-leave minutes of each attendance of one employee's day.

    :param intervals: the day's expected work intervals; empty on a day off
    :param attendances: ``(key, check_in, check_out)`` of that day
    :return: ``{key: (late_minutes, early_leave_minutes)}``; the first attendance carries the
        lateness, the last one the early leave, the others zero
    """
    result = {key: (0, 0) for key, _check_in, _check_out in attendances}
    if not intervals or not attendances:
        return result
    ordered = sorted(attendances, key=lambda att: att[1])
    first_key, first_in, _first_out = ordered[0]
    last_key, _last_in, last_out = ordered[-1]
    late = late_minutes(intervals, first_in, grace_minutes)
    early = early_leave_minutes(intervals, last_out, grace_minutes)
    result[first_key] = (late, result[first_key][1])
    result[last_key] = (result[last_key][0], early)
    return result


def days_to_judge(today, lookback_days=1):
    """The days an absence run judges: the lookback_days before today, oldest first.

    Today is never judged: the employee may still check in.
    """
    return [today - timedelta(days=offset) for offset in range(max(lookback_days, 1), 0, -1)]


def absent_days(expected_days, present_days):
    """Working days without an attendance, sorted."""
    return sorted(set(expected_days) - set(present_days))


def is_retroactive(date_from, requested_on):
    """R9.1: time off must be asked for in advance; one starting before the day it was
    requested is retroactive (the same day is still in time)."""
    if not date_from or not requested_on:
        return False
    return date_from < requested_on


def month_start(day):
    return date(day.year, day.month, 1)


def months_to_watch(today):
    """The months whose discipline figures can still change today: the current month, and the
    previous one (absences of its last day are recorded on the first of the next)."""
    current = month_start(today)
    previous = month_start(current - timedelta(days=1))
    return [previous, current]


def passed_thresholds(figures, thresholds):
    """The figures that reached their alert threshold; a threshold of 0 turns the alert off.

    :param figures: ``{figure: count}``
    :param thresholds: ``{figure: threshold}``
    :return: ``[(figure, count, threshold)]`` in FIGURES order
    """
    passed = []
    for figure in FIGURES:
        threshold = thresholds.get(figure) or 0
        count = figures.get(figure) or 0
        if threshold > 0 and count >= threshold:
            passed.append((figure, count, threshold))
    return passed


def pick_language(user_lang, supported, default):
    """The `holidays` library language closest to the user's: exact (zh_TW), then the same
    language in another region (zh_HK -> zh_TW or zh_CN), then English, then the country's own."""
    supported = tuple(supported or ())
    if user_lang in supported:
        return user_lang
    if CLOSE_VARIANTS.get(user_lang) in supported:
        return CLOSE_VARIANTS[user_lang]
    prefix = (user_lang or "").split("_")[0]
    for lang in supported:
        if prefix and lang.split("_")[0] == prefix:
            return lang
    for fallback in ("en_US", "en"):
        if fallback in supported:
            return fallback
    return default


def makeup_workdays(calendar, year):
    """The make-up working days (補班 / 调休) of a ``holidays`` calendar in ``year``:
    ``{weekend date worked: the day off it pays back, or None when the calendar does not say}``.

    ``weekend_workdays`` may hold days of other years (a day off of this year paid back last
    December); only the year's own are kept. The day off comes from the calendar's substituted
    holidays, ``(to_month, to_day, from_month, from_day[, from_year])`` by year.
    """
    workdays = {day: None for day in getattr(calendar, "weekend_workdays", ()) or () if day.year == year}
    if not workdays:
        return workdays
    for attribute in dir(calendar):
        if not attribute.startswith("special_"):
            continue
        mapping = getattr(calendar, attribute, None)
        if not isinstance(mapping, dict):
            continue
        for holiday_year in (year - 1, year, year + 1):
            entries = mapping.get(holiday_year, ())
            entries = entries if entries and isinstance(entries[0], tuple) else ((entries,) if entries else ())
            for entry in entries:
                if len(entry) not in (4, 5) or not all(isinstance(part, int) for part in entry):
                    continue
                to_month, to_day, from_month, from_day, *from_year = entry
                worked = date(from_year[0] if from_year else holiday_year, from_month, from_day)
                if worked in workdays:
                    workdays[worked] = date(holiday_year, to_month, to_day)
    return workdays


def makeup_weekday(rule, freed_day):
    """The weekday (0 = Monday) whose hours a make-up working day is worked for.

    :param rule: ``"freed"``: the weekday of the day off it pays back (Monday when that is
        unknown or itself a weekend day); or a weekday number as a string, ``"0"`` to ``"4"``
    """
    if rule and rule != "freed":
        return int(rule)
    if freed_day and freed_day.weekday() < 5:
        return freed_day.weekday()
    return 0
