# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleIncentiveStatementDispute(models.TransientModel):
    """The consultant disputes their confirmed statement, with a reason (R6.4)."""

    _name = "sale.incentive.statement.dispute"
    _description = "Dispute an Incentive Statement"

    statement_id = fields.Many2one("sale.incentive.statement", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.statement_id._dispute(self.reason)
        return {"type": "ir.actions.act_window_close"}
