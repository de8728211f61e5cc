# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

PREMIUM_FIELDS = {"regulation_premium_revenue", "regulation_premium_months"}


class ResCompany(models.Model):
    _inherit = "res.company"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {
        "regulation_discount_limit": (0.0, 100.0),
        "regulation_export_limit": (0, None),
        "regulation_file_stale_days": (0, 3650),
        "regulation_premium_revenue": (0.0, None),
        "regulation_premium_months": (1, 120),
        "regulation_return_visit_days": (0, 365),
        "regulation_attendance_grace": (0, 240),
        "regulation_alert_late": (0, 1000),
        "regulation_alert_early_leave": (0, 1000),
        "regulation_alert_absence": (0, 1000),
        "regulation_alert_retroactive_leave": (0, 1000),
        **{
            f"regulation_complaint_{kind}_hours_{severity}": (0.0, 8760.0)
            for kind in ("response", "resolution")
            for severity in ("low", "normal", "high", "critical")
        },
    }

    regulation_discount_limit = fields.Float(
        string="Discount Limit (%)",
        default=10.0,
        help="R4.6: a regulated order with a line discount above this needs a supervisor's approval "
        "before it is confirmed.",
    )

    # R10.2 export control
    regulation_export_limit = fields.Integer(
        string="Export Limit",
        default=200,
        help="R10.2: the largest number of customer, lead or order records a consultant or supervisor may "
        "export at once; a larger export is refused and the regulation managers are alerted. 0: no limit.",
    )
    # R3.3 customer files
    regulation_file_stale_days = fields.Integer(
        string="File Stale After (Days)",
        default=90,
        help="R3.3: a customer file not reviewed for this many days is flagged stale (0: never).",
    )
    # R3.4 premium customers
    regulation_premium_revenue = fields.Monetary(
        string="Premium Revenue Threshold",
        currency_field="currency_id",
        default=100000.0,
        help="R3.4: a customer whose confirmed orders over the premium period reach this untaxed "
        "amount is a premium customer (0: no premium customers).",
    )
    regulation_premium_months = fields.Integer(
        string="Premium Period (Months)", default=12, help="R3.4: the period the premium revenue is counted over."
    )
    # R3.5 / R4.8 return visits
    regulation_return_visit_days = fields.Integer(
        string="Return Visit After (Days)",
        default=30,
        help="R3.5, R4.8: days after an order is confirmed when the consultant revisits the customer "
        "and the satisfaction survey is sent (0: no return visits).",
    )
    regulation_satisfaction_survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction Survey",
        help="R4.8: the survey sent at the return visit; empty: the survey shipped with the module.",
    )
    # R3.5 complaint deadlines, hours per severity
    regulation_complaint_response_hours_low = fields.Float(string="Response (Low)", default=48.0)
    regulation_complaint_response_hours_normal = fields.Float(string="Response (Normal)", default=24.0)
    regulation_complaint_response_hours_high = fields.Float(string="Response (High)", default=8.0)
    regulation_complaint_response_hours_critical = fields.Float(string="Response (Critical)", default=2.0)
    regulation_complaint_resolution_hours_low = fields.Float(string="Resolution (Low)", default=240.0)
    regulation_complaint_resolution_hours_normal = fields.Float(string="Resolution (Normal)", default=120.0)
    regulation_complaint_resolution_hours_high = fields.Float(string="Resolution (High)", default=48.0)
    regulation_complaint_resolution_hours_critical = fields.Float(string="Resolution (Critical)", default=24.0)

    def write(self, vals):
        res = super().write(vals)
        if PREMIUM_FIELDS & set(vals):
            # R3.4: new premium thresholds apply at once, not at the next daily refresh
            self.env["res.partner"]._regulation_refresh_premium()
        if "regulation_makeup_weekday" in vals:
            # R9.1: the make-up working days are now worked as another weekday: judge them again
            # sudo: every make-up day of the companies, whoever changes the setting
            workdays = self.env["sale.regulation.workday"].sudo().search([("company_id", "in", self.ids)])
            workdays.flush_recordset(["weekday"])
            workdays._regulation_recompute(workdays._regulation_employee_days())
        return res

    # R9.1 attendance and daily rules
    regulation_attendance_grace = fields.Integer(
        string="Attendance Grace (minutes)",
        default=5,
        help="R9.1: lateness or early leave up to this many minutes is forgiven; beyond it, it counts in full.",
    )
    regulation_retroactive_leave = fields.Selection(
        [("warn", "Warn"), ("refuse", "Refuse unless a supervisor submits it")],
        string="Time Off Requested Late",
        default="warn",
        required=True,
        help="R9.1: time off is requested before it starts. Warn: a consultant may still submit a request "
        "that starts before today; it is marked retroactive and counted. Refuse: only a supervisor or a "
        "time off officer may submit it.",
    )
    regulation_makeup_weekday = fields.Selection(
        [
            ("freed", "As the Day Off It Pays Back"),
            ("0", "As a Monday"),
            ("1", "As a Tuesday"),
            ("2", "As a Wednesday"),
            ("3", "As a Thursday"),
            ("4", "As a Friday"),
        ],
        string="Make-up Working Days",
        default="freed",
        required=True,
        help="R9.1: on a make-up working day (補班 / 调休) the employees are expected for the hours their "
        "working schedule has on the weekday of the day off it pays back, or on the weekday named here.",
    )
    regulation_alert_late = fields.Integer(
        string="Alert at Lateness",
        default=3,
        help="R9.1: the supervisor is alerted when a consultant is late this many times in a month (0: never).",
    )
    regulation_alert_early_leave = fields.Integer(
        string="Alert at Early Leaves",
        default=3,
        help="R9.1: the supervisor is alerted at this many early leaves in a month (0: never).",
    )
    regulation_alert_absence = fields.Integer(
        string="Alert at Absences",
        default=1,
        help="R9.1: the supervisor is alerted at this many unexcused absences in a month (0: never).",
    )
    regulation_alert_retroactive_leave = fields.Integer(
        string="Alert at Retroactive Time Off",
        default=2,
        help="R9.1: the supervisor is alerted at this many time off requests submitted after they started "
        "in a month (0: never).",
    )

    def _regulation_alert_thresholds(self):
        """{figure: threshold} of the company (R9.1 discipline alerts)."""
        self.ensure_one()
        return {
            "late": self.regulation_alert_late,
            "early_leave": self.regulation_alert_early_leave,
            "absence": self.regulation_alert_absence,
            "retroactive_leave": self.regulation_alert_retroactive_leave,
        }

    # R6.1-R6.4 appraisal
    appraisal_basis = fields.Selection(
        [("order", "Confirmed Orders"), ("invoice", "Posted Invoices, Net of Credit Notes")],
        default="order",
        required=True,
        help="R6.3: the sales figures of new appraisal periods come from confirmed orders dated in the "
        "period, or from posted invoices net of credit notes.",
    )
    appraisal_champion_badge_id = fields.Many2one(
        "gamification.badge",
        string="Sales Champion Title",
        default=lambda self: self.env.ref("sales_consultant_regulation.badge_sales_champion", raise_if_not_found=False),
        help="R6.4: the badge granted to the consultant with the highest sales amount of an approved period "
        "(the shipped Sales Champion badge when empty).",
    )
    appraisal_best_badge_id = fields.Many2one(
        "gamification.badge",
        string="Best Sales Consultant Title",
        default=lambda self: self.env.ref(
            "sales_consultant_regulation.badge_best_consultant", raise_if_not_found=False
        ),
        help="R6.4: the badge granted to the consultant with the highest total score of an approved period "
        "(the shipped Best Sales Consultant badge when empty).",
    )
    appraisal_channel_id = fields.Many2one(
        "discuss.channel",
        string="Honours Channel",
        default=lambda self: self.env.ref("mail.channel_all_employees", raise_if_not_found=False),
        help="R6.4: the channel where the honour titles are announced to the company.",
    )

    @api.model
    def _appraisal_default_honours(self):
        """Give every company without honour titles the shipped ones (at install the badges
        are loaded after the companies' columns)."""
        champion = self.env.ref("sales_consultant_regulation.badge_sales_champion")
        best = self.env.ref("sales_consultant_regulation.badge_best_consultant")
        self.search([("appraisal_champion_badge_id", "=", False)]).appraisal_champion_badge_id = champion
        self.search([("appraisal_best_badge_id", "=", False)]).appraisal_best_badge_id = best
