"""Confidentiality decisions (addon models/confidentiality_logic.py), without Odoo."""

from datetime import date

from conftest import load_pure

logic = load_pure("tools/confidentiality.py")


def test_r10_new_consultant_loses_export_and_sees_no_cost():
    assert logic.role_default_changes(set(), {"consultant"}) == (True, True)


def test_r10_new_supervisor_loses_export_but_sees_costs():
    assert logic.role_default_changes(set(), {"consultant", "supervisor"}) == (True, None)


def test_r10_new_manager_keeps_export():
    assert logic.role_default_changes(set(), {"consultant", "supervisor", "manager"}) == (False, None)


def test_r10_promotion_shows_costs_and_leaves_export_alone():
    assert logic.role_default_changes({"consultant"}, {"consultant", "supervisor"}) == (False, False)
    assert logic.role_default_changes({"consultant"}, {"consultant", "supervisor", "manager"}) == (False, False)


def test_r10_leaving_the_regulation_shows_costs_again():
    assert logic.role_default_changes({"consultant"}, set()) == (False, False)


def test_r10_unchanged_role_changes_nothing():
    # An administrator who grants export to a consultant later keeps it granted.
    assert logic.role_default_changes({"consultant"}, {"consultant"}) == (False, None)
    assert logic.role_default_changes(set(), set()) == (False, None)


def test_r10_export_refusals():
    assert logic.export_refusal(10, 100, may_export=False, limited=False) == logic.REFUSED_NO_RIGHT
    assert logic.export_refusal(101, 100, may_export=True, limited=True) == logic.REFUSED_OVER_LIMIT
    assert logic.export_refusal(100, 100, may_export=True, limited=True) is None
    assert logic.export_refusal(10_000, 100, may_export=True, limited=False) is None
    assert logic.export_refusal(10_000, 0, may_export=True, limited=True) is None


def test_r10_1_validity_bounds_are_included_and_open_ended():
    today = date(2026, 6, 1)
    assert logic.within_validity(None, None, today)
    assert logic.within_validity(date(2026, 6, 1), date(2026, 6, 1), today)
    assert not logic.within_validity(date(2026, 6, 2), None, today)
    assert not logic.within_validity(None, date(2026, 5, 31), today)


def test_next_version():
    assert logic.next_version("1.0") == "1.1"
    assert logic.next_version("2026-09") == "2026-10"
    assert logic.next_version("v3 (draft)") == "v4 (draft)"
    assert logic.next_version("first") == "first.1"
    assert logic.next_version("") == "1"
