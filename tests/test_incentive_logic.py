"""R6.4 / R7.1 incentive arithmetic (addon models/incentive_logic.py), without Odoo."""

import pytest
from conftest import load_pure

logic = load_pure("tools/commission_maths.py")


def band(id_, scope, limits, rate, base="amount"):
    (kind, scope_id), (low, high) = scope, limits
    return {
        "id": id_,
        "scope": kind,
        "scope_id": scope_id,
        "margin_from": low,
        "margin_to": high,
        "rate": rate,
        "base": base,
    }


REGULATION = [  # margin under 10 % -> 1 %, 10-25 % -> 3 %, over 25 % -> 5 %
    band(1, ("all", None), (-100, 10), 1.0),
    band(2, ("all", None), (10, 25), 3.0),
    band(3, ("all", None), (25, 100), 5.0),
]


@pytest.mark.parametrize(
    "margin, rate",
    [(-20, 1.0), (0, 1.0), (9.99, 1.0), (10, 3.0), (24.99, 3.0), (25, 5.0), (60, 5.0), (100, 5.0), (-150, None)],
)
def test_r6_4_band_boundaries(margin, rate):
    """Exactly 10 % is in the 10-25 % band, exactly 25 % in the top band, 100 % (no cost) too."""
    found = logic.RateTable([dict(b) for b in REGULATION]).band_for(margin)
    assert (found["rate"] if found else None) == rate


def test_r6_4_most_specific_scope_wins():
    table = logic.RateTable(
        [dict(b) for b in REGULATION]
        + [
            band(10, ("category", 7), (0, 100), 8.0),  # parent category
            band(11, ("category", 8), (20, 100), 6.0, "margin"),  # the product's own category
            band(12, ("product", 42), (0, 50), 2.0),
        ]
    )
    assert table.band_for(30, product_id=42, category_path=(8, 7))["id"] == 12
    assert table.band_for(60, product_id=42, category_path=(8, 7))["id"] == 11  # beyond the product's bands
    assert table.band_for(10, product_id=5, category_path=(8, 7))["id"] == 10  # below the category's bands
    assert table.band_for(10, product_id=5, category_path=())["id"] == 2
    assert table.band_for(None, product_id=42) is None  # no amount, nothing to rate


def test_r6_4_difficulty_factor_scales_the_rate():
    b = dict(REGULATION[1])
    assert logic.commission(b, 1000.0, 150.0) == (3.0, 30.0)
    rate, amount = logic.commission(b, 1000.0, 150.0, difficulty=1.5)
    assert rate == pytest.approx(4.5) and amount == pytest.approx(45.0)
    margin_band = band(9, ("all", None), (0, 100), 10.0, "margin")
    assert logic.commission(margin_band, 1000.0, 150.0) == (10.0, 15.0)
    assert logic.commission(None, 1000.0, 150.0) == (0.0, 0.0)


def test_r7_1_split_line_commission_is_the_share():
    # a 60 % share of a 1000 line at 15 % margin: the weighted line is 600 / 90, same band
    assert logic.margin_percent(600.0, 90.0) == pytest.approx(15.0)
    assert logic.commission(dict(REGULATION[1]), 600.0, 90.0)[1] == pytest.approx(18.0)
    assert logic.margin_percent(0.0, 5.0) is None


def test_r6_4_bands_overlap_detected():
    assert logic.bands_overlap([(0, 10), (10, 25), (25, 100)]) == []
    assert logic.bands_overlap([(0, 10), (5, 20)]) == [(0, 1)]
    assert sorted(logic.bands_overlap([(20, 30), (0, 50), (60, 70)])) == [(1, 0)]


TIERS = [{"threshold": 100.0, "multiplier": 1.2}, {"threshold": 120.0, "multiplier": 1.5}]


@pytest.mark.parametrize(
    "completion, multiplier",
    [(None, 1.0), (99.99, 1.0), (100.0, 1.2), (119.9, 1.2), (120.0, 1.5), (300.0, 1.5)],
)
def test_r6_4_accelerator_boundaries_on_the_total(completion, multiplier):
    mult, extra = logic.accelerator(1000.0, completion, TIERS)
    assert mult == multiplier
    assert extra == pytest.approx(1000.0 * (multiplier - 1.0))


def test_r6_4_bonus_has_no_cap():
    tiers = [
        {"threshold": 100.0, "percent": 2.0, "base": "amount"},
        {"threshold": 150.0, "percent": 3.0, "base": "margin"},
    ]
    assert logic.bonus(99.0, 100_000.0, 30_000.0, tiers) == (0.0, None, 0.0)
    assert logic.bonus(100.0, 100_000.0, 30_000.0, tiers) == (2.0, "amount", 2000.0)
    assert logic.bonus(150.0, 100_000.0, 30_000.0, tiers) == (3.0, "margin", 900.0)
    # ten times the sales, ten times the bonus: no upper cap
    assert logic.bonus(400.0, 1_000_000.0, 300_000.0, tiers)[2] == pytest.approx(9000.0)


def test_r6_4_clawback_gives_back_accelerator_and_bonus_share():
    assert logic.clawback(30.0) == -30.0
    assert logic.clawback(30.0, multiplier=1.2) == pytest.approx(-36.0)
    assert logic.clawback(30.0, 1.2, bonus_percent=2.0, bonus_base_value=1000.0) == pytest.approx(-56.0)


def test_r6_4_promotion_consecutive_periods():
    results = [(70, 90), (90, 110), (88, 105), (92, 120)]
    assert logic.consecutive_periods_met(results, 3, 85, 100)
    assert not logic.consecutive_periods_met(results, 4, 85, 100)
    assert not logic.consecutive_periods_met(results[:2], 3, 85, 100)
    assert logic.consecutive_periods_met([(85, 100)], 1, 85, 100)  # exactly at the thresholds
    assert not logic.consecutive_periods_met(results, 0, 0, 0)


def test_r6_4_rated_on_margin_is_read_back_from_the_line():
    # 2000 at 40 % margin (800), 5 %: 100 on the amount, 40 on the margin
    assert logic.rated_on_margin(100.0, 2000.0, 800.0, 5.0) is False
    assert logic.rated_on_margin(40.0, 2000.0, 800.0, 5.0) is True
    assert logic.rated_on_margin(0.0, 2000.0, 800.0, 0.0) is False


def test_r6_4_line_worth_is_the_opposite_of_its_clawback():
    # 150 commission (3000 at 5 %) x1.5, plus 2 % of 3000: 225 + 60
    assert logic.line_worth(3000.0, 1200.0, 5.0, multiplier=1.5, bonus_percent=2.0) == pytest.approx(285.0)
    assert logic.line_worth(3000.0, 1200.0, 5.0, multiplier=1.5, bonus_percent=2.0) == pytest.approx(
        -logic.clawback(150.0, 1.5, 2.0, 3000.0)
    )
    # on the margin and a bonus on the profit: 1200 x 5 % = 60, x1.2 = 72, + 1 % of 1200 = 84
    assert logic.line_worth(
        3000.0, 1200.0, 5.0, on_margin=True, multiplier=1.2, bonus_percent=1.0, bonus_on_margin=True
    ) == pytest.approx(84.0)


def test_r6_4_settlement_is_taken_once():
    paid = 285.0
    # a credit note refunds half of the line: it is worth 142.5 today
    first = logic.settlement(142.5, paid)
    assert first == pytest.approx(-142.5)
    # settled: recomputing finds nothing more to take
    assert logic.settlement(142.5, paid + first) == pytest.approx(0.0)
    # an increase pays the difference
    assert logic.settlement(300.0, paid) == pytest.approx(15.0)
