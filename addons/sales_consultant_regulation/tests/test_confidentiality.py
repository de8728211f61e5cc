# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import SalesProcessCase

MODULE = "sales_consultant_regulation"
PDF = base64.b64encode(b"%PDF-1.4 signed contract")


@tagged("post_install", "-at_install")
class TestCustomerConfidentiality(SalesProcessCase):
    """R10.1: a consultant's customers are invisible to the other consultants by every path,
    and nothing standard breaks for a consultant working on their own customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.mine = Partner.create({"name": "Mine Trading Co", "is_company": True, "user_id": cls.consultant.id})
        cls.mine_contact = Partner.create({"name": "Mine Buyer", "parent_id": cls.mine.id})
        cls.theirs = Partner.create(
            {"name": "Zebra Secret Industries", "is_company": True, "user_id": cls.consultant2.id}
        )
        cls.theirs_contact = Partner.create(
            {"name": "Zebra Purchaser", "email": "zebra.buyer@example.com", "parent_id": cls.theirs.id}
        )
        cls.shared = Partner.create({"name": "Zebra Shared Supplier"})
        cls.outsider = new_test_user(
            cls.env, login="scr_conf_outsider", groups=f"base.group_user,{MODULE}.group_consultant"
        )
        cls.outsiders_customer = Partner.create({"name": "Zebra Far Away", "user_id": cls.outsider.id})
        # A consultant the company lets export, to prove the export path filters too.
        cls.consultant.groups_id = [Command.link(cls.env.ref("base.group_allow_export").id)]

    def test_r10_1_child_contacts_follow_their_company_owner(self):
        self.assertEqual(self.theirs_contact.user_id, self.consultant2)
        self.assertEqual(self.mine_contact.user_id, self.consultant)

    def test_r10_1_other_consultants_customers_invisible_by_every_path(self):
        Partner = self.env["res.partner"].with_user(self.consultant)
        hidden = self.theirs | self.theirs_contact | self.outsiders_customer
        # search (lists, kanban, RPC search_read)
        found = Partner.search([("name", "ilike", "Zebra")])
        self.assertEqual(found, self.shared)
        self.assertEqual(Partner.search_count([("id", "in", hidden.ids)]), 0)
        # name_search (many2one dropdowns)
        self.assertEqual([name for _id, name in Partner.name_search("Zebra")], ["Zebra Shared Supplier"])
        # read (form, RPC read)
        for partner in hidden:
            with self.assertRaises(AccessError):
                partner.with_user(self.consultant).read(["name", "email"])
        # read_group (grouped lists, pivot, graph)
        groups = Partner._read_group([("user_id", "!=", False)], ["user_id"], ["__count"])
        owners = self.env["res.users"].union(*(user for user, _count in groups))
        self.assertIn(self.consultant, owners)
        self.assertFalse(owners & (self.consultant2 | self.outsider))
        # the grouped list of the web client
        web_groups = Partner.web_read_group([("name", "ilike", "Zebra")], ["name"], ["user_id"])["groups"]
        self.assertEqual(sum(group["user_id_count"] for group in web_groups), 1)
        # export (the consultant was given the export right)
        exported = Partner.search([("name", "ilike", "Zebra")]).export_data(["name", "email"])["datas"]
        self.assertEqual(exported, [["Zebra Shared Supplier", ""]])
        with self.assertRaises(AccessError):
            Partner.browse(self.theirs_contact.ids).export_data(["name", "email"])
        # chatter mentions
        mentions = Partner.get_mention_suggestions("Zebra")
        names = {partner["name"] for partner in mentions.get("res.partner", [])}
        self.assertNotIn("Zebra Purchaser", names)
        self.assertNotIn("Zebra Secret Industries", names)
        mentions = Partner.get_mention_suggestions("zebra.buyer")
        self.assertFalse(mentions.get("res.partner"))
        # their leads are not reachable either
        lead = self._lead(user=self.consultant2, partner_id=self.theirs.id)
        self.assertFalse(self.env["crm.lead"].with_user(self.consultant).search([("id", "=", lead.id)]))

    def test_r10_1_shared_partners_stay_readable(self):
        """No owner, users' partners (colleagues, employees) and the company's partner."""
        Partner = self.env["res.partner"].with_user(self.consultant)
        visible = self.shared | self.consultant2.partner_id | self.supervisor.partner_id | self.company.partner_id
        self.assertEqual(Partner.search([("id", "in", visible.ids)]), visible)
        visible.with_user(self.consultant).read(["name"])
        # Readable is not writable: a colleague's contact card is theirs.
        with self.assertRaises(AccessError):
            self.consultant2.partner_id.with_user(self.consultant).write({"phone": "123"})
        # R10: a customer of nobody the consultant did not create is read-only for him too
        with self.assertRaises(AccessError):
            self.shared.with_user(self.consultant).write({"phone": "123"})
        self.assertFalse(self.shared.phone)

    def test_r10_1_customer_of_own_lead_is_readable_not_writable(self):
        """A lead or order assigned to the consultant on another's customer keeps working."""
        # a supervisor assigns it (a consultant's own lead on another's customer is refused, R10.1)
        lead = self._lead(user=self.supervisor, user_id=self.consultant.id, partner_id=self.theirs.id).with_env(
            self.env
        )
        self.assertEqual(self.theirs.regulation_reader_ids, self.consultant)
        self.assertEqual(self.theirs.with_user(self.consultant).read(["name"])[0]["name"], "Zebra Secret Industries")
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.consultant).write({"phone": "123"})
        # Once the lead is theirs, the customer is out of sight again.
        lead.user_id = self.consultant2
        self.assertFalse(self.theirs.regulation_reader_ids)
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.consultant).read(["name"])
        # The same through an order.
        self._order(user=self.manager, user_id=self.consultant.id, partner_id=self.theirs.id, team_id=self.free_team.id)
        self.assertEqual(self.theirs.with_user(self.consultant).read(["name"])[0]["name"], "Zebra Secret Industries")

    def test_r10_1_budget_of_a_customer_not_theirs_is_hidden(self):
        """A consultant who reads another's customer through their own deal does not see its
        budget or revenue, by read, web_read or export; its consultant, that consultant's
        supervisor and the managers do."""
        self.theirs.budget_amount = 50000
        self.mine.budget_amount = 800
        self._lead(user=self.supervisor, user_id=self.consultant.id, partner_id=self.theirs.id)
        theirs = self.theirs.with_user(self.consultant)
        values = theirs.read(["name", "budget_amount", "premium_revenue"])[0]
        self.assertEqual(values["name"], "Zebra Secret Industries", "the customer itself stays readable")
        self.assertIs(values["budget_amount"], False)
        self.assertIs(values["premium_revenue"], False)
        self.assertIs(theirs.web_read({"budget_amount": {}})[0]["budget_amount"], False)
        rows = theirs.export_data(["name", "budget_amount"])["datas"]
        self.assertEqual(rows[0][0], "Zebra Secret Industries")
        self.assertFalse(rows[0][1])
        # A mixed export hides only the budget of the customer that is not theirs.
        both = (self.mine | self.theirs).with_user(self.consultant).export_data(["name", "budget_amount"])["datas"]
        self.assertEqual(dict(both), {"Mine Trading Co": 800, "Zebra Secret Industries": 0})
        for user in (self.consultant2, self.supervisor, self.manager):
            with self.subTest(user=user.login):
                self.assertEqual(self.theirs.with_user(user).read(["budget_amount"])[0]["budget_amount"], 50000)
        self.assertEqual(self.mine.with_user(self.consultant).read(["budget_amount"])[0]["budget_amount"], 800)

    def test_r10_1_supervisor_sees_the_customers_of_the_team_they_lead(self):
        Partner = self.env["res.partner"].with_user(self.supervisor)
        found = Partner.search([("name", "in", ["Mine Trading Co", "Zebra Secret Industries", "Zebra Far Away"])])
        self.assertEqual(found, self.mine | self.theirs)
        self.theirs.with_user(self.supervisor).write({"phone": "456"})
        managed = self.env["res.partner"].with_user(self.manager).search([("id", "=", self.outsiders_customer.id)])
        self.assertEqual(managed, self.outsiders_customer)

    def test_r10_1_supervisor_analyses_the_team_sales(self):
        self._order(user=self.consultant2)
        self.env.flush_all()
        Report = self.env["sale.report"]
        domain = [("user_id", "=", self.consultant2.id)]
        self.assertTrue(Report.with_user(self.supervisor).search_count(domain))
        self.assertFalse(Report.with_user(self.consultant).search_count(domain))

    def test_r10_1_new_customer_belongs_to_its_consultant(self):
        with Form(self.env["res.partner"].with_user(self.consultant)) as form:
            form.name = "Fresh Prospect"
        partner = form.save()
        self.assertEqual(partner.user_id, self.consultant)
        self.assertFalse(self.env["res.partner"].with_user(self.consultant2).search([("id", "=", partner.id)]))
        quick = self.env["res.partner"].with_user(self.consultant).name_create("Quick Prospect")
        self.assertEqual(self.env["res.partner"].browse(quick[0]).user_id, self.consultant)
        # Managers create customers for anyone, unassigned by default as in plain Odoo.
        self.assertFalse(self.env["res.partner"].with_user(self.manager).create({"name": "Pool"}).user_id)

    def test_r10_1_consultant_cannot_create_a_customer_for_another(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.consultant).create({"name": "Gift", "user_id": self.consultant2.id})

    def test_r10_1_contacts_follow_their_company_to_a_new_salesperson(self):
        self.mine.with_user(self.manager).write({"user_id": self.consultant2.id})
        self.assertEqual(self.mine_contact.user_id, self.consultant2)
        self.assertFalse(self.env["res.partner"].with_user(self.consultant).search([("id", "=", self.mine_contact.id)]))

    def test_r10_1_consultant_quotes_confirms_invoices_and_mails_own_customer(self):
        """Nothing standard breaks: quotation, confirmation, invoice, message, e-mail, portal link."""
        order = self._order(partner_id=self.mine.id, team_id=self.free_team.id)
        as_consultant = order.with_user(self.consultant)
        self.assertEqual(as_consultant.partner_invoice_id, self.mine)
        as_consultant.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertGreater(as_consultant.margin, 0, "the consultant sees the margin of their own order")
        invoice = as_consultant._create_invoices()
        self.assertEqual(invoice.partner_id, self.mine)
        message = as_consultant.message_post(body="Delivery confirmed with the buyer.", message_type="comment")
        self.assertEqual(message.author_id, self.consultant.partner_id)
        self.assertTrue(as_consultant.get_portal_url())
        # Sending the quotation by e-mail, as from the Send button.
        quotation = self._order(partner_id=self.mine.id, team_id=self.free_team.id).with_user(self.consultant)
        action = quotation.action_quotation_send()
        composer = (
            self.env["mail.compose.message"].with_user(self.consultant).with_context(**action["context"]).create({})
        )
        composer.action_send_mail()
        self.assertEqual(quotation.state, "sent")
        self.assertIn(self.mine, quotation.message_ids.partner_ids)

    def test_r10_1_regulated_order_goes_through_review_as_usual(self):
        order = self._order(partner_id=self.mine.id)
        order._review_tick_manual_items()
        order.with_user(self.consultant).write({"signed_contract": PDF, "signed_contract_filename": "c.pdf"})
        order.with_user(self.supervisor).action_review_pass()
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestSensitiveFields(SalesProcessCase):
    """R10.1 financial data: product costs are hidden from plain consultants; the role decides
    the default, an administrator may change it afterwards."""

    def test_r10_1_product_cost_hidden_from_consultant_only(self):
        product = self.product.with_user(self.consultant)
        with self.assertRaises(AccessError):
            product.read(["standard_price"])
        with self.assertRaises(AccessError):
            product.product_tmpl_id.read(["standard_price"])
        self.assertEqual(self.product.with_user(self.supervisor).read(["standard_price"])[0]["standard_price"], 600)
        plain = new_test_user(self.env, login="scr_cost_plain", groups="base.group_user")
        self.assertEqual(self.product.with_user(plain).read(["standard_price"])[0]["standard_price"], 600)
        # Views still load for the consultant, without the cost.
        for model in ("product.template", "product.product", "sale.order"):
            arch = self.env[model].with_user(self.consultant).get_views([(False, "form"), (False, "list")])
            self.assertNotIn('name="standard_price"', arch["views"]["form"]["arch"], model)
        arch = self.env["product.template"].with_user(self.supervisor).get_views([(False, "form")])
        self.assertIn('name="standard_price"', arch["views"]["form"]["arch"])

    def test_r10_role_defaults_when_a_user_becomes_consultant(self):
        """A user created from the default template has the export right; becoming a
        consultant takes it away and hides costs; an administrator may grant export again."""
        user = self.env["res.users"].create({"name": "New Hire", "login": "scr_new_hire"})
        self.assertTrue(user.has_group("base.group_allow_export"))
        user.write({"groups_id": [Command.link(self.env.ref(f"{MODULE}.group_consultant").id)]})
        self.assertFalse(user.has_group("base.group_allow_export"))
        self.assertTrue(user.has_group(f"{MODULE}.group_hide_product_cost"))
        user.write({"groups_id": [Command.link(self.env.ref("base.group_allow_export").id)]})
        self.assertTrue(user.has_group("base.group_allow_export"), "granted back by an administrator")
        user.write({"groups_id": [Command.link(self.env.ref(f"{MODULE}.group_supervisor").id)]})
        self.assertFalse(user.has_group(f"{MODULE}.group_hide_product_cost"))
        self.assertTrue(user.has_group("base.group_allow_export"))
        # The same from the group's side.
        other = self.env["res.users"].create({"name": "Other Hire", "login": "scr_other_hire"})
        self.env.ref(f"{MODULE}.group_consultant").write({"users": [Command.link(other.id)]})
        self.assertFalse(other.has_group("base.group_allow_export"))
        self.assertTrue(other.has_group(f"{MODULE}.group_hide_product_cost"))
        manager = self.env["res.users"].create(
            {
                "name": "New Manager",
                "login": "scr_new_manager",
                "groups_id": [Command.link(self.env.ref(f"{MODULE}.group_regulation_manager").id)],
            }
        )
        self.assertTrue(manager.has_group("base.group_allow_export"))
        self.assertFalse(manager.has_group(f"{MODULE}.group_hide_product_cost"))
