# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, split_every

from ..tools import care_calendar, customer_rules
from . import regulation_day
from .crm_customer_class import PARTNER_FILE_FIELDS
from .sale_regulation import ACKNOWLEDGEMENT_EXEMPT_FIELDS, CONSULTANT, MANAGER, SUPERVISOR

FOLLOWUP_BATCH_SIZE = 1000
# Writing one of these is a review of the file (R3.3); the consultant's reassignment is not.
FILE_REVIEW_FIELDS = frozenset(PARTNER_FILE_FIELDS) - {"user_id"}
# Set by supervisors and managers only (R3.4).
SUPERVISOR_FIELDS = frozenset({"class_override_id", "is_key_customer"})
# R10.1 financial data: the customer's budget and revenue are shown to its own consultant, the
# supervisor of that consultant's team and the managers, not to a consultant who reads the
# customer only through a deal of theirs.
PRIVATE_FIGURES = frozenset({"budget_amount", "premium_revenue"})


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "sale.regulation.customer.file.mixin"]
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {
        "budget_amount": (0.0, None),
        "birthday_lunar_month": (0, 12),
        "birthday_lunar_day": (0, 30),
    }

    # R10: the Salesperson owns the customer; the record rules filter on it.
    user_id = fields.Many2one(index=True)
    # Leads and opportunities of the customer, archived ones included (crm's opportunity_ids
    # leaves leads and archived ones out).
    regulation_lead_ids = fields.One2many(
        "crm.lead",
        "partner_id",
        string="All Leads",
        context={"active_test": False},
        readonly=True,
        groups="sales_team.group_sale_salesman",
    )
    regulation_reader_ids = fields.Many2many(
        "res.users",
        "res_partner_regulation_reader_rel",
        "partner_id",
        "user_id",
        string="Readers Through Deals",
        compute="_compute_regulation_reader_ids",
        store=True,
        help="Salespersons of this customer's leads and orders who are not its own Salesperson: they may read "
        "it (R10.1). Kept apart so that the record rules read a short list, not every lead and order.",
    )

    regulation_shared = fields.Boolean(
        string="Shared with Me",
        compute="_compute_regulation_shared",
        search="_search_regulation_shared",
        help="Readable by every consultant although not theirs: a user's or a company's contact, or the customer "
        "of one of your leads or orders (R10.1).",
    )

    def init(self):
        res = super().init()
        # The record rules on customers read this small table for every search of a consultant:
        # give PostgreSQL its true size at once (an unanalysed table is assumed large, which
        # inflates the plans' costs) instead of waiting for autovacuum.
        self.env.cr.execute("ANALYZE res_partner_regulation_reader_rel")
        return res

    @api.depends("regulation_reader_ids", "user_ids.share", "ref_company_ids")
    @api.depends_context("uid")
    def _compute_regulation_shared(self):
        shared = self.search([("id", "in", self.ids), ("regulation_shared", "=", True)]) if self.ids else self
        for partner in self:
            partner.regulation_shared = partner in shared

    def _search_regulation_shared(self, operator, value):
        """The partners the record rules let every consultant read (R10.1): users' contacts,
        the companies' contacts and the customers the user has a lead or order on. One array
        computed once per query, so that PostgreSQL can combine it with the Salesperson index."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        # The SQL below reads these tables directly: write what the ORM still holds first.
        self.env["res.partner"].flush_model(["regulation_reader_ids"])
        self.env["res.users"].flush_model(["share", "partner_id"])
        self.env["res.company"].flush_model(["partner_id"])
        shared = SQL(
            """ANY(ARRAY(
                SELECT partner_id FROM res_users WHERE NOT share
                 UNION SELECT partner_id FROM res_company
                 UNION SELECT partner_id FROM res_partner_regulation_reader_rel WHERE user_id = %s
            ))""",
            self.env.uid,
        )
        domain = [("id", "=", shared)]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends(
        "user_id",
        "regulation_lead_ids.user_id",
        "regulation_lead_ids.regulation_reader_granted",
        "sale_order_ids.user_id",
        "sale_order_ids.regulation_reader_granted",
    )
    def _compute_regulation_reader_ids(self):
        """The salespersons of the customer's leads and orders that open it to them (R10.1):
        a deal made by a consultant on a customer he could not read opens nothing."""
        partners = self.filtered("id")
        readers = defaultdict(set)
        domain = [
            ("partner_id", "in", partners.ids),
            ("user_id", "!=", False),
            ("regulation_reader_granted", "=", True),
        ]
        for model in ("crm.lead", "sale.order"):
            groups = (
                self.env[model]
                .with_context(active_test=False)
                ._read_group(domain, ["partner_id"], ["user_id:array_agg"])
            )
            for partner, user_ids in groups:
                readers[partner.id].update(user_ids)
        for partner in self:
            user_ids = readers.get(partner.id, set()) - {partner.user_id.id}
            partner.regulation_reader_ids = [Command.set(sorted(user_ids))]

    @api.model
    def default_get(self, fields_list):
        """A customer a consultant or supervisor creates is theirs (R10), so that it is not
        visible to the other consultants."""
        defaults = super().default_get(fields_list)
        if "user_id" in fields_list and not defaults.get("user_id") and not self.env.su:
            user = self.env.user
            if user.has_group(CONSULTANT) and not user.has_group(MANAGER):
                defaults["user_id"] = user.id
        return defaults

    def _regulation_figures_hidden(self):
        """The partners of ``self`` whose private figures (PRIVATE_FIGURES) the current user
        may not see (R10.1): those owned by a consultant who is neither the user nor, for a
        supervisor, a member of a team the user leads. Managers, users outside the regulation's
        groups and Odoo's own work in sudo see them."""
        env = self.env
        user = env.user
        if env.su or not self or not user.has_group(CONSULTANT) or user.has_group(MANAGER):
            return self.browse()
        allowed = {user.id}
        if user.has_group(SUPERVISOR):
            # sudo: the members of the teams the user leads, whatever the user's rights on teams
            teams = env["crm.team"].sudo().search([("user_id", "=", user.id)])
            allowed.update(teams.crm_team_member_ids.user_id.ids)
        return self.filtered(lambda partner: partner.user_id and partner.user_id.id not in allowed)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        private = PRIVATE_FIGURES.intersection(fnames)
        hidden = set(self._regulation_figures_hidden().ids) if private else set()
        if hidden:
            for values in result:
                if values["id"] in hidden:
                    values.update(dict.fromkeys(private, False))
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        private = {path[0] for path in fields if path and path[0] in PRIVATE_FIGURES}
        hidden = self._regulation_figures_hidden() if private else self.browse()
        if not hidden:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        # The export reads the records' values from the cache: it gets 0 for the hidden ones,
        # and the real values are read again afterwards.
        for name in private:
            field = self._fields[name]
            self.env.cache.update(hidden, field, [field.convert_to_cache(False, hidden)] * len(hidden))
        try:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        finally:
            hidden.invalidate_recordset(list(private))

    def _propagate_owner_to_contacts(self, old_owners, new_owner):
        """The contacts of a company follow it to its new Salesperson when they had the old
        one, or none, so they do not stay visible to the previous consultant (R10)."""
        children = self.with_context(active_test=False).child_ids.filtered(
            lambda child: (
                not child.is_company
                and child.user_id.id != new_owner
                and (not child.user_id or child.user_id == old_owners.get(child.parent_id.id))
            )
        )
        if children:
            children.write({"user_id": new_owner})

    # R3.1 development channel, on utm like leads and orders
    medium_id = fields.Many2one(
        "utm.medium",
        string="Channel",
        index="btree_not_null",
        ondelete="set null",
        help="How the customer was developed (R3.1): online, offline, customer referral or partner introduction.",
    )
    source_id = fields.Many2one(
        "utm.source",
        string="Channel Source",
        ondelete="set null",
        help="Where exactly: website, social media, trade show, seminar... (R3.1)",
    )
    channel_type = fields.Selection(related="medium_id.channel_type")

    # R3.2 basic, needs and decision information
    product_interest_ids = fields.Many2many(
        "product.template",
        "res_partner_product_interest_rel",
        "partner_id",
        "product_tmpl_id",
        string="Products of Interest",
    )
    category_interest_ids = fields.Many2many(
        "product.category",
        "res_partner_category_interest_rel",
        "partner_id",
        "category_id",
        string="Categories of Interest",
    )
    budget_currency_id = fields.Many2one("res.currency", compute="_compute_budget_currency_id")
    budget_amount = fields.Monetary(string="Budget", currency_field="budget_currency_id", help="R3.2")

    # R3.3 completeness and review
    file_missing_field_ids = fields.Many2many(
        "ir.model.fields",
        "res_partner_file_missing_field_rel",
        "partner_id",
        "field_id",
        string="Missing in File",
        compute="_compute_file_completeness",
        store=True,
        # the fields are named from ir.model.fields, which consultants read (access CSV)
        groups="sales_consultant_regulation.group_consultant",
    )
    file_reviewed_date = fields.Date(
        string="File Reviewed On",
        copy=False,
        help="Last time the file was updated or confirmed up to date (R3.3).",
    )
    file_reviewed_user_id = fields.Many2one("res.users", string="File Reviewed By", copy=False)
    file_stale = fields.Boolean(
        compute="_compute_file_stale",
        search="_search_file_stale",
        help="The file was not reviewed for longer than the company allows (R3.3).",
    )

    # R3.4 class, key and premium
    computed_class_id = fields.Many2one(
        "crm.customer.class",
        string="Class from Activity",
        compute="_compute_computed_class_id",
        store=True,
        help="The class the customer's leads, quotations and orders put it in (R3.4).",
    )
    class_override_id = fields.Many2one(
        "crm.customer.class",
        tracking=True,
        copy=False,
        help="Set by a supervisor: the customer keeps this class until the override is removed (R3.4).",
    )
    customer_class_id = fields.Many2one(
        "crm.customer.class",
        compute="_compute_customer_class_id",
        store=True,
        index="btree_not_null",
        group_expand="_read_group_customer_class_id",
    )
    class_code = fields.Selection(related="customer_class_id.code", string="Class Code")
    class_strategy = fields.Html(related="customer_class_id.strategy", string="Follow-up Strategy")
    is_key_customer = fields.Boolean(
        string="Key Customer",
        tracking=True,
        copy=False,
        help="A key customer (R3.4), marked by a supervisor: more attention and a shorter follow-up interval.",
    )
    is_premium_customer = fields.Boolean(
        string="Premium Customer",
        readonly=True,
        copy=False,
        help="Revenue over the company's recent period reached its premium threshold (R3.4). "
        "Refreshed daily and when an order is confirmed.",
    )
    premium_revenue = fields.Monetary(
        string="Recent Revenue",
        currency_field="budget_currency_id",
        compute="_compute_premium_revenue",
        compute_sudo=True,
        help="Untaxed amount of the confirmed orders over the company's premium period.",
    )

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
        required=True,
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

    # ------------------------------------------------------------------ computes

    def _compute_budget_currency_id(self):
        for partner in self:
            partner.budget_currency_id = partner.company_id.currency_id or self.env.company.currency_id

    def _regulation_file_class(self):
        return self.customer_class_id

    def _regulation_file_required_fields(self, customer_class):
        return customer_class.partner_field_ids

    def _regulation_file_depends(self):
        return [*PARTNER_FILE_FIELDS, "customer_class_id.partner_field_ids"]

    @api.depends_context("company", "tz", "uid")
    @api.depends("file_reviewed_date", "create_date", "customer_class_id")
    def _compute_file_stale(self):
        today = regulation_day.today(self.env)
        stale_days = self.env.company.regulation_file_stale_days
        for partner in self:
            reviewed = partner.file_reviewed_date or (partner.create_date and partner.create_date.date())
            partner.file_stale = bool(
                partner.customer_class_id and customer_rules.is_stale(reviewed, today, stale_days)
            )

    def _search_file_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        stale_days = self.env.company.regulation_file_stale_days
        if stale_days > 0:
            limit = customer_rules.stale_limit(regulation_day.today(self.env), stale_days)
            domain = [
                ("customer_class_id", "!=", False),
                "|",
                ("file_reviewed_date", "<=", limit),
                "&",
                ("file_reviewed_date", "=", False),
                ("create_date", "<", fields.Datetime.to_datetime(limit) + timedelta(days=1)),
            ]
        else:
            domain = [(0, "=", 1)]
        return domain if (operator == "=") == value else ["!", *domain]

    def _regulation_is_commercial(self):
        self.ensure_one()
        return bool(self.is_company or not self.parent_id)

    @api.depends(
        "is_company",
        "parent_id",
        "medium_id",
        "regulation_lead_ids.type",
        "regulation_lead_ids.active",
        "regulation_lead_ids.stage_id",
        "regulation_lead_ids.probability",
        "sale_order_ids.state",
        "child_ids.regulation_lead_ids.type",
        "child_ids.regulation_lead_ids.active",
        "child_ids.regulation_lead_ids.stage_id",
        "child_ids.regulation_lead_ids.probability",
        "child_ids.sale_order_ids.state",
    )
    def _compute_computed_class_id(self):
        commercial = self.filtered(lambda p: p.id and p._regulation_is_commercial())
        facts = commercial._regulation_class_facts() if commercial else {}
        classes = self.env["crm.customer.class"]._by_code()
        for partner in self:
            code = customer_rules.class_code(**facts[partner.id]) if partner in commercial else None
            partner.computed_class_id = classes.get(code, False)

    def _regulation_class_facts(self):
        """{commercial partner id: keyword arguments of customer_rules.class_code} from the leads
        and orders of the partners and their contacts: three queries for the whole set."""
        members = self.with_context(active_test=False).search([("commercial_partner_id", "in", self.ids)])
        to_commercial = {member.id: member.commercial_partner_id.id for member in members}
        facts = {
            partner.id: {
                "confirmed_order": False,
                "sent_quotation": False,
                "late_opportunity": False,
                "open_opportunity": False,
                "draft_quotation": False,
                "known": bool(partner.medium_id),
            }
            for partner in self
        }
        lead_groups = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [("partner_id", "in", members.ids)],
                ["partner_id", "type", "active", "stage_id"],
                ["__count"],
            )
        )
        for partner, lead_type, active, stage, _count in lead_groups:
            fact = facts.get(to_commercial.get(partner.id))
            if fact is None:
                continue
            fact["known"] = True
            if lead_type == "opportunity" and active:
                fact["open_opportunity"] = True
                if stage.is_won or stage.regulation_step in customer_rules.QUASI_STEPS:
                    fact["late_opportunity"] = True
        order_groups = self.env["sale.order"]._read_group(
            [("partner_id", "in", members.ids)], ["partner_id", "state"], ["__count"]
        )
        for partner, state, _count in order_groups:
            fact = facts.get(to_commercial.get(partner.id))
            if fact is None:
                continue
            fact["known"] = True
            if state == "sale":
                fact["confirmed_order"] = True
            elif state == "sent":
                fact["sent_quotation"] = True
            elif state == "draft":
                fact["draft_quotation"] = True
        return facts

    @api.depends("computed_class_id", "class_override_id")
    def _compute_customer_class_id(self):
        for partner in self:
            partner.customer_class_id = partner.class_override_id or partner.computed_class_id

    @api.model
    def _read_group_customer_class_id(self, classes, domain):
        return self.env["crm.customer.class"].search([])

    @api.depends_context("company")
    def _compute_premium_revenue(self):
        company = self.env.company
        revenue = self._regulation_recent_revenue(company) if self.ids else {}
        for partner in self:
            partner.premium_revenue = revenue.get(partner.commercial_partner_id.id, 0.0)

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

    # ------------------------------------------------------------------ constraints, onchanges

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self.env["sale.regulation"]._check_acknowledged()
        for vals in vals_list:
            if any(vals.get(name) for name in SUPERVISOR_FIELDS):
                self._regulation_check_supervisor()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - ACKNOWLEDGEMENT_EXEMPT_FIELDS and self - self.env.user.partner_id:
            self.env["sale.regulation"]._check_acknowledged()
        if SUPERVISOR_FIELDS & set(vals):
            self._regulation_check_supervisor()
        if FILE_REVIEW_FIELDS & set(vals) and "file_reviewed_date" not in vals:
            vals = dict(vals, file_reviewed_date=regulation_day.today(self.env), file_reviewed_user_id=self.env.uid)
        old_owners = {}
        if "user_id" in vals:
            old_owners = {partner.id: partner.user_id for partner in self}
        res = super().write(vals)
        if old_owners:
            self._propagate_owner_to_contacts(old_owners, vals["user_id"])
        return res

    def _check_access(self, operation):
        """R10: the regulation's users change only their own customers. For consultants and
        supervisors (not managers nor users who see all documents), the contacts of the
        companies and of the internal users are read-only (they are printed on every
        quotation and invoice), and a customer of nobody may be changed or deleted only by the
        one who created it; the record rules give the rest (own customers, for a supervisor
        those of the teams he leads). Users outside the regulation's groups keep Odoo's rights."""
        result = super()._check_access(operation)
        if operation == "read" or self.env.su or not any(self._ids):
            return result
        user = self.env.user
        if not user.has_group(CONSULTANT) or user.has_group(MANAGER):
            return result
        if user.has_group("sales_team.group_sale_salesman_all_leads"):
            return result
        # one's own contact card stays one's own (Odoo's preferences)
        candidates = (self - result[0] if result else self) - user.partner_id
        # sudo: who owns and who made the contacts, and whether they are a company's or a user's
        forbidden = candidates.sudo().filtered(
            lambda partner: (
                partner.ref_company_ids
                or partner.with_context(active_test=False).user_ids.filtered(lambda u: not u.share)
                or (not partner.user_id and partner.create_uid != user)
            )
        )
        if not forbidden:
            return result
        # sudo: the name of the first contact refused, for the message
        name = forbidden[:1].display_name
        forbidden = self.browse(forbidden.ids)

        def make_error():
            return AccessError(
                self.env._(
                    "R10: you may not change or delete the contact %(partner)s: the contacts of the company and "
                    "of its users, and customers nobody is assigned to that you did not create, are changed by a "
                    "regulation manager. Nothing was saved.",
                    partner=name,
                )
            )

        if result:
            return result[0] | forbidden, result[1]
        return forbidden, make_error

    def _regulation_check_supervisor(self):
        if self.env.su or self.env.user.has_group("sales_consultant_regulation.group_supervisor"):
            return
        raise AccessError(
            self.env._("R3.4: only a supervisor or a manager may override a customer's class or mark a key customer.")
        )

    # ------------------------------------------------------------------ actions

    def action_file_reviewed(self):
        """The consultant checked the file and it is up to date (R3.3)."""
        self.write({"file_reviewed_date": regulation_day.today(self.env), "file_reviewed_user_id": self.env.uid})
        return True

    def action_open_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.crm_customer_complaint_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    # ------------------------------------------------------------------ scope

    @api.model
    def _regulation_customer_domain(self, path=""):
        """Customers the regulation applies to (docs/architecture.md, principle 5): a consultant of the
        regulation's groups or of a regulated team looks after them. ``path`` prefixes the
        fields, e.g. "commercial_partner_id." for the contacts of such customers."""
        group = self.env.ref("sales_consultant_regulation.group_consultant")
        return [
            (f"{path}user_id", "!=", False),
            "|",
            (f"{path}user_id.groups_id", "in", group.ids),
            (f"{path}user_id.crm_team_member_ids.crm_team_id.regulation_enabled", "=", True),
        ]

    # ------------------------------------------------------------------ last contact (R3.5)

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

    def _regulation_in_scope(self):
        """The partners of self the regulation applies to (see _regulation_customer_domain)."""
        consultants = self.user_id.filtered(
            lambda user: (
                user.has_group("sales_consultant_regulation.group_consultant")
                or user.crm_team_member_ids.crm_team_id.filtered("regulation_enabled")
            )
        )
        return self.filtered(lambda partner: partner.user_id in consultants) if consultants else self.browse()

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

    # ------------------------------------------------------------------ premium (R3.4)

    def _regulation_recent_revenue(self, company):
        """{commercial partner id: untaxed amount of its confirmed orders of ``company`` over
        the company's premium period, in the company currency}; all customers when self is
        empty. One query."""
        since = fields.Datetime.now() - relativedelta(months=company.regulation_premium_months or 12)
        domain = [("state", "=", "sale"), ("company_id", "=", company.id), ("date_order", ">=", since)]
        if self:
            domain.append(("partner_id", "child_of", self.commercial_partner_id.ids))
        revenue = defaultdict(float)
        today = regulation_day.today(self.env)
        for partner, currency, untaxed in self.env["sale.order"]._read_group(
            domain, ["partner_id", "currency_id"], ["amount_untaxed:sum"]
        ):
            amount = untaxed
            if currency != company.currency_id:
                amount = currency._convert(untaxed, company.currency_id, company, today)
            revenue[partner.commercial_partner_id.id] += amount
        return revenue

    @api.model
    def _regulation_refresh_premium(self, partners=None):
        """Flag premium the customers whose recent revenue reaches their company's threshold
        (R3.4); ``partners`` limits the refresh to them (order confirmation), else all."""
        # sudo: the flag is the system's; it counts every confirmed order of the customer in
        # every company, whichever user's confirmation triggers the refresh
        Partner = self.sudo()
        if partners is not None:
            partners = partners.commercial_partner_id.sudo()
            if not partners:
                return
        else:
            partners = Partner
        premium_ids = set()
        for company in self.env["res.company"].sudo().search([("regulation_premium_revenue", ">", 0)]):
            revenue = partners._regulation_recent_revenue(company)
            premium_ids.update(pid for pid, amount in revenue.items() if amount >= company.regulation_premium_revenue)
        current_domain = [("is_premium_customer", "=", True)]
        if partners:
            current_domain.append(("id", "in", partners.ids))
        current = Partner.with_context(active_test=False).search(current_domain)
        (current - Partner.browse(premium_ids)).write({"is_premium_customer": False})
        Partner.browse(premium_ids - set(current.ids)).write({"is_premium_customer": True})

    # ------------------------------------------------------------------ follow-up cron (R3.5)

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
