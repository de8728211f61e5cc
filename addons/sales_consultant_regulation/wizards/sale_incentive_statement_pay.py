# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..models import regulation_day


class SaleIncentiveStatementPay(models.TransientModel):
    """A manager records the payment of approved statements (R6.4)."""

    _name = "sale.incentive.statement.pay"
    _description = "Register the Payment of Incentive Statements"

    statement_ids = fields.Many2many("sale.incentive.statement", required=True)
    payment_reference = fields.Char(required=True)
    paid_date = fields.Date(required=True, default=regulation_day.default_today)

    def action_confirm(self):
        self.ensure_one()
        self.statement_ids._pay(self.payment_reference, self.paid_date)
        return {"type": "ir.actions.act_window_close"}
