# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SalePromotionRule(models.Model):
    """A promotion rule (R6.4: promotion to sales supervisor or sales manager by results and
    ability): N consecutive quarters with a total score and a target completion at or above
    the thresholds. The promotion review lists whom the rules recommend; managers decide."""

    _name = "sale.promotion.rule"
    _description = "Promotion Rule"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {
        "consecutive_quarters": (1, 40),
        "min_score": (0.0, 100.0),
        "min_completion": (0.0, 1000.0),
        "weak_score": (0.0, 100.0),
    }
    _order = "company_id, target_role, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    target_role = fields.Selection(
        [("supervisor", "Sales Supervisor"), ("manager", "Sales Manager")],
        string="Recommend For",
        required=True,
        default="supervisor",
        help="Consultants are recommended for supervisor, supervisors for manager.",
    )
    consecutive_quarters = fields.Integer(required=True, default=4)
    min_score = fields.Float(string="Minimum Total Score", required=True, default=85.0)
    min_completion = fields.Float(string="Minimum Target Completion (%)", required=True, default=100.0)
    weak_score = fields.Float(
        string="Weak KPI Below",
        default=60.0,
        help="A KPI scoring below this in the last quarter suggests training in it (R8).",
    )

    _sql_constraints = [
        ("quarters_positive", "CHECK(consecutive_quarters > 0)", "A promotion rule looks at one quarter or more."),
    ]
