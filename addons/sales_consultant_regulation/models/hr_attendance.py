# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

import pytz

from odoo import api, fields, models

from ..tools import lateness
from . import regulation_day


class HrAttendance(models.Model):
    _inherit = "hr.attendance"

    regulation_date = fields.Date(
        string="Day",
        compute="_compute_regulation_date",
        store=True,
        index=True,
        help="The day of the check-in in the employee's time zone.",
    )
    regulation_late_minutes = fields.Integer(
        string="Late (min)",
        compute="_compute_regulation_discipline",
        store=True,
        aggregator="sum",
        help="R9.1: expected work missed before the day's first check-in, against the employee's working "
        "schedule (lunch breaks, public holidays and approved time off excluded), beyond the company's "
        "grace minutes. Flexible schedules are not judged.",
    )
    regulation_early_leave_minutes = fields.Integer(
        string="Left Early (min)",
        compute="_compute_regulation_discipline",
        store=True,
        aggregator="sum",
        help="R9.1: expected work missed after the day's last check-out, beyond the company's grace minutes.",
    )

    @api.depends("check_in", "employee_id")
    def _compute_regulation_date(self):
        for attendance in self:
            if not attendance.check_in or not attendance.employee_id:
                attendance.regulation_date = False
                continue
            attendance.regulation_date = regulation_day.local_date(
                self.env, attendance.check_in, tz=attendance.employee_id._get_tz()
            )

    @api.depends("check_in", "check_out", "employee_id", "in_mode")
    def _compute_regulation_discipline(self):
        self.regulation_late_minutes = 0
        self.regulation_early_leave_minutes = 0
        judged = self._regulation_judged()
        if not judged:
            return
        figures = judged._regulation_judge_days()
        for attendance in judged:
            late, early = figures.get(attendance.id, (0, 0))
            attendance.regulation_late_minutes = late
            attendance.regulation_early_leave_minutes = early

    def _regulation_judged(self):
        """The attendances the daily rules judge: real ones (not the technical attendances Odoo
        creates for absences) of regulated employees on a fixed schedule."""
        attendances = self.filtered(lambda a: a.check_in and a.employee_id and a.in_mode != "technical")
        employees = attendances.employee_id._regulation_filter().filtered(lambda e: not e.is_flexible)
        return attendances.filtered(lambda a: a.employee_id in employees)

    def _regulation_judge_days(self):
        """{attendance id: (late minutes, early-leave minutes)} for self, judging each employee's
        day with all of its attendances (the first carries the lateness, the last the early leave)."""
        employees = self.employee_id
        days = set(self.mapped("regulation_date"))
        # sudo: the other attendances of the same days decide which one is first and last
        siblings = (
            self.sudo()
            .search(
                [
                    ("employee_id", "in", employees.ids),
                    ("regulation_date", "in", list(days)),
                    ("in_mode", "!=", "technical"),
                    ("id", "not in", self._origin.ids),
                ]
            )
            .with_env(self.env)
        )
        per_day = defaultdict(list)
        for attendance in siblings | self:
            key = (attendance.employee_id.id, attendance.regulation_date)
            per_day[key].append((attendance.id, attendance.check_in, attendance.check_out))
        intervals = employees._regulation_work_intervals(days)
        result = {}
        for (employee_id, day), day_attendances in per_day.items():
            employee = employees.browse(employee_id)
            grace = employee.company_id.regulation_attendance_grace
            day_intervals = intervals[employee_id].get(day, [])
            localized = [
                (key, pytz.utc.localize(check_in), pytz.utc.localize(check_out) if check_out else None)
                for key, check_in, check_out in day_attendances
            ]
            result.update(lateness.judge_day(day_intervals, localized, grace))
        return result

    def _update_overtime(self, employee_attendance_dates=None):
        # Odoo calls this hook with the employees' days touched by a created, moved or deleted
        # attendance (and by validated time off): the other attendances of those days may now
        # be first or last of their day, so their lateness changes too.
        res = super()._update_overtime(employee_attendance_dates)
        if employee_attendance_dates is None:
            employee_attendance_dates = self._get_attendances_dates()
        self._regulation_days_changed(
            {employee: {day for _start, day in dates} for employee, dates in employee_attendance_dates.items()}
        )
        return res

    @api.model
    def _regulation_days_changed(self, employee_days):
        """Recompute the lateness of the given employees' days and excuse the absences an
        attendance or time off recorded afterwards now covers.

        :param employee_days: ``{hr.employee record: set of local dates}``
        """
        employees = self.env["hr.employee"].union(*employee_days)._regulation_filter() if employee_days else None
        if not employees:
            return
        days = set().union(*(employee_days[employee] for employee in employees))
        # sudo: recomputing stored figures of the whole day, whoever changed one attendance
        attendances = (
            self.sudo()
            .search([("employee_id", "in", employees.ids), ("regulation_date", "in", list(days))])
            .filtered(lambda a: a.regulation_date in employee_days[a.employee_id])
        )
        for field_name in ("regulation_late_minutes", "regulation_early_leave_minutes"):
            self.env.add_to_compute(self._fields[field_name], attendances)
        self.env["sale.regulation.absence"]._regulation_recheck(
            {employee: employee_days[employee] for employee in employees}
        )
