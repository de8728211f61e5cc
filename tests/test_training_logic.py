"""R8.4 training figures (addon models/training_logic.py), without Odoo."""

from conftest import load_pure

training = load_pure("tools/training_rates.py")


def test_r8_4_rate_in_percent():
    assert training.rate(3, 4) == 75.0
    assert training.rate(0, 5) == 0.0


def test_r8_4_rate_of_nothing_is_zero():
    assert training.rate(0, 0) == 0.0


def test_r8_4_pass_at_or_above_the_pass_mark():
    assert training.passed(60, 60)
    assert training.passed(88.5, 60)
    assert not training.passed(59.9, 60)


def test_r8_4_absent_or_unscored_does_not_pass():
    assert not training.passed(90, 60, attended=False)
    assert not training.passed(None, 60)
