# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class RegulationCase(TransactionCase):
    """Fixtures shared by the addon's tests: a regulated team, its supervisor, two
    consultants and a regulation manager, built here and never taken from demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.manager = new_test_user(
            cls.env,
            login="scr_manager",
            groups="base.group_user,sales_consultant_regulation.group_regulation_manager",
        )
        cls.supervisor = new_test_user(
            cls.env,
            login="scr_supervisor",
            groups="base.group_user,sales_consultant_regulation.group_supervisor",
        )
        cls.consultant = new_test_user(
            cls.env,
            login="scr_consultant",
            groups="base.group_user,sales_consultant_regulation.group_consultant",
        )
        cls.consultant2 = new_test_user(
            cls.env,
            login="scr_consultant2",
            groups="base.group_user,sales_consultant_regulation.group_consultant",
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "SCR Regulated Team",
                "user_id": cls.supervisor.id,
                "regulation_enabled": True,
                "crm_team_member_ids": [
                    Command.create({"user_id": cls.consultant.id}),
                    Command.create({"user_id": cls.consultant2.id}),
                ],
            }
        )
        cls.free_team = cls.env["crm.team"].create({"name": "SCR Unregulated Team"})
        # R1.3, R10: the test users have acknowledged the regulation in force (test_confidentiality
        # proves the gate with users who have not).
        cls.regulation = cls.env["sale.regulation"]._current()
        if cls.regulation:
            cls.env["sale.regulation.acknowledgement"].create(
                [
                    {"regulation_id": cls.regulation.id, "user_id": user.id}
                    for user in (cls.manager, cls.supervisor, cls.consultant, cls.consultant2)
                ]
            )
        # The tests' regulated scope is their own team: teams the database already regulates
        # (demo data, a company's own configuration) would add their members to every figure.
        cls.env["crm.team"].search([("id", "!=", cls.team.id), ("regulation_enabled", "=", True)]).write(
            {"regulation_enabled": False}
        )


class SalesProcessCase(RegulationCase):
    """The regulation's pipeline applied to the regulated team, a customer and a product."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team._apply_regulation_pipeline()
        stages = cls.env["crm.stage"].search([("team_id", "=", cls.team.id), ("regulation_step", "!=", False)])
        cls.stage = {stage.regulation_step: stage for stage in stages}
        cls.customer = cls.env["res.partner"].create(
            {"name": "SCR Customer Ltd", "email": "buyer@scr-customer.example.com", "is_company": True}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "SCR Desk", "list_price": 1000.0, "standard_price": 600}
        )
        cls.payment_term = cls.env.ref("account.account_payment_term_30days")

    def _lead(self, user=None, **vals):
        values = {
            "name": "SCR Opportunity",
            "type": "opportunity",
            "partner_id": self.customer.id,
            "team_id": self.team.id,
            "user_id": (user or self.consultant).id,
            "email_from": "buyer@scr-customer.example.com",
            "need_description": "Desks for a new office",
        }
        values.update(vals)
        return self.env["crm.lead"].with_user(user or self.consultant).create(values)

    def _ready_for_needs_analysis_exit(self, lead):
        lead.write(
            {
                "budget_amount": 5000,
                "decision_maker_id": self.customer.id,
                "decision_process": "The owner decides",
            }
        )

    # R4.4: the written proposal's parts, which a regulated quotation is sent with
    PROPOSAL = {
        "proposal_configuration": "<p>Two oak desks with cable trays</p>",
        "proposal_price_structure": "<p>List price, delivery included</p>",
        "proposal_service_commitments": "<p>Assembly on site, five-year warranty</p>",
    }

    def _order(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "team_id": self.team.id,
            "user_id": (user or self.consultant).id,
            "payment_term_id": self.payment_term.id,
            "commitment_date": "2026-12-20 08:00:00",
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
        }
        values.update(vals)
        return self.env["sale.order"].with_user(user or self.consultant).create(values)


