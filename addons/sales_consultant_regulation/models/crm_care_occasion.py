# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import care_calendar, customer_rules
from . import regulation_day

GREETING_BATCH_SIZE = 200


class CrmCareOccasion(models.Model):
    """A day the consultants greet their customers (R3.5): a fixed date, a festival whose date
    comes each year from the ``holidays`` calendars (lunar festivals included), or each
    customer's birthday. The greeting is an email in the customer's language or an activity
    for the consultant."""

    _name = "crm.care.occasion"
    _description = "Customer Care Occasion"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"month": (0, 12), "day": (0, 31), "days_before": (0, 366)}
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("fixed", "Fixed Date"), ("festival", "Festival"), ("birthday", "Customer Birthday")],
        required=True,
        default="festival",
    )
    month = fields.Integer(help="Month of a fixed-date occasion (1-12).")
    day = fields.Integer(help="Day of a fixed-date occasion.")
    festival = fields.Selection(
        care_calendar.FESTIVALS, help="The festival; its date each year comes from the holidays library."
    )
    calendar_country = fields.Selection(
        care_calendar.CALENDARS,
        string="Calendar",
        default="TW",
        help="Whose calendar gives the festival's date.",
    )
    days_before = fields.Integer(string="Days Ahead", help="Greet this many days before the occasion (0: on the day).")
    class_ids = fields.Many2many(
        "crm.customer.class",
        "crm_care_occasion_class_rel",
        "occasion_id",
        "class_id",
        string="Customer Classes",
        help="Customers of these classes are greeted; none: customers of every class.",
    )
    action = fields.Selection(
        [("email", "Send an Email"), ("activity", "Activity for the Consultant")],
        required=True,
        default="email",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "res.partner")],
        help="Rendered in each customer's language.",
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        help="The activity the consultant gets to greet the customer personally (call, visit, card).",
    )
    next_date = fields.Date(compute="_compute_next_date", help="The next date the occasion falls on.")
    greeting_ids = fields.One2many("crm.care.occasion.greeting", "occasion_id", string="Greetings")
    greeting_count = fields.Integer(compute="_compute_greeting_count")

    @api.depends("kind", "month", "day", "festival", "calendar_country")
    @api.depends_context("tz", "uid")
    def _compute_next_date(self):
        today = regulation_day.today(self.env)
        for occasion in self:
            occasion.next_date = care_calendar.next_occurrence(
                occasion.kind,
                today,
                month=occasion.month,
                day=occasion.day,
                festival=occasion.festival,
                country=occasion.calendar_country,
            )

    def _compute_greeting_count(self):
        counts = dict(
            self.env["crm.care.occasion.greeting"]._read_group(
                [("occasion_id", "in", self.ids)], ["occasion_id"], ["__count"]
            )
        )
        for occasion in self:
            occasion.greeting_count = counts.get(occasion, 0)

    @api.constrains("kind", "month", "day", "festival", "action", "mail_template_id", "activity_type_id")
    def _check_definition(self):
        for occasion in self:
            if occasion.kind == "fixed":
                try:
                    date(2024, occasion.month, occasion.day)  # a leap year: 29 February is a valid date
                except (TypeError, ValueError):
                    raise ValidationError(
                        self.env._("R3.5: the occasion %(name)s needs a valid month and day.", name=occasion.name)
                    ) from None
            if occasion.kind == "festival" and not occasion.festival:
                raise ValidationError(self.env._("R3.5: the occasion %(name)s needs its festival.", name=occasion.name))
            if occasion.action == "email" and not occasion.mail_template_id:
                raise ValidationError(
                    self.env._("R3.5: the occasion %(name)s sends an email: choose its template.", name=occasion.name)
                )

    def _date_in_year(self, year):
        self.ensure_one()
        return care_calendar.occasion_date(
            self.kind, year, month=self.month, day=self.day, festival=self.festival, country=self.calendar_country
        )

    def action_open_greetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.crm_care_occasion_greeting_action"
        )
        action["domain"] = [("occasion_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------ greetings cron (R3.5)

    @api.model
    def _cron_send_greetings(self, batch_size=GREETING_BATCH_SIZE):
        """Greet the customers whose occasion falls today (or the occasion's days ahead): an
        email in their language or an activity for their consultant; never to customers who
        opted out, blacklisted or without an address, never twice for the same occasion and
        year. Batches are committed (outside tests). Returns the number of greetings."""
        today = regulation_day.today(self.env)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        count = 0
        for occasion in self.search([]):
            count += occasion._send_greetings(today + timedelta(days=occasion.days_before), batch_size, auto_commit)
        return count

    def _greeting_domain(self, day):
        """Partners to greet for this occasion falling on ``day`` (None: it does not)."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        classes = self.class_ids or self.env["crm.customer.class"].search([])
        if self.kind == "birthday":
            # people: individual customers and the contacts of customer companies
            domain = [
                "|",
                "&",
                ("birthday_calendar", "!=", "lunar"),
                ("birthday_key", "in", customer_rules.birthday_keys(day)),
                "&",
                ("birthday_calendar", "=", "lunar"),
                ("birthday_lunar_key", "in", care_calendar.lunar_birthday_keys(day)),
                ("is_company", "=", False),
                ("commercial_partner_id.customer_class_id", "in", classes.ids),
                ("commercial_partner_id.greeting_opt_out", "=", False),
                *Partner._regulation_customer_domain("commercial_partner_id."),
            ]
        else:
            if self._date_in_year(day.year) != day:
                return None
            domain = [
                ("customer_class_id", "in", classes.ids),
                *Partner._regulation_customer_domain(),
            ]
        domain += [
            ("greeting_opt_out", "=", False),
            ("greeting_ids", "not any", [("occasion_id", "=", self.id), ("year", "=", day.year)]),
        ]
        if self.action == "email":
            domain += [("email_normalized", "!=", False), ("is_blacklisted", "=", False)]
        return domain

    def _send_greetings(self, day, batch_size=GREETING_BATCH_SIZE, auto_commit=False):
        self.ensure_one()
        domain = self._greeting_domain(day)
        if domain is None:
            return 0
        Partner = self.env["res.partner"]
        Greeting = self.env["crm.care.occasion.greeting"]
        count = 0
        while True:
            partners = Partner.search(domain, order="id", limit=batch_size)
            if not partners:
                break
            greetings = Greeting.create(
                [
                    {
                        "occasion_id": self.id,
                        "partner_id": partner.id,
                        "year": day.year,
                        "date": day,
                        "channel": self.action,
                        "user_id": partner.commercial_partner_id.user_id.id,
                    }
                    for partner in partners
                ]
            )
            if self.action == "email":
                self.mail_template_id.send_mail_batch(partners.ids)
            else:
                greetings._create_activities()
            count += len(partners)
            if auto_commit:
                # batch done: keep it even if a later batch fails or times out (resumable)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return count
