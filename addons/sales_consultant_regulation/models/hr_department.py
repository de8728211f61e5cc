# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    market_feedback_count = fields.Integer(
        compute="_compute_market_feedback_count",
        string="Market Feedback",
        help="R7.2: the consultants' feedback routed here.",
    )

    def _compute_market_feedback_count(self):
        counts = dict(
            self.env["crm.market.feedback"]._read_group(
                [("department_ids", "in", self.ids), ("state", "!=", "new")], ["department_ids"], ["__count"]
            )
        )
        for department in self:
            department.market_feedback_count = counts.get(department, 0)

    def action_view_market_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sales_consultant_regulation.crm_market_feedback_action")
        action["domain"] = [("department_ids", "in", self.ids)]
        action["context"] = {"default_department_ids": self.ids}
        return action
