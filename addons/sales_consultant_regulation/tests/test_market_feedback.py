# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import RegulationCase

ROUTED = "sales_consultant_regulation.mail_activity_type_market_feedback"


@tagged("post_install", "-at_install")
class TestMarketFeedback(RegulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # department managers are plain internal users, outside the regulation's groups
        cls.marketing_head = new_test_user(cls.env, login="scr_marketing_head", groups="base.group_user")
        cls.product_head = new_test_user(cls.env, login="scr_product_head", groups="base.group_user")
        cls.bystander = new_test_user(cls.env, login="scr_bystander", groups="base.group_user")
        cls.marketing = cls.env["hr.department"].create(
            {
                "name": "SCR Marketing",
                "manager_id": cls.env["hr.employee"].create({"name": "Head", "user_id": cls.marketing_head.id}).id,
            }
        )
        cls.product_dept = cls.env["hr.department"].create(
            {
                "name": "SCR Product",
                "manager_id": cls.env["hr.employee"].create({"name": "Prod", "user_id": cls.product_head.id}).id,
            }
        )

    def _feedback(self, **vals):
        values = {"name": "SCR Competitor cut prices", "kind": "competitor"}
        values.update(vals)
        return self.env["crm.market.feedback"].with_user(self.consultant).create(values)

    def _routed(self):
        feedback = self._feedback(
            description="<p>Rival offers 15% less</p>", department_ids=[Command.set(self.marketing.ids)]
        )
        feedback.action_route()
        return feedback

    def test_r7_2_routed_only_with_description_and_department(self):
        feedback = self._feedback()
        with self.assertRaises(ValidationError) as ctx:
            feedback.action_route()
        self.assertIn("R7.2", str(ctx.exception))
        self.assertIn("a description", str(ctx.exception))
        self.assertIn("at least one department", str(ctx.exception))
        feedback.description = "<p>Rival offers 15% less</p>"
        with self.assertRaises(ValidationError) as ctx:
            feedback.action_route()
        self.assertNotIn("a description", str(ctx.exception))
        self.assertEqual(feedback.state, "new")
        with self.assertRaises(AccessError):
            self._feedback(state="routed", description="<p>x</p>", department_ids=[Command.set(self.marketing.ids)])

    def test_r7_2_routing_gives_the_department_manager_an_activity(self):
        feedback = self._routed()
        self.assertEqual(feedback.state, "routed")
        self.assertTrue(feedback.routed_date)
        self.assertEqual(feedback.activity_ids.user_id, self.marketing_head)
        self.assertEqual(feedback.activity_ids.activity_type_id, self.env.ref(ROUTED))
        self.assertIn(self.marketing_head.partner_id, feedback.message_partner_ids)
        self.assertEqual(self.marketing.with_user(self.marketing_head).market_feedback_count, 1)
        # a department added later is told once; routing is not repeated for the first
        feedback.department_ids = [Command.link(self.product_dept.id)]
        self.assertEqual(feedback.activity_ids.user_id, self.marketing_head | self.product_head)
        self.assertEqual(len(feedback.activity_ids), 2)
        # taken back to new: the departments' activities go
        feedback.action_reset()
        self.assertFalse(feedback.activity_ids)
        with self.assertRaises(AccessError):
            feedback.with_user(self.marketing_head).read(["name"])

    def test_r7_2_department_answers_and_closes(self):
        feedback = self._routed()
        as_head = feedback.with_user(self.marketing_head)
        as_head.action_acknowledge()
        with self.assertRaises(ValidationError) as ctx:
            as_head.action_done()
        self.assertIn("R7.2", str(ctx.exception))
        self.assertIn("answer", str(ctx.exception))
        as_head.write({"answer": "<p>Campaign on total cost next month</p>"})
        as_head.action_done()
        self.assertEqual(feedback.state, "done")
        self.assertEqual(feedback.answer_user_id, self.marketing_head)
        self.assertTrue(feedback.answer_date and feedback.routed_date)
        self.assertFalse(feedback.activity_ids, "the department's activity is done")
        # Who answered and when are the system's record, from any path.
        for user in (self.marketing_head, self.consultant, self.manager):
            with self.assertRaises(AccessError) as ctx:
                feedback.with_user(user).write({"answer_user_id": self.consultant.id, "answer_date": "2020-01-01"})
            self.assertIn("cannot be set", str(ctx.exception))
        with self.assertRaises(AccessError):
            self._feedback(routed_date="2020-01-01 00:00:00")
        self.assertEqual(feedback.answer_user_id, self.marketing_head)

    def test_r7_2_department_only_answers(self):
        feedback = self._routed()
        feedback.answer = "<p>Answered it myself</p>"
        with self.assertRaises(AccessError) as ctx:
            feedback.with_user(self.consultant).action_done()
        self.assertIn("R7.2", str(ctx.exception))
        self.assertEqual(feedback.state, "routed")
        with self.assertRaises(AccessError):
            feedback.with_user(self.supervisor).action_acknowledge()
        with self.assertRaises(AccessError) as ctx:
            feedback.with_user(self.marketing_head).write({"description": "<p>Nothing</p>"})
        self.assertIn("R7.2", str(ctx.exception))
        with self.assertRaises(AccessError):
            feedback.with_user(self.product_head).read(["name"])
        with self.assertRaises(AccessError):
            self.env["crm.market.feedback"].with_user(self.marketing_head).create({"name": "SCR Mine"})

    def test_r2_5_consultant_own_supervisor_team_manager_all(self):
        feedback = self._feedback(description="<p>Trend</p>", kind="trend")
        self.assertEqual(feedback.team_id, self.team)
        with self.assertRaises(AccessError):
            feedback.with_user(self.consultant2).read(["name"])
        with self.assertRaises(AccessError):
            feedback.with_user(self.bystander).read(["name"])
        self.assertEqual(feedback.with_user(self.supervisor).kind, "trend")
        self.assertEqual(feedback.with_user(self.manager).name, "SCR Competitor cut prices")
        # the department does not see a draft
        feedback.department_ids = [Command.set(self.marketing.ids)]
        with self.assertRaises(AccessError):
            feedback.with_user(self.marketing_head).read(["name"])

    # ------------------------------------------------------------------ R7.2 the consultant hears the answer

    def _answer_messages(self, feedback):
        return feedback.message_ids.filtered(lambda m: self.consultant.partner_id in m.partner_ids)

    def test_r7_2_consultant_hears_the_answer(self):
        feedback = self._routed()
        as_head = feedback.with_user(self.marketing_head)
        as_head.action_acknowledge()
        self.assertFalse(self._answer_messages(feedback), "acknowledging is not the answer")
        with self.assertRaises(ValidationError):
            as_head.action_done()
        self.assertFalse(self._answer_messages(feedback), "a refused answer tells nobody")
        as_head.write({"answer": "<p>Campaign on total cost next month</p>"})
        as_head.action_done()
        message = self._answer_messages(feedback)
        self.assertEqual(len(message), 1)
        self.assertIn("answered your market feedback", message.body)
        self.assertIn("Campaign on total cost", message.body)
        self.assertEqual(message.author_id, self.marketing_head.partner_id)
        # a rejection is an answer too
        other = self._routed()
        other.with_user(self.marketing_head).write({"answer": "<p>Not our market</p>"})
        other.with_user(self.marketing_head).action_reject()
        self.assertIn("Rejected", self._answer_messages(other).body)

    def test_r7_2_consultant_hears_the_answer_in_their_language(self):
        self.env["res.lang"]._activate_lang("zh_TW")
        self.env["ir.module.module"]._load_module_terms(["sales_consultant_regulation"], ["zh_TW"])
        self.consultant.lang = "zh_TW"
        feedback = self._routed()
        feedback.with_user(self.marketing_head).write({"answer": "<p>Campaign next month</p>"})
        feedback.with_user(self.marketing_head).with_context(lang="en_US").action_done()
        body = self._answer_messages(feedback).body
        self.assertIn("部門已回覆您的市場回饋", body)
        self.assertIn("已完成", body)

    # ------------------------------------------------------------------ R2.5 routing by type

    def _quality_type(self, **vals):
        values = {
            "name": "SCR Product quality",
            "kind": "product_issue",
            "department_ids": [Command.set(self.product_dept.ids)],
            "response_days": 3,
        }
        values.update(vals)
        return self.env["crm.market.feedback.type"].with_user(self.manager).create(values)

    def test_r2_5_routing_picks_the_department_of_the_type(self):
        kind = self._quality_type()
        feedback = self._feedback(name="SCR Drawers stick", type_id=kind.id, description="<p>Two drawers</p>")
        feedback.action_route()
        self.assertEqual(feedback.department_ids, self.product_dept)
        self.assertEqual(feedback.activity_ids.user_id, self.product_head)
        # departments chosen by hand are kept
        chosen = self._feedback(
            type_id=kind.id, description="<p>x</p>", department_ids=[Command.set(self.marketing.ids)]
        )
        chosen.action_route()
        self.assertEqual(chosen.department_ids, self.marketing)
        # a type without departments routes nothing: the routing refusal names what is missing
        empty = self._quality_type(name="SCR Other", department_ids=[])
        feedback = self._feedback(type_id=empty.id, description="<p>x</p>")
        with self.assertRaises(ValidationError) as ctx:
            feedback.action_route()
        self.assertIn("at least one department", str(ctx.exception))
        self.assertEqual(feedback.state, "new")
        self.assertFalse(feedback.department_ids)

    def test_r2_5_types_are_configured_by_regulation_managers(self):
        with self.assertRaises(AccessError):
            self.env["crm.market.feedback.type"].with_user(self.consultant).create({"name": "SCR Mine"})
        kind = self._quality_type()
        self.assertEqual(kind.with_user(self.consultant).department_ids, self.product_dept)
        with self.assertRaises(ValidationError):
            kind.write({"response_days": -1})
        self.assertEqual(kind.response_days, 3, "nothing changed after the refusal")

    def test_r2_5_overdue_feedback_escalated_once_to_department_manager(self):
        kind = self._quality_type()
        with freeze_time("2026-03-02 09:00:00"):
            feedback = self._feedback(name="SCR Drawers stick", type_id=kind.id, description="<p>Two drawers</p>")
            feedback.action_route()
            on_time = self._feedback(name="SCR Answered", type_id=kind.id, description="<p>x</p>")
            on_time.action_route()
            on_time.with_user(self.product_head).write({"answer": "<p>Fixed</p>"})
            on_time.with_user(self.product_head).action_done()
        Feedback = self.env["crm.market.feedback"]
        self.assertEqual(str(feedback.response_deadline), "2026-03-05 09:00:00")
        with freeze_time("2026-03-05 08:59:00"):
            self.assertFalse(feedback.overdue)
            self.assertEqual(Feedback._cron_escalate_overdue(), 0)
            self.assertFalse(feedback.escalated_date)
        with freeze_time("2026-03-05 09:01:00"):
            feedback.invalidate_recordset(["overdue"])
            self.assertTrue(feedback.overdue)
            self.assertEqual(
                Feedback.with_user(self.manager).search(
                    [("overdue", "=", True), ("id", "in", (feedback | on_time).ids)]
                ),
                feedback,
                "the regulation managers' Overdue filter",
            )
            self.assertEqual(Feedback._cron_escalate_overdue(), 1)
            self.assertTrue(feedback.escalated_date)
            escalation = feedback.activity_ids.filtered(lambda a: "Escalated" in (a.summary or ""))
            self.assertEqual(escalation.user_id, self.product_head)
            self.assertEqual(Feedback._cron_escalate_overdue(), 0, "escalated once")
            self.assertEqual(len(feedback.activity_ids.filtered(lambda a: "Escalated" in (a.summary or ""))), 1)
            self.assertFalse(on_time.escalated_date, "answered in time")
            self.assertEqual(
                Feedback.with_user(self.manager).search([("escalated_date", "!=", False), ("id", "=", feedback.id)]),
                feedback,
            )
        # when it was escalated is the system's record
        with self.assertRaises(AccessError):
            feedback.with_user(self.manager).write({"escalated_date": False})
        self.assertTrue(feedback.escalated_date)
