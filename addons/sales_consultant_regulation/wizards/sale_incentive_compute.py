# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import AccessError


class SaleIncentiveCompute(models.TransientModel):
    """Compute the statements of plans for a period (R6.4): creates the missing ones and
    recomputes the drafts; confirmed, approved and paid statements are left as they are."""

    _name = "sale.incentive.compute"
    _description = "Compute Incentive Statements"

    plan_ids = fields.Many2many("sale.incentive.plan", string="Plans", required=True)
    period_id = fields.Many2one("sale.appraisal.period", required=True, domain="[('state', '!=', 'draft')]")

    def action_compute(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_consultant_regulation.group_regulation_manager"):
            raise AccessError(self.env._("Only a regulation manager computes incentive statements."))
        statements = self.env["sale.incentive.statement"]
        for plan in self.plan_ids:
            statements |= plan._compute_statements(self.period_id)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.sale_incentive_statement_action"
        )
        action["domain"] = [("id", "in", statements.ids)]
        return action
