# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import RegulationCase

RETAKE = "sales_consultant_regulation.mail_activity_type_training_retake"


@tagged("post_install", "-at_install")
class TestTraining(RegulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["sale.training.plan"].create(
            {
                "name": "SCR Training 2026",
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "consultant_ids": [Command.set((cls.consultant | cls.consultant2).ids)],
                "objectives": "<p>Present every product with its FAB sheet.</p>",
            }
        )

    def _session(self, user=None, **vals):
        values = {
            "name": "SCR Price objections",
            "plan_id": self.plan.id,
            "subject": "skills",
            "method": "role_play",
            "date": "2026-03-02 09:00:00",
            "trainer_id": self.supervisor.id,
        }
        values.update(vals)
        return self.env["sale.training.session"].with_user(user or self.supervisor).create(values)

    def _evaluation(self, session, user):
        return session.evaluation_ids.filtered(lambda line: line.user_id == user)

    def test_r8_1_plan_approved_only_with_objectives_and_trained_sessions(self):
        plan = (
            self.env["sale.training.plan"]
            .with_user(self.manager)
            .create({"name": "SCR Empty plan", "date_from": "2026-01-01", "date_to": "2026-06-30"})
        )
        with self.assertRaises(ValidationError) as ctx:
            plan.action_approve()
        self.assertIn("R8.1", str(ctx.exception))
        self.assertIn("its objectives", str(ctx.exception))
        self.assertIn("at least one session", str(ctx.exception))
        plan.objectives = "<p>Know the new range.</p>"
        self._session(plan_id=plan.id, trainer_id=False)
        with self.assertRaises(ValidationError) as ctx:
            plan.action_approve()
        self.assertIn("a trainer for every session", str(ctx.exception))
        plan.session_ids.trainer_name = "Product department"
        with self.assertRaises(AccessError):
            plan.with_user(self.supervisor).action_approve()
        plan.action_approve()
        self.assertEqual(plan.state, "approved")

    def test_r8_1_session_held_only_under_an_approved_plan(self):
        session = self._session()
        with self.assertRaises(ValidationError) as ctx:
            session.action_done()
        self.assertIn("R8.1", str(ctx.exception))
        self.assertIn("not approved", str(ctx.exception))
        self.plan.with_user(self.manager).action_approve()
        session.action_done()
        self.assertEqual(session.state, "done")

    def test_r8_2_r8_3_sessions_organised_by_supervisors_read_by_attendees(self):
        session = self._session(attendee_ids=[Command.set(self.consultant.ids)])
        self.assertEqual(session.evaluation_ids.user_id, self.consultant)
        self.assertEqual(session.with_user(self.consultant).method, "role_play")
        with self.assertRaises(AccessError):
            session.with_user(self.consultant2).read(["name"])
        with self.assertRaises(AccessError):
            self._session(user=self.consultant)
        # attendees added later get their line, removed ones lose theirs unless scored
        session.attendee_ids = [Command.set(self.consultant2.ids)]
        self.assertEqual(session.evaluation_ids.user_id, self.consultant2)

    def test_r8_4_evaluation_by_the_supervisor_read_by_its_consultant(self):
        session = self._session()
        self.assertEqual(session.evaluation_ids.user_id, self.consultant | self.consultant2)
        line = self._evaluation(session, self.consultant)
        line.with_user(self.supervisor).write({"score": 75, "comments": "Good"})
        self.assertTrue(line.passed)
        self.assertEqual(line.evaluator_id, self.supervisor)
        self.assertEqual(line.with_user(self.consultant).score, 75)
        with self.assertRaises(AccessError):
            line.with_user(self.consultant).write({"score": 100})
        with self.assertRaises(AccessError):
            line.with_user(self.consultant2).read(["score"])

    def test_r8_4_score_out_of_100(self):
        line = self._evaluation(self._session(), self.consultant)
        with self.assertRaises(ValidationError) as ctx:
            line.with_user(self.supervisor).score = 120
        self.assertIn("R8.4", str(ctx.exception))

    def test_r8_4_failed_consultant_gets_one_retake_activity(self):
        session = self._session()
        self.plan.with_user(self.manager).action_approve()
        failed = self._evaluation(session, self.consultant)
        passed = self._evaluation(session, self.consultant2)
        failed.with_user(self.supervisor).score = 40
        passed.with_user(self.supervisor).score = 60
        self.assertFalse(failed.activity_ids, "no retake before the session is held")
        session.action_done()
        self.assertEqual(failed.activity_ids.activity_type_id, self.env.ref(RETAKE))
        self.assertEqual(failed.activity_ids.user_id, self.consultant)
        self.assertFalse(passed.activity_ids)
        failed.with_user(self.supervisor).score = 45
        self.assertEqual(len(failed.activity_ids), 1)

    def test_r8_4_attendance_and_average_score_on_the_plan(self):
        first = self._session()
        second = self._session(name="SCR Product range", subject="product", method="lecture")
        planned = self._session(name="SCR Later", date="2026-09-01 09:00:00")
        self.plan.with_user(self.manager).action_approve()
        (first | second).action_done()
        self._evaluation(first, self.consultant).score = 80
        self._evaluation(first, self.consultant2).score = 50
        self._evaluation(second, self.consultant).score = 90
        self._evaluation(second, self.consultant2).attended = False
        self.plan.invalidate_recordset()
        self.assertEqual(self.plan.session_count, 3)
        self.assertEqual(len(planned.evaluation_ids), 2, "a session not yet held counts in no figure")
        self.assertAlmostEqual(self.plan.attendance_rate, 75.0)
        self.assertAlmostEqual(self.plan.average_score, (80 + 50 + 90) / 3)
        figures = self.plan._consultant_figures()[self.plan.id]
        self.assertEqual(figures[self.consultant]["passed"], 2)
        self.assertEqual(figures[self.consultant2]["attended"], 1)
        self.assertIn(self.consultant2.name, self.plan.figures_html)

    def test_r8_4_score_taken_from_the_survey_exam(self):
        survey = self.env["survey.survey"].create({"title": "SCR Product exam", "scoring_type": "scoring_with_answers"})
        session = self._session(survey_id=survey.id)
        answers = self.env["survey.user_input"].create(
            {"survey_id": survey.id, "partner_id": self.consultant.partner_id.id}
        )
        answers.scoring_percentage = 72.5
        line = self._evaluation(session, self.consultant)
        line.with_user(self.supervisor).user_input_id = answers
        self.assertEqual(line.score, 72.5)
        self.assertTrue(line.passed)
