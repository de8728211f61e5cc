# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta
from math import ceil

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_date

from ..tools import lateness
from . import regulation_day

RETROACTIVE_TRIGGERS = {"request_date_from", "date_from", "employee_id", "regulation_requested_date"}


class HrLeave(models.Model):
    _inherit = "hr.leave"

    regulation_requested_date = fields.Date(
        string="Requested On",
        default=regulation_day.default_today,
        readonly=True,
        copy=False,
        help="R9.1: the day the time off was requested, in the requester's time zone.",
    )
    regulation_retroactive = fields.Boolean(
        string="Requested Late",
        compute="_compute_regulation_retroactive",
        store=True,
        help="R9.1: the time off starts before the day it was requested (daily rules of regulated teams).",
    )
    regulation_retroactive_blocked = fields.Boolean(compute="_compute_regulation_retroactive_blocked")

    def _init_column(self, column_name):
        if column_name != "regulation_requested_date":
            return super()._init_column(column_name)
        # Requests made before the module was installed were requested the day they were created,
        # not the day of the installation (the field's default).
        self.env.cr.execute(
            "UPDATE hr_leave SET regulation_requested_date = create_date::date WHERE regulation_requested_date IS NULL"
        )
        return None

    @api.depends("request_date_from", "regulation_requested_date", "employee_id")
    def _compute_regulation_retroactive(self):
        regulated = self.employee_id._regulation_filter()
        for leave in self:
            leave.regulation_retroactive = leave.employee_id in regulated and lateness.is_retroactive(
                leave.request_date_from, leave.regulation_requested_date
            )

    @api.depends("regulation_retroactive", "employee_id")
    @api.depends_context("uid")
    def _compute_regulation_retroactive_blocked(self):
        for leave in self:
            leave.regulation_retroactive_blocked = bool(
                leave.regulation_retroactive
                # sudo: the company's policy, whoever asks (non-HR users read employees partially)
                and leave.sudo().employee_id.company_id.regulation_retroactive_leave == "refuse"
                and not leave._regulation_may_submit_retroactive()
            )

    @api.onchange("request_date_from", "employee_id")
    def _onchange_regulation_retroactive(self):
        if self.regulation_retroactive_blocked:
            return {
                "warning": {
                    "title": self.env._("Time off requested late"),
                    "message": self.env._(
                        "This time off starts before today. The company requires time off to be requested in "
                        "advance (R9.1): ask your supervisor to submit it."
                    ),
                }
            }

    @api.model
    def _regulation_may_backdate(self):
        """Who may set the request day (imports of past requests): managers and time off officers."""
        user = self.env.user
        return (
            self.env.su
            or user.has_group("sales_consultant_regulation.group_regulation_manager")
            or user.has_group("hr_holidays.group_hr_holidays_user")
        )

    def _regulation_may_submit_retroactive(self):
        """R9.1 refuse mode: a supervisor (for someone else) or a time off officer submits it."""
        self.ensure_one()
        user = self.env.user
        if user.has_group("hr_holidays.group_hr_holidays_user"):
            return True
        # sudo: comparing the employee's user with the submitter
        return (
            user.has_group("sales_consultant_regulation.group_supervisor") and self.sudo().employee_id.user_id != user
        )

    @api.model_create_multi
    def create(self, vals_list):
        backdate = self._regulation_may_backdate()
        today = regulation_day.today(self.env)
        for vals in vals_list:
            if not backdate or not vals.get("regulation_requested_date"):
                vals["regulation_requested_date"] = today
        leaves = super().create(vals_list)
        leaves.filtered("regulation_retroactive")._regulation_check_retroactive()
        return leaves

    def write(self, vals):
        if "regulation_requested_date" in vals and not self._regulation_may_backdate():
            raise AccessError(self.env._("The day a time off was requested cannot be changed (R9.1)."))
        was_retroactive = self.filtered("regulation_retroactive")
        res = super().write(vals)
        if RETROACTIVE_TRIGGERS & set(vals):
            (self.filtered("regulation_retroactive") - was_retroactive)._regulation_check_retroactive()
        return res

    def _regulation_check_retroactive(self):
        """R9.1: refuse a retroactive request the company does not allow from this user, or
        record it with a note on the request."""
        refused = self.filtered("regulation_retroactive_blocked")
        if refused:
            leave = refused[0]
            raise ValidationError(
                self.env._(
                    "R9.1 time off in advance: the time off of %(employee)s starts on %(start)s, before the day "
                    "it is requested (%(today)s). Your company only accepts it from a supervisor: ask yours "
                    "to submit it.",
                    employee=leave.employee_id.name,
                    start=format_date(self.env, leave.request_date_from),
                    today=format_date(self.env, leave.regulation_requested_date),
                )
            )
        for leave in self:
            # sudo: the requester may not post on a request they cannot write any more
            leave.sudo().message_post(
                body=self.env._(
                    "Requested on %(today)s for time off starting %(start)s: recorded as requested late (R9.1).",
                    today=format_date(self.env, leave.regulation_requested_date),
                    start=format_date(self.env, leave.request_date_from),
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------ attendance hooks

    def _validate_leave_request(self):
        res = super()._validate_leave_request()
        self._regulation_days_changed()
        return res

    def _remove_resource_leave(self):
        res = super()._remove_resource_leave()
        self._regulation_days_changed()
        return res

    def _regulation_days_changed(self):
        """Approved or withdrawn time off changes the expected work of its days: recompute their
        lateness and excuse the absences it now covers."""
        employee_days = defaultdict(set)
        for leave in self.filtered(lambda lv: lv.employee_id and lv.date_from and lv.date_to):
            tz = pytz.timezone(leave.employee_id._get_tz())
            first = pytz.utc.localize(leave.date_from).astimezone(tz).date()
            last = pytz.utc.localize(leave.date_to).astimezone(tz).date()
            employee_days[leave.employee_id].update(first + timedelta(days=n) for n in range((last - first).days + 1))
        if employee_days:
            self.env["hr.attendance"]._regulation_days_changed(dict(employee_days))

    def _get_durations(self, check_leave_type=True, resource_calendar=None):
        """A make-up working day (sale.regulation.workday) inside the time off counts as a day
        of it for the regulated employees (R9.1), as their schedule expects work on it."""
        result = super()._get_durations(check_leave_type=check_leave_type, resource_calendar=resource_calendar)
        leaves = self.filtered(lambda leave: leave.employee_id and leave.date_from and leave.date_to)
        employees = leaves.employee_id._regulation_filter().filtered(lambda e: not e.is_flexible)
        leaves = leaves.filtered(lambda leave: leave.employee_id in employees)
        if not leaves:
            return result
        for leave in leaves:
            tz = pytz.timezone(leave.employee_id._get_tz())
            start = pytz.utc.localize(leave.date_from).astimezone(tz)
            stop = pytz.utc.localize(leave.date_to).astimezone(tz)
            days = {start.date() + timedelta(days=n) for n in range((stop.date() - start.date()).days + 1)}
            work = leave.employee_id._regulation_makeup_work(days).get(leave.employee_id.id, {})
            extra_days = extra_hours = 0.0
            for intervals in work.values():
                day_hours = sum((end - begin).total_seconds() for begin, end in intervals) / 3600
                hours = lateness.work_minutes_between(intervals, start, stop) / 60
                if hours <= 0 or not day_hours:
                    continue
                extra_hours += hours
                extra_days += 1 if hours >= day_hours else hours / day_hours
            if extra_hours:
                days_before, hours_before = result.get(leave.id, (0, 0))
                if leave.leave_type_request_unit == "day" and check_leave_type:
                    extra_days = ceil(extra_days)
                result[leave.id] = (days_before + extra_days, hours_before + extra_hours)
        return result
