# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import CustomerCase


@tagged("post_install", "-at_install")
class TestFollowUp(CustomerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.followup_type = cls.env.ref("sales_consultant_regulation.mail_activity_type_customer_followup")

    def _followups(self, partners):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("activity_type_id", "=", self.followup_type.id),
            ]
        )

    def _intentional_customer(self, name, contacted, user=None):
        customer = self._customer(name, user=user)
        self._lead(partner_id=customer.id, user=user)
        customer.sudo().last_contact_date = contacted
        return customer

    def test_r3_5_last_contact_from_messages_calls_and_done_activities(self):
        customer = self._customer()
        contact = self.env["res.partner"].create({"name": "SCR Buyer", "parent_id": customer.id})
        lead = self._lead(partner_id=contact.id)
        with freeze_time("2026-05-04 09:30:00"):
            lead.with_user(self.consultant).message_post(
                body="Called the buyer", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        self.assertEqual(customer.last_contact_date, datetime(2026, 5, 4, 9, 30))
        # A system note is no contact; an older message does not move the date back.
        with freeze_time("2026-05-10 09:30:00"):
            customer.message_post(
                body="Automatic",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                author_id=self.env.ref("base.partner_root").id,
            )
        with freeze_time("2026-05-01 09:30:00"):
            customer.with_user(self.consultant).message_post(
                body="Late log", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        self.assertEqual(customer.last_contact_date, datetime(2026, 5, 4, 9, 30))
        # A call done (an activity marked done) on the customer.
        activity = customer.with_user(self.consultant).activity_schedule(
            "mail.mail_activity_data_call", user_id=self.consultant.id
        )
        with freeze_time("2026-05-12 15:00:00"):
            activity.with_user(self.consultant).action_feedback(feedback="Agreed a visit")
        self.assertEqual(customer.last_contact_date, datetime(2026, 5, 12, 15, 0))
        self.assertEqual(str(customer.next_followup_date), "2026-05-26", "intentional: every 14 days")
        # The cron's own refresh finds the same date from the messages.
        customer.sudo().last_contact_date = False
        customer._regulation_refresh_last_contact()
        self.assertEqual(customer.last_contact_date, datetime(2026, 5, 12, 15, 0))

    def test_r3_5_cron_one_follow_up_per_due_customer_idempotent(self):
        due = [self._intentional_customer(f"SCR Due {i}", datetime(2026, 3, 1, 9, 0)) for i in range(3)]
        due_other = self._intentional_customer("SCR Due Other", datetime(2026, 3, 1, 9, 0), user=self.consultant2)
        recent = self._intentional_customer("SCR Recent", datetime(2026, 3, 20, 9, 0))
        plain_user = new_test_user(self.env, login="scr_plain_salesman", groups="sales_team.group_sale_salesman")
        outside = self._customer("SCR Outside Scope", user=plain_user)
        self.env["crm.lead"].create({"name": "Plain lead", "type": "opportunity", "partner_id": outside.id})
        outside.sudo().last_contact_date = datetime(2026, 1, 1)
        due_all = self.env["res.partner"].browse([p.id for p in due]) | due_other

        with freeze_time("2026-03-22 06:00:00"):
            created = self.env["res.partner"]._cron_followup_activities(batch_size=2)
        self.assertEqual(created, 4)
        activities = self._followups(due_all | recent | outside)
        self.assertEqual(len(activities), 4)
        self.assertEqual(set(activities.mapped("res_id")), set(due_all.ids))
        other = activities.filtered(lambda a: a.res_id == due_other.id)
        self.assertEqual(other.user_id, self.consultant2)
        self.assertEqual(str(other.date_deadline), "2026-03-15")
        self.assertIn("R4.2", due_other.class_strategy, "the class strategy shows on the customer's file")

        # Twice: nothing more.
        with freeze_time("2026-03-22 06:00:00"):
            self.assertEqual(self.env["res.partner"]._cron_followup_activities(batch_size=2), 0)
        self.assertEqual(len(self._followups(due_all | recent | outside)), 4)

        # The consultant follows up: the customer is no longer due until the next interval.
        first = due[0]
        activity = activities.filtered(lambda a: a.res_id == first.id)
        with freeze_time("2026-03-23 10:00:00"):
            activity.with_user(self.consultant).action_feedback(feedback="Visited")
            self.assertEqual(self.env["res.partner"]._cron_followup_activities(), 0)
        self.assertEqual(str(first.next_followup_date), "2026-04-06")
        with freeze_time("2026-04-06 06:00:00"):
            created = self.env["res.partner"]._cron_followup_activities()
        self.assertEqual(created, 2, "the first customer again, and the recent one now due")
        self.assertEqual(len(self._followups(first)), 1)

    def test_r3_5_cron_refreshes_last_contact_before_scheduling(self):
        """A message the hook did not see (e.g. written to the database by another path) still
        counts: the batch refreshes the dates before deciding who is due."""
        customer = self._intentional_customer("SCR Quiet", datetime(2026, 3, 1, 9, 0))
        with freeze_time("2026-03-20 10:00:00"):
            customer.with_user(self.consultant).message_post(
                body="Met at the fair", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        customer.sudo().last_contact_date = datetime(2026, 3, 1, 9, 0)
        with freeze_time("2026-03-22 06:00:00"):
            self.assertEqual(self.env["res.partner"]._cron_followup_activities(), 0)
        self.assertEqual(customer.last_contact_date, datetime(2026, 3, 20, 10, 0))

    def test_r3_5_cron_uses_class_activity_type(self):
        meeting = self.env.ref("mail.mail_activity_data_meeting")
        self.classes["intentional"].activity_type_id = meeting
        customer = self._intentional_customer("SCR Meeting", datetime(2026, 3, 1, 9, 0))
        with freeze_time("2026-03-22 06:00:00"):
            self.env["res.partner"]._cron_followup_activities()
            self.env["res.partner"]._cron_followup_activities()
        activities = self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", customer.id)])
        self.assertEqual(activities.activity_type_id, meeting)
        self.assertEqual(len(activities), 1)
