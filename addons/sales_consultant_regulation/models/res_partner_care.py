# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R3.5 follow-up and care on the contact: last contact, next follow-up and its cron, birthdays and
greetings, satisfaction (R4.8) and complaints."""

import threading
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, split_every

from ..tools import care_calendar, customer_rules
from . import regulation_day

FOLLOWUP_BATCH_SIZE = 1000


class ResPartner(models.Model):
    _inherit = "res.partner"

    # R3.5 follow-up and care
    last_contact_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="Last message, call or activity done with the customer, on the customer, its leads or its orders.",
    )

    next_followup_date = fields.Date(
        string="Next Follow-up",
        compute="_compute_next_followup_date",
        store=True,
        help="When the customer is next due a follow-up, from the class interval (R3.5).",
    )

    birthday = fields.Date(help="Birthday wishes are sent on this date (R3.5).")

    birthday_key = fields.Integer(compute="_compute_birthday_key", store=True, index="btree_not_null")

    birthday_calendar = fields.Selection(
        [("solar", "Solar"), ("lunar", "Lunar")],
        default="solar",
        help="Lunar: the customer keeps the birthday by the Chinese lunar calendar; the wishes are sent on "
        "the solar date of the lunar month and day each year (R3.5).",
    )

    birthday_lunar_month = fields.Integer(
        string="Lunar Month",
        compute="_compute_birthday_lunar",
        store=True,
        readonly=False,
        help="Month of the lunar birthday (1-12), from the birthday's date or typed in when the year of birth "
        "is unknown.",
    )

    birthday_lunar_day = fields.Integer(
        string="Lunar Day", compute="_compute_birthday_lunar", store=True, readonly=False
    )

    birthday_lunar_leap = fields.Boolean(
        string="Leap Month",
        compute="_compute_birthday_lunar",
        store=True,
        readonly=False,
        help="Born in a leap month: greeted in that leap month in the years that have it, else in the ordinary "
        "month of the same number.",
    )

    birthday_lunar_key = fields.Integer(compute="_compute_birthday_lunar_key", store=True, index="btree_not_null")

    birthday_next_date = fields.Date(
        string="Next Birthday",
        compute="_compute_birthday_next_date",
        help="The next day the birthday wishes are due, by the birthday's calendar.",
    )

    greeting_opt_out = fields.Boolean(
        string="No Greetings",
        help="The customer asked not to receive festival greetings and birthday wishes.",
    )

    greeting_ids = fields.One2many(
        "crm.care.occasion.greeting",
        "partner_id",
        string="Greetings",
        groups="sales_consultant_regulation.group_consultant",
    )

    # R4.8 satisfaction, R3.5 complaints
    satisfaction_score = fields.Float(
        string="Satisfaction (%)",
        compute="_compute_satisfaction",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Average score of the customer's answered return-visit surveys (R4.8).",
    )

    satisfaction_count = fields.Integer(
        string="Surveys Answered", compute="_compute_satisfaction", store=True, aggregator="sum"
    )

    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="sales_consultant_regulation.group_consultant"
    )

    @api.depends(
        "last_contact_date",
        "create_date",
        "customer_class_id.interval_days",
        "customer_class_id.key_interval_days",
        "is_key_customer",
        "is_premium_customer",
    )
    def _compute_next_followup_date(self):
        for partner in self:
            customer_class = partner.customer_class_id
            interval = customer_rules.followup_interval(
                customer_class.interval_days,
                customer_class.key_interval_days,
                partner.is_key_customer or partner.is_premium_customer,
            )
            since = partner.create_date or fields.Datetime.now()
            partner.next_followup_date = (
                customer_rules.next_followup(partner.last_contact_date, since, interval) if customer_class else False
            )

    @api.depends("birthday", "birthday_calendar")
    def _compute_birthday_key(self):
        for partner in self:
            partner.birthday_key = (
                partner.birthday.month * 100 + partner.birthday.day
                if partner.birthday and partner.birthday_calendar != "lunar"
                else 0
            )

    @api.depends("birthday", "birthday_calendar")
    def _compute_birthday_lunar(self):
        for partner in self:
            if partner.birthday_calendar == "lunar" and partner.birthday:
                month, day, leap = care_calendar.lunar_date(partner.birthday)
                partner.birthday_lunar_month, partner.birthday_lunar_day = month, day
                partner.birthday_lunar_leap = leap
            elif partner.birthday_calendar != "lunar":
                partner.birthday_lunar_month = partner.birthday_lunar_day = 0
                partner.birthday_lunar_leap = False

    @api.depends("birthday_calendar", "birthday_lunar_month", "birthday_lunar_day", "birthday_lunar_leap")
    def _compute_birthday_lunar_key(self):
        for partner in self:
            partner.birthday_lunar_key = (
                care_calendar.lunar_key(
                    partner.birthday_lunar_month, partner.birthday_lunar_day, partner.birthday_lunar_leap
                )
                if partner.birthday_calendar == "lunar"
                else 0
            )

    @api.depends("birthday", "birthday_calendar", "birthday_lunar_key")
    @api.depends_context("tz")
    def _compute_birthday_next_date(self):
        today = regulation_day.today(self.env)
        for partner in self:
            found = []
            for year in (today.year, today.year + 1):
                if partner.birthday_calendar == "lunar":
                    found += care_calendar.lunar_birthday_in_year(
                        partner.birthday_lunar_month, partner.birthday_lunar_day, partner.birthday_lunar_leap, year
                    )
                elif partner.birthday:
                    found.append(customer_rules.birthday_in_year(partner.birthday, year))
            partner.birthday_next_date = min((day for day in found if day >= today), default=False)

    @api.constrains("birthday_calendar", "birthday_lunar_month", "birthday_lunar_day")
    def _check_birthday_lunar(self):
        for partner in self:
            if partner.birthday_calendar != "lunar":
                continue
            if not (1 <= partner.birthday_lunar_month <= 12 and 1 <= partner.birthday_lunar_day <= 30):
                raise ValidationError(
                    self.env._(
                        "R3.5: give the lunar month (1-12) and day (1-30) of the birthday of %(name)s, or its date.",
                        name=partner.display_name,
                    )
                )

    @api.depends(
        "is_company",
        "parent_id",
        "sale_order_ids.satisfaction_score",
        "sale_order_ids.satisfaction_answered",
        "child_ids.sale_order_ids.satisfaction_score",
        "child_ids.sale_order_ids.satisfaction_answered",
    )
    def _compute_satisfaction(self):
        commercial = self.filtered(lambda p: p.id and p._regulation_is_commercial())
        totals = defaultdict(lambda: [0.0, 0])
        if commercial:
            groups = self.env["sale.order"]._read_group(
                [("partner_id", "child_of", commercial.ids), ("satisfaction_answered", "=", True)],
                ["partner_id"],
                ["satisfaction_score:sum", "__count"],
            )
            for partner, score_sum, count in groups:
                total = totals[partner.commercial_partner_id.id]
                total[0] += score_sum
                total[1] += count
        for partner in self:
            score_sum, count = totals.get(partner.id, (0.0, 0)) if partner in commercial else (0.0, 0)
            partner.satisfaction_score = score_sum / count if count else 0.0
            partner.satisfaction_count = count

    @api.depends_context("uid")
    def _compute_complaint_count(self):
        groups = self.env["crm.customer.complaint"]._read_group(
            [("partner_id", "child_of", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
        )
        counts = defaultdict(int)
        for partner, count in groups:
            counts[partner.commercial_partner_id.id] += count
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_open_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.crm_customer_complaint_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    @api.model
    def _regulation_is_contact_message(self, message):
        """A message logged or exchanged with the customer, a call or an activity done; not
        tracking, not the system's own notes."""
        if message.author_id == self.env.ref("base.partner_root"):
            return False
        if message.mail_activity_type_id:
            return True
        contact_subtypes = self.env.ref("mail.mt_comment") | self.env.ref("mail.mt_note")
        return message.message_type in ("comment", "email") and message.subtype_id in contact_subtypes

    def _regulation_note_contact(self, message):
        """Move the last contact date of the commercial partners of self (in the regulation's
        scope) to the message's."""
        if not self or not self._regulation_is_contact_message(message):
            return
        customers = self.commercial_partner_id._regulation_in_scope().filtered(
            lambda p: not p.last_contact_date or p.last_contact_date < message.date
        )
        if customers:
            # sudo: the system keeps this date for whoever writes to the customer, portal users included
            customers.sudo().write({"last_contact_date": message.date})

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        self._regulation_note_contact(message)
        return res

    def _regulation_refresh_last_contact(self):
        """Recompute the last contact date of the (commercial) partners of self from the
        messages on them, their contacts, their leads and their orders: one query for the set."""
        if not self:
            return
        self.env.flush_all()
        subtypes = (self.env.ref("mail.mt_comment") | self.env.ref("mail.mt_note")).ids
        query = SQL(
            """
            WITH docs AS (
                SELECT p.id AS res_id, 'res.partner' AS model, p.commercial_partner_id AS customer_id
                  FROM res_partner p
                 WHERE p.commercial_partner_id = ANY(%(ids)s)
                UNION ALL
                SELECT l.id, 'crm.lead', p.commercial_partner_id
                  FROM crm_lead l JOIN res_partner p ON p.id = l.partner_id
                 WHERE p.commercial_partner_id = ANY(%(ids)s)
                UNION ALL
                SELECT o.id, 'sale.order', p.commercial_partner_id
                  FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
                 WHERE p.commercial_partner_id = ANY(%(ids)s)
            )
            SELECT docs.customer_id, MAX(m.date)
              FROM docs
              JOIN mail_message m ON m.model = docs.model AND m.res_id = docs.res_id
             WHERE (m.author_id IS NULL OR m.author_id != %(root)s)
               AND (m.mail_activity_type_id IS NOT NULL
                    OR (m.message_type IN ('comment', 'email') AND m.subtype_id = ANY(%(subtypes)s)))
             GROUP BY docs.customer_id
            """,
            ids=self.ids,
            root=self.env.ref("base.partner_root").id,
            subtypes=subtypes,
        )
        self.env.cr.execute(query)
        latest = dict(self.env.cr.fetchall())
        by_date = defaultdict(list)
        for partner in self:
            date = latest.get(partner.id)
            if date and (not partner.last_contact_date or partner.last_contact_date < date):
                by_date[date].append(partner.id)
        for date, ids in by_date.items():
            self.browse(ids).write({"last_contact_date": date})

    @api.model
    def _regulation_followup_due_domain(self, today):
        return [
            ("customer_class_id", "!=", False),
            ("next_followup_date", "<=", today),
            *self._regulation_customer_domain(),
        ]

    @api.model
    def _regulation_followup_activity_types(self):
        default = self.env.ref("sales_consultant_regulation.mail_activity_type_customer_followup")
        classes = self.env["crm.customer.class"].with_context(active_test=False).search([])
        return default | classes.activity_type_id

    @api.model
    def _cron_followup_activities(self, batch_size=FOLLOWUP_BATCH_SIZE):
        """R3.5: every customer due a follow-up has exactly one open follow-up activity for
        its consultant. Refreshes the premium flags, then walks the due customers by id in
        batches, committing each (outside tests) and reporting progress to the cron; running it
        again creates nothing more. Returns the number of activities created."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        return self._regulation_followup_run(batch_size, commit=auto_commit)

    @api.model
    def _regulation_followup_run(self, batch_size=FOLLOWUP_BATCH_SIZE, commit=False):
        """The follow-up cron's work; ``commit`` commits after each batch."""
        self._regulation_refresh_premium()
        today = regulation_day.today(self.env)
        # one query for the ids of every due customer, then batches by id: linear however many
        # are due; a customer no longer due when its batch comes is skipped there
        due_ids = self.search(self._regulation_followup_due_domain(today), order="id").ids
        total = len(due_ids)
        done = created = 0
        for batch_ids in split_every(batch_size, due_ids):
            batch = self.browse(batch_ids).exists()
            created += batch._regulation_schedule_followups(today)
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=max(total - done, 0))
            if commit:
                # batch done: keep it even if a later batch fails or times out (resumable)
                self.env.cr.commit()  # pylint: disable=invalid-commit
            # keep the memory (and the cost per batch) flat however many customers are due
            self.env.flush_all()
            self.env.invalidate_all()
        return created

    def _regulation_schedule_followups(self, today):
        """One batch of the follow-up cron: a constant number of queries for the batch."""
        self._regulation_refresh_last_contact()
        due = self.filtered(lambda p: p.next_followup_date and p.next_followup_date <= today and p.user_id)
        if not due:
            return 0
        types = self._regulation_followup_activity_types()
        Activity = self.env["mail.activity"]
        existing = {
            (activity.res_id, activity.user_id.id)
            for activity in Activity.search(
                [("res_model", "=", "res.partner"), ("res_id", "in", due.ids), ("activity_type_id", "in", types.ids)]
            )
        }
        todo = due.filtered(lambda p: (p.id, p.user_id.id) not in existing)
        if not todo:
            return 0
        default_type = self.env.ref("sales_consultant_regulation.mail_activity_type_customer_followup")
        model_id = self.env["ir.model"]._get_id("res.partner")
        # The class strategy shows on the customer's file, not copied into each activity: an
        # HTML note is sanitized once per activity, the cron's main cost on large batches.
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": partner.id,
                "activity_type_id": (partner.customer_class_id.activity_type_id or default_type).id,
                "user_id": partner.user_id.id,
                "date_deadline": partner.next_followup_date,
            }
            for partner in todo
        ]
        Activity.with_context(mail_activity_quick_update=True).create(vals_list)
        return len(vals_list)
