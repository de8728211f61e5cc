"""R9.1 daily rules arithmetic (addon models/attendance_logic.py), without Odoo."""

from datetime import date, datetime, timedelta, timezone

import pytest
from conftest import load_pure

logic = load_pure("tools/lateness.py")

TAIPEI = timezone(timedelta(hours=8))
UTC = timezone.utc


def taipei(hour, minute=0, day=4):
    return datetime(2026, 3, day, hour, minute, tzinfo=TAIPEI)


# 08:00-12:00 and 13:00-17:00 in Taipei: the lunch hour is not work.
DAY = [(taipei(8), taipei(12)), (taipei(13), taipei(17))]
MORNING_OFF = [(taipei(13), taipei(17))]  # a half-day leave in the morning


def test_r9_1_on_time_is_not_late():
    assert logic.late_minutes(DAY, taipei(7, 50)) == 0
    assert logic.late_minutes(DAY, taipei(8)) == 0


def test_r9_1_late_minutes_across_time_zones():
    # 01:20 UTC is 09:20 in Taipei: 80 minutes late on a UTC server.
    check_in = datetime(2026, 3, 4, 1, 20, tzinfo=UTC)
    assert logic.late_minutes(DAY, check_in) == 80


def test_r9_1_lunch_break_is_not_counted():
    # Arriving at 13:30 misses the morning (240) and 30 minutes, not the lunch hour.
    assert logic.late_minutes(DAY, taipei(12, 30)) == 240
    assert logic.late_minutes(DAY, taipei(13, 30)) == 270


def test_r9_1_half_day_leave_moves_the_start():
    assert logic.late_minutes(MORNING_OFF, taipei(13, 10)) == 10
    assert logic.late_minutes(MORNING_OFF, taipei(12, 55)) == 0


@pytest.mark.parametrize("minute, grace, expected", [(4, 5, 0), (5, 5, 0), (6, 5, 6), (6, 0, 6), (1, None, 1)])
def test_r9_1_grace_minutes(minute, grace, expected):
    assert logic.late_minutes(DAY, taipei(8, minute), grace) == expected


def test_r9_1_early_leave():
    assert logic.early_leave_minutes(DAY, taipei(17, 5)) == 0
    assert logic.early_leave_minutes(DAY, taipei(16, 30)) == 30
    assert logic.early_leave_minutes(DAY, taipei(11, 30)) == 270
    assert logic.early_leave_minutes(DAY, taipei(16, 57), 5) == 0
    assert logic.early_leave_minutes(DAY, None) == 0


def test_r9_1_judge_day_first_is_late_last_leaves_early():
    attendances = [
        ("afternoon", taipei(13, 5), taipei(16, 40)),
        ("morning", taipei(8, 20), taipei(12)),
    ]
    assert logic.judge_day(DAY, attendances, 5) == {"morning": (20, 0), "afternoon": (0, 20)}


def test_r9_1_judge_day_single_attendance_and_open_attendance():
    assert logic.judge_day(DAY, [("a", taipei(8, 10), taipei(16))], 0) == {"a": (10, 60)}
    assert logic.judge_day(DAY, [("a", taipei(8, 10), None)], 0) == {"a": (10, 0)}


def test_r9_1_judge_day_off_is_never_late():
    assert logic.judge_day([], [("a", taipei(10), taipei(11))], 0) == {"a": (0, 0)}


def test_r9_1_days_to_judge_never_today():
    today = date(2026, 3, 4)
    assert logic.days_to_judge(today) == [date(2026, 3, 3)]
    assert logic.days_to_judge(today, 3) == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)]
    assert logic.days_to_judge(today, 0) == [date(2026, 3, 3)]


def test_r9_1_absent_days():
    expected = [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]
    assert logic.absent_days(expected, {date(2026, 3, 3)}) == [date(2026, 3, 2), date(2026, 3, 4)]
    assert logic.absent_days([], {date(2026, 3, 3)}) == []


