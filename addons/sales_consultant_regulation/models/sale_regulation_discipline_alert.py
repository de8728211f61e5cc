# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from babel.dates import format_date as babel_format_date
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import get_lang

from ..tools import lateness
from . import regulation_day
from .sale_regulation_discipline_report import FIGURE_FIELDS

ALERT_FIGURES = [
    ("late", "Lateness"),
    ("early_leave", "Early Leaves"),
    ("absence", "Unexcused Absences"),
    ("retroactive_leave", "Time Off Requested Late"),
]


class SaleRegulationDisciplineAlert(models.Model):
    """A consultant reached a monthly discipline threshold (R9.1): one per employee, month and
    figure, with an activity for the supervisor."""

    _name = "sale.regulation.discipline.alert"
    _description = "Discipline Alert"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "month desc, employee_id, figure"

    employee_id = fields.Many2one("hr.employee", required=True, index=True, ondelete="cascade", readonly=True)
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True, string="User")
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)
    month = fields.Date(required=True, index=True, readonly=True)
    figure = fields.Selection(ALERT_FIGURES, required=True, readonly=True)
    value = fields.Integer(string="Count", readonly=True)
    threshold = fields.Integer(readonly=True)
    supervisor_id = fields.Many2one("res.users", readonly=True, help="Who was asked to follow up.")

    _sql_constraints = [
        (
            "employee_month_figure_uniq",
            "unique(employee_id, month, figure)",
            "An employee has one alert per figure and month.",
        ),
    ]

    @api.depends("employee_id", "month", "figure", "value")
    def _compute_display_name(self):
        labels = dict(self._fields["figure"]._description_selection(self.env))
        locale = get_lang(self.env).code
        for alert in self:
            alert.display_name = self.env._(
                "%(employee)s: %(count)s × %(figure)s in %(month)s",
                employee=alert.employee_id.name or "",
                count=alert.value,
                figure=labels.get(alert.figure, ""),
                month=babel_format_date(alert.month, "MMMM y", locale=locale) if alert.month else "",
            )

    @api.model
    def _cron_discipline_alerts(self):
        """R9.1: alert the supervisor when a consultant's monthly figure reaches the company's
        threshold; once per employee, month and figure (a rising count updates the alert)."""
        months = lateness.months_to_watch(regulation_day.today(self.env))
        Report = self.env["sale.regulation.discipline.report"]
        Report.invalidate_model()  # a view: what is cached may be outdated
        rows = Report.search_fetch(
            [("month", "in", months)], ["employee_id", "company_id", "month", *FIGURE_FIELDS.values()]
        )
        if not rows:
            return self.browse()
        existing = {
            (alert.employee_id.id, alert.month, alert.figure): alert
            for alert in self.search([("employee_id", "in", rows.employee_id.ids), ("month", "in", months)])
        }
        supervisors = self._regulation_supervisors(rows.employee_id)
        vals_list = []
        for row in rows:
            figures = {figure: row[field_name] for figure, field_name in FIGURE_FIELDS.items()}
            thresholds = row.company_id._regulation_alert_thresholds()
            for figure, count, threshold in lateness.passed_thresholds(figures, thresholds):
                alert = existing.get((row.employee_id.id, row.month, figure))
                if alert:
                    if alert.value != count:
                        alert.value = count
                    continue
                vals_list.append(
                    {
                        "employee_id": row.employee_id.id,
                        "month": row.month,
                        "figure": figure,
                        "value": count,
                        "threshold": threshold,
                        "supervisor_id": supervisors.get(row.employee_id.id, False),
                    }
                )
        alerts = self.create(vals_list)
        alerts._notify_supervisor()
        return alerts

    @api.model
    def _regulation_supervisors(self, employees):
        """{employee id: user id} of who follows a consultant up: the leader of their regulated
        team, else their manager's user."""
        members = self.env["crm.team.member"].search(
            [("user_id", "in", employees.user_id.ids), ("crm_team_id.regulation_enabled", "=", True)]
        )
        leader_per_user = {}
        for member in members:
            if member.crm_team_id.user_id and member.crm_team_id.user_id != member.user_id:
                leader_per_user.setdefault(member.user_id.id, member.crm_team_id.user_id.id)
        return {
            employee.id: leader_per_user.get(employee.user_id.id) or employee.parent_id.user_id.id
            for employee in employees
        }

    def _notify_supervisor(self):
        """Tell each supervisor about their new alerts: one activity per alert, created quietly
        in one batch, and one message per supervisor listing them (a night with many alerts
        sends each supervisor one email, not one per alert)."""
        alerts = self.filtered("supervisor_id")
        if not alerts:
            return
        activity_type = self.env.ref("sales_consultant_regulation.mail_activity_type_discipline_alert")
        model_id = self.env["ir.model"]._get_id(self._name)
        deadline = activity_type._get_date_deadline()
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": alert.id,
                    "user_id": alert.supervisor_id.id,
                    "date_deadline": deadline,
                    "automated": True,
                    "summary": alert.display_name,
                    "note": self.env._(
                        "Talk it through with %(employee)s and note what was agreed (alert threshold: "
                        "%(threshold)s, R9.1).",
                        employee=alert.employee_id.name,
                        threshold=alert.threshold,
                    ),
                }
                for alert in alerts
            ]
        )
        for supervisor, supervised in alerts.grouped("supervisor_id").items():
            translated = supervised.with_context(lang=supervisor.lang)
            env = translated.env
            items = Markup().join(Markup("<li>%s</li>") % alert.display_name for alert in translated)
            self.browse().message_notify(
                partner_ids=supervisor.partner_id.ids,
                subject=env._("Discipline alerts (R9.1)"),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (
                    env._(
                        "These consultants reached a monthly discipline threshold; an activity waits for you "
                        "on each alert (Sales Regulation > Daily Rules > Discipline Alerts):"
                    ),
                    items,
                ),
            )
