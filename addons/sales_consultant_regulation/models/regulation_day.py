# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one day of the addon (docs/architecture.md, principle 8 "One day").

Every date rule of the addon (validity, deadlines, periods, lateness, greetings, "requested
late", crons, reports, searches of computed date fields) asks this module what "today" and
"now" are, so that a compute, the search of the same field, a cron and a report agree at any
hour. The day is the one of ``fields.Date.context_today``, with the company as fallback:

- a person's day: the context's ``tz`` for the current user, else the user's time zone;
- the system's day (a cron runs as OdooBot) and a user without a time zone: the company's,
  that is its working calendar's time zone, else its address's;
- else UTC.

``tz=`` names a time zone that the caller owns (an employee's, for attendance and absences).
"""

import datetime

import pytz

from odoo import fields


def company_tz_name(company):
    """The company's time zone: its working calendar's, else its address's, else UTC."""
    return (company and (company.resource_calendar_id.tz or company.partner_id.tz)) or "UTC"


def tz_name(env, *, user=None, company=None):
    """The name of the time zone of the day of ``user`` (default: the environment's user),
    falling back to ``company`` (default: the environment's company)."""
    company = company if company is not None else env.company
    if user is None:
        user = env.user
        if not user._is_superuser() and env.context.get("tz"):
            return env.context["tz"]
    if user and not user._is_superuser() and user.tz:
        return user.tz
    return company_tz_name(company)


def timezone(env, *, user=None, company=None, tz=None):
    try:
        return pytz.timezone(tz or tz_name(env, user=user, company=company))
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def now(env, *, user=None, company=None, tz=None):
    """Now, as an aware datetime in the day's time zone ("now in the user's day")."""
    return pytz.utc.localize(fields.Datetime.now()).astimezone(timezone(env, user=user, company=company, tz=tz))


def today(env, *, user=None, company=None, tz=None):
    """Today's date in the day's time zone."""
    return now(env, user=user, company=company, tz=tz).date()


def day_bounds(env, date_from, date_to=None, *, user=None, company=None, tz=None):
    """The naive UTC datetimes where the days ``date_from`` to ``date_to`` (both included)
    start and end in the day's time zone: ``start <= value < end`` selects them."""
    zone = timezone(env, user=user, company=company, tz=tz)
    date_to = date_to or date_from
    start = zone.localize(datetime.datetime.combine(date_from, datetime.time.min))
    end = zone.localize(datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min))
    return start.astimezone(pytz.utc).replace(tzinfo=None), end.astimezone(pytz.utc).replace(tzinfo=None)


def local_date(env, value, *, user=None, company=None, tz=None):
    """The date a naive UTC datetime falls on in the day's time zone."""
    if not value:
        return value
    return pytz.utc.localize(value).astimezone(timezone(env, user=user, company=company, tz=tz)).date()


def default_today(record):
    """For ``default=``: today in the day of the user creating the record."""
    return today(record.env)
