# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import holidays
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models import regulation_day
from ..tools import lateness


class SaleRegulationHolidayImport(models.TransientModel):
    """Fill a year's public holidays of a country from the `holidays` library into Odoo's own
    place for them: the global time off of the working schedules (R9.1: an absence is never
    recorded on a public holiday)."""

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
        if not 1900 < self.year < 2200:
            raise UserError(self.env._("Give a year such as %(year)s.", year=regulation_day.today(self.env).year))
        probe = holidays.country_holidays(code)
        language = lateness.pick_language(
            self.env.lang, getattr(probe, "supported_languages", ()), getattr(probe, "default_language", None)
        )
        return dict(holidays.country_holidays(code, years=self.year, language=language))

    def action_import(self):
        self.ensure_one()
        if not 1900 < self.year < 2200:
            raise UserError(self.env._("Give a year such as %(year)s.", year=fields.Date.context_today(self).year))
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
        vals_list = []
        skipped = 0
        for day, name in sorted(self._holidays().items()):
            if day in covered:
                skipped += 1
                continue
            start = input_tz.localize(datetime.combine(day, time.min))
            end = input_tz.localize(datetime.combine(day, time(23, 59, 59)))
            vals_list.append(
                {
                    "name": name,
                    "date_from": start.astimezone(pytz.utc).replace(tzinfo=None),
                    "date_to": end.astimezone(pytz.utc).replace(tzinfo=None),
                    "calendar_id": self.calendar_id.id,
                    "company_id": self.company_id.id,
                    "resource_id": False,
                    "time_type": "leave",
                }
            )
        created = Leave.create(vals_list)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if created else "info",
                "title": self.env._("Public holidays"),
                "message": self.env._(
                    "%(count)s public holiday(s) of %(country)s in %(year)s added; %(skipped)s already there.",
                    count=len(created),
                    country=self.country_id.name,
                    year=self.year,
                    skipped=skipped,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
