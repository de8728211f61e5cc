# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    regulation_discount_limit = fields.Float(
        related="company_id.regulation_discount_limit",
        readonly=False,
    )
    appraisal_basis = fields.Selection(related="company_id.appraisal_basis", readonly=False)
    appraisal_champion_badge_id = fields.Many2one(related="company_id.appraisal_champion_badge_id", readonly=False)
    appraisal_best_badge_id = fields.Many2one(related="company_id.appraisal_best_badge_id", readonly=False)
    appraisal_channel_id = fields.Many2one(related="company_id.appraisal_channel_id", readonly=False)
    regulation_team_count = fields.Integer(
        string="Regulated Sales Teams",
        compute="_compute_regulation_team_count",
    )

    def _compute_regulation_team_count(self):
        count = self.env["crm.team"].search_count(
            self.env["crm.team"]._regulated_domain() + [("company_id", "in", [False, self.env.company.id])]
        )
        for settings in self:
            settings.regulation_team_count = count

    def action_open_regulated_teams(self):
        return self.env["ir.actions.act_window"]._for_xml_id("sales_consultant_regulation.crm_team_action_regulation")
