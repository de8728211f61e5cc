# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CrmLeadChecklistOverride(models.TransientModel):
    """A supervisor lets a lead pass required checklist items, with a written reason (R4)."""

    _name = "crm.lead.checklist.override"
    _description = "Let a Lead Pass its Checklist"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    stage_id = fields.Many2one(
        "crm.stage",
        string="Move To",
        required=True,
        compute="_compute_stage_id",
        store=True,
        readonly=False,
    )
    blocking_item_ids = fields.Many2many(
        "crm.stage.checklist.item", string="Items Passed Without Being Done", compute="_compute_blocking_item_ids"
    )
    reason = fields.Text(required=True)

    @api.depends("lead_id")
    def _compute_stage_id(self):
        for wizard in self:
            lead = wizard.lead_id
            stages = lead._regulation_pipeline(lead.team_id) if lead else self.env["crm.stage"]
            following = stages.filtered(lambda s, lead=lead: s.sequence > lead.stage_id.sequence and not s.is_won)
            wizard.stage_id = following[:1] or stages.filtered("is_won")[:1]

    @api.depends("lead_id", "stage_id")
    def _compute_blocking_item_ids(self):
        for wizard in self:
            if wizard.lead_id and wizard.stage_id:
                wizard.blocking_item_ids = wizard.lead_id._checklist_blockers_towards(wizard.stage_id)
            else:
                wizard.blocking_item_ids = False

    def action_confirm(self):
        self.ensure_one()
        user = self.env.user
        lead = self.lead_id
        if not user.has_group("sales_consultant_regulation.group_regulation_manager"):
            if not user.has_group("sales_consultant_regulation.group_supervisor") or lead.team_id.user_id != user:
                raise AccessError(
                    self.env._(
                        "Only the supervisor leading the team %(team)s or a regulation manager may let "
                        'the lead "%(lead)s" pass its checklist (R4).',
                        team=lead.team_id.name or "-",
                        lead=lead.display_name,
                    )
                )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for letting the lead pass (R4)."))
        lead._checklist_override(self.stage_id, self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
