# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The incentives' arithmetic (R6.4, R7.1), free of the ORM so it is tested without Odoo.

Commission rates are set by margin band and by product or product category (R6.4: "the rate
set by product profit margin and selling difficulty"):

- a band is ``(scope, margin_from, margin_to, rate, base)``: it applies to lines whose margin
  percent is at least ``margin_from`` and below ``margin_to``; the highest band of a scope
  also takes a margin exactly at its upper bound (a margin of 100 % when the cost is nil);
- a scope is ``("product", id)``, ``("category", id)`` or ``("all", None)``; a line takes the
  band of the most specific scope that has a band for its margin: its product, then its
  category from the closest to the root, then every product;
- the rate is scaled by the product's selling-difficulty factor and applied to the line's
  amount or margin (``base``), already weighted by the consultant's share.

Tiers apply to the period total, not per line: an accelerator multiplies the period's
commission once the target completion reaches its threshold; a bonus is a percent of the
period's sales or profit once the completion reaches its threshold, with no cap.
"""

import bisect

SCOPE_RANK = {"product": 0, "category": 1, "all": 2}


def margin_percent(amount, margin):
    """Margin as a percent of the amount; None when the amount is nil (nothing to rate)."""
    if not amount:
        return None
    return 100.0 * margin / amount


def band_contains(band_from, band_to, value, is_top=False):
    """``value`` is in [band_from, band_to), or at band_to for the highest band of a scope."""
    return band_from <= value < band_to or (is_top and value == band_to)


def bands_overlap(bands):
    """Pairs of (index, index) of the bands (from, to) that overlap, within one scope."""
    order = sorted(range(len(bands)), key=lambda i: (bands[i][0], bands[i][1]))
    overlaps = []
    for position, index in enumerate(order):
        for other in order[position + 1 :]:
            if bands[other][0] >= bands[index][1]:
                break
            overlaps.append((index, other))
    return overlaps


class RateTable:
    """The bands of a plan, indexed for fast look-up of many lines.

    ``bands`` is a list of dicts with keys: id, scope (product/category/all), scope_id,
    margin_from, margin_to, rate, base (amount/margin).
    """

    def __init__(self, bands):
        self.by_scope = {}
        for band in bands:
            key = (band["scope"], band.get("scope_id"))
            self.by_scope.setdefault(key, []).append(band)
        self.starts = {}
        for key, scope_bands in self.by_scope.items():
            scope_bands.sort(key=lambda b: (b["margin_from"], b["margin_to"]))
            top = max(b["margin_to"] for b in scope_bands)
            for band in scope_bands:
                band["is_top"] = band["margin_to"] == top
            self.starts[key] = [b["margin_from"] for b in scope_bands]

    def _in_scope(self, key, margin):
        scope_bands = self.by_scope.get(key)
        if not scope_bands:
            return None
        position = bisect.bisect_right(self.starts[key], margin) - 1
        if position < 0:
            return None
        # bands of a scope do not overlap: the only candidate is the last one starting at or below
        band = scope_bands[position]
        return band if band_contains(band["margin_from"], band["margin_to"], margin, band["is_top"]) else None

    def band_for(self, margin, product_id=None, category_path=()):
        """The band for a line of ``product_id`` whose category and parents are
        ``category_path`` (closest first) at ``margin`` percent, or None."""
        if margin is None:
            return None
        keys = [("product", product_id)] if product_id else []
        keys += [("category", categ_id) for categ_id in category_path]
        keys.append(("all", None))
        for key in keys:
            band = self._in_scope(key, margin)
            if band:
                return band
        return None


def commission(band, amount, margin, difficulty=1.0):
    """(effective rate in percent, commission) of a line for ``band``; the line's amount and
    margin are already weighted by the consultant's share."""
    if not band:
        return 0.0, 0.0
    rate = band["rate"] * (difficulty or 1.0)
    base = margin if band["base"] == "margin" else amount
    return rate, base * rate / 100.0


def reached_tier(completion, tiers):
    """The tier with the highest threshold at or below ``completion`` (percent), or None.
    ``tiers`` are dicts with a ``threshold`` key."""
    if completion is None:
        return None
    best = None
    for tier in tiers:
        if completion >= tier["threshold"] and (best is None or tier["threshold"] > best["threshold"]):
            best = tier
    return best


def accelerator(commission_total, completion, tiers):
    """(multiplier, extra amount) of the accelerator reached: the period's commission times
    (multiplier - 1). Applied to the total, never per line."""
    tier = reached_tier(completion, tiers)
    if not tier:
        return 1.0, 0.0
    multiplier = tier["multiplier"]
    return multiplier, commission_total * (multiplier - 1.0)


def bonus(completion, amount_total, margin_total, tiers):
    """(bonus percent, base name, bonus) of the bonus tier reached: a percent of the period's
    sales or profit, with no upper cap (R6.4)."""
    tier = reached_tier(completion, tiers)
    if not tier:
        return 0.0, None, 0.0
    base = margin_total if tier["base"] == "margin" else amount_total
    return tier["percent"], tier["base"], base * tier["percent"] / 100.0


def clawback(line_amount, multiplier=1.0, bonus_percent=0.0, bonus_base_value=0.0):
    """What a consultant gives back when a line of an approved statement is cancelled or
    refunded: its commission with the accelerator it earned, and its part of the bonus."""
    return -(line_amount * (multiplier or 1.0) + bonus_base_value * (bonus_percent or 0.0) / 100.0)


def rated_on_margin(amount, base_amount, margin_amount, rate):
    """Whether a stored commission line was rated on its margin (else on its amount): the one
    of the two its commission is the rate of."""
    if not rate or base_amount == margin_amount:
        return False
    on_amount = abs(amount - base_amount * rate / 100.0)
    on_margin = abs(amount - margin_amount * rate / 100.0)
    return on_margin < on_amount


def line_worth(
    base_amount, margin_amount, rate, *, on_margin=False, multiplier=1.0, bonus_percent=0.0, bonus_on_margin=False
):
    """What a credited line earns in a statement: its commission at ``rate`` with the
    statement's accelerator, and its part of the statement's bonus (the opposite of
    :func:`clawback` for the same line)."""
    commission_amount = (margin_amount if on_margin else base_amount) * (rate or 0.0) / 100.0
    bonus_base_value = margin_amount if bonus_on_margin else base_amount
    return -clawback(commission_amount, multiplier, bonus_percent, bonus_base_value)


def settlement(worth_now, paid):
    """What a statement line still owes (positive) or takes back (negative): what its
    document line is worth today, less what was paid for it (the line and its earlier
    settlements). Settling the result makes the next settlement nil: it is taken once."""
    return (worth_now or 0.0) - (paid or 0.0)


def consecutive_periods_met(results, count, min_score, min_completion):
    """The last ``count`` periods (oldest first in ``results`` as (score, completion)) all
    reach ``min_score`` and ``min_completion`` (R6.4 promotion rule)."""
    if count <= 0 or len(results) < count:
        return False
    return all(score >= min_score and completion >= min_completion for score, completion in results[-count:])