class CustomerCase(SalesProcessCase):
    """Customers (R3): the shipped classes, the consultants' customers, confirmed orders."""

    SIGNED_PDF = b"JVBERi0xLjQgc2lnbmVkIGNvbnRyYWN0"  # "%PDF-1.4 signed contract"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.classes = cls.env["crm.customer.class"]._by_code()
        cls.company.write(
            {
                "regulation_file_stale_days": 90,
                "regulation_premium_revenue": 0.0,
                "regulation_premium_months": 12,
                "regulation_return_visit_days": 30,
            }
        )

    def _customer(self, name="SCR Prospect Co", user=None, **vals):
        values = {
            "name": name,
            "is_company": True,
            "email": f"{name.lower().replace(' ', '.')}@example.com",
            "user_id": (user or self.consultant).id,
        }
        values.update(vals)
        return self.env["res.partner"].create(values)

    def _confirm(self, order):
        """Pass a regulated quotation's contract review and confirm it (R4.6)."""
        order._review_tick_manual_items()
        order.with_user(order.user_id).signed_contract = self.SIGNED_PDF
        order.with_user(self.supervisor).action_review_pass()
        order.with_user(order.user_id).action_confirm()
        return order


class AppraisalCase(SalesProcessCase):
    """R6/R7.1 fixtures: February 2021 sales of the two consultants with a split deal, a
    second currency, a customer's first order, and the year's periods."""

    PDF = b"JVBERi0xLjQgc2lnbmVkIGNvbnRyYWN0"  # base64 of a tiny "%PDF-1.4" file

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Taipei"
        cls.old_customer = cls.env["res.partner"].create({"name": "SCR Old Customer", "is_company": True})
        cls.new_customer = cls.env["res.partner"].create({"name": "SCR New Customer", "is_company": True})
        cls.foreign_customer = cls.env["res.partner"].create({"name": "SCR Foreign Customer", "is_company": True})
        cls.other_currency = cls.env.ref("base.EUR")
        if cls.company.currency_id == cls.other_currency:
            cls.other_currency = cls.env.ref("base.USD")
        cls.other_currency.active = True
        cls.env["res.currency.rate"].create(
            [
                {"name": "2021-01-01", "rate": 2.0, "currency_id": cls.other_currency.id, "company_id": cls.company.id},
                {"name": "2021-06-01", "rate": 4.0, "currency_id": cls.other_currency.id, "company_id": cls.company.id},
            ]
        )
        cls.foreign_pricelist = cls.env["product.pricelist"].create(
            {"name": "SCR Foreign", "currency_id": cls.other_currency.id}
        )
        cls.Period = cls.env["sale.appraisal.period"]
        cls.periods = cls.env["sale.appraisal.period.generate"]._generate(2021, cls.company, ("month", "quarter"))
        cls.jan = cls._period("2021-01")
        cls.feb = cls._period("2021-02")
        cls.mar = cls._period("2021-03")
        cls.q1 = cls._period("2021 Q1")

    @classmethod
    def _period(cls, name):
        return cls.periods.filtered(lambda p: p.name == name)

    @classmethod
    def _confirmed_order(cls, user, partner, qty, date, *, price=None, shares=None, pricelist=None):
        """A regulated order passed through its contract review and confirmed, dated ``date``."""
        line = {"product_id": cls.product.id, "product_uom_qty": qty}
        if price is not None:
            line["price_unit"] = price
        vals = {
            "partner_id": partner.id,
            "team_id": cls.team.id,
            "user_id": user.id,
            "payment_term_id": cls.payment_term.id,
            "commitment_date": "2026-12-20 08:00:00",
            "date_order": date,
            "signed_contract": cls.PDF,
            "signed_contract_filename": "contract.pdf",
            "order_line": [Command.create(line)],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        order = cls.env["sale.order"].create(vals)
        if shares:
            order.write(
                {
                    "consultant_share_ids": [Command.clear()]
                    + [Command.create({"user_id": u.id, "percent": p}) for u, p in shares]
                }
            )
        order._review_tick_manual_items()
        order.with_user(cls.supervisor if user != cls.supervisor else cls.manager).action_review_pass()
        order.action_confirm()
        order.date_order = date  # confirming dates the order today
        return order

    @classmethod
    def _february_sales(cls):
        """Hand-computed (company currency, product cost 600):

        - January: consultant sells 1 to the old customer (its first order).
        - February: consultant sells 2 x 1000 to the old customer (not new);
          a split deal 60/40 consultant/consultant2, 5 x 1000 to the new customer (first order);
          consultant2 sells 1 x 2000 in the second currency at rate 2 (so 1000, margin 400)
          to the foreign customer (first order); a cancelled order and a quotation of the
          consultant do not count.
        """
        cls.jan_order = cls._confirmed_order(cls.consultant, cls.old_customer, 1, "2021-01-15 03:00:00")
        cls.feb_order = cls._confirmed_order(cls.consultant, cls.old_customer, 2, "2021-02-10 03:00:00")
        cls.split_order = cls._confirmed_order(
            cls.consultant,
            cls.new_customer,
            5,
            "2021-02-12 03:00:00",
            shares=[(cls.consultant, 60.0), (cls.consultant2, 40.0)],
        )
        cls.foreign_order = cls._confirmed_order(
            cls.consultant2,
            cls.foreign_customer,
            1,
            "2021-02-20 03:00:00",
            price=2000.0,
            pricelist=cls.foreign_pricelist,
        )
        cancelled = cls._confirmed_order(cls.consultant, cls.new_customer, 9, "2021-02-05 03:00:00")
        cancelled._action_cancel()
        quotation = cls.env["sale.order"].create(
            {
                "partner_id": cls.new_customer.id,
                "team_id": cls.team.id,
                "user_id": cls.consultant.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 7})],
            }
        )
        quotation.date_order = "2021-02-06 03:00:00"


