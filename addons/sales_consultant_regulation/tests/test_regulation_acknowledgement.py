# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command
from odoo.addons.sales_consultant_regulation.models import regulation_day
from odoo.exceptions import AccessError, RedirectWarning, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RegulationCase, SalesProcessCase

MODULE = "sales_consultant_regulation"
CLAUSES = [
    *(f"R1.{i}" for i in range(1, 4)),
    *(f"R2.{i}" for i in range(1, 6)),
    *(f"R3.{i}" for i in range(1, 6)),
    *(f"R4.{i}" for i in range(1, 9)),
    *(f"R5.{i}" for i in range(1, 5)),
    *(f"R6.{i}" for i in range(1, 5)),
    *(f"R7.{i}" for i in range(1, 3)),
    *(f"R8.{i}" for i in range(1, 5)),
    *(f"R9.{i}" for i in range(1, 5)),
    *(f"R10.{i}" for i in range(1, 3)),
]


@tagged("post_install", "-at_install")
class TestRegulationData(SalesProcessCase):
    def test_r1_regulation_shipped_with_every_clause_and_its_mechanism(self):
        regulation = self.env.ref(f"{MODULE}.sale_regulation_1_0")
        self.assertEqual(regulation.state, "published")
        self.assertEqual(regulation.version, "1.0")
        self.assertEqual(regulation.clause_ids.mapped("code"), CLAUSES)
        self.assertTrue(all(regulation.clause_ids.mapped("mechanism")), "every clause names its mechanism")
        self.assertTrue(all(regulation.clause_ids.mapped("text")))
        kinds = {clause.code: clause.rule_type for clause in regulation.clause_ids}
        for code in ("R4.1", "R4.6", "R9.4", "R10.1", "R10.2"):
            self.assertEqual(kinds[code], "hard", code)
        self.assertEqual(kinds["R9.2"], "soft")
        r10_2 = regulation.clause_ids.filtered(lambda c: c.code == "R10.2")
        self.assertEqual(r10_2.display_name, "R10.2 Confidentiality measures")
        self.assertIn("hand-over", r10_2.mechanism)

    def test_r1_3_consultants_read_published_versions_only(self):
        draft = self.env["sale.regulation"].create(
            {"name": "Next", "version": "9.9", "clause_ids": [Command.create({"code": "R1.1", "name": "Purpose"})]}
        )
        Regulation = self.env["sale.regulation"].with_user(self.consultant)
        self.assertNotIn(draft, Regulation.search([]))
        self.assertIn(self.regulation, Regulation.search([]))
        self.assertFalse(
            self.env["sale.regulation.clause"].with_user(self.consultant).search([("regulation_id", "=", draft.id)])
        )
        with self.assertRaises(AccessError):
            self.regulation.with_user(self.consultant).write({"version": "forged"})

    def test_r1_3_version_unique(self):
        with self.assertRaises(ValidationError):
            self.regulation.copy({"version": self.regulation.version})


