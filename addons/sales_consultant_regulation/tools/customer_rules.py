# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer rules of R3 free of the ORM, so they are tested without Odoo: the class a customer's
leads and orders put it in (R3.4), the completeness of its file (R3.3), when it is next due a
follow-up (R3.5), birthdays, and the complaint deadlines and states (R3.5, R2.3).
"""

import calendar
from datetime import date, datetime, timedelta

# R3.4 the four classes, weakest first. Codes are fixed: the shipped classes carry them.
CLASS_CODES = ("potential", "intentional", "quasi", "closed")

# Steps of the regulated pipeline (R4) from which an opportunity makes its customer "quasi".
QUASI_STEPS = frozenset({"proposal", "negotiation", "contract", "won"})


def class_code(
    *,
    confirmed_order=False,
    sent_quotation=False,
    late_opportunity=False,
    open_opportunity=False,
    draft_quotation=False,
    known=False,
):
    """The class code a customer's facts give (R3.4), or None when nothing is known yet.

    - closed: a confirmed order;
    - quasi: a quotation sent, or an opportunity at the proposal step or later;
    - intentional: an open opportunity or a quotation in preparation;
    - potential: anything else known about it (a lead, a lost deal, a cancelled quotation,
      a development channel).
    """
    if confirmed_order:
        return "closed"
    if sent_quotation or late_opportunity:
        return "quasi"
    if open_opportunity or draft_quotation:
        return "intentional"
    if known:
        return "potential"
    return None


def is_filled(value):
    """Whether a field value counts as filled in a customer file."""
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


def completeness(required, filled):
    """(percentage, missing) for the ``required`` field names given the set of ``filled`` ones.
    A file that requires nothing is complete."""
    required = list(required)
    if not required:
        return 100.0, []
    missing = [name for name in required if name not in filled]
    return round(100.0 * (len(required) - len(missing)) / len(required), 1), missing


def is_stale(reviewed_on, today, stale_days):
    """R3.3: a file not reviewed for ``stale_days`` days is stale; 0 switches the flag off."""
    if not stale_days or stale_days <= 0:
        return False
    if not reviewed_on:
        return True
    return (today - reviewed_on).days >= stale_days


def stale_limit(today, stale_days):
    """The latest review date that makes a file stale on ``today``."""
    return today - timedelta(days=stale_days)


def followup_interval(interval_days, key_interval_days=0, key=False):
    """Days between follow-ups of a class; key and premium customers get the class's shorter
    interval when it has one (R3.4)."""
    if key and key_interval_days and key_interval_days > 0:
        return key_interval_days
    return interval_days if interval_days and interval_days > 0 else 0


def next_followup(last_contact, since, interval):
    """The date the next follow-up is due: ``interval`` days after the last contact, or after
    ``since`` (when the customer was filed) when it was never contacted; None without interval."""
    if not interval:
        return None
    base = last_contact or since
    if base is None:
        return None
    if isinstance(base, datetime):
        base = base.date()
    return base + timedelta(days=interval)


def birthday_keys(day):
    """The birthday keys (month * 100 + day) greeted on ``day``: 29 February birthdays are
    greeted on 28 February in common years."""
    keys = [day.month * 100 + day.day]
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        keys.append(229)
    return keys


def birthday_in_year(birthday, year):
    """The date a birthday falls on in ``year`` (28 February for 29 February in common years)."""
    if birthday.month == 2 and birthday.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, birthday.month, birthday.day)


# Complaints (R3.5, R2.3, R4.8)

COMPLAINT_STATES = ("new", "acknowledged", "in_progress", "resolved", "closed")
COMPLAINT_OPEN_STATES = ("new", "acknowledged", "in_progress")
COMPLAINT_TRANSITIONS = {
    "new": {"acknowledged", "in_progress"},
    "acknowledged": {"in_progress", "resolved"},
    "in_progress": {"resolved"},
    "resolved": {"closed", "in_progress"},
    "closed": {"in_progress"},
}
SEVERITIES = ("low", "normal", "high", "critical")


def complaint_transition_allowed(old, new):
    return old == new or new in COMPLAINT_TRANSITIONS.get(old, set())


def deadline(start, hours):
    """A deadline ``hours`` after ``start``; None when no start or no hours configured."""
    if not start or not hours or hours <= 0:
        return None
    return start + timedelta(hours=hours)


def hours_between(start, end):
    if not start or not end:
        return 0.0
    return round((end - start).total_seconds() / 3600.0, 2)


def escalations_due(state, now, *, response_deadline, resolution_deadline, response_escalated, resolution_escalated):
    """Which deadlines of a complaint passed without being met and are not escalated yet:
    a subset of {"response", "resolution"}."""
    due = set()
    if state == "new" and response_deadline and response_deadline < now and not response_escalated:
        due.add("response")
    if (
        state in COMPLAINT_OPEN_STATES
        and resolution_deadline
        and resolution_deadline < now
        and not resolution_escalated
    ):
        due.add("resolution")
    return due
