"""R3.5 festival dates from the holidays library (addon models/care_calendar.py), without Odoo."""

from datetime import date

import pytest
from conftest import load_pure

calendar = load_pure("tools/care_calendar.py")


@pytest.mark.parametrize("country", ["TW", "CN"])
@pytest.mark.parametrize(
    "festival, year, expected",
    [
        ("lunar_new_year", 2026, date(2026, 2, 17)),
        ("lunar_new_year", 2027, date(2027, 2, 6)),
        ("dragon_boat", 2026, date(2026, 6, 19)),
        ("dragon_boat", 2027, date(2027, 6, 9)),
        ("mid_autumn", 2026, date(2026, 9, 25)),
        ("mid_autumn", 2027, date(2027, 9, 15)),
    ],
)
def test_r3_5_festival_dates_2026_2027(festival, year, expected, country):
    assert calendar.festival_date(festival, year, country) == expected


def test_r3_5_any_year():
    assert calendar.festival_date("lunar_new_year", 2045, "TW") == date(2045, 2, 17)
    assert calendar.festival_date("mid_autumn", 2099, "CN") == date(2099, 9, 29)


def test_r3_5_fixed_dates_and_next_occurrence():
    assert calendar.occasion_date("fixed", 2027, month=3, day=8) == date(2027, 3, 8)
    assert calendar.occasion_date("fixed", 2027, month=2, day=29) is None
    assert calendar.occasion_date("birthday", 2027) is None
    assert calendar.next_occurrence("festival", date(2026, 6, 20), festival="dragon_boat") == date(2027, 6, 9)
    assert calendar.next_occurrence("festival", date(2026, 6, 19), festival="dragon_boat") == date(2026, 6, 19)


# Lunar birthdays: lunar_python's conversions, checked against the holidays library's festivals
# (the 15th day of the 8th month is the Mid-Autumn Festival, the 5th of the 5th the Dragon Boat
# Festival, the 1st of the 1st Lunar New Year) and the Hong Kong Observatory's calendar.


@pytest.mark.parametrize("year", [1901, 1950, 2000, 2027, 2028, 2050, 2099])
def test_r3_5_lunar_dates_agree_with_the_holidays_festivals(year):
    from holidays.calendars.chinese import _ChineseLunisolar

    lunisolar = _ChineseLunisolar()
    mid_autumn, _ = lunisolar.mid_autumn_date(year)
    new_year, _ = lunisolar.lunar_new_year_date(year)
    assert calendar.lunar_date(mid_autumn) == (8, 15, False)
    assert calendar.lunar_date(new_year) == (1, 1, False)
    assert calendar.lunar_birthday_in_year(8, 15, False, year) == [mid_autumn]


def test_r3_5_lunar_birthday_8th_month_1st_day():
    assert calendar.lunar_birthday_in_year(8, 1, False, 2027) == [date(2027, 9, 1)]
    assert calendar.lunar_birthday_in_year(8, 1, False, 2028) == [date(2028, 9, 19)]
    assert calendar.lunar_birthday_keys(date(2027, 9, 1)) == [801, 10801]  # 2027 has no leap 8th month
    assert calendar.lunar_birthday_keys(date(2027, 8, 31)) != [801, 10801]


def test_r3_5_lunar_birthday_leap_month():
    # 2028 has a leap 5th month: 24 May is the 1st of the 5th, 23 June the 1st of the leap 5th
    assert calendar.lunar_date(date(2028, 6, 23)) == (5, 1, True)
    assert calendar.lunar_birthday_keys(date(2028, 5, 24)) == [501]
    assert calendar.lunar_birthday_keys(date(2028, 6, 23)) == [10501]
    assert calendar.lunar_birthday_in_year(5, 1, True, 2028) == [date(2028, 6, 23)]
    # 2027 has none: the leap-month birthday is greeted on the ordinary month's day
    assert calendar.lunar_birthday_in_year(5, 1, True, 2027) == [date(2027, 6, 5)]
    assert calendar.lunar_birthday_keys(date(2027, 6, 5)) == [501, 10501]


def test_r3_5_lunar_birthday_30th_day_in_a_short_month_and_impossible_dates():
    # the 12th month of lunar year 2026 has 29 days: its 29th (5 February 2027) greets the 30th too
    assert calendar.lunar_birthday_keys(date(2027, 2, 5)) == [1229, 1230, 11229, 11230]
    assert calendar.lunar_birthday_in_year(12, 30, False, 2027) == [date(2027, 2, 5)]
    assert calendar.lunar_birthday_in_year(13, 1, False, 2027) == []
    assert calendar.lunar_birthday_in_year(1, 0, False, 2027) == []
    assert calendar.lunar_key(0, 1) == 0


@pytest.mark.parametrize("year", [1900, 2100])
def test_r3_5_lunar_birthday_covers_1900_to_2100(year):
    found = calendar.lunar_birthday_in_year(6, 15, False, year)
    assert len(found) == 1 and found[0].year == year
