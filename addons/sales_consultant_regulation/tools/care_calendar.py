# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Festival dates for the care calendar (R3.5), taken from the ``holidays`` library so that
nobody types lunar dates: its Taiwan and China calendars give Lunar New Year, the Dragon Boat
Festival and the Mid-Autumn Festival for any year. No ORM here: tested without Odoo.
"""

from datetime import date
from functools import lru_cache

import holidays

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
