# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import holidays
import pytz
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..models import regulation_day
from ..tools import lateness


class SaleRegulationHolidayImport(models.TransientModel):
    """Fill a year's public holidays of a country from the `holidays` library into Odoo's own
    place for them: the global time off of the working schedules (R9.1: an absence is never
    recorded on a public holiday); and its make-up working days (補班 / 调休) into
    sale.regulation.workday, where the daily rules expect work on them. The wizard lists what
    it will add before it does; a second import of the same year adds nothing."""

    _name = "sale.regulation.holiday.import"
    _description = "Import Public Holidays"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"year": (1901, 2199)}

    def _default_country(self):
        country = self.env.company.country_id
        if country.code in holidays.list_supported_countries():
            return country
        return self.env.ref("base.tw")

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    country_id = fields.Many2one(
        "res.country", required=True, default=_default_country, domain="[('id', 'in', available_country_ids)]"
    )
    available_country_ids = fields.Many2many("res.country", compute="_compute_available_country_ids")
    year = fields.Integer(required=True, default=lambda self: regulation_day.today(self.env).year)
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Schedule",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Leave empty for the public holidays to apply to every working schedule.",
    )

    preview = fields.Html(
        compute="_compute_preview",
        sanitize=False,
        help="What the import adds, and what is already there.",
    )

    @api.depends("company_id")
    def _compute_available_country_ids(self):
        codes = list(holidays.list_supported_countries())
        countries = self.env["res.country"].search([("code", "in", codes)])
        for wizard in self:
            wizard.available_country_ids = countries

    def _holidays(self):
        """{date: name} of the country and year, names in the user's language where the library
        has it."""
        self.ensure_one()
        code = self.country_id.code
        if code not in holidays.list_supported_countries():
            raise UserError(
                self.env._("No public holiday calendar is known for %(country)s.", country=self.country_id.name)
            )
        self._check_year()
        probe = holidays.country_holidays(code)
        language = lateness.pick_language(
            self.env.lang, getattr(probe, "supported_languages", ()), getattr(probe, "default_language", None)
        )
        return dict(holidays.country_holidays(code, years=self.year, language=language))

    def _check_year(self):
        if not 1900 < self.year < 2200:
            raise UserError(self.env._("Give a year such as %(year)s.", year=regulation_day.today(self.env).year))

    def _makeup_days(self):
        """{weekend date worked: the day off it pays back} of the country and year."""
        self.ensure_one()
        self._check_year()
        code = self.country_id.code
        if code not in holidays.list_supported_countries():
            return {}
        # the neighbour years too: a December make-up day may pay back a January day off
        calendar = holidays.country_holidays(code, years=(self.year - 1, self.year, self.year + 1))
        return lateness.makeup_workdays(calendar, self.year)

    def _plan(self):
        """(holiday vals to create, holidays skipped, make-up day vals to create, make-up days
        skipped): what the import adds and what is already there."""
        self.ensure_one()
        self._check_year()
        day_tz = pytz.timezone(
            self.calendar_id.tz or self.company_id.resource_calendar_id.tz or self.env.user.tz or "UTC"
        )
        # hr_holidays reads a schedule's public holiday as the user's wall clock and moves it to
        # the schedule's time zone: for a schedule, give it the user's midnight.
        input_tz = pytz.timezone(self.env.user.tz or "UTC") if self.calendar_id else day_tz
        Leave = self.env["resource.calendar.leaves"].with_company(self.company_id)
        year_start = datetime(self.year, 1, 1) - timedelta(days=1)
        year_end = datetime(self.year + 1, 1, 1) + timedelta(days=1)
        existing = Leave.search(
            [
                ("resource_id", "=", False),
                ("calendar_id", "=", self.calendar_id.id),
                ("company_id", "=", self.company_id.id),
                ("date_from", "<", year_end),
                ("date_to", ">", year_start),
            ]
        )
        covered = set()
        for leave in existing:
            first = pytz.utc.localize(leave.date_from).astimezone(day_tz).date()
            last = pytz.utc.localize(leave.date_to).astimezone(day_tz).date()
            covered.update(first + timedelta(days=n) for n in range((last - first).days + 1))
        holiday_vals, holiday_skipped = [], []
        names = self._holidays()
        for day, name in sorted(names.items()):
            if day in covered:
                holiday_skipped.append((day, name))
                continue
            start = input_tz.localize(datetime.combine(day, time.min))
            end = input_tz.localize(datetime.combine(day, time(23, 59, 59)))
            holiday_vals.append(
                {
                    "regulation_day": day,
                    "name": name,
                    "date_from": start.astimezone(pytz.utc).replace(tzinfo=None),
                    "date_to": end.astimezone(pytz.utc).replace(tzinfo=None),
                    "calendar_id": self.calendar_id.id,
                    "company_id": self.company_id.id,
                    "resource_id": False,
                    "time_type": "leave",
                }
            )
        makeup = self._makeup_days()
        Workday = self.env["sale.regulation.workday"]
        known = set(
            Workday.search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("calendar_id", "=", self.calendar_id.id),
                    ("date", "in", sorted(makeup)),
                ]
            ).mapped("date")
        )
        workday_vals, workday_skipped = [], []
        for day, freed in sorted(makeup.items()):
            name = (
                self.env._("Make-up working day for %(day)s", day=format_date(self.env, freed))
                if freed
                else (self.env._("Make-up working day"))
            )
            if day in known:
                workday_skipped.append((day, name))
                continue
            workday_vals.append(
                {
                    "name": name,
                    "date": day,
                    "freed_date": freed,
                    "company_id": self.company_id.id,
                    "calendar_id": self.calendar_id.id,
                }
            )
        return holiday_vals, holiday_skipped, workday_vals, workday_skipped

    @api.depends("company_id", "country_id", "year", "calendar_id")
    def _compute_preview(self):
        for wizard in self:
            wizard.preview = False
            if not wizard.country_id or not 1900 < wizard.year < 2200:
                continue
            try:
                holiday_vals, holiday_skipped, workday_vals, workday_skipped = wizard._plan()
            except UserError:
                continue
            rows = []
            to_add, there = self.env._("To add"), self.env._("Already there")
            kind_holiday, kind_workday = self.env._("Public holiday"), self.env._("Make-up working day")
            for vals in holiday_vals:
                rows.append((vals["regulation_day"], vals["name"], kind_holiday, to_add))
            rows += [(day, name, kind_holiday, there) for day, name in holiday_skipped]
            rows += [(vals["date"], vals["name"], kind_workday, to_add) for vals in workday_vals]
            rows += [(day, name, kind_workday, there) for day, name in workday_skipped]
            body = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
                % (format_date(self.env, day), escape(name), kind, status)
                for day, name, kind, status in sorted(rows, key=lambda row: row[0])
            )
            wizard.preview = Markup(
                '<table class="table table-sm o_regulation_holiday_preview"><thead><tr>'
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (self.env._("Date"), self.env._("Name"), self.env._("Kind"), self.env._("Status"), body)

    def action_import(self):
        self.ensure_one()
        holiday_vals, holiday_skipped, workday_vals, workday_skipped = self._plan()
        created = (
            self.env["resource.calendar.leaves"]
            .with_company(self.company_id)
            .create([{key: value for key, value in vals.items() if key != "regulation_day"} for vals in holiday_vals])
        )
        workdays = self.env["sale.regulation.workday"].create(workday_vals)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if created or workdays else "info",
                "title": self.env._("Public holidays"),
                "message": self.env._(
                    "%(count)s public holiday(s) and %(workdays)s make-up working day(s) of %(country)s in "
                    "%(year)s added; %(skipped)s already there.",
                    count=len(created),
                    workdays=len(workdays),
                    country=self.country_id.name,
                    year=self.year,
                    skipped=len(holiday_skipped) + len(workday_skipped),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _import_year(self, country_code, year=None, calendar=None, company=None):
        """Import a country's public holidays and make-up working days of a year (default: this
        year in the user's day) without the form: for the demo data and scheduled actions."""
        company = company or self.env.company
        if isinstance(calendar, int):
            calendar = self.env["resource.calendar"].browse(calendar)
        wizard = self.create(
            {
                "company_id": company.id,
                "country_id": self.env["res.country"].search([("code", "=", country_code.upper())], limit=1).id,
                "year": year or regulation_day.today(self.env).year,
                "calendar_id": calendar.id if calendar else False,
            }
        )
        return wizard.action_import()
