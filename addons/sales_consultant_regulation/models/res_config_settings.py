# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    regulation_discount_limit = fields.Float(
        related="company_id.regulation_discount_limit",
        readonly=False,
    )
    regulation_file_stale_days = fields.Integer(related="company_id.regulation_file_stale_days", readonly=False)
    regulation_premium_revenue = fields.Monetary(related="company_id.regulation_premium_revenue", readonly=False)
    regulation_premium_months = fields.Integer(related="company_id.regulation_premium_months", readonly=False)
    regulation_return_visit_days = fields.Integer(related="company_id.regulation_return_visit_days", readonly=False)
    regulation_satisfaction_survey_id = fields.Many2one(
        related="company_id.regulation_satisfaction_survey_id", readonly=False
    )
    regulation_complaint_response_hours_low = fields.Float(
        related="company_id.regulation_complaint_response_hours_low", readonly=False
    )
    regulation_complaint_response_hours_normal = fields.Float(
        related="company_id.regulation_complaint_response_hours_normal", readonly=False
    )
    regulation_complaint_response_hours_high = fields.Float(
        related="company_id.regulation_complaint_response_hours_high", readonly=False
    )
    regulation_complaint_response_hours_critical = fields.Float(
        related="company_id.regulation_complaint_response_hours_critical", readonly=False
    )
    regulation_complaint_resolution_hours_low = fields.Float(
        related="company_id.regulation_complaint_resolution_hours_low", readonly=False
    )
    regulation_complaint_resolution_hours_normal = fields.Float(
        related="company_id.regulation_complaint_resolution_hours_normal", readonly=False
    )
    regulation_complaint_resolution_hours_high = fields.Float(
        related="company_id.regulation_complaint_resolution_hours_high", readonly=False
    )
    regulation_complaint_resolution_hours_critical = fields.Float(
        related="company_id.regulation_complaint_resolution_hours_critical", readonly=False
    )
    appraisal_basis = fields.Selection(related="company_id.appraisal_basis", readonly=False)
    appraisal_champion_badge_id = fields.Many2one(related="company_id.appraisal_champion_badge_id", readonly=False)
    appraisal_best_badge_id = fields.Many2one(related="company_id.appraisal_best_badge_id", readonly=False)
    appraisal_channel_id = fields.Many2one(related="company_id.appraisal_channel_id", readonly=False)
    regulation_team_count = fields.Integer(
        string="Regulated Sales Teams",
        compute="_compute_regulation_team_count",
    )

    # R9.1 attendance and daily rules
    regulation_makeup_weekday = fields.Selection(
        related="company_id.regulation_makeup_weekday", readonly=False, string="Make-up Working Days"
    )
    regulation_attendance_grace = fields.Integer(
        related="company_id.regulation_attendance_grace",
        readonly=False,
    )
    regulation_retroactive_leave = fields.Selection(
        related="company_id.regulation_retroactive_leave",
        readonly=False,
    )
    regulation_alert_late = fields.Integer(related="company_id.regulation_alert_late", readonly=False)
    regulation_alert_early_leave = fields.Integer(related="company_id.regulation_alert_early_leave", readonly=False)
    regulation_alert_absence = fields.Integer(related="company_id.regulation_alert_absence", readonly=False)
    regulation_alert_retroactive_leave = fields.Integer(
        related="company_id.regulation_alert_retroactive_leave",
        readonly=False,
    )

    @api.depends("company_id")
    def _compute_regulation_team_count(self):
        # depends on the company: the settings form computes it in its first onchange, where a
        # field without dependencies keeps its empty value
        Team = self.env["crm.team"]
        for settings in self:
            company = settings.company_id or self.env.company
            settings.regulation_team_count = Team.search_count(
                Team._regulated_domain() + [("company_id", "in", [False, company.id])]
            )

    def action_open_regulated_teams(self):
        return self.env["ir.actions.act_window"]._for_xml_id("sales_consultant_regulation.crm_team_action_regulation")

    # R10.2 export control
    regulation_export_limit = fields.Integer(
        related="company_id.regulation_export_limit",
        readonly=False,
    )

    def action_open_holiday_import(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.sale_regulation_holiday_import_action"
        )
