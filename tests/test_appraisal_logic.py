"""R6.1-R6.3 appraisal arithmetic (addon models/appraisal_logic.py), without Odoo."""

import datetime

import pytest
from conftest import load_pure

logic = load_pure("tools/appraisal_scores.py")


@pytest.mark.parametrize(
    "actual, target, expected",
    [(50, 100, 50.0), (100, 100, 100.0), (150, 100, 150.0), (10, 0, None), (10, -5, None), (0, 100, 0.0)],
)
def test_r6_1_achievement_uncapped(actual, target, expected):
    assert logic.achievement(actual, target) == expected


@pytest.mark.parametrize(
    "actual, target, cap, expected",
    [
        (90, 100, 120, 90.0),
        (100, 100, 120, 100.0),  # exactly on target
        (120, 100, 120, 120.0),  # exactly at the cap
        (150, 100, 120, 120.0),  # capped
        (150, 100, 100, 100.0),
        (-30, 100, 120, 0.0),  # a net negative month (credit notes) scores nothing
        (500, 0, 120, 0.0),  # no target, nothing to achieve
    ],
)
def test_r6_1_achievement_score_capped(actual, target, cap, expected):
    assert logic.kpi_score(logic.ACHIEVEMENT, actual, target, cap) == expected


@pytest.mark.parametrize("actual, expected", [(85, 85.0), (100, 100.0), (130, 100.0), (-4, 0.0), (None, 0.0)])
def test_r6_3_direct_score_between_0_and_100(actual, expected):
    assert logic.kpi_score(logic.DIRECT, actual, 0, 120) == expected


def test_r6_1_weighted_total_is_100_on_target():
    weights = [25, 20, 10, 10, 15, 10, 10]
    assert logic.weights_valid(weights)
    total = sum(logic.weighted_score(100.0, weight) for weight in weights)
    assert total == pytest.approx(100.0)
    assert logic.weighted_score(80.0, 25) == 20.0


def test_r6_1_weights_must_total_100():
    assert logic.weights_valid([33.3, 33.3, 33.4])
    assert not logic.weights_valid([30, 30, 30])
    assert not logic.weights_valid([60, 50])
    assert logic.weights_total([0.1] * 10) == 1.0


def test_r2_2_completion_rate_mean_of_targets_set():
    # amount 120 %, profit 80 %, quantity has no target
    assert logic.completion_rate([(120, 100), (40, 50), (7, 0)]) == pytest.approx(100.0)
    assert logic.completion_rate([(5, 0)]) == 0.0
    assert logic.completion_rate([]) == 0.0


def test_r6_2_weighted_average_rollup():
    assert logic.weighted_average([(80, 1), (90, 1), (100, 2)]) == pytest.approx(92.5)
    assert logic.weighted_average([(80, 0), (90, 0)]) == 0.0
    assert logic.weighted_average([(70, 3), (10, 0)]) == pytest.approx(70.0)


def test_r6_4_competition_ranking():
    assert logic.rank([70, 90, 90, 50]) == [3, 1, 1, 4]
    assert logic.rank([]) == []
    assert logic.rank([5]) == [1]


def test_r6_4_winner_ties_and_zero():
    assert logic.winner([(1, 100, 50), (2, 300, 10), (3, 300, 20)]) == 3
    assert logic.winner([(4, 300, 20), (3, 300, 20)]) == 3  # lowest key on a full tie
    assert logic.winner([(1, 0, 99), (2, -5, 99)]) is None
    assert logic.winner([]) is None


def test_r6_2_year_periods():
    periods = logic.year_periods(2024)
    assert len(periods) == 17
    months = [p for p in periods if p[0] == "month"]
    assert months[1][2:] == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))  # leap year
    quarters = [p for p in periods if p[0] == "quarter"]
    assert quarters[3][2:] == (datetime.date(2024, 10, 1), datetime.date(2024, 12, 31))
    year = periods[-1]
    assert year == ("year", 1, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    # the months of each quarter cover it exactly
    for _kind, index, start, end in quarters:
        parts = [(m[2], m[3]) for m in months[3 * index - 3 : 3 * index]]
        assert logic.covers(parts, (start, end))


def test_r6_2_overlap_and_cover_boundaries():
    jan = (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    feb = (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert not logic.ranges_overlap(jan, feb)
    assert logic.ranges_overlap(jan, (datetime.date(2026, 1, 31), datetime.date(2026, 2, 5)))
    q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    mar = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert logic.covers([mar, jan, feb], q1)
    assert not logic.covers([jan, mar], q1)  # February missing
    assert not logic.covers([], q1)
