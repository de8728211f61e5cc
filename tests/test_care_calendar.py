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
