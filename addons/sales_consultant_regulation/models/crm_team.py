# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.tools import SQL


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

    @api.model
    def _regulation_sync_pipeline_translations(self, langs=None, overwrite=False):
        """Give the records made from the shipped ones the translations of ``langs`` (all
        installed languages by default):

        - the stages of the regulated pipelines are named after their regulation step;
        - the checklist items copied onto them take the template item's translations.

        A record whose English text the company changed is left alone, and so is a
        translation someone entered, unless ``overwrite`` (the terms are reloaded on purpose)."""
        langs = langs or [code for code, _name in self.env["res.lang"].get_installed()]
        langs = [lang for lang in langs if lang != "en_US"]
        if not langs:
            return
        self.env.flush_all()
        Item = self.env["crm.stage.checklist.item"]
        for field_name in ("name", "guidance"):
            column = SQL.identifier(field_name)
            # a translation entered on the copy is kept, unless the terms are reloaded on purpose
            keep = (
                SQL("FALSE")
                if overwrite
                else SQL("c.%s ? t.key AND c.%s ->> t.key <> c.%s ->> 'en_US'", column, column, column)
            )
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE crm_stage_checklist_item c
                       SET %(column)s = c.%(column)s || COALESCE((
                               SELECT jsonb_object_agg(t.key, t.value)
                                 FROM jsonb_each(tpl.%(column)s) t
                                WHERE t.key = ANY(%(langs)s) AND NOT (%(keep)s)
                           ), '{}'::jsonb)
                      FROM crm_stage_checklist_item tpl
                     WHERE c.template_item_id = tpl.id
                       AND c.%(column)s IS NOT NULL AND tpl.%(column)s IS NOT NULL
                       AND c.%(column)s ->> 'en_US' = tpl.%(column)s ->> 'en_US'
                    """,
                    column=column,
                    langs=langs,
                    keep=keep,
                )
            )
        Item.invalidate_model(["name", "guidance"])
        # sudo: the stages of every team are named, whoever loads the terms
        stages = self.env["crm.stage"].sudo().with_context(lang="en_US").search([("regulation_step", "!=", False)])
        for stage in stages:
            if stage.name != self.with_context(lang="en_US")._regulation_step_name(stage.regulation_step):
                continue
            current = stage.get_field_translations("name")[0]
            current = {value["lang"]: value["value"] for value in current}
            translations = {}
            for lang in langs:
                label = self.with_context(lang=lang)._regulation_step_name(stage.regulation_step)
                if overwrite or not current.get(lang) or current.get(lang) == stage.name:
                    translations[lang] = label
            if translations:
                stage.update_field_translations("name", translations)

    def _regulation_step_name(self, step):
        field = self.env["crm.stage"]._fields["regulation_step"]
        label = dict(field._description_selection(self.env))[step]
        # "Reception (R4.1)", "接待（R4.1）": the name without its clause
        return re.split(r"\s*[(（]", label)[0]

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
