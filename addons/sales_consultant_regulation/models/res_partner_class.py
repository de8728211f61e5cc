# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R3.4 customer classes on the contact: computed class, supervisor override, key and premium
customers."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools import customer_rules
from . import regulation_day


class ResPartner(models.Model):
    _inherit = "res.partner"

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
