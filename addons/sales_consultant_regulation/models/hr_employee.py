# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.addons.resource.models.utils import Intervals, float_to_time
from odoo.exceptions import UserError


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    regulation_attendance = fields.Boolean(
        string="Daily Rules Apply",
        compute="_compute_regulation_attendance",
        search="_search_regulation_attendance",
        compute_sudo=True,
        help="R9.1: the employee's user is a member of a regulated sales team, so lateness, early leave, "
        "absences and time off requested late are measured.",
    )

    @api.model
    def _regulation_attendance_domain(self):
        """Employees the daily rules apply to (docs/architecture.md, principle 5): members of a regulated team."""
        return [("user_id.crm_team_member_ids.crm_team_id.regulation_enabled", "=", True)]

    @api.depends("user_id")
    def _compute_regulation_attendance(self):
        regulated_ids = set(self._origin._regulation_filter().ids)
        for employee in self:
            employee.regulation_attendance = employee._origin.id in regulated_ids

    def _search_regulation_attendance(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        domain = self._regulation_attendance_domain()
        return domain if (operator == "=") == value else ["!", *domain]

    def _regulation_filter(self):
        """The employees of self the daily rules apply to, in one query."""
        ids = [employee_id for employee_id in self.ids if isinstance(employee_id, int)]
        if not ids:
            return self.browse()
        # sudo: deciding the scope reads team memberships, whoever triggers it
        regulated = self.sudo().search(
            [("id", "in", ids), ("active", "in", [True, False]), *self._regulation_attendance_domain()]
        )
        return self.browse(regulated.ids)

    def _regulation_work_intervals(self, days):
        """The expected work of each employee on the given days, as Odoo's working schedule
        computes it in the employee's time zone: lunch breaks, public holidays (the schedule's
        global time off) and approved time off already removed.

        One ``_work_intervals_batch`` call per working schedule, whatever the number of employees.

        :param days: local dates
        :return: ``{employee id: {date: [(start, end)]}}``, aware datetimes in the employee's zone
        """
        result = defaultdict(lambda: defaultdict(list))
        days = set(days)
        if not self or not days:
            return result
        start, end, per_calendar = self._regulation_by_calendar(days)
        for calendar, employees in per_calendar.items():
            intervals = calendar._work_intervals_batch(start, end, resources=employees.resource_id)
            for employee in employees:
                for interval_start, interval_end, _meta in intervals[employee.resource_id.id]:
                    if interval_start.date() in days and interval_end > interval_start:
                        result[employee.id][interval_start.date()].append((interval_start, interval_end))
            self._regulation_add_makeup_intervals(calendar, employees, days, (start, end), result)
        return result

    @api.model
    def _regulation_add_makeup_intervals(self, calendar, employees, days, bounds, result, *, compute_leaves=True):
        """Add the expected work of the make-up working days (sale.regulation.workday) to
        ``result``: the schedule's hours of the weekday the day is worked as, in the employee's
        time zone, less the time off and public holidays of the schedule. A day the schedule
        already works keeps its own hours."""
        makeup = self.env["sale.regulation.workday"]._regulation_days_of(employees, days)
        if not makeup or calendar.flexible_hours:
            return
        leaves = calendar._leave_intervals_batch(*bounds, resources=employees.resource_id) if compute_leaves else {}
        worked_weekdays = {int(a.dayofweek) for a in calendar.attendance_ids if not a.display_type}
        Attendance = self.env["resource.calendar.attendance"]
        for employee in employees:
            tz = pytz.timezone(employee.resource_id.tz or calendar.tz or "UTC")
            for day, weekday in makeup.get(employee.id, {}).items():
                if day not in days or result[employee.id].get(day) or day.weekday() in worked_weekdays:
                    continue
                week_type = str(Attendance.get_week_type(day))
                attendances = calendar.attendance_ids.filtered(
                    lambda a, weekday=weekday, week_type=week_type, resource=employee.resource_id: (
                        int(a.dayofweek) == weekday
                        and not a.display_type
                        and a.day_period != "lunch"
                        and a.resource_id in (resource, a.resource_id.browse())
                        and (not calendar.two_weeks_calendar or a.week_type == week_type)
                    )
                )
                expected = Intervals(
                    [
                        (
                            tz.localize(datetime.combine(day, float_to_time(attendance.hour_from))),
                            tz.localize(datetime.combine(day, float_to_time(attendance.hour_to))),
                            attendance,
                        )
                        for attendance in attendances
                    ]
                )
                expected = expected - leaves.get(employee.resource_id.id, Intervals())
                for interval_start, interval_end, _meta in expected:
                    if interval_end > interval_start:
                        result[employee.id][day].append((interval_start.astimezone(tz), interval_end.astimezone(tz)))

    def _regulation_makeup_work(self, days):
        """The expected work of the make-up working days among ``days``, time off not removed
        (for the duration of a time off request): ``{employee id: {date: [(start, end)]}}``."""
        result = defaultdict(lambda: defaultdict(list))
        days = set(days)
        if not self or not days:
            return result
        start, end, per_calendar = self._regulation_by_calendar(days)
        for calendar, employees in per_calendar.items():
            self._regulation_add_makeup_intervals(calendar, employees, days, (start, end), result, compute_leaves=False)
        return result

    def action_open_regulation_discipline(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.sale_regulation_discipline_report_action"
        )
        action["domain"] = [("employee_id", "=", self.id)]
        action["context"] = {"search_default_this_year": 1}
        return action

    def _regulation_by_calendar(self, days):
        """(start, end, {calendar: employees}) of the employees of self for ``days``: a day a
        step either side covers every time zone's local day."""
        start = datetime.combine(min(days) - timedelta(days=1), time.min).replace(tzinfo=pytz.utc)
        end = datetime.combine(max(days) + timedelta(days=2), time.min).replace(tzinfo=pytz.utc)
        per_calendar = defaultdict(self.browse)
        for employee in self:
            calendar = employee.resource_calendar_id or employee.company_id.resource_calendar_id
            if calendar:
                per_calendar[calendar] |= employee
        return start, end, per_calendar
