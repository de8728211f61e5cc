# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SaleIncentiveTier(models.Model):
    """A tier of a plan on the period's target completion (R6.4): an accelerator multiplying
    the period's commission, or a bonus as a percent of the period's sales or profit, with no
    upper cap. The highest tier reached of each kind applies, to the period total."""

    _name = "sale.incentive.tier"
    _check_company_auto = True
    _description = "Incentive Accelerator or Bonus"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"threshold": (0.0, 1000.0), "multiplier": (0.0, 100.0), "bonus_percent": (0.0, 100.0)}
    _order = "plan_id, tier_type, threshold"

    plan_id = fields.Many2one("sale.incentive.plan", required=True, ondelete="cascade", index=True, check_company=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    tier_type = fields.Selection(
        [("accelerator", "Accelerator"), ("bonus", "Bonus")], string="Type", required=True, default="accelerator"
    )
    threshold = fields.Float(
        string="From Completion (%)", required=True, default=100.0, help="Applies once the completion reaches this."
    )
    multiplier = fields.Float(
        default=1.0, digits=(4, 2), help="Accelerator: the period's commission is multiplied by this."
    )
    bonus_percent = fields.Float(string="Bonus (%)", digits=(5, 3), help="Bonus: this percent of the base, no cap.")
    bonus_base = fields.Selection([("amount", "Sales Amount"), ("margin", "Sales Profit")], default="amount")

    _sql_constraints = [
        ("threshold_unique", "UNIQUE(plan_id, tier_type, threshold)", "Two tiers of a kind share a threshold."),
        ("multiplier_positive", "CHECK(multiplier > 0)", "An accelerator multiplies by more than 0."),
        ("bonus_positive", "CHECK(bonus_percent >= 0)", "A bonus is not negative."),
    ]

    @api.constrains("tier_type", "bonus_base")
    def _check_bonus_base(self):
        for tier in self:
            if tier.tier_type == "bonus" and not tier.bonus_base:
                raise ValidationError(self.env._("R6.4: a bonus is a percent of the sales amount or of the profit."))

    def _as_tier(self):
        self.ensure_one()
        return {
            "id": self.id,
            "threshold": self.threshold,
            "multiplier": self.multiplier,
            "percent": self.bonus_percent,
            "base": self.bonus_base,
        }
