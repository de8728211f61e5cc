# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Festival dates for the care calendar (R3.5), taken from the ``holidays`` library so that
nobody types lunar dates: its Taiwan and China calendars give Lunar New Year, the Dragon Boat
Festival and the Mid-Autumn Festival for any year. Lunar birthdays are converted by
``lunar_python`` (6tail's lunar calendar, 1900-2100 and beyond): ``holidays``' own Chinese
lunisolar helpers only know the festivals, not any month and day, nor leap months.
No ORM here: tested without Odoo.
"""

from datetime import date
from functools import lru_cache

import holidays
from lunar_python import Lunar, LunarMonth, Solar

FESTIVALS = [
    ("lunar_new_year", "Lunar New Year"),
    ("dragon_boat", "Dragon Boat Festival"),
    ("mid_autumn", "Mid-Autumn Festival"),
]
CALENDARS = [("TW", "Taiwan"), ("CN", "China")]

# The holiday names (in the library's en_US labels) that mark the festival's own day in each
# calendar; observed days, eves and substitute days carry other names and are left out.
_HOLIDAY_NAMES = {
    "lunar_new_year": ("Chinese New Year", "Chinese New Year (Spring Festival)"),
    "dragon_boat": ("Dragon Boat Festival",),
    "mid_autumn": ("Mid-Autumn Festival",),
}


@lru_cache(maxsize=64)
def _calendar(country, year):
    return holidays.country_holidays(country, years=year, language="en_US")


def festival_date(festival, year, country="TW"):
    """The date of ``festival`` in ``year`` by the ``country`` calendar, or None when the
    calendar does not have it that year."""
    names = _HOLIDAY_NAMES[festival]
    days = [day for day, name in _calendar(country, year).items() if name in names]
    return min(days) if days else None


def occasion_date(kind, year, *, month=None, day=None, festival=None, country="TW"):
    """The date a fixed-date or festival occasion falls on in ``year`` (None for birthdays,
    which fall on each customer's own date, or an impossible fixed date)."""
    if kind == "festival" and festival:
        return festival_date(festival, year, country or "TW")
    if kind == "fixed" and month and day:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def next_occurrence(kind, today, *, month=None, day=None, festival=None, country="TW"):
    """The first date on or after ``today`` the occasion falls on."""
    for year in (today.year, today.year + 1):
        found = occasion_date(kind, year, month=month, day=day, festival=festival, country=country)
        if found and found >= today:
            return found
    return None


# Lunar birthdays (R3.5). A key is leap * 10000 + month * 100 + day, e.g. 801 for the 1st day of
# the 8th month, 10501 for the 1st day of the leap 5th month.


def lunar_key(month, day, leap=False):
    if not month or not day:
        return 0
    return (10000 if leap else 0) + month * 100 + day


def lunar_date(day):
    """(month, day, leap) of the Chinese lunar calendar on the solar date ``day``."""
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    return abs(lunar.getMonth()), lunar.getDay(), lunar.getMonth() < 0


def _month_days(lunar_year, month, leap=False):
    found = LunarMonth.fromYm(lunar_year, -month if leap else month)
    return found.getDayCount() if found else 0


def lunar_birthday_keys(day):
    """The lunar birthday keys greeted on the solar date ``day``: the day's own; on the last day
    of a 29-day month also the 30th; in a month that is not a leap month and whose leap month
    the lunar year lacks, the birthdays of that leap month as well (as 29 February birthdays are
    greeted on 28 February)."""
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    month, lunar_day, leap = abs(lunar.getMonth()), lunar.getDay(), lunar.getMonth() < 0
    days = [lunar_day]
    if lunar_day == 29 and _month_days(lunar.getYear(), month, leap) == 29:
        days.append(30)
    leaps = [leap]
    if not leap and not _month_days(lunar.getYear(), month, leap=True):
        leaps.append(True)
    return sorted(lunar_key(month, each_day, each_leap) for each_day in days for each_leap in leaps)


def lunar_birthday_in_year(month, day, leap, year):
    """The solar dates in ``year`` a lunar birthday is greeted on (the rules of
    ``lunar_birthday_keys``): usually one, two when a 11th or 12th month birthday falls both in
    January and December, none for an impossible month or day."""
    if not (1 <= (month or 0) <= 12 and 1 <= (day or 0) <= 30):
        return []
    found = []
    for lunar_year in (year - 1, year):
        month_leap = leap and bool(_month_days(lunar_year, month, leap=True))
        length = _month_days(lunar_year, month, month_leap)
        if not length:
            continue
        solar = _solar_of(lunar_year, month, min(day, length), month_leap)
        if solar.year == year:
            found.append(solar)
    return found


def _solar_of(lunar_year, month, day, leap):
    solar = Lunar.fromYmd(lunar_year, -month if leap else month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())
