# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    regulation_enabled = fields.Boolean(
        string="Regulated",
        tracking=True,
        help="The Sales Consultant Work Management Regulation applies to this team: "
        "its stage checklists, contract review, appraisal and incentives are enforced. "
        "Teams that are not regulated behave exactly as in plain Odoo.",
    )

    @api.model
    def _regulated_domain(self):
        """Domain of the teams the regulation applies to (docs/architecture.md, principle 5)."""
        return [("regulation_enabled", "=", True)]

    def action_regulation_enable(self):
        self.regulation_enabled = True

    def action_regulation_disable(self):
        self.regulation_enabled = False

    # R4: the regulation's pipeline

    def _apply_regulation_pipeline(self, mapping=None):
        """Attach the shipped checklist template to the team's stages, one per regulation
        step; a step mapped to no stage gets a new stage of the team's own. Applying twice
        adds nothing twice. Marks the team regulated."""
        from .crm_stage_checklist_item import REGULATION_STEPS

        mapping = mapping or {}
        Stage = self.env["crm.stage"]
        Item = self.env["crm.stage.checklist.item"]
        templates = Item.search([("scope", "=", "stage"), ("stage_id", "=", False), ("template_step", "!=", False)])
        for team in self:
            for index, (step, _label) in enumerate(REGULATION_STEPS):
                stage = mapping.get(step) or Stage.search(
                    [("team_id", "=", team.id), ("regulation_step", "=", step)], limit=1
                )
                if not stage:
                    stage = Stage.with_context(lang="en_US").create(
                        {
                            "name": self._regulation_step_name(step),
                            "team_id": team.id,
                            "sequence": index if step != "won" else 69,
                            "is_won": step == "won",
                            "fold": step == "won",
                        }
                    )
                    stage.update_field_translations(
                        "name",
                        {
                            lang: self.with_context(lang=lang)._regulation_step_name(step)
                            for lang, _name in self.env["res.lang"].get_installed()
                            if lang != "en_US"
                        },
                    )
                if not stage.regulation_step:
                    stage.regulation_step = step
                step_templates = templates.filtered(lambda t, step=step: t.template_step == step)
                already = Item.search([("stage_id", "=", stage.id), ("template_item_id", "in", step_templates.ids)])
                to_copy = step_templates - already.template_item_id
                if to_copy:
                    # copy() keeps the translations of the template's texts
                    for template in to_copy:
                        template.copy({"stage_id": stage.id, "template_step": step, "template_item_id": template.id})
            if not team.regulation_enabled:
                team.regulation_enabled = True
        return True

    def _regulation_step_name(self, step):
        field = self.env["crm.stage"]._fields["regulation_step"]
        label = dict(field._description_selection(self.env))[step]
        return label.split(" (")[0]

    def action_apply_regulation_pipeline(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Apply the Regulated Pipeline"),
            "res_model": "crm.team.pipeline.apply",
            "view_mode": "form",
            "target": "new",
            "context": {"default_team_id": self.id},
        }
