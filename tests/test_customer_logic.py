"""R3 customer rules (addon models/customer_logic.py), without Odoo."""

from datetime import date, datetime

import pytest
from conftest import load_pure

logic = load_pure("tools/customer_rules.py")


@pytest.mark.parametrize(
    "facts, expected",
    [
        ({}, None),
        ({"known": True}, "potential"),
        ({"known": True, "draft_quotation": True}, "intentional"),
        ({"known": True, "open_opportunity": True}, "intentional"),
        ({"open_opportunity": True, "late_opportunity": True}, "quasi"),
        ({"open_opportunity": True, "sent_quotation": True}, "quasi"),
        ({"sent_quotation": True, "confirmed_order": True}, "closed"),
    ],
)
def test_r3_4_class_code(facts, expected):
    assert logic.class_code(**facts) == expected


def test_r3_4_quasi_steps_are_proposal_and_later():
    assert {"proposal", "negotiation", "contract", "won"} == logic.QUASI_STEPS
    assert "presentation" not in logic.QUASI_STEPS


@pytest.mark.parametrize(
    "required, filled, expected",
    [
        ([], set(), (100.0, [])),
        (["email", "phone", "medium_id"], {"email"}, (33.3, ["phone", "medium_id"])),
        (["email", "phone"], {"email", "phone", "vat"}, (100.0, [])),
    ],
)
def test_r3_3_completeness(required, filled, expected):
    assert logic.completeness(required, filled) == expected


@pytest.mark.parametrize(
    "value, filled", [("", False), ("  ", False), ("x", True), (0, False), (5.0, True), (None, False)]
)
def test_r3_3_is_filled(value, filled):
    assert logic.is_filled(value) is filled


def test_r3_3_stale_after_the_configured_days():
    today = date(2026, 2, 9)
    assert logic.is_stale(date(2026, 1, 10), today, 30)
    assert not logic.is_stale(date(2026, 1, 11), today, 30)
    assert logic.is_stale(None, today, 30)
    assert not logic.is_stale(None, today, 0), "0 switches the flag off"
    assert logic.stale_limit(today, 30) == date(2026, 1, 10)


def test_r3_5_next_follow_up():
    assert logic.followup_interval(14, 7, key=False) == 14
    assert logic.followup_interval(14, 7, key=True) == 7
    assert logic.followup_interval(14, 0, key=True) == 14
    assert logic.followup_interval(0, 7, key=False) == 0
    assert logic.next_followup(datetime(2026, 3, 1, 23, 0), None, 14) == date(2026, 3, 15)
    assert logic.next_followup(None, datetime(2026, 3, 1, 9, 0), 7) == date(2026, 3, 8)
    assert logic.next_followup(date(2026, 3, 1), None, 0) is None


def test_r3_5_birthdays_on_29_february():
    assert logic.birthday_keys(date(2027, 3, 14)) == [314]
    assert logic.birthday_keys(date(2027, 2, 28)) == [228, 229]
    assert logic.birthday_keys(date(2028, 2, 28)) == [228]
    assert logic.birthday_in_year(date(1992, 2, 29), 2027) == date(2027, 2, 28)
    assert logic.birthday_in_year(date(1992, 2, 29), 2028) == date(2028, 2, 29)


def test_r3_5_complaint_transitions():
    allowed = logic.complaint_transition_allowed
    assert allowed("new", "acknowledged")
    assert allowed("acknowledged", "resolved")
    assert allowed("resolved", "closed")
    assert allowed("closed", "in_progress"), "reopened"
    assert not allowed("new", "resolved")
    assert not allowed("new", "closed")
    assert not allowed("in_progress", "new")


def test_r3_5_complaint_deadlines_and_escalations():
    start = datetime(2026, 5, 4, 9, 0)
    assert logic.deadline(start, 8) == datetime(2026, 5, 4, 17, 0)
    assert logic.deadline(start, 0) is None
    assert logic.hours_between(start, datetime(2026, 5, 5, 11, 30)) == 26.5
    response, resolution = datetime(2026, 5, 4, 17, 0), datetime(2026, 5, 6, 9, 0)
    now = datetime(2026, 5, 4, 18, 0)
    deadlines = {"response_deadline": response, "resolution_deadline": resolution}
    open_ = {"response_escalated": None, "resolution_escalated": None}
    assert logic.escalations_due("new", now, **deadlines, **open_) == {"response"}
    escalated = {"response_escalated": now, "resolution_escalated": None}
    assert logic.escalations_due("new", now, **deadlines, **escalated) == set()
    later = datetime(2026, 5, 7, 0, 0)
    assert logic.escalations_due("in_progress", later, **deadlines, **open_) == {"resolution"}
    assert logic.escalations_due("resolved", later, **deadlines, **open_) == set()
