# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CustomerCase


@tagged("post_install", "-at_install")
class TestCustomerClass(CustomerCase):
    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_r3_4_shipped_classes(self):
        self.assertEqual(set(self.classes), {"potential", "intentional", "quasi", "closed"})
        intentional = self.classes["intentional"]
        self.assertEqual(intentional.name, "Intentional Customer")
        self.assertEqual(intentional.interval_days, 14)
        self.assertEqual(intentional.key_interval_days, 7)
        self.assertEqual(
            intentional.activity_type_id,
            self.env.ref("sales_consultant_regulation.mail_activity_type_customer_followup"),
        )
        self.assertIn("R4.2", intentional.strategy)
        self.assertIn("budget_amount", intentional.partner_field_ids.mapped("name"))
        # The class names are translatable.
        self.assertTrue(self.env["crm.customer.class"]._fields["name"].translate)

    def test_r3_4_class_follows_lead_opportunity_quotation_order_and_back(self):
        customer = self._customer()
        self.assertFalse(customer.customer_class_id, "nothing known yet: no class")
        lead = self._lead(type="lead", partner_id=customer.id, name="SCR New Lead")
        self.assertEqual(customer.customer_class_id, self.classes["potential"])
        self.assertEqual(lead.lead_class_id, self.classes["potential"])

        lead.with_user(self.consultant).convert_opportunity(customer)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(customer.customer_class_id, self.classes["intentional"])
        self.assertEqual(lead.lead_class_id, self.classes["intentional"])

        order = self._order(partner_id=customer.id, opportunity_id=lead.id, **self.PROPOSAL)
        self.assertEqual(customer.customer_class_id, self.classes["intentional"], "a draft quotation: intentional")
        order.with_user(self.consultant).action_quotation_sent()
        self.assertEqual(order.state, "sent")
        self.assertEqual(customer.customer_class_id, self.classes["quasi"])
        self.assertEqual(lead.lead_class_id, self.classes["quasi"])

        self._confirm(order)
        self.assertEqual(order.state, "sale")
        self.assertEqual(customer.customer_class_id, self.classes["closed"])
        self.assertEqual(lead.lead_class_id, self.classes["closed"])

        order.with_user(self.consultant).with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(customer.customer_class_id, self.classes["intentional"], "back: the opportunity is still open")
        lead.with_user(self.consultant).action_set_lost()
        self.assertEqual(customer.customer_class_id, self.classes["potential"], "only a lost deal left")

    def test_r3_4_class_of_a_company_counts_its_contacts_deals(self):
        company = self._customer("SCR Group")
        contact = self.env["res.partner"].create({"name": "SCR Buyer", "parent_id": company.id})
        self._lead(partner_id=contact.id)
        self.assertEqual(company.customer_class_id, self.classes["intentional"])
        self.assertFalse(contact.customer_class_id, "the class is the commercial entity's")

    def test_r3_4_opportunity_at_proposal_step_is_quasi(self):
        customer = self._customer()
        lead = self._lead(partner_id=customer.id)
        self._ready_for_needs_analysis_exit(lead)
        lead._checklist_advance_to_step("presentation")
        self.assertEqual(customer.customer_class_id, self.classes["intentional"])
        lead._checklist_advance_to_step("proposal")
        self.assertEqual(lead.stage_id, self.stage["proposal"])
        self.assertEqual(customer.customer_class_id, self.classes["quasi"])

    def test_r3_4_override_kept_until_removed_and_tracked(self):
        customer = self._customer()
        self._lead(type="lead", partner_id=customer.id)
        self.assertEqual(customer.customer_class_id, self.classes["potential"])
        with self.assertRaises(AccessError) as ctx:
            customer.with_user(self.consultant).write({"class_override_id": self.classes["closed"].id})
        self.assertIn("R3.4", str(ctx.exception))

        tracked = customer.with_user(self.supervisor).with_context(tracking_disable=False)
        tracked.write({"class_override_id": self.classes["quasi"].id})
        self._flush_tracking()
        self.assertEqual(customer.customer_class_id, self.classes["quasi"])
        tracking = customer.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "class_override_id")
        self.assertEqual(len(tracking), 1)
        self.assertEqual(tracking.new_value_char, "Quasi Customer")
        self.assertEqual(tracking.mail_message_id.author_id, self.supervisor.partner_id)

        # The customer's deals move on: the override stays.
        order = self._order(partner_id=customer.id)
        self._confirm(order)
        self.assertEqual(customer.computed_class_id, self.classes["closed"])
        self.assertEqual(customer.customer_class_id, self.classes["quasi"])

        tracked.write({"class_override_id": False})
        self._flush_tracking()
        self.assertEqual(customer.customer_class_id, self.classes["closed"])
        self.assertEqual(
            len(customer.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "class_override_id")),
            2,
        )

    def test_r3_4_key_flag_by_supervisors(self):
        customer = self._customer()
        with self.assertRaises(AccessError):
            customer.with_user(self.consultant).write({"is_key_customer": True})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.consultant).create({"name": "SCR Key", "is_key_customer": True})
        customer.with_user(self.supervisor).write({"is_key_customer": True})
        self.assertTrue(customer.is_key_customer)
        self.assertIn(customer, self.env["res.partner"].search([("is_key_customer", "=", True)]))
        # A consultant still edits the rest of the file.
        customer.with_user(self.consultant).write({"business_scope": "Office furniture retail"})
        self.assertEqual(customer.business_scope, "Office furniture retail")

    def test_r3_4_premium_from_configurable_thresholds(self):
        self.company.write({"regulation_premium_revenue": 1500.0, "regulation_premium_months": 12})
        big = self._customer("SCR Big Buyer")
        small = self._customer("SCR Small Buyer")
        with freeze_time("2026-03-02 10:00:00"):
            self._confirm(self._order(partner_id=big.id))  # 2 x 1000
            self._confirm(
                self._order(
                    partner_id=small.id,
                    order_line=[Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
                )
            )
        self.assertTrue(big.is_premium_customer, "confirming the order refreshes the flag")
        self.assertFalse(small.is_premium_customer)
        self.assertEqual(big.with_company(self.company).premium_revenue, 2000.0)
        self.assertIn(big, self.env["res.partner"].search([("is_premium_customer", "=", True)]))

        # A stricter threshold applies at once.
        self.company.regulation_premium_revenue = 2500.0
        self.assertFalse(big.is_premium_customer)
        self.company.regulation_premium_revenue = 1500.0
        self.assertTrue(big.is_premium_customer)

        # Thirteen months later the order left the window: the daily refresh drops the flag.
        with freeze_time("2027-04-02 10:00:00"):
            self.env["res.partner"]._regulation_refresh_premium()
        self.assertFalse(big.is_premium_customer)

    def test_r3_4_premium_counts_every_consultants_orders(self):
        """The consultant who confirms sees only their own orders; the premium flag counts all."""
        self.company.write({"regulation_premium_revenue": 1500.0})
        customer = self._customer("SCR Shared Buyer")
        one = [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]
        # a supervisor gives the colleague an order of the customer (R10.1: links are access)
        self._confirm(
            self._order(user=self.supervisor, user_id=self.consultant2.id, partner_id=customer.id, order_line=one)
        )
        self.assertFalse(customer.is_premium_customer)
        self._confirm(self._order(partner_id=customer.id, order_line=one))
        self.assertTrue(customer.is_premium_customer)
        self.assertEqual(customer.with_user(self.consultant).premium_revenue, 2000.0)

    def test_r3_4_key_and_premium_shorten_the_follow_up_interval(self):
        customer = self._customer()
        self._lead(partner_id=customer.id)
        self.assertEqual(customer.customer_class_id, self.classes["intentional"])
        customer.sudo().last_contact_date = datetime(2026, 3, 1, 9, 0)
        self.assertEqual(str(customer.next_followup_date), "2026-03-15")
        customer.with_user(self.supervisor).is_key_customer = True
        self.assertEqual(str(customer.next_followup_date), "2026-03-08")
        customer.with_user(self.supervisor).is_key_customer = False
        customer.sudo().is_premium_customer = True
        self.assertEqual(str(customer.next_followup_date), "2026-03-08")

    def test_r3_4_class_codes_move_with_configuration(self):
        """A manager gives the potential code to a new class: customers follow."""
        customer = self._customer()
        self._lead(type="lead", partner_id=customer.id)
        old = self.classes["potential"]
        old.with_user(self.manager).write({"code": False})
        new = self.env["crm.customer.class"].with_user(self.manager).create({"name": "Prospect", "code": "potential"})
        self.assertEqual(customer.customer_class_id, new)
        with self.assertRaises(AccessError):
            new.with_user(self.supervisor).write({"interval_days": 3})
