# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

OVERRIDE_FIELDS = {"override_reason", "override_user_id", "override_date"}


class CrmLeadChecklistLine(models.Model):
    """A lead's checklist item for one of its stages (R4.1-R4.6).

    Manual items are ticked by hand and remember who ticked them and when; automatic items
    follow the lead's data. A supervisor may override a line with a written reason
    (crm.lead.checklist.override wizard); the override is kept here for compliance.
    """

    _name = "crm.lead.checklist.line"
    _inherit = "sale.regulation.checklist.line.mixin"
    _description = "Lead Checklist Line"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = ("checked_user_id", "checked_date", *sorted(OVERRIDE_FIELDS))
    _order = "stage_sequence, stage_id, sequence, id"
    _checklist_record_field = "lead_id"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade", index=True)
    item_id = fields.Many2one(ondelete="cascade")
    stage_id = fields.Many2one(related="item_id.stage_id", store=True, index=True)
    stage_sequence = fields.Integer(related="item_id.stage_id.sequence", store=True, string="Stage Sequence")
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="lead_id.user_id", string="Salesperson", store=True, index=True)
    team_id = fields.Many2one(related="lead_id.team_id", store=True)
    override_reason = fields.Text(readonly=True)
    override_user_id = fields.Many2one("res.users", string="Overridden By", readonly=True)
    override_date = fields.Datetime(string="Overridden On", readonly=True)
    is_overridden = fields.Boolean(compute="_compute_is_overridden", store=True)

    _sql_constraints = [
        ("lead_item_unique", "unique(lead_id, item_id)", "A lead has each checklist item once."),
    ]

    @api.depends("override_date")
    def _compute_is_overridden(self):
        for line in self:
            line.is_overridden = bool(line.override_date)

    @api.depends("is_overridden")
    def _compute_done(self):
        return super()._compute_done()

    def _is_done_by_hand(self):
        return super()._is_done_by_hand() | self.filtered("is_overridden")

    def write(self, vals):
        self._regulation_check_vals(vals)
        if OVERRIDE_FIELDS & set(vals) and not self.env.su:
            if not self.env.user.has_group("sales_consultant_regulation.group_supervisor"):
                raise AccessError(self.env._("Only a supervisor or a manager may override a checklist item (R4)."))
        return super().write(vals)
