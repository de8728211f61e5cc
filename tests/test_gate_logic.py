"""R4 stage gate arithmetic (addon models/gate_logic.py), without Odoo."""

import pytest
from conftest import load_pure

gate = load_pure("tools/stage_gate.py")

PIPE = [10, 20, 30, 40, 50, 60, 99]  # reception .. contract, won
WON = {99}


def test_r4_forward_one_step_passes_the_stage_left():
    assert gate.passed_stages(PIPE, 10, 20, WON) == [10]


def test_r4_skipping_stages_passes_each_of_them():
    assert gate.passed_stages(PIPE, 20, 50, WON) == [20, 30, 40]


def test_r4_backwards_and_same_stage_pass_nothing():
    assert gate.passed_stages(PIPE, 50, 20, WON) == []
    assert gate.passed_stages(PIPE, 30, 30, WON) == []


def test_r4_6_won_requires_every_stage_before_it():
    assert gate.passed_stages(PIPE, 40, 99, WON) == [40, 50, 60]


def test_r4_new_lead_created_in_a_later_stage_passes_the_earlier_ones():
    assert gate.passed_stages(PIPE, None, 30, WON) == [10, 20]
    assert gate.passed_stages(PIPE, None, 10, WON) == []


def test_won_stage_in_the_middle_is_never_passed():
    assert gate.passed_stages([1, 2, 3, 4], 1, 4, {2}) == [1, 3]


def test_stage_outside_pipeline():
    assert gate.passed_stages(PIPE, 77, 30, WON) == [10, 20]
    assert gate.passed_stages(PIPE, 10, 77, WON) == []


@pytest.mark.parametrize(
    "done, total, expected",
    [(0, 0, 100.0), (0, 3, 0.0), (1, 3, 33.3), (3, 3, 100.0), (5, 3, 100.0)],
)
def test_progress(done, total, expected):
    assert gate.progress(done, total) == expected


@pytest.mark.parametrize(
    "discounts, limit, expected",
    [([], 10, None), ([5, 10], 10, None), ([5, 10.01], 10, 10.01), ([30, 12], 10, 30)],
)
def test_r4_6_discount_limit_boundary(discounts, limit, expected):
    assert gate.exceeds_limit(discounts, limit) == expected
