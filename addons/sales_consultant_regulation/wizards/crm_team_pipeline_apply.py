# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models

from ..models.crm_stage_checklist_item import REGULATION_STEPS


class CrmTeamPipelineApply(models.TransientModel):
    """Apply the regulation's eight-step pipeline (R4) with its checklists to a sales team.

    For each step the manager picks an existing stage or leaves it empty to create a stage
    of the team's own; nothing of the company's existing stages is changed but the checklist
    items attached to the stages picked.
    """

    _name = "crm.team.pipeline.apply"
    _description = "Apply the Regulated Pipeline to a Sales Team"

    team_id = fields.Many2one("crm.team", required=True, ondelete="cascade")
    line_ids = fields.One2many(
        "crm.team.pipeline.apply.line",
        "wizard_id",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.depends("team_id")
    def _compute_line_ids(self):
        for wizard in self:
            existing = {
                stage.regulation_step: stage
                for stage in self.env["crm.stage"].search(
                    [("team_id", "=", wizard.team_id.id), ("regulation_step", "!=", False)]
                )
            }
            wizard.line_ids = [Command.clear()] + [
                Command.create({"step": step, "stage_id": existing.get(step, self.env["crm.stage"]).id})
                for step, _label in REGULATION_STEPS
            ]

    def action_apply(self):
        self.ensure_one()
        mapping = {line.step: line.stage_id for line in self.line_ids}
        self.team_id._apply_regulation_pipeline(mapping)
        return {"type": "ir.actions.act_window_close"}


class CrmTeamPipelineApplyLine(models.TransientModel):
    _name = "crm.team.pipeline.apply.line"
    _description = "Regulated Pipeline Step"

    wizard_id = fields.Many2one("crm.team.pipeline.apply", required=True, ondelete="cascade")
    step = fields.Selection(REGULATION_STEPS, required=True, readonly=True)
    stage_id = fields.Many2one(
        "crm.stage",
        string="Existing Stage",
        help="Leave empty to create a stage of the team's own for this step.",
    )
