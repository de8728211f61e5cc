# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SalesProcessCase

MODULE = "sales_consultant_regulation"


@tagged("post_install", "-at_install")
class TestHandover(SalesProcessCase):
    """R10.2: a leaving consultant's work moves to another consultant, their access is
    archived, and the hand-over records what moved, when and by whom."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.leaving = cls.consultant2
        cls.customer_left = env["res.partner"].create(
            {"name": "Left Behind Ltd", "is_company": True, "user_id": cls.leaving.id}
        )
        cls.contact_left = env["res.partner"].create({"name": "Left Buyer", "parent_id": cls.customer_left.id})
        cls.archived_customer = env["res.partner"].create(
            {"name": "Dormant Ltd", "user_id": cls.leaving.id, "active": False}
        )
        # Records made by the leaving consultant, read back as the test's superuser.
        cls.open_lead = cls._lead(cls, user=cls.leaving, name="Open deal", partner_id=cls.customer_left.id).with_env(
            env
        )
        cls.open_lead.message_subscribe(partner_ids=cls.leaving.partner_id.ids)
        cls.quotation = cls._order(cls, user=cls.leaving, partner_id=cls.customer_left.id).with_env(env)
        cls.confirmed = cls._order(
            cls, user=cls.leaving, partner_id=cls.customer_left.id, team_id=cls.free_team.id
        ).with_env(env)
        cls.confirmed.action_confirm()
        cls.activity = cls.open_lead.activity_schedule(
            "mail.mail_activity_data_todo", summary="Call back", user_id=cls.leaving.id
        )
        Document = env["sale.confidential.document"]
        cls.document = Document.create({"name": "Leaver's notes", "owner_id": cls.leaving.id})
        cls.shared_document = Document.create(
            {"name": "Shared notes", "owner_id": cls.manager.id, "allowed_user_ids": [Command.link(cls.leaving.id)]}
        )
        cls.someone_elses = env["res.partner"].create({"name": "Stays Put", "user_id": cls.consultant.id})
        Complaint = env["crm.customer.complaint"]
        cls.open_complaint = Complaint.create(
            {"subject": "Wrong colour", "partner_id": cls.customer_left.id, "user_id": cls.leaving.id}
        )
        cls.closed_complaint = Complaint.create(
            {"subject": "Late invoice", "partner_id": cls.customer_left.id, "user_id": cls.leaving.id}
        )
        cls.closed_complaint.action_start()
        cls.closed_complaint.write({"resolution": "<p>Credit note sent</p>", "customer_confirmed": True})
        cls.closed_complaint.action_resolve()
        cls.closed_complaint.action_close()

    def _handover(self, **vals):
        return (
            self.env["sale.regulation.handover"]
            .with_user(self.manager)
            .create({"leaving_user_id": self.leaving.id, "target_user_id": self.consultant.id, **vals})
        )

    def test_r10_2_preview_then_hand_over(self):
        handover = self._handover(note="Moves to the Tainan branch.")
        self.assertEqual(
            (handover.partner_count, handover.lead_count, handover.order_count, handover.activity_count),
            (3, 1, 1, 1),
        )
        self.assertEqual(handover.document_count, 1)
        self.assertEqual(handover.complaint_count, 1, "only the complaint still open moves")
        handover.action_hand_over()
        # What moved, when, by whom.
        self.assertEqual(handover.state, "done")
        self.assertEqual(handover.done_by_id, self.manager)
        self.assertTrue(handover.date)
        self.assertEqual(
            handover.with_context(active_test=False).partner_ids,
            self.customer_left | self.contact_left | self.archived_customer,
        )
        self.assertEqual(handover.lead_ids, self.open_lead)
        self.assertEqual(handover.order_ids, self.quotation)
        self.assertEqual(handover.document_ids, self.document)
        self.assertEqual(handover.complaint_ids, self.open_complaint)
        self.assertEqual(self.open_complaint.user_id, self.consultant, "its deadlines are the new consultant's")
        self.assertEqual(self.closed_complaint.user_id, self.leaving, "a closed complaint stays in the leaver's record")
        self.assertEqual(handover.moved_activity_count, 1)
        self.assertIn("Handed over from", handover.message_ids[0].body)
        # The records are the new consultant's.
        self.assertEqual((self.customer_left | self.contact_left | self.archived_customer).user_id, self.consultant)
        self.assertEqual(self.open_lead.user_id, self.consultant)
        self.assertEqual(self.open_lead.team_id, self.team, "the lead stays in its team")
        self.assertEqual(self.quotation.user_id, self.consultant)
        self.assertEqual(self.activity.user_id, self.consultant)
        self.assertEqual(self.document.owner_id, self.consultant)
        self.assertNotIn(self.leaving, self.shared_document.allowed_user_ids)
        self.assertEqual(self.someone_elses.user_id, self.consultant)
        # Closed deals keep their salesperson (appraisal and incentives of the past).
        self.assertEqual(self.confirmed.user_id, self.leaving)
        # The leaving user no longer follows the customers' records, and is archived.
        self.assertNotIn(self.leaving.partner_id, self.open_lead.message_partner_ids)
        self.assertFalse(self.leaving.active)
        self.assertFalse(self.env["crm.team.member"].search([("user_id", "=", self.leaving.id)]))
        # The new consultant sees what they were given.
        found = (
            self.env["res.partner"]
            .with_user(self.consultant)
            .search([("name", "in", ["Left Behind Ltd", "Left Buyer"])])
        )
        self.assertEqual(len(found), 2)
        self.assertIn("Handed over", self.customer_left.message_ids[0].body)
        with self.assertRaises(UserError):
            handover.unlink()

    def test_r10_2_include_closed_deals_and_keep_user(self):
        handover = self._handover(include_closed=True, archive_user=False)
        handover.action_hand_over()
        self.assertEqual(handover.order_ids, self.quotation | self.confirmed)
        self.assertEqual(self.confirmed.user_id, self.consultant)
        self.assertTrue(self.leaving.active)

    def test_r10_2_only_managers_hand_over(self):
        with self.assertRaises(AccessError):
            self.env["sale.regulation.handover"].with_user(self.supervisor).create(
                {"leaving_user_id": self.leaving.id, "target_user_id": self.consultant.id}
            )
        handover = self._handover()
        with self.assertRaises(AccessError):
            handover.with_user(self.supervisor).action_hand_over()
        self.assertEqual(handover.state, "draft")
        self.assertEqual(self.open_lead.user_id, self.leaving)

    def test_r10_2_hand_over_guards(self):
        with self.assertRaises(UserError):
            self._handover(target_user_id=self.leaving.id).action_hand_over()
        with self.assertRaises(UserError):
            self._handover(leaving_user_id=self.manager.id).action_hand_over()
        plain = new_test_user(self.env, login="scr_handover_plain", groups="base.group_user")
        with self.assertRaises(UserError):
            self._handover(target_user_id=plain.id).action_hand_over()
        admin = new_test_user(
            self.env, login="scr_handover_admin", groups=f"base.group_erp_manager,{MODULE}.group_consultant"
        )
        with self.assertRaises(UserError):
            self._handover(leaving_user_id=admin.id).action_hand_over()
        done = self._handover()
        done.action_hand_over()
        with self.assertRaises(UserError):
            done.action_hand_over()
