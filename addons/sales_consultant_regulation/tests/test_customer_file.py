# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerCase

MODULE = "sales_consultant_regulation"


@tagged("post_install", "-at_install")
class TestCustomerFile(CustomerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.online = ref(f"{MODULE}.utm_medium_channel_online")
        cls.offline = ref(f"{MODULE}.utm_medium_channel_offline")
        cls.referral = ref(f"{MODULE}.utm_medium_channel_referral")
        cls.partner_intro = ref(f"{MODULE}.utm_medium_channel_partner")
        cls.trade_show = ref(f"{MODULE}.utm_source_trade_show")
        cls.field = {
            name: cls.env["ir.model.fields"]._get("res.partner", name)
            for name in ("email", "phone", "medium_id", "budget_amount")
        }

    def _filter_domain(self, view_xmlid, name, user):
        arch = etree.fromstring(self.env.ref(view_xmlid).arch)
        node = arch.xpath(f"//filter[@name='{name}']")[0]
        return safe_eval(node.get("domain"), {"uid": user.id})

    # ------------------------------------------------------------------ R3.1 channels

    def test_r3_1_channels_shipped_on_utm(self):
        self.assertEqual(
            {m.channel_type for m in (self.online | self.offline | self.referral | self.partner_intro)},
            {"online", "offline", "referral", "partner"},
        )
        online_sources = self.env["utm.source"].search([("channel_medium_id", "=", self.online.id)])
        self.assertIn(self.env.ref("utm.utm_source_search_engine"), online_sources)
        self.assertEqual(len(online_sources), 4, "website, social media, industry forum, search engine")
        offline_sources = self.env["utm.source"].search([("channel_medium_id", "=", self.offline.id)])
        self.assertEqual(len(offline_sources), 5, "trade show, seminar, business event, visit, leaflet")

    def test_r3_1_referral_names_the_referring_customer(self):
        referrer = self._customer("SCR Referrer")
        with self.assertRaises(ValidationError) as ctx:
            self._lead(medium_id=self.referral.id)
        self.assertIn("R3.1", str(ctx.exception))
        lead = self._lead(medium_id=self.referral.id, referral_partner_id=referrer.id)
        self.assertEqual(lead.channel_type, "referral")
        with self.assertRaises(ValidationError):
            self._customer("SCR Introduced", medium_id=self.partner_intro.id)
        introduced = self._customer(
            "SCR Introduced", medium_id=self.partner_intro.id, introducing_partner_id=referrer.id
        )
        self.assertEqual(introduced.channel_type, "partner")

    def test_r3_1_source_fills_in_the_channel(self):
        with Form(self.env["crm.lead"].with_user(self.consultant)) as form:
            form.name = "SCR From the fair"
            form.source_id = self.trade_show
            self.assertEqual(form.medium_id, self.offline)
        with Form(self.env["res.partner"].with_user(self.consultant)) as form:
            form.name = "SCR Fair Visitor"
            form.source_id = self.trade_show
            self.assertEqual(form.medium_id, self.offline)

    def test_r3_1_pipeline_and_won_revenue_by_channel(self):
        fair = self._customer("SCR Fair Co", medium_id=self.offline.id, source_id=self.trade_show.id)
        web = self._customer("SCR Web Co", medium_id=self.online.id)
        self._lead(partner_id=fair.id, medium_id=self.offline.id, expected_revenue=3000)
        self._lead(partner_id=web.id, medium_id=self.online.id, expected_revenue=1000)
        # An order without a lead takes its customer's channel.
        order = self._order(partner_id=fair.id)
        self.assertEqual(order.medium_id, self.offline)
        self.assertEqual(order.source_id, self.trade_show)
        self._confirm(order)
        pipeline = dict(
            self.env["crm.lead"]._read_group(
                [("partner_id", "in", (fair | web).ids)], ["medium_id"], ["expected_revenue:sum"]
            )
        )
        self.assertEqual(pipeline, {self.offline: 3000, self.online: 1000})
        self.env.flush_all()
        won = dict(
            self.env["sale.report"]._read_group(
                [("partner_id", "in", (fair | web).ids), ("state", "=", "sale")], ["medium_id"], ["price_subtotal:sum"]
            )
        )
        self.assertEqual(won, {self.offline: 2000.0})
        action = self.env.ref(f"{MODULE}.sale_report_action_channel_analysis")
        self.assertIn("medium_id", action.context)
        # An unregulated order keeps plain Odoo's empty channel.
        plain = self.env["sale.order"].create({"partner_id": fair.id, "team_id": self.free_team.id})
        self.assertFalse(plain.medium_id)

    # ------------------------------------------------------------------ R3.2 carried to the customer

    def test_r3_2_converted_lead_fills_customer_file_without_overwriting(self):
        customer = self._customer("SCR Convert Co", need_description="Existing need")
        desk = self.product.product_tmpl_id
        lead = self._lead(
            type="lead",
            partner_id=False,
            name="SCR Inbound",
            medium_id=self.offline.id,
            source_id=self.trade_show.id,
            business_scope="Coworking spaces",
            need_description="Forty desks",
            budget_amount=5000,
            decision_process="The board decides",
            product_interest_ids=[Command.set(desk.ids)],
        )
        wizard = (
            self.env["crm.lead2opportunity.partner"]
            .with_user(self.consultant)
            .with_context(active_model="crm.lead", active_id=lead.id, active_ids=lead.ids)
            .create({"name": "convert", "action": "exist", "partner_id": customer.id})
        )
        wizard.action_apply()
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id, customer)
        self.assertEqual(customer.need_description, "Existing need", "never overwritten")
        self.assertEqual(customer.budget_amount, 5000)
        self.assertEqual(customer.business_scope, "Coworking spaces")
        self.assertEqual(customer.decision_process, "The board decides")
        self.assertEqual(customer.medium_id, self.offline)
        self.assertEqual(customer.source_id, self.trade_show)
        self.assertEqual(customer.product_interest_ids, desk)
        note = customer.message_ids.filtered(lambda m: "Forty desks" in str(m.body))
        self.assertEqual(len(note), 1, "the differing value is shown to the consultant, not silently dropped")
        self.assertIn("Needs", str(note.body))

    def test_r3_2_won_lead_fills_customer_file(self):
        # A regulated team on the shared stages (no checklist): winning is one write.
        team = self.env["crm.team"].create({"name": "SCR Light Team", "regulation_enabled": True})
        customer = self._customer("SCR Won Co")
        won_stage = self.env["crm.stage"].search([("is_won", "=", True), ("team_id", "=", False)], limit=1)
        lead = self._lead(
            partner_id=customer.id, team_id=team.id, decision_date="2026-06-30", purchase_timing="2026-07-15"
        )
        self.assertFalse(customer.decision_date, "an open opportunity does not write the file")
        lead.with_user(self.consultant).write({"stage_id": won_stage.id})
        self.assertEqual(str(customer.decision_date), "2026-06-30")
        self.assertEqual(str(customer.purchase_timing), "2026-07-15")
        # Unregulated teams: plain Odoo, nothing carried.
        plain_customer = self._customer("SCR Plain Co")
        plain = self.env["crm.lead"].create(
            {
                "name": "Plain",
                "type": "opportunity",
                "partner_id": plain_customer.id,
                "team_id": self.free_team.id,
                "need_description": "Chairs",
            }
        )
        plain.action_set_won()
        self.assertFalse(plain_customer.need_description)

    # ------------------------------------------------------------------ R3.3 completeness, staleness

    def test_r3_3_completeness_and_missing_fields_by_class(self):
        potential = self.classes["potential"]
        potential.partner_field_ids = [
            Command.set([self.field["email"].id, self.field["phone"].id, self.field["medium_id"].id])
        ]
        customer = self._customer("SCR File Co")
        self._lead(type="lead", partner_id=customer.id)
        self.assertEqual(customer.customer_class_id, potential)
        self.assertAlmostEqual(customer.file_completeness, 33.3)
        self.assertEqual(customer.file_missing_field_ids, self.field["phone"] | self.field["medium_id"])
        customer.with_user(self.consultant).write({"phone": "+886 2 1234 5678", "medium_id": self.online.id})
        self.assertEqual(customer.file_completeness, 100.0)
        self.assertFalse(customer.file_missing_field_ids)
        # Moving up a class asks for more: the intentional class wants a budget.
        self.classes["intentional"].partner_field_ids = [
            Command.set([self.field["email"].id, self.field["budget_amount"].id])
        ]
        customer.regulation_lead_ids.with_user(self.consultant).convert_opportunity(customer)
        self.assertEqual(customer.customer_class_id, self.classes["intentional"])
        self.assertEqual(customer.file_completeness, 50.0)
        Partner = self.env["res.partner"].with_user(self.consultant)
        self.assertIn(customer, Partner.search([("file_completeness", "<", 100)]))
        self.assertIn(customer, Partner.search([("file_missing_field_ids", "=", self.field["budget_amount"].id)]))
        # The consultant reads the missing fields' names.
        self.assertEqual(
            customer.with_user(self.consultant).file_missing_field_ids.mapped("field_description"), ["Budget"]
        )

    def test_r3_3_lead_completeness(self):
        lead = self._lead(type="lead", phone=False, partner_id=False)
        self.assertEqual(lead.lead_class_id, self.classes["potential"])
        missing = set(lead.file_missing_field_ids.mapped("name"))
        self.assertEqual(missing, {"phone", "medium_id"})
        self.assertAlmostEqual(lead.file_completeness, 33.3)
        lead.with_user(self.consultant).write({"phone": "0912345678", "medium_id": self.online.id})
        self.assertEqual(lead.file_completeness, 100.0)
        self.assertNotIn(
            lead,
            self.env["crm.lead"].search(
                self._filter_domain(
                    "sales_consultant_regulation.crm_lead_view_search", "my_incomplete_files", self.consultant
                )
            ),
        )

    def test_r3_3_stale_files_flagged_and_reviewed(self):
        self.company.regulation_file_stale_days = 30
        customer = self._customer("SCR Stale Co")
        self._lead(type="lead", partner_id=customer.id)
        with freeze_time("2026-01-10"):
            customer.with_user(self.consultant).action_file_reviewed()
        self.assertEqual(str(customer.file_reviewed_date), "2026-01-10")
        self.assertEqual(customer.file_reviewed_user_id, self.consultant)
        Partner = self.env["res.partner"].with_user(self.consultant)
        with freeze_time("2026-02-08"):
            customer.invalidate_recordset(["file_stale"])
            self.assertFalse(customer.file_stale)
            self.assertNotIn(customer, Partner.search([("file_stale", "=", True)]))
        with freeze_time("2026-02-09"):
            customer.invalidate_recordset(["file_stale"])
            self.assertTrue(customer.file_stale)
            self.assertIn(customer, Partner.search([("file_stale", "=", True)]))
            domain = self._filter_domain(
                "sales_consultant_regulation.res_partner_view_search", "my_incomplete_stale_files", self.consultant
            )
            self.assertIn(customer, Partner.search(domain))
            self.assertNotIn(
                customer,
                self.env["res.partner"]
                .with_user(self.consultant2)
                .search(
                    self._filter_domain(
                        "sales_consultant_regulation.res_partner_view_search",
                        "my_incomplete_stale_files",
                        self.consultant2,
                    )
                ),
                "another consultant's file is not in my filter",
            )
            # Updating the file reviews it.
            customer.with_user(self.consultant).write({"business_scope": "Wholesale"})
            customer.invalidate_recordset(["file_stale"])
            self.assertFalse(customer.file_stale)
        # The supervisor's team view lists the consultants' customers.
        team_domain = self._filter_domain(
            "sales_consultant_regulation.res_partner_view_search", "my_team_files", self.supervisor
        )
        self.assertIn(customer, self.env["res.partner"].with_user(self.supervisor).search(team_domain))
        self.company.regulation_file_stale_days = 0
        customer.invalidate_recordset(["file_stale"])
        with freeze_time("2027-01-01"):
            self.assertFalse(customer.file_stale)

    def test_r3_3_forms_open_for_consultants_and_plain_users(self):
        """The file tabs read what each user may read: a consultant the missing fields' names,
        a salesman outside the regulation's groups the plain Odoo forms."""
        customer = self._customer("SCR Form Co")
        lead = self._lead(partner_id=customer.id)
        with Form(customer.with_user(self.consultant)) as form:
            form.business_scope = "Hotels"
            self.assertTrue(form.file_missing_field_ids)
        self.assertEqual(customer.business_scope, "Hotels")
        plain_user = new_test_user(
            self.env,
            login="scr_plain_form",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
        )
        with Form(customer.with_user(plain_user)) as form:
            form.phone = "+886 2 0000 0000"
        with Form(lead.with_user(plain_user)) as form:
            form.expected_revenue = 1234
        self.assertEqual(lead.expected_revenue, 1234)