def test_r9_1_retroactive_leave():
    requested = date(2026, 3, 4)
    assert logic.is_retroactive(date(2026, 3, 3), requested)
    assert not logic.is_retroactive(date(2026, 3, 4), requested)
    assert not logic.is_retroactive(date(2026, 3, 9), requested)
    assert not logic.is_retroactive(None, requested)


def test_months_to_watch():
    assert logic.months_to_watch(date(2026, 3, 1)) == [date(2026, 2, 1), date(2026, 3, 1)]
    assert logic.months_to_watch(date(2026, 1, 15)) == [date(2025, 12, 1), date(2026, 1, 1)]


def test_r9_1_passed_thresholds():
    figures = {"late": 3, "early_leave": 1, "absence": 1, "retroactive_leave": 0}
    thresholds = {"late": 3, "early_leave": 2, "absence": 1, "retroactive_leave": 0}
    assert logic.passed_thresholds(figures, thresholds) == [("late", 3, 3), ("absence", 1, 1)]
    assert logic.passed_thresholds({}, thresholds) == []


@pytest.mark.parametrize(
    "user_lang, expected",
    [("zh_TW", "zh_TW"), ("zh_CN", "zh_CN"), ("zh_HK", "zh_TW"), ("en_GB", "en_US"), ("fr_FR", "en_US")],
)
def test_holiday_language(user_lang, expected):
    assert logic.pick_language(user_lang, ("en_US", "th", "zh_CN", "zh_TW"), "zh_TW") == expected


def test_holiday_language_without_english_falls_back_to_the_country():
    assert logic.pick_language("fr_FR", ("ja",), "ja") == "ja"
    assert logic.pick_language(None, (), "ja") == "ja"


def test_r9_1_makeup_workdays_china_2026_and_taiwan_2021():
    import holidays

    china = logic.makeup_workdays(holidays.country_holidays("CN", years=(2025, 2026, 2027)), 2026)
    assert china == {
        date(2026, 1, 4): date(2026, 1, 2),
        date(2026, 2, 14): date(2026, 2, 20),
        date(2026, 2, 28): date(2026, 2, 23),
        date(2026, 5, 9): date(2026, 5, 5),
        date(2026, 9, 20): date(2026, 10, 6),
        date(2026, 10, 10): date(2026, 10, 7),
    }
    taiwan = logic.makeup_workdays(holidays.country_holidays("TW", years=(2020, 2021, 2022)), 2021)
    assert taiwan == {date(2021, 2, 20): date(2021, 2, 10), date(2021, 9, 11): date(2021, 9, 20)}
    # a year without make-up days, and a calendar without the attribute
    assert logic.makeup_workdays(holidays.country_holidays("TW", years=2026), 2026) == {}
    assert logic.makeup_workdays(object(), 2026) == {}


def test_r9_1_makeup_workdays_keep_only_the_year():
    class Calendar:
        weekend_workdays = {date(2025, 12, 27), date(2026, 1, 4)}
        special_public_holidays = {2026: ((1, 2, 1, 4), (1, 5, 12, 27, 2025))}

    assert logic.makeup_workdays(Calendar(), 2026) == {date(2026, 1, 4): date(2026, 1, 2)}
    assert logic.makeup_workdays(Calendar(), 2025) == {date(2025, 12, 27): date(2026, 1, 5)}


@pytest.mark.parametrize(
    ("rule", "freed", "expected"),
    [
        ("freed", date(2026, 2, 23), 0),  # Monday
        ("freed", date(2026, 10, 7), 2),  # Wednesday
        ("freed", None, 0),
        ("freed", date(2026, 2, 21), 0),  # a Saturday day off: Monday
        ("4", date(2026, 2, 23), 4),
        ("2", None, 2),
    ],
)
def test_r9_1_makeup_weekday(rule, freed, expected):
    assert logic.makeup_weekday(rule, freed) == expected
