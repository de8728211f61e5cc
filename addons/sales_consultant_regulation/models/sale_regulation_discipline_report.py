# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

FIGURE_FIELDS = {
    "late": "late_count",
    "early_leave": "early_leave_count",
    "absence": "absence_count",
    "retroactive_leave": "retroactive_leave_count",
}
SUMMED_FIELDS = (
    "late_count",
    "late_minutes",
    "early_leave_count",
    "early_leave_minutes",
    "absence_count",
    "retroactive_leave_count",
    "overdue_activity_count",
    "late_activity_count",
    "unsigned_order_count",
)


class SaleRegulationDisciplineReport(models.Model):
    """One row per regulated employee and month with the daily-rules figures (R9.1, R9.3, R9.4).

    A month without any incident has no row. The figures are read from where they live:
    attendances (lateness, early leave), absences, time off requests, activities and orders."""

    _name = "sale.regulation.discipline.report"
    _description = "Monthly Discipline Summary"
    _auto = False
    _order = "month desc, employee_id"
    _rec_name = "employee_id"
    # The tables the view reads: their pending changes are flushed before it is queried.
    _depends = {
        "hr.employee": ["user_id", "company_id", "department_id"],
        "crm.team": ["regulation_enabled"],
        "crm.team.member": ["user_id", "crm_team_id", "active"],
        "hr.attendance": [
            "employee_id",
            "regulation_date",
            "regulation_late_minutes",
            "regulation_early_leave_minutes",
        ],
        "sale.regulation.absence": ["employee_id", "date", "state"],
        "hr.leave": ["employee_id", "request_date_from", "regulation_retroactive", "state"],
        "mail.activity": ["user_id", "active", "date_deadline", "date_done"],
        "sale.order": ["user_id", "company_id", "state", "date_order"],
        "ir.attachment": ["res_model", "res_id", "res_field"],
    }

    employee_id = fields.Many2one("hr.employee", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    month = fields.Date(readonly=True)
    late_count = fields.Integer(string="Late", readonly=True, help="R9.1: days with lateness beyond the grace.")
    late_minutes = fields.Integer(readonly=True)
    early_leave_count = fields.Integer(string="Left Early", readonly=True, help="R9.1: days left early.")
    early_leave_minutes = fields.Integer(readonly=True)
    absence_count = fields.Integer(string="Absences", readonly=True, help="R9.1: unexcused absences.")
    retroactive_leave_count = fields.Integer(
        string="Time Off Requested Late",
        readonly=True,
        help="R9.1: time off requests (not refused or cancelled) that started before the day they were requested, "
        "by month of their start.",
    )
    overdue_activity_count = fields.Integer(
        string="Overdue Activities",
        readonly=True,
        help="R9.3: activities still open past their deadline, by month of the deadline.",
    )
    late_activity_count = fields.Integer(
        string="Activities Finished Late",
        readonly=True,
        help="R9.3: activities marked done after their deadline, by month done.",
    )
    unsigned_order_count = fields.Integer(
        string="Orders Without Signed Contract",
        readonly=True,
        help="R9.4: confirmed orders with neither an attached signed contract nor the customer's online "
        "signature, by month of the order.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH regulated AS (
                SELECT DISTINCT e.id AS employee_id, e.user_id, e.company_id, e.department_id
                  FROM hr_employee e
                  JOIN crm_team_member m ON m.user_id = e.user_id AND m.active
                  JOIN crm_team t ON t.id = m.crm_team_id AND t.regulation_enabled
            ),
            user_employee AS (
                SELECT DISTINCT ON (user_id) user_id, employee_id, company_id
                  FROM regulated
                 ORDER BY user_id, employee_id
            ),
            events AS (
                SELECT a.employee_id,
                       date_trunc('month', a.regulation_date)::date AS month,
                       (a.regulation_late_minutes > 0)::int AS late_count,
                       a.regulation_late_minutes AS late_minutes,
                       (a.regulation_early_leave_minutes > 0)::int AS early_leave_count,
                       a.regulation_early_leave_minutes AS early_leave_minutes,
                       0 AS absence_count, 0 AS retroactive_leave_count, 0 AS overdue_activity_count,
                       0 AS late_activity_count, 0 AS unsigned_order_count
                  FROM hr_attendance a
                 WHERE a.regulation_late_minutes > 0 OR a.regulation_early_leave_minutes > 0
                UNION ALL
                SELECT ab.employee_id, date_trunc('month', ab.date)::date, 0, 0, 0, 0, 1, 0, 0, 0, 0
                  FROM sale_regulation_absence ab
                 WHERE ab.state = 'unexcused'
                UNION ALL
                SELECT l.employee_id, date_trunc('month', l.request_date_from)::date, 0, 0, 0, 0, 0, 1, 0, 0, 0
                  FROM hr_leave l
                 WHERE l.regulation_retroactive AND l.state IN ('confirm', 'validate1', 'validate')
                UNION ALL
                SELECT ue.employee_id, date_trunc('month', act.date_deadline)::date, 0, 0, 0, 0, 0, 0, 1, 0, 0
                  FROM mail_activity act
                  JOIN user_employee ue ON ue.user_id = act.user_id
                  JOIN res_users au ON au.id = act.user_id
                  JOIN res_partner ap ON ap.id = au.partner_id
                  LEFT JOIN res_company ac ON ac.id = ue.company_id
                  LEFT JOIN resource_calendar acal ON acal.id = ac.resource_calendar_id
                  LEFT JOIN res_partner acp ON acp.id = ac.partner_id
                 -- overdue in the day of the activity's user (as mail.activity's state), else
                 -- the company's (models/regulation_day.py)
                 WHERE act.active
                   AND act.date_deadline < (now() AT TIME ZONE COALESCE(
                           NULLIF(ap.tz, ''), NULLIF(acal.tz, ''), NULLIF(acp.tz, ''), 'UTC'))::date
                UNION ALL
                SELECT ue.employee_id, date_trunc('month', act.date_done)::date, 0, 0, 0, 0, 0, 0, 0, 1, 0
                  FROM mail_activity act
                  JOIN user_employee ue ON ue.user_id = act.user_id
                 WHERE NOT act.active AND act.date_done > act.date_deadline
                UNION ALL
                SELECT ue.employee_id, date_trunc('month', so.date_order)::date, 0, 0, 0, 0, 0, 0, 0, 0, 1
                  FROM sale_order so
                  JOIN user_employee ue ON ue.user_id = so.user_id AND ue.company_id = so.company_id
                 WHERE so.state = 'sale'
                   AND NOT EXISTS (
                       SELECT 1 FROM ir_attachment att
                        WHERE att.res_model = 'sale.order' AND att.res_id = so.id
                          AND att.res_field IN ('signed_contract', 'signature')
                   )
            )
            SELECT r.employee_id::bigint * 100000
                       + EXTRACT(YEAR FROM ev.month)::int * 12 + EXTRACT(MONTH FROM ev.month)::int AS id,
                   r.employee_id, r.user_id, r.company_id, r.department_id, ev.month,
                   SUM(ev.late_count) AS late_count,
                   SUM(ev.late_minutes) AS late_minutes,
                   SUM(ev.early_leave_count) AS early_leave_count,
                   SUM(ev.early_leave_minutes) AS early_leave_minutes,
                   SUM(ev.absence_count) AS absence_count,
                   SUM(ev.retroactive_leave_count) AS retroactive_leave_count,
                   SUM(ev.overdue_activity_count) AS overdue_activity_count,
                   SUM(ev.late_activity_count) AS late_activity_count,
                   SUM(ev.unsigned_order_count) AS unsigned_order_count
              FROM events ev
              JOIN regulated r ON r.employee_id = ev.employee_id
             GROUP BY r.employee_id, r.user_id, r.company_id, r.department_id, ev.month
            """
        )

    @api.model
    def _discipline_figures(self, date_from, date_to, users=None):
        """The daily-rules figures of each user over the months from date_from to date_to, in
        one query: for the appraisal (an optional discipline KPI) and the compliance view.

        :param users: res.users to restrict to (None: all the caller may read)
        :return: ``{user id: {field name: total}}`` for the fields of SUMMED_FIELDS; users
            without any incident are absent (all their figures are 0)
        """
        domain = [("month", ">=", date_from.replace(day=1)), ("month", "<=", date_to)]
        if users is not None:
            domain.append(("user_id", "in", users.ids))
        groups = self._read_group(domain, ["user_id"], [f"{name}:sum" for name in SUMMED_FIELDS])
        return {user.id: dict(zip(SUMMED_FIELDS, totals, strict=True)) for user, *totals in groups}
