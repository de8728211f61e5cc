# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .base import WORKFLOW_ACTION


class SaleOrderChecklistLine(models.Model):
    """One point of an order's contract review (R4.6, R2.4): price and discounts, delivery
    terms, payment terms, liability, customer legal identity, signed contract."""

    _name = "sale.order.checklist.line"
    _inherit = "sale.regulation.checklist.line.mixin"
    _description = "Contract Review Line"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = ("checked_user_id", "checked_date")
    _order = "order_id, sequence, id"
    _checklist_record_field = "order_id"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True)
    item_id = fields.Many2one(ondelete="restrict", domain=[("scope", "=", "contract_review")])
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="order_id.user_id", string="Salesperson", store=True, index=True)
    note = fields.Char()

    _sql_constraints = [
        ("order_item_unique", "unique(order_id, item_id)", "An order has each review item once."),
    ]

    @api.depends("order_id.signature", "order_id.signed_contract")
    def _compute_done(self):
        return super()._compute_done()

    def write(self, vals):
        self._regulation_check_vals(vals)
        if "checked" in vals and self.order_id.filtered(lambda o: o.review_state == "passed"):
            raise UserError(self.env._("The contract review is passed: reset it before changing its lines."))
        if "checked" in vals and not WORKFLOW_ACTION.get():
            # R4.6: the review items are the reviewer's, not the salesperson's
            self.order_id.filtered("regulation_enabled")._check_reviewer(self.env._("tick a contract review item"))
        return super().write(vals)
