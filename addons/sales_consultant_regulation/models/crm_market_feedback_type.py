# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .crm_market_feedback import KINDS


class CrmMarketFeedbackType(models.Model):
    """R2.5: a type of market feedback (product quality, pricing, delivery...), the departments
    it is routed to and the days they have to answer it. Configuration like Odoo's own: a type
    with a company is used in that company only, one without a company by all (its departments,
    which belong to a company, are then chosen on each feedback)."""

    _name = "crm.market.feedback.type"
    _description = "Market Feedback Type"
    _order = "sequence, name"
    _check_company_auto = True
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"response_days": (0, 365)}

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(KINDS, help="The kind a feedback of this type is reported as.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="The company using this type; empty to share it with every company (then without departments, "
        "which belong to a company).",
    )
    department_ids = fields.Many2many(
        "hr.department",
        string="Departments",
        check_company=True,
        help="R2.5: the departments a feedback of this type is routed to.",
    )
    response_days = fields.Integer(
        string="Response Deadline (Days)",
        default=5,
        help="R2.5: days the departments have, from routing, to answer a feedback of this type; past them it "
        "is escalated to their managers and shown to the regulation managers. 0 for no deadline.",
    )
