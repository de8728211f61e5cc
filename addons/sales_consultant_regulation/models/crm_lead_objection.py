# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from . import regulation_day

OUTCOMES = [("open", "Unresolved"), ("resolved", "Resolved"), ("lost", "Lost Because of It")]


class CrmLeadObjection(models.Model):
    """R5.3: an objection met on a lead, the answer the consultant gave and what came of it.
    It belongs to the lead's salesperson and follows the lead's record rules."""

    _name = "crm.lead.objection"
    _description = "Objection Met on a Lead"
    _order = "date desc, id desc"
    _check_company_auto = True

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade", index=True, check_company=True)
    objection_id = fields.Many2one("sale.objection", required=True, ondelete="restrict", check_company=True)
    category = fields.Selection(related="objection_id.category", store=True)
    recommended_answer = fields.Html(related="objection_id.answer_script")
    answer = fields.Html(string="Answer Given", help="R5.3: the explanation, example or solution given.")
    outcome = fields.Selection(OUTCOMES, required=True, default="open", index=True)
    date = fields.Date(required=True, default=regulation_day.default_today)
    user_id = fields.Many2one(
        related="lead_id.user_id", string="Consultant", store=True, index=True, help="The lead's salesperson."
    )
    team_id = fields.Many2one(related="lead_id.team_id", string="Sales Team", store=True)
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="lead_id.partner_id", string="Customer")

    @api.constrains("outcome", "answer")
    def _check_answer(self):
        for line in self:
            if line.outcome == "resolved" and not (line.answer and Markup(line.answer).striptags().strip()):
                raise ValidationError(
                    self.env._(
                        'R5.3: the objection "%(objection)s" on %(lead)s is resolved only with the answer given.',
                        objection=line.objection_id.name,
                        lead=line.lead_id.name,
                    )
                )
