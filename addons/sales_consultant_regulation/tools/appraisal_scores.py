# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The appraisal's arithmetic (R6.1-R6.3, R2.2), free of the ORM so it is tested without Odoo.

A KPI is scored one of two ways:

- ``achievement``: the actual figure against the consultant's target, in percent, capped at the
  KPI's cap (``120`` means a consultant who did 150 % of the target scores 120);
- ``direct``: the actual figure already is a 0-100 score (satisfaction, supervisor evaluation).

The total score is the sum of the KPI scores weighted by their weights (which total 100), so a
consultant exactly on target everywhere scores 100.
"""

import calendar
import datetime
import itertools

ACHIEVEMENT = "achievement"
DIRECT = "direct"


def achievement(actual, target):
    """Percent of ``target`` reached by ``actual``, uncapped; None when there is no target."""
    if not target or target <= 0:
        return None
    return 100.0 * (actual or 0.0) / target


def kpi_score(method, actual, target=0.0, cap=100.0):
    """Score of one KPI, between 0 and ``cap`` (achievement) or 0 and 100 (direct).

    A KPI scored by achievement without a target scores 0: there is nothing to achieve.
    """
    if method == DIRECT:
        return max(0.0, min(100.0, actual or 0.0))
    reached = achievement(actual, target)
    if reached is None:
        return 0.0
    return max(0.0, min(cap, reached))


def weighted_score(score, weight):
    """The share of the total score a KPI contributes: ``score`` weighted by ``weight`` percent."""
    return (score or 0.0) * (weight or 0.0) / 100.0


def weights_total(weights):
    """Total of the active KPI weights, rounded to avoid float noise."""
    return round(sum(weights), 6)


def weights_valid(weights):
    """The active KPI weights total exactly 100 (R6.1)."""
    return abs(weights_total(weights) - 100.0) < 1e-6


def completion_rate(pairs):
    """Target completion rate (R6.1, R2.2): the mean achievement, uncapped, over the
    (actual, target) pairs that have a target; 0 when no target is set."""
    reached = [achievement(actual, target) for actual, target in pairs]
    reached = [value for value in reached if value is not None]
    if not reached:
        return 0.0
    return sum(reached) / len(reached)


def weighted_average(pairs):
    """Mean of the (value, weight) pairs weighted by their weights; 0 without weight. Quarters
    and years roll satisfaction and evaluation up from their months this way (R6.2)."""
    total_weight = sum(weight for _value, weight in pairs if weight)
    if not total_weight:
        return 0.0
    return sum(value * weight for value, weight in pairs if weight) / total_weight


def rank(values):
    """Competition ranks ("1224") of ``values`` sorted high to low, as a list in the input order.
    Equal values share a rank."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    ranks = [0] * len(values)
    previous = None
    current = 0
    for position, index in enumerate(order, 1):
        if values[index] != previous:
            current = position
            previous = values[index]
        ranks[index] = current
    return ranks


def winner(candidates):
    """The key of the best candidate among (key, value, tie_break) tuples: the highest value,
    then the highest tie break, then the lowest key; None when no value is above zero."""
    best = None
    for key, value, tie_break in candidates:
        if not value or value <= 0:
            continue
        if best is None or (value, tie_break, -key) > (best[1], best[2], -best[0]):
            best = (key, value, tie_break)
    return best[0] if best else None


def year_periods(year):
    """The periods of a year (R6.2): twelve months, four quarters and the year, as
    (period type, index, first day, last day)."""
    periods = []
    for month in range(1, 13):
        last = calendar.monthrange(year, month)[1]
        periods.append(("month", month, datetime.date(year, month, 1), datetime.date(year, month, last)))
    for quarter in range(1, 5):
        first_month = 3 * quarter - 2
        last_month = first_month + 2
        last = calendar.monthrange(year, last_month)[1]
        periods.append(("quarter", quarter, datetime.date(year, first_month, 1), datetime.date(year, last_month, last)))
    periods.append(("year", 1, datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    return periods


def ranges_overlap(first, second):
    """Two inclusive date ranges (start, end) share at least one day."""
    return first[0] <= second[1] and second[0] <= first[1]


def covers(parts, whole):
    """The inclusive ranges ``parts`` cover ``whole`` day by day, without gap or overlap
    (a quarter built on its three months)."""
    if not parts:
        return False
    parts = sorted(parts)
    if parts[0][0] != whole[0] or parts[-1][1] != whole[1]:
        return False
    return all(nxt[0] - prev[1] == datetime.timedelta(days=1) for prev, nxt in itertools.pairwise(parts))
