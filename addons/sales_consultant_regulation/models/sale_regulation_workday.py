# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..tools import lateness

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class SaleRegulationWorkday(models.Model):
    """A make-up working day (補班 / 调休): a weekend day the country moved work onto, around a
    long holiday. The working schedules of the company (or the one named) expect work on it for
    the hours of the weekday it is worked as, so that lateness, early leave and absences are
    judged on it as on any working day (R9.1). Odoo keeps public holidays as global time off of
    the schedules; Community has no place for the opposite, hence this model."""

    _name = "sale.regulation.workday"
    _description = "Make-up Working Day"
    _order = "date, id"

    name = fields.Char(required=True)
    date = fields.Date(required=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Schedule",
        index=True,
        ondelete="cascade",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Leave empty for the day to be worked in every working schedule of the company.",
    )
    freed_date = fields.Date(
        string="Makes Up For",
        help="The day off the make-up working day pays back, as the country's calendar tells it.",
    )
    weekday = fields.Selection(
        WEEKDAYS,
        string="Worked As",
        compute="_compute_weekday",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="The employees are expected for the hours their working schedule has on this weekday.",
    )

    @api.depends("date", "freed_date", "company_id.regulation_makeup_weekday")
    def _compute_weekday(self):
        for workday in self:
            workday.weekday = str(
                lateness.makeup_weekday(workday.company_id.regulation_makeup_weekday or "freed", workday.freed_date)
            )

    @api.depends("name", "date")
    def _compute_display_name(self):
        for workday in self:
            workday.display_name = (
                f"{format_date(self.env, workday.date)} {workday.name or ''}".strip() if workday.date else workday.name
            )

    @api.constrains("date", "company_id", "calendar_id")
    def _check_unique_day(self):
        for workday in self:
            clash = self.search_count(
                [
                    ("id", "!=", workday.id),
                    ("date", "=", workday.date),
                    ("company_id", "=", workday.company_id.id),
                    ("calendar_id", "=", workday.calendar_id.id),
                ],
                limit=1,
            )
            if clash:
                raise ValidationError(
                    self.env._(
                        "%(date)s is already a make-up working day of this working schedule.",
                        date=format_date(self.env, workday.date),
                    )
                )

    @api.constrains("company_id", "calendar_id")
    def _check_calendar_company(self):
        for workday in self:
            if workday.calendar_id.company_id and workday.calendar_id.company_id != workday.company_id:
                raise ValidationError(
                    self.env._(
                        "The working schedule %(calendar)s belongs to another company.",
                        calendar=workday.calendar_id.name,
                    )
                )

    @api.model
    def _regulation_days_of(self, employees, days):
        """{employee id: {date: weekday int}} of the make-up working days of the given employees
        on the given days: their company's days for all its schedules, or for their own."""
        if not employees or not days:
            return {}
        # sudo: the working days decide what everybody is expected to work, whoever asks
        workdays = self.sudo().search([("date", "in", sorted(days)), ("company_id", "in", employees.company_id.ids)])
        result = {}
        for employee in employees:
            calendar = employee.resource_calendar_id or employee.company_id.resource_calendar_id
            for workday in workdays:
                if workday.company_id == employee.company_id and workday.calendar_id in (calendar, calendar.browse()):
                    result.setdefault(employee.id, {})[workday.date] = int(workday.weekday)
        return result

    def _regulation_employee_days(self):
        """{hr.employee: set of dates} of the employees whose expected work these days change."""
        employee_days = {}
        for workday in self:
            domain = [("company_id", "=", workday.company_id.id)]
            if workday.calendar_id:
                domain.append(("resource_calendar_id", "=", workday.calendar_id.id))
            # sudo: the figures of every employee of the schedule change with the day
            for employee in self.env["hr.employee"].sudo().search(domain):
                employee_days.setdefault(employee, set()).add(workday.date)
        return employee_days

    @api.model
    def _regulation_recompute(self, *employee_days_list):
        """Recompute the lateness and excuse the absences of the days a make-up day touched."""
        merged = {}
        for employee_days in employee_days_list:
            for employee, days in employee_days.items():
                merged.setdefault(employee, set()).update(days)
        if merged:
            self.env["hr.attendance"]._regulation_days_changed(merged)

    @api.model_create_multi
    def create(self, vals_list):
        workdays = super().create(vals_list)
        self._regulation_recompute(workdays._regulation_employee_days())
        return workdays

    def write(self, vals):
        before = self._regulation_employee_days()
        res = super().write(vals)
        self._regulation_recompute(before, self._regulation_employee_days())
        return res

    def unlink(self):
        before = self._regulation_employee_days()
        res = super().unlink()
        self._regulation_recompute(before)
        return res
