# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CustomerCase

MODULE = "sales_consultant_regulation"


@tagged("post_install", "-at_install")
class TestComplaints(CustomerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "regulation_complaint_response_hours_normal": 24.0,
                "regulation_complaint_resolution_hours_normal": 120.0,
                "regulation_complaint_response_hours_high": 8.0,
                "regulation_complaint_resolution_hours_high": 48.0,
            }
        )
        cls.other_supervisor = new_test_user(
            cls.env, login="scr_other_supervisor", groups=f"base.group_user,{MODULE}.group_supervisor"
        )
        cls.other_consultant = new_test_user(
            cls.env, login="scr_other_consultant", groups=f"base.group_user,{MODULE}.group_consultant"
        )
        cls.other_team = cls.env["crm.team"].create(
            {
                "name": "SCR Other Team",
                "user_id": cls.other_supervisor.id,
                "regulation_enabled": True,
                "crm_team_member_ids": [Command.create({"user_id": cls.other_consultant.id})],
            }
        )

    def _complaint(self, user=None, **vals):
        user = user or self.consultant
        values = {"subject": "Scratched desk", "partner_id": self.customer.id, "severity": "high"}
        values.update(vals)
        return self.env["crm.customer.complaint"].with_user(user).create(values)

    def test_r3_5_deadlines_from_hours_per_severity(self):
        with freeze_time("2026-05-04 09:00:00"):
            complaint = self._complaint()
        self.assertTrue(complaint.name.startswith("CMP/"))
        self.assertEqual(complaint.user_id, self.consultant)
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.supervisor_id, self.supervisor)
        self.assertEqual(complaint.reported_date, datetime(2026, 5, 4, 9, 0))
        self.assertEqual(complaint.response_deadline, datetime(2026, 5, 4, 17, 0))
        self.assertEqual(complaint.resolution_deadline, datetime(2026, 5, 6, 9, 0))
        complaint.with_user(self.consultant).severity = "normal"
        self.assertEqual(complaint.response_deadline, datetime(2026, 5, 5, 9, 0))
        self.assertEqual(complaint.resolution_deadline, datetime(2026, 5, 9, 9, 0))
        with self.assertRaises(AccessError):
            complaint.with_user(self.consultant).write({"reported_date": "2026-05-05 09:00:00"})

    def test_r3_5_states_resolved_only_with_customer_confirmation(self):
        with freeze_time("2026-05-04 09:00:00"):
            complaint = self._complaint()
        mine = complaint.with_user(self.consultant)
        with self.assertRaises(ValidationError) as ctx:
            mine.action_resolve()
        self.assertIn("cannot go from New to Resolved", str(ctx.exception))
        with freeze_time("2026-05-04 11:30:00"):
            mine.action_acknowledge()
        self.assertEqual(complaint.state, "acknowledged")
        self.assertEqual(complaint.response_hours, 2.5)
        mine.action_start()
        mine.write({"resolution": "<p>Desk replaced</p>"})
        with self.assertRaises(ValidationError) as ctx:
            mine.action_resolve()
        self.assertIn("the customer's confirmation", str(ctx.exception))
        mine.write({"resolution": "<p>Desk replaced</p>", "customer_confirmed": True, "customer_confirmation": "Call"})
        with freeze_time("2026-05-05 09:00:00"):
            mine.action_resolve()
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.resolution_hours, 24.0)
        self.assertFalse(complaint.is_late)
        with self.assertRaises(ValidationError):
            mine.write({"customer_confirmed": False})
        mine.action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.closed_date)
        mine.action_reopen()
        self.assertEqual(complaint.state, "in_progress")
        self.assertFalse(complaint.customer_confirmed, "a reopened complaint is confirmed again")
        with self.assertRaises(AccessError):
            self.env["crm.customer.complaint"].with_user(self.consultant).create(
                {"subject": "Old", "partner_id": self.customer.id, "state": "closed"}
            )

    def test_r3_5_escalation_to_supervisor_with_frozen_time(self):
        escalation = self.env.ref(f"{MODULE}.mail_activity_type_complaint_escalation")
        with freeze_time("2026-05-04 09:00:00"):
            complaint = self._complaint()
        with freeze_time("2026-05-04 16:59:00"):
            self.assertEqual(self.env["crm.customer.complaint"]._cron_escalate(), 0)
            self.assertFalse(complaint.overdue)
        with freeze_time("2026-05-04 17:01:00"):
            complaint.invalidate_recordset(["overdue"])
            self.assertTrue(complaint.overdue)
            self.assertIn(complaint, self.env["crm.customer.complaint"].search([("overdue", "=", True)]))
            self.assertEqual(self.env["crm.customer.complaint"]._cron_escalate(), 1)
            self.assertEqual(self.env["crm.customer.complaint"]._cron_escalate(), 0, "once per deadline")
        self.assertEqual(complaint.response_escalated_date, datetime(2026, 5, 4, 17, 1))
        self.assertTrue(complaint.response_late)
        activities = complaint.activity_ids.filtered(lambda a: a.activity_type_id == escalation)
        self.assertEqual(activities.user_id, self.supervisor)
        self.assertIn("not acknowledged", activities.summary)
        self.assertIn(self.supervisor.partner_id, complaint.message_partner_ids)
        # Acknowledged late, not resolved in time: the resolution deadline escalates too.
        with freeze_time("2026-05-05 08:00:00"):
            complaint.with_user(self.consultant).action_acknowledge()
        with freeze_time("2026-05-06 09:30:00"):
            self.assertEqual(self.env["crm.customer.complaint"]._cron_escalate(), 1)
            self.assertEqual(self.env["crm.customer.complaint"]._cron_escalate(), 0)
        activities = complaint.activity_ids.filtered(lambda a: a.activity_type_id == escalation)
        self.assertEqual(len(activities), 2)
        self.assertTrue(complaint.resolution_late)
        # The supervisor sees the team's complaint.
        self.assertIn(
            complaint, self.env["crm.customer.complaint"].with_user(self.supervisor).search([("overdue", "=", True)])
        )

    def test_r3_5_consultants_see_only_their_own_complaints(self):
        mine = self._complaint(subject="Mine")
        theirs = self._complaint(user=self.consultant2, subject="Theirs")
        other_team = self._complaint(user=self.other_consultant, subject="Other team")
        Complaint = self.env["crm.customer.complaint"]
        self.assertEqual(
            Complaint.with_user(self.consultant).search([("subject", "in", ("Mine", "Theirs", "Other team"))]), mine
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.consultant).read(["subject"])
        with self.assertRaises(AccessError):
            Complaint.with_user(self.consultant).create(
                {"subject": "For a colleague", "partner_id": self.customer.id, "user_id": self.consultant2.id}
            )
        self.assertEqual(
            Complaint.with_user(self.supervisor).search([("subject", "in", ("Mine", "Theirs", "Other team"))]),
            mine | theirs,
        )
        with self.assertRaises(AccessError):
            other_team.with_user(self.supervisor).read(["subject"])
        self.assertEqual(
            Complaint.with_user(self.manager).search([("subject", "in", ("Mine", "Theirs", "Other team"))]),
            mine | theirs | other_team,
        )
        with self.assertRaises(AccessError):
            mine.with_user(self.consultant).unlink()
        # The customer's and the order's smart buttons count what the user may see.
        self.assertEqual(self.customer.with_user(self.consultant).complaint_count, 1)
        self.assertEqual(self.customer.with_user(self.manager).complaint_count, 3)

    def test_r3_5_counts_and_durations_per_consultant_for_appraisal(self):
        with freeze_time("2026-05-04 09:00:00"):
            first = self._complaint()
            second = self._complaint(severity="normal")
            theirs = self._complaint(user=self.consultant2)
            request = self._complaint(kind="request", subject="Custom colour")
        with freeze_time("2026-05-04 13:00:00"):
            first.with_user(self.consultant).action_acknowledge()
        with freeze_time("2026-05-05 11:00:00"):
            second.with_user(self.consultant).action_acknowledge()
        first.with_user(self.consultant).write(
            {"resolution": "<p>Replaced</p>", "customer_confirmed": True, "customer_confirmation": "Email"}
        )
        with freeze_time("2026-05-07 09:00:00"):
            first.with_user(self.consultant).action_resolve()
        figures = self.env["crm.customer.complaint"]._consultant_figures(
            datetime(2026, 5, 1), datetime(2026, 6, 1), users=self.consultant | self.consultant2
        )
        mine = figures[self.consultant]
        self.assertEqual(mine["count"], 2, "the special request is not a complaint")
        self.assertEqual(mine["resolved"], 1)
        self.assertEqual(mine["late"], 2, "one resolved after 48 hours, one acknowledged after 24")
        self.assertAlmostEqual(mine["response_hours"], (4 + 26) / 2)
        self.assertAlmostEqual(mine["resolution_hours"], 72.0)
        self.assertEqual(figures[self.consultant2]["count"], 1)
        self.assertEqual(figures[self.consultant2]["resolved"], 0)
        self.assertEqual(theirs.state, "new")
        requests = self.env["crm.customer.complaint"]._consultant_figures(
            datetime(2026, 5, 1), datetime(2026, 6, 1), kinds=("request",)
        )
        self.assertEqual(requests[request.user_id]["count"], 1)
