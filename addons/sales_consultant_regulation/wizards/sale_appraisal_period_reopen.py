# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleAppraisalPeriodReopen(models.TransientModel):
    """A manager reopens a closed period, giving the reason that is logged (R6.2)."""

    _name = "sale.appraisal.period.reopen"
    _description = "Reopen an Appraisal Period"

    period_id = fields.Many2one("sale.appraisal.period", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.period_id._reopen((self.reason or "").strip())
        return {"type": "ir.actions.act_window_close"}
