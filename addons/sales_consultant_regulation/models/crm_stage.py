# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .crm_stage_checklist_item import REGULATION_STEPS


class CrmStage(models.Model):
    _inherit = "crm.stage"

    regulation_step = fields.Selection(
        REGULATION_STEPS,
        help="The step of the regulation's sales process (R4) this stage stands for.",
    )
    checklist_item_ids = fields.One2many(
        "crm.stage.checklist.item",
        "stage_id",
        string="Checklist",
        domain=[("scope", "=", "stage")],
        context={"default_scope": "stage"},
    )
    checklist_item_count = fields.Integer(compute="_compute_checklist_item_count")

    def _compute_checklist_item_count(self):
        counts = dict(
            self.env["crm.stage.checklist.item"]._read_group(
                [("stage_id", "in", self.ids), ("scope", "=", "stage")], ["stage_id"], ["__count"]
            )
        )
        for stage in self:
            stage.checklist_item_count = counts.get(stage, 0)
