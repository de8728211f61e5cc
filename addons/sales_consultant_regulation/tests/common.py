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