class IncentiveCase(AppraisalCase):
    """R6.4 fixtures: the regulation's plan (margin under 10 % → 1 %, 10-25 % → 3 %, over
    25 % → 5 %; from 100 % of target ×1.2, from 120 % ×1.5; a 2 % bonus on sales from 100 %)
    for the regulated team, on the February 2021 sales."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._february_sales()
        cls.plan = cls.env["sale.incentive.plan"].create(
            {
                "name": "SCR Commission",
                "period_type": "month",
                "basis": "order",
                "team_ids": [Command.set(cls.team.ids)],
                "rate_ids": [
                    Command.create({"margin_from": -100, "margin_to": 10, "rate": 1.0}),
                    Command.create({"margin_from": 10, "margin_to": 25, "rate": 3.0}),
                    Command.create({"margin_from": 25, "margin_to": 100, "rate": 5.0}),
                ],
                "tier_ids": [
                    Command.create({"tier_type": "accelerator", "threshold": 100, "multiplier": 1.2}),
                    Command.create({"tier_type": "accelerator", "threshold": 120, "multiplier": 1.5}),
                    Command.create(
                        {"tier_type": "bonus", "threshold": 100, "bonus_percent": 2.0, "bonus_base": "amount"}
                    ),
                ],
            }
        )
        cls.env["sale.consultant.target"].create(
            {"user_id": cls.consultant.id, "period_id": cls.feb.id, "amount_target": 4000}
        )
        for period in cls.jan | cls.feb | cls.mar:
            period.with_user(cls.manager).action_open()

    def _statement(self, period, user):
        return self.env["sale.incentive.statement"].search(
            [("plan_id", "=", self.plan.id), ("period_id", "=", period.id), ("user_id", "=", user.id)]
        )

    def _compute(self, period):
        return self.plan._compute_statements(period)
