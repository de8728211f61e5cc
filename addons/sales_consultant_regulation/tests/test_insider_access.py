# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 13: the access rules hold on every ORM path a user may call directly (JSON-RPC
``call_kw`` create/write, ``load()`` of an import), as an insider would try them."""

import datetime

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SalesProcessCase


@tagged("post_install", "-at_install")
class TestInsiderAccess(SalesProcessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # consultant2's customer, which consultant cannot read (R10.1)
        cls.foreign = cls.env["res.partner"].create(
            {"name": "SCR Wang's Customer", "email": "ceo@wang-customer.example.com", "user_id": cls.consultant2.id}
        )
        cls.foreign.message_post(body="Internal: ready to pay 20 % more", subtype_xmlid="mail.mt_note")
        cls.attachment = cls.env["ir.attachment"].create(
            {"name": "price-list.txt", "raw": b"secret prices", "res_model": "res.partner", "res_id": cls.foreign.id}
        )
        cls.own = cls.env["res.partner"].create({"name": "SCR Chen's Customer", "user_id": cls.consultant.id})
        cls.other_team = cls.env["crm.team"].create({"name": "SCR Other Regulated Team", "regulation_enabled": True})
        cls.other_lead = cls.env["crm.lead"].create(
            {
                "name": "SCR Other team's deal",
                "type": "opportunity",
                "team_id": cls.other_team.id,
                "user_id": cls.manager.id,
            }
        )

    def _readable(self, record, user):
        return bool(record.with_user(user)._filtered_access("read"))

    # ------------------------------------------------------------------ finding 1 (R10.1)

    def test_r10_1_lead_with_foreign_customer_refused(self):
        Lead = self.env["crm.lead"].with_user(self.consultant)
        self.assertFalse(self._readable(self.foreign, self.consultant))
        count = Lead.sudo().search_count([("partner_id", "=", self.foreign.id)])
        with self.assertRaises(AccessError) as ctx:
            Lead.create({"name": "Mine now", "partner_id": self.foreign.id, "team_id": self.team.id})
        self.assertIn("Customer", str(ctx.exception))
        # an order, its invoice address or a lead's decision maker: the same refusal
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.consultant).create(
                {"partner_id": self.own.id, "partner_invoice_id": self.foreign.id, "team_id": self.team.id}
            )
        lead = Lead.create({"name": "Own deal", "partner_id": self.own.id, "team_id": self.team.id})
        with self.assertRaises(AccessError):
            lead.write({"partner_id": self.foreign.id})
        with self.assertRaises(AccessError):
            lead.write({"decision_maker_id": self.foreign.id})
        self.assertEqual(lead.partner_id, self.own)
        self.assertFalse(lead.decision_maker_id)
        # an import refuses the row and saves nothing
        with mute_logger("odoo.sql_db"):
            result = Lead.load(
                ["name", "partner_id/.id", "team_id/.id"], [["Imported", str(self.foreign.id), str(self.team.id)]]
            )
        self.assertFalse(result["ids"])
        self.assertTrue(any("R10.1" in message["message"] for message in result["messages"]))
        self.assertEqual(Lead.sudo().search_count([("partner_id", "=", self.foreign.id)]), count)
        # the customer, its chatter and its attachments stay closed
        self.assertFalse(self._readable(self.foreign, self.consultant))
        messages = (
            self.env["mail.message"]
            .with_user(self.consultant)
            .search([("model", "=", "res.partner"), ("res_id", "=", self.foreign.id)])
        )
        self.assertFalse(messages)
        attachments = (
            self.env["ir.attachment"]
            .with_user(self.consultant)
            .search([("res_model", "=", "res.partner"), ("res_id", "=", self.foreign.id)])
        )
        self.assertFalse(attachments)
        with self.assertRaises(AccessError):
            self.attachment.with_user(self.consultant).read(["raw"])

    def test_r10_1_readers_only_through_legitimate_deals(self):
        """A deal a consultant hands to a colleague who could not read its customer opens
        nothing; a supervisor's or a manager's assignment does."""
        Lead = self.env["crm.lead"].with_user(self.consultant2)
        handed = Lead.create({"name": "Handed over", "partner_id": self.foreign.id, "team_id": self.team.id})
        handed = handed.with_env(self.env)
        self.assertTrue(handed.regulation_reader_granted)
        handed.with_user(self.consultant2).write({"user_id": self.consultant.id})
        self.assertFalse(handed.regulation_reader_granted)
        self.assertNotIn(self.consultant, self.foreign.regulation_reader_ids)
        self.assertFalse(self._readable(self.foreign, self.consultant))
        # the grant is the system's: nobody writes it
        with self.assertRaises(AccessError):
            handed.with_user(self.consultant).write({"regulation_reader_granted": True})
        self.assertFalse(handed.regulation_reader_granted)
        # the supervisor assigns it: the consultant now reads the customer he works for
        handed.with_user(self.supervisor).write({"user_id": self.consultant.id, "name": "Assigned by the supervisor"})
        self.assertTrue(handed.regulation_reader_granted)
        self.assertIn(self.consultant, self.foreign.regulation_reader_ids)
        self.assertTrue(self._readable(self.foreign, self.consultant))

    def test_r10_1_plain_users_and_sudo_keep_odoo_behaviour(self):
        plain = new_test_user(
            self.env, login="scr_insider_plain", groups="base.group_user,sales_team.group_sale_salesman"
        )
        lead = self.env["crm.lead"].with_user(plain).create({"name": "Plain lead", "partner_id": self.foreign.id})
        self.assertEqual(lead.partner_id, self.foreign)
        lead = (
            self.env["crm.lead"]
            .with_user(self.consultant)
            .sudo()
            .create({"name": "System lead", "partner_id": self.foreign.id, "user_id": self.consultant.id})
        )
        self.assertTrue(lead.regulation_reader_granted)

    # ------------------------------------------------------------------ finding 2 (R7.1, R6.4)

    def test_r7_1_share_on_deal_not_editable_refused(self):
        Share = self.env["sale.order.consultant.share"].with_user(self.consultant)
        before = self.other_lead.sudo().consultant_share_ids
        with self.assertRaises(AccessError) as ctx:
            Share.create({"lead_id": self.other_lead.id, "user_id": self.consultant.id, "percent": 100})
        self.assertIn("R7.1", str(ctx.exception))
        # moving one's own share onto that deal is refused too
        own_lead = self._lead()
        share = own_lead.consultant_share_ids
        with self.assertRaises(AccessError):
            share.with_user(self.consultant).write({"lead_id": self.other_lead.id})
        self.assertEqual(share.lead_id, own_lead)
        self.assertEqual(self.other_lead.sudo().consultant_share_ids, before)

    def test_r6_4_figures_count_orders_of_the_scope_only(self):
        today = fields.Date.context_today(self.env["sale.order"])
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "team_id": self.free_team.id,
                "user_id": self.consultant2.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        order.date_order = datetime.datetime.combine(today, datetime.time(12))
        self.env["sale.order.consultant.share"].create({"order_id": order.id, "user_id": self.consultant.id})
        Figures = self.env["sale.regulation.figures"]
        totals = Figures._totals(self.company, today, today, "order", [self.consultant.id])
        self.assertNotIn(self.consultant.id, totals)
        self.assertFalse(Figures._credited_lines(self.company, today, today, "order", [self.consultant.id]))
        # a plan of that team counts it
        totals = Figures._totals(self.company, today, today, "order", [self.consultant.id], teams=self.free_team)
        self.assertAlmostEqual(totals[self.consultant.id]["amount"], order.amount_untaxed / order.currency_rate)

    # ------------------------------------------------------------------ finding 8 (R10)

    def test_r10_company_and_users_contacts_read_only(self):
        company_partner = self.company.partner_id
        email = company_partner.email
        for user in (self.consultant, self.supervisor):
            for partner in (company_partner, self.consultant2.partner_id, self.customer):
                with self.subTest(user=user.login, partner=partner.name), self.assertRaises(AccessError):
                    partner.with_user(user).write({"email": "hijack@example.com", "street": "Nowhere 1"})
                self.assertNotEqual(partner.email, "hijack@example.com")
        self.assertEqual(company_partner.email, email)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.consultant).unlink()
        self.assertTrue(self.customer.exists())
        # own customers, and unassigned ones the consultant created, stay his to change
        self.own.with_user(self.consultant).write({"street": "Own street 1"})
        mine = (
            self.env["res.partner"].with_user(self.consultant).create({"name": "SCR Found Contact", "user_id": False})
        )
        mine.write({"street": "Found street 2"})
        self.assertEqual((self.own.street, mine.street), ("Own street 1", "Found street 2"))
        # managers and plain users keep their rights
        self.customer.with_user(self.manager).write({"street": "Managed 3"})
        plain = new_test_user(
            self.env, login="scr_insider_contacts", groups="base.group_user,base.group_partner_manager"
        )
        self.customer.with_user(plain).write({"street": "Plain 4"})
        self.assertEqual(self.customer.street, "Plain 4")

    # ------------------------------------------------------------------ finding 11 (R10.1)

    def test_r10_1_followers_of_unreadable_records_hidden(self):
        lead_of_colleague = self._lead(user=self.consultant2, partner_id=self.foreign.id, name="Wang's deal")
        lead_of_colleague.message_subscribe(partner_ids=self.foreign.ids)
        Followers = self.env["mail.followers"].with_user(self.consultant)
        self.assertFalse(Followers.search([("partner_id", "=", self.foreign.id)]))
        follower = self.env["mail.followers"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead_of_colleague.id),
                ("partner_id", "=", self.foreign.id),
            ]
        )
        self.assertTrue(follower)
        with self.assertRaises(AccessError):
            follower.with_user(self.consultant).read(["name", "email"])
        # the colleague sees his own deal's followers; following and notifying still work
        self.assertTrue(
            self.env["mail.followers"].with_user(self.consultant2).search([("partner_id", "=", self.foreign.id)])
        )
        own_lead = self._lead(partner_id=self.own.id, name="Chen's deal")
        own_lead.with_user(self.consultant).message_subscribe(partner_ids=self.own.ids)
        self.assertIn(self.own, own_lead.with_user(self.consultant).message_follower_ids.partner_id)
        message = own_lead.with_user(self.consultant).message_post(
            body="Your quotation is ready", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertIn(self.own, message.sudo().notification_ids.res_partner_id)

    def test_r10_1_quotation_from_an_assigned_lead_still_works(self):
        """Odoo's own flow: a quotation made from a lead a supervisor gave the consultant on a
        colleague's customer links that customer and that lead."""
        lead = self._lead(user=self.supervisor, user_id=self.consultant.id, partner_id=self.foreign.id)
        action = lead.with_user(self.consultant).action_new_quotation()
        order = (
            self.env["sale.order"]
            .with_user(self.consultant)
            .with_context(**action["context"])
            .create({"order_line": [Command.create({"product_id": self.product.id})]})
        )
        self.assertEqual((order.partner_id, order.opportunity_id), (self.foreign, lead.with_user(self.consultant)))
        self.assertTrue(order.regulation_reader_granted)
        # a lead he cannot read is not one he quotes
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.consultant).create(
                {"partner_id": self.own.id, "opportunity_id": self.other_lead.id}
            )
