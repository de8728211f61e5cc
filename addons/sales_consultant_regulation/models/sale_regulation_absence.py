# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from ..tools import lateness
from . import regulation_day
from .base import workflow_step

PROTECTED_FIELDS = {"employee_id", "date", "state", "excused_by_id"}


class SaleRegulationAbsence(models.Model):
    _name = "sale.regulation.absence"
    _description = "Unexcused Absence"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = tuple(sorted(PROTECTED_FIELDS))
    _inherit = ["mail.thread"]
    _order = "date desc, employee_id"

    employee_id = fields.Many2one("hr.employee", required=True, index=True, ondelete="cascade", readonly=True)
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True, string="User")
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)
    department_id = fields.Many2one(related="employee_id.department_id", store=True)
    date = fields.Date(required=True, index=True, readonly=True)
    state = fields.Selection(
        [("unexcused", "Unexcused"), ("excused", "Excused")],
        default="unexcused",
        required=True,
        readonly=True,
        tracking=True,
    )
    excuse_reason = fields.Char(
        tracking=True,
        help="Why the absence is excused: a supervisor fills it before excusing, or the module when "
        "an attendance or approved time off is recorded for the day afterwards.",
    )
    excused_by_id = fields.Many2one("res.users", readonly=True, tracking=True)

    _sql_constraints = [
        ("employee_date_uniq", "unique(employee_id, date)", "An employee has at most one absence per day."),
    ]

    @api.depends("employee_id", "date")
    def _compute_display_name(self):
        for absence in self:
            absence.display_name = self.env._(
                "%(employee)s absent on %(date)s",
                employee=absence.employee_id.name or "",
                date=format_date(self.env, absence.date) if absence.date else "",
            )

    def write(self, vals):
        self._regulation_check_vals(vals)
        if PROTECTED_FIELDS & set(vals) and not (
            self.env.su or self.env.user.has_group("sales_consultant_regulation.group_regulation_manager")
        ):
            raise AccessError(
                self.env._("An absence is recorded by the daily check and excused with the Excuse button (R9.1).")
            )
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    def _check_may_excuse(self):
        user = self.env.user
        if not (
            user.has_group("sales_consultant_regulation.group_supervisor")
            or user.has_group("hr_attendance.group_hr_attendance_officer")
        ):
            raise AccessError(self.env._("Only a supervisor may excuse an absence (R9.1)."))
        own = self.filtered(lambda a: a.user_id == user)
        if own:
            raise AccessError(
                self.env._(
                    "You cannot excuse your own absence on %(date)s: another supervisor must (R9.1).",
                    date=format_date(self.env, own[0].date),
                )
            )
        self.check_access("write")

    @workflow_step
    def action_excuse(self):
        self._check_may_excuse()
        missing = self.filtered(lambda a: not (a.excuse_reason or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Give the reason before excusing the absence of %(employee)s on %(date)s (R9.1).",
                    employee=missing[0].employee_id.name,
                    date=format_date(self.env, missing[0].date),
                )
            )
        # sudo: state and excused_by are protected fields; the supervisor's rights were checked above
        self.sudo().write({"state": "excused", "excused_by_id": self.env.uid})
        return True

    @workflow_step
    def action_unexcuse(self):
        self._check_may_excuse()
        # sudo: as above
        self.sudo().write({"state": "unexcused", "excused_by_id": False})
        return True

    # ------------------------------------------------------------------ business

    @api.model
    def _regulation_absent(self, employee_days):
        """The (employee id, date) pairs of working days without any attendance: the schedule
        expects work that day once public holidays and approved time off are removed.

        :param employee_days: ``{hr.employee record: set of local dates}``
        """
        if not employee_days:
            return set()
        employees = self.env["hr.employee"].union(*employee_days)
        all_days = set().union(*employee_days.values())
        intervals = employees._regulation_work_intervals(all_days)
        present = defaultdict(set)
        for employee, day in (
            self.env["hr.attendance"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", employees.ids),
                    ("regulation_date", "in", list(all_days)),
                    ("in_mode", "!=", "technical"),
                ],
                ["employee_id", "regulation_date:day"],
            )
        ):
            present[employee.id].add(day)
        absent = set()
        for employee, days in employee_days.items():
            expected = [day for day in days if intervals[employee.id].get(day)]
            absent.update((employee.id, day) for day in lateness.absent_days(expected, present[employee.id]))
        return absent

    @api.model
    @workflow_step
    def _cron_record_absences(self, lookback_days=1):
        """R9.1: record an unexcused absence for each working day of a regulated consultant with
        no attendance and no approved time off, public holidays excluded. Judges the
        lookback_days before today in each employee's time zone; running it twice records
        nothing more."""
        Employee = self.env["hr.employee"]
        employees = Employee.search(Employee._regulation_attendance_domain()).filtered(lambda e: not e.is_flexible)
        if not employees:
            return self.browse()
        employee_days = {}
        for employee in employees:
            # the employee's day: their own time zone, as their attendance's days
            today = regulation_day.today(self.env, tz=employee._get_tz())
            employee_days[employee] = set(lateness.days_to_judge(today, lookback_days))
        absent = self._regulation_absent(employee_days)
        if not absent:
            return self.browse()
        all_days = set().union(*employee_days.values())
        existing = {
            (absence.employee_id.id, absence.date)
            for absence in self.search([("employee_id", "in", employees.ids), ("date", "in", list(all_days))])
        }
        vals_list = [
            {"employee_id": employee_id, "date": day}
            for employee_id, day in sorted(absent - existing, key=lambda pair: (pair[1], pair[0]))
        ]
        return self.create(vals_list)

    @api.model
    @workflow_step
    def _regulation_recheck(self, employee_days):
        """Excuse the unexcused absences of the given days that an attendance or an approved
        time off recorded afterwards now covers."""
        if not employee_days:
            return
        employees = self.env["hr.employee"].union(*employee_days)
        all_days = set().union(*employee_days.values())
        # sudo: housekeeping of the absence records, whoever recorded the attendance or time off
        absences = (
            self.sudo()
            .search([("employee_id", "in", employees.ids), ("date", "in", list(all_days)), ("state", "=", "unexcused")])
            .filtered(lambda a: a.date in employee_days.get(a.employee_id, ()))
        )
        if not absences:
            return
        to_check = defaultdict(set)
        for absence in absences:
            to_check[absence.employee_id].add(absence.date)
        still_absent = self._regulation_absent(to_check)
        covered = absences.filtered(lambda a: (a.employee_id.id, a.date) not in still_absent)
        covered.write(
            {
                "state": "excused",
                "excused_by_id": self.env.uid,
                "excuse_reason": self.env._("Attendance or approved time off recorded afterwards"),
            }
        )