@tagged("post_install", "-at_install")
class TestAcknowledgementGate(SalesProcessCase):
    """R1.3, R10: a consultant who has not acknowledged the version in force cannot create or
    change customers, leads or orders until they acknowledge it, in one step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_customer = cls.env["res.partner"].create({"name": "Gate Customer", "user_id": cls.consultant.id})
        cls.lead = cls._lead(cls, name="Gate Lead")
        cls.order = cls._order(cls)
        # A new version in force since yesterday: everyone must acknowledge it again.
        cls.new_version = cls._publish_version(cls, "2.0", regulation_day.today(cls.env) - timedelta(days=1))

    def _publish_version(self, version, effective_date):
        regulation = (
            self.env["sale.regulation"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Sales Consultant Work Management Regulation",
                    "version": version,
                    "effective_date": effective_date,
                    "company_id": False,
                    "clause_ids": [Command.create({"code": "R1.3", "name": "Principles", "text": "Customer first."})],
                }
            )
        )
        regulation.action_publish()
        return regulation

    def _assert_gated(self, call):
        with self.assertRaises(RedirectWarning) as ctx:
            call()
        message = str(ctx.exception.args[0])
        self.assertIn("version 2.0", message)
        self.assertIn("Acknowledge the Regulation", message)
        self.assertEqual(ctx.exception.args[1], self.env.ref(f"{MODULE}.sale_regulation_action_acknowledge").id)

    def test_r1_3_new_version_is_current_and_asks_everyone_again(self):
        self.assertEqual(self.env["sale.regulation"]._current(), self.new_version)
        self.assertTrue(self.new_version.is_current)
        self.assertIn(self.consultant, self.new_version.pending_user_ids)
        self.assertIn(self.supervisor, self.new_version.pending_user_ids)
        self.assertNotIn(self.manager, self.new_version.pending_user_ids)
        activity = self.new_version.activity_ids.filtered(lambda a: a.user_id == self.consultant)
        self.assertEqual(len(activity), 1, "publishing asked the consultant to acknowledge")
        self.assertFalse(self.new_version.with_user(self.consultant).acknowledged)

    def test_r1_3_unacknowledged_consultant_cannot_change_customers_leads_orders(self):
        consultant = self.consultant
        self._assert_gated(lambda: self.env["res.partner"].with_user(consultant).create({"name": "New"}))
        self._assert_gated(lambda: self.own_customer.with_user(consultant).write({"phone": "1"}))
        self._assert_gated(lambda: self.env["crm.lead"].with_user(consultant).create({"name": "New lead"}))
        self._assert_gated(lambda: self.lead.with_user(consultant).write({"expected_revenue": 10}))
        self._assert_gated(self._order)
        self._assert_gated(lambda: self.order.with_user(consultant).write({"note": "x"}))
        self._assert_gated(lambda: self.order.order_line.with_user(consultant).write({"product_uom_qty": 5}))
        # Supervisors are consultants too.
        self._assert_gated(lambda: self.lead.with_user(self.supervisor).write({"expected_revenue": 10}))
        self.assertEqual(self.own_customer.phone, False)

    def test_r1_3_gate_holds_on_import(self):
        result = self.env["res.partner"].with_user(self.consultant).load(["name"], [["Imported Customer"]])
        self.assertFalse(any(result["ids"] or []))
        self.assertIn("version 2.0", " ".join(m["message"] for m in result["messages"]))

    def test_r1_3_what_the_gate_leaves_alone(self):
        """Reading, messages, one's own contact card, managers, users outside the regulation
        and Odoo's own work in sudo are not gated."""
        lead = self.lead.with_user(self.consultant)
        self.assertEqual(lead.read(["name"])[0]["name"], "Gate Lead")
        lead.message_post(body="Called the customer.", message_type="comment")
        # A message on the customer and an activity done on a lead of the customer still count
        # as contacts (R3.5) without being a change the gate refuses.
        self.own_customer.with_user(self.consultant).message_post(body="Visited.", message_type="comment")
        admin_lead = self.lead.with_env(self.env)
        admin_lead.partner_id = self.own_customer
        activity = admin_lead.activity_schedule("mail.mail_activity_data_call", user_id=self.consultant.id)
        activity.with_user(self.consultant).action_feedback(feedback="Reached the buyer.")
        self.assertTrue(self.own_customer.last_contact_date)
        self.consultant.partner_id.with_user(self.consultant).write({"phone": "+886 2 1234"})
        self.lead.with_user(self.manager).write({"expected_revenue": 20})
        self.lead.with_user(self.consultant).sudo().write({"expected_revenue": 30})
        self.assertEqual(self.lead.expected_revenue, 30)
        salesman = new_test_user(self.env, login="scr_gate_plain", groups="sales_team.group_sale_salesman")
        self.env["crm.lead"].with_user(salesman).create({"name": "Plain Odoo lead"})

    def test_r1_3_acknowledge_in_one_step_then_work(self):
        self.new_version.with_user(self.consultant).action_acknowledge()
        ack = self.env["sale.regulation.acknowledgement"].search(
            [("regulation_id", "=", self.new_version.id), ("user_id", "=", self.consultant.id)]
        )
        self.assertEqual(len(ack), 1)
        self.assertTrue(self.new_version.with_user(self.consultant).acknowledged)
        self.assertFalse(self.new_version.activity_ids.filtered(lambda a: a.user_id == self.consultant))
        self.lead.with_user(self.consultant).write({"expected_revenue": 10})
        self.assertEqual(self.lead.expected_revenue, 10)
        # Acknowledging twice keeps one record.
        self.new_version.with_user(self.consultant).action_acknowledge()
        self.assertEqual(self.new_version.acknowledgement_count, 1)
        # The menu opens the version in force.
        action = self.env["sale.regulation"].with_user(self.consultant).action_open_current()
        self.assertEqual(action["res_id"], self.new_version.id)

    def test_r1_3_a_version_not_yet_in_force_does_not_gate(self):
        self.new_version.with_user(self.consultant).action_acknowledge()
        future = self._publish_version("3.0", regulation_day.today(self.env) + timedelta(days=7))
        self.assertEqual(self.env["sale.regulation"]._current(), self.new_version)
        self.lead.with_user(self.consultant).write({"expected_revenue": 11})
        # Consultants may acknowledge it in advance.
        future.with_user(self.consultant).action_acknowledge()
        self.assertTrue(future.with_user(self.consultant).acknowledged)

    def test_r1_3_acknowledgements_cannot_be_forged(self):
        Ack = self.env["sale.regulation.acknowledgement"].with_user(self.consultant)
        with self.assertRaises(AccessError):
            Ack.create({"regulation_id": self.new_version.id, "user_id": self.consultant.id})
        self.new_version.with_user(self.consultant2).action_acknowledge()
        self.assertFalse(Ack.search([("user_id", "=", self.consultant2.id)]), "a colleague's acknowledgement")
        supervisor_view = self.env["sale.regulation.acknowledgement"].with_user(self.supervisor)
        self.assertTrue(supervisor_view.search([("user_id", "=", self.consultant2.id)]), "the supervisor sees the team")
        draft = self.env["sale.regulation"].create(
            {"name": "Draft", "version": "0.1", "clause_ids": [Command.create({"code": "R1.1", "name": "P"})]}
        )
        with self.assertRaises(UserError):
            draft.action_acknowledge()

    def test_r1_3_new_version_copies_clauses(self):
        action = self.new_version.with_user(self.manager).action_new_version()
        copy = self.env["sale.regulation"].browse(action["res_id"])
        self.assertEqual(copy.version, "2.1")
        self.assertEqual(copy.state, "draft")
        self.assertEqual(copy.clause_ids.mapped("code"), ["R1.3"])
        with self.assertRaises(AccessError):
            self.new_version.with_user(self.consultant).action_new_version()


@tagged("post_install", "-at_install")
class TestAcknowledgementLogin(RegulationCase, HttpCase):
    def test_r1_3_unacknowledged_consultant_still_logs_in(self):
        """The gate blocks changes, never the login nor the web client."""
        regulation = self.env["sale.regulation"].create(
            {
                "name": "Sales Consultant Work Management Regulation",
                "version": "login-1",
                "effective_date": regulation_day.today(self.env),
                "clause_ids": [Command.create({"code": "R1.3", "name": "Principles"})],
            }
        )
        regulation.action_publish()
        self.assertEqual(self.env["sale.regulation"]._current(), regulation)
        self.env.flush_all()
        self.authenticate("scr_consultant", "scr_consultant")
        self.assertEqual(self.url_open("/odoo").status_code, 200)
        # The one-step acknowledgement, as the form's button calls it.
        self.make_jsonrpc_request(
            "/web/dataset/call_button",
            {"model": "sale.regulation", "method": "action_acknowledge", "args": [[regulation.id]], "kwargs": {}},
        )
        self.assertTrue(regulation.with_user(self.consultant).acknowledged)
