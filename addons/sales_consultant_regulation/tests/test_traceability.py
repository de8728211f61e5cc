# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.addons.sales_consultant_regulation.models import regulation_day
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..models.base import workflow_action
from .common import CustomerCase

MARCH = {"compliance_date_from": "2025-03-01", "compliance_date_to": "2025-03-31"}


@tagged("post_install", "-at_install")
class TestTraceability(CustomerCase):
    """docs/architecture.md, principle 6: each clause's compliance figure equals the hand count of the live
    data of its regulation's company, over the period asked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A second company with its own regulation version, so that its figures count only
        # the records built here.
        cls.company_b = cls.env["res.company"].create({"name": "SCR Traceability Co"})
        cls.regulation_b = cls.env["sale.regulation"].create(
            {
                "name": "Regulation of B",
                "version": "B-1",
                "company_id": cls.company_b.id,
                "effective_date": regulation_day.today(cls.env),
                "clause_ids": [
                    Command.create({"code": code, "name": code, "compliance_key": key, "sequence": seq})
                    for seq, (code, key) in enumerate(
                        [
                            ("R1.2", "consultant_team"),
                            ("R1.3", "acknowledgement"),
                            ("R3.3", "file_completeness"),
                            ("R9.4", "export_allowed"),
                            ("R10.2", "export_allowed"),
                            ("R9.2", False),
                        ]
                    )
                ],
            }
        )
        cls.regulation_b.action_publish()
        cls.clause_b = {clause.code: clause for clause in cls.regulation_b.clause_ids}
        cls.users_b = cls.env["res.users"]
        for login in ("scr_b1", "scr_b2", "scr_b3"):
            cls.users_b |= new_test_user(
                cls.env,
                login=login,
                groups="base.group_user,sales_consultant_regulation.group_consultant",
                company_id=cls.company_b.id,
                company_ids=[Command.set(cls.company_b.ids)],
            )

    def _figure(self, clause, **context):
        clause.invalidate_recordset()
        clause = clause.with_context(**context)
        return clause.compliance_count, clause.compliance_total, clause.compliance_rate, clause.compliance_detail

    def test_r1_3_acknowledgement_rate(self):
        self.env["sale.regulation.acknowledgement"].create(
            [{"regulation_id": self.regulation_b.id, "user_id": user.id} for user in self.users_b[:2]]
        )
        self.assertEqual(
            self._figure(self.clause_b["R1.3"]),
            (2, 3, 66.67, "2 of 3 consultants and supervisors acknowledged version B-1"),
        )

    def test_r1_2_consultants_in_a_regulated_team(self):
        self.assertEqual(self._figure(self.clause_b["R1.2"])[:3], (0, 3, 0.0))
        self.env["crm.team"].create(
            {
                "name": "SCR Team of B",
                "company_id": self.company_b.id,
                "regulation_enabled": True,
                "user_id": self.users_b[0].id,
                "crm_team_member_ids": [Command.create({"user_id": self.users_b[1].id})],
            }
        )
        self.assertEqual(
            self._figure(self.clause_b["R1.2"]),
            (2, 3, 66.67, "2 of 3 consultants and supervisors are in a regulated team"),
        )

    def test_r3_3_file_completeness_average(self):
        self.assertEqual(self._figure(self.clause_b["R3.3"]), (0, 0, 0.0, "No customer of a consultant yet."))
        potential = self.classes["potential"]
        fields_ = self.env["ir.model.fields"]
        potential.partner_field_ids = [
            Command.set((fields_._get("res.partner", "email") | fields_._get("res.partner", "phone")).ids)
        ]
        customers = self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "company_id": self.company_b.id,
                    "user_id": self.users_b[0].id,
                    "class_override_id": potential.id,
                    **vals,
                }
                for name, vals in [
                    ("SCR B Full", {"email": "full@b.example.com", "phone": "+886 2 1234 5678"}),
                    ("SCR B Half", {"email": "half@b.example.com"}),
                    ("SCR B Empty", {}),
                ]
            ]
        )
        self.assertEqual(customers.mapped("file_completeness"), [100.0, 50.0, 0.0])
        self.assertEqual(
            self._figure(self.clause_b["R3.3"]),
            (1, 3, 50.0, "1 of 3 customer files complete, 50.0 % complete on average"),
        )

    def test_r10_2_exports_within_the_rules(self):
        with freeze_time("2025-03-15 10:00:00"):
            self.env["sale.export.log"].create(
                [
                    {
                        "user_id": self.users_b[index % 3].id,
                        "model": "res.partner",
                        "record_count": 10,
                        "state": state,
                        "company_id": self.company_b.id,
                    }
                    for index, state in enumerate(["done", "done", "done", "refused"])
                ]
            )
        expected = (3, 4, 75.0, "3 of 4 exports within the rules, 1 refused")
        self.assertEqual(self._figure(self.clause_b["R10.2"], **MARCH), expected)
        self.assertEqual(self._figure(self.clause_b["R9.4"], **MARCH), expected)
        # Empty: nothing in April, nothing in the last 30 days; no division by zero.
        april = {"compliance_date_from": "2025-04-01", "compliance_date_to": "2025-04-30"}
        self.assertEqual(self._figure(self.clause_b["R10.2"], **april), (0, 0, 0.0, "No export in the period."))
        self.assertEqual(self._figure(self.clause_b["R10.2"])[:3], (0, 0, 0.0))

    def test_not_measured_clause(self):
        self.assertEqual(self._figure(self.clause_b["R9.2"]), (0, 0, 0.0, "Not measured"))

    def test_r4_1_stage_moves_without_override(self):
        clause = self.env.ref("sales_consultant_regulation.sale_regulation_clause_r4_1")
        # Leads are stamped by the database clock: the figure of the last 30 days.
        self.assertEqual(self._figure(clause), (0, 0, 0.0, "No regulated lead changed stage in the period."))
        self._lead(name="SCR Moved by the checklist")
        overridden = self._lead(name="SCR Moved by an override")
        self.env["crm.lead.checklist.override"].with_user(self.supervisor).create(
            {"lead_id": overridden.id, "stage_id": self.stage["needs_analysis"].id, "reason": "Urgent"}
        ).action_confirm()
        self._lead(name="SCR Unregulated", team_id=self.free_team.id)
        self.assertEqual(self._figure(clause), (1, 2, 50.0, "1 of 2 regulated leads moved without an override"))
        self.assertEqual(self._figure(clause, **MARCH)[:3], (0, 0, 0.0))

    def _march_orders(self):
        """Three confirmed orders of the regulated team in March 2025: two through the contract
        review, one confirmed before its team was regulated."""
        late_team = self.env["crm.team"].create({"name": "SCR Regulated Later"})
        with freeze_time("2025-03-05 09:00:00"):
            reviewed = self._order(commitment_date="2025-03-20 08:00:00") | self._order(
                commitment_date="2025-03-21 08:00:00"
            )
            for order in reviewed:
                self._confirm(order)
            unreviewed = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "team_id": late_team.id,
                    "user_id": self.consultant.id,
                    "commitment_date": "2025-03-22 08:00:00",
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
            unreviewed.action_confirm()
        late_team.regulation_enabled = True
        return reviewed | unreviewed

    def test_r4_6_contract_review_rate(self):
        orders = self._march_orders()
        self.assertEqual(orders.mapped("state"), ["sale"] * 3)
        clause = self.env.ref("sales_consultant_regulation.sale_regulation_clause_r4_6")
        expected = (2, 3, 66.67, "2 of 3 regulated orders confirmed after a review by another user")
        self.assertEqual(self._figure(clause, **MARCH), expected)
        r2_4 = self.env.ref("sales_consultant_regulation.sale_regulation_clause_r2_4")
        self.assertEqual(self._figure(r2_4, **MARCH), expected)

    def test_r4_7_deliveries_on_time(self):
        first, second, third = self._march_orders()
        with workflow_action():  # delivered on those days, as the Delivered button records
            first.delivered_date = "2025-03-19 15:00:00"
            second.delivered_date = "2025-03-25 15:00:00"
        self.assertFalse(third.delivered_date)
        clause = self.env.ref("sales_consultant_regulation.sale_regulation_clause_r4_7")
        self.assertEqual(self._figure(clause, **MARCH), (1, 3, 33.33, "1 of 3 committed deliveries made on time"))

    def test_r5_3_r8_4_r7_2_figures(self):
        """Objections resolved, training evaluations passed and market feedback answered, each
        against the hand count of company B's records."""
        clauses = self.env["sale.regulation.clause"].create(
            [
                {"regulation_id": self.regulation_b.id, "code": code, "name": code, "compliance_key": key}
                for code, key in (
                    ("R5.3", "objection_resolved"),
                    ("R8.4", "training_passed"),
                    ("R7.2", "feedback_answered"),
                )
            ]
        )
        objection_clause, training_clause, feedback_clause = clauses
        self.assertEqual(self._figure(objection_clause, **MARCH), (0, 0, 0.0, "No objection recorded in the period."))
        env = self.env(context=dict(self.env.context, allowed_company_ids=self.company_b.ids))
        # R5.3: three objections met in March, one resolved; one in April does not count.
        lead = env["crm.lead"].create({"name": "SCR Lead of B", "company_id": self.company_b.id})
        objection = env["sale.objection"].create({"name": "SCR Too expensive", "category": "price"})
        env["crm.lead.objection"].create(
            [
                {"lead_id": lead.id, "objection_id": objection.id, "date": date, "outcome": outcome, "answer": answer}
                for date, outcome, answer in (
                    ("2025-03-03", "resolved", "<p>Showed the five-year cost.</p>"),
                    ("2025-03-10", "open", False),
                    ("2025-03-20", "lost", False),
                    ("2025-04-02", "resolved", "<p>Discount approved.</p>"),
                )
            ]
        )
        self.assertEqual(
            self._figure(objection_clause, **MARCH),
            (1, 3, 33.33, "1 of 3 objections met on leads were resolved"),
        )
        # R8.4: a session held in March, two of three attendees above the pass mark.
        plan = env["sale.training.plan"].create(
            {
                "name": "SCR Training of B",
                "date_from": "2025-01-01",
                "date_to": "2025-12-31",
                "company_id": self.company_b.id,
                "objectives": "<p>Know the range.</p>",
            }
        )
        session = env["sale.training.session"].create(
            {
                "name": "SCR Range",
                "plan_id": plan.id,
                "subject": "product",
                "method": "lecture",
                "date": "2025-03-05 09:00:00",
                "trainer_id": self.users_b[0].id,
                "attendee_ids": [Command.set(self.users_b.ids)],
            }
        )
        plan.action_approve()
        for user, score in zip(self.users_b, (90, 75, 40), strict=True):
            session.evaluation_ids.filtered(lambda line, user=user: line.user_id == user).score = score
        self.assertEqual(self._figure(training_clause, **MARCH)[:2], (0, 0), "a planned session counts nothing")
        session.action_done()
        self.assertEqual(
            self._figure(training_clause, **MARCH),
            (2, 3, 66.67, "2 of 3 training evaluations passed"),
        )
        # R7.2: two pieces of feedback routed today, one answered.
        department = env["hr.department"].create({"name": "SCR Marketing of B", "company_id": self.company_b.id})
        feedback = env["crm.market.feedback"].create(
            [
                {
                    "name": name,
                    "kind": "competitor",
                    "company_id": self.company_b.id,
                    "user_id": self.users_b[0].id,
                    "description": "<p>Rival cut prices.</p>",
                    "department_ids": [Command.set(department.ids)],
                }
                for name in ("SCR Rival A", "SCR Rival B")
            ]
        )
        feedback.action_route()
        feedback[0].answer = "<p>Price list reviewed.</p>"
        feedback[0].action_done()
        self.assertEqual(
            self._figure(feedback_clause),
            (1, 2, 50.0, "1 of 2 market feedback routed to departments were answered"),
        )

    def test_traceability_keys_read_only_for_consultants(self):
        clause = self.clause_b["R1.3"]
        self.assertEqual(clause.with_user(self.consultant).compliance_key, "acknowledgement")
        with self.assertRaises(AccessError) as ctx:
            clause.with_user(self.consultant).write({"compliance_key": "export_allowed"})
        self.assertIn("sale.regulation.clause", str(ctx.exception))
        with self.assertRaises(AccessError):
            clause.with_user(self.supervisor).write({"test_names": "test_x.TestX.test_y"})
        # The figures are for supervisors and managers.
        shipped = self.env.ref("sales_consultant_regulation.sale_regulation_clause_r1_3")
        self.assertIn("acknowledged version", shipped.with_user(self.supervisor).compliance_detail)
        with self.assertRaises(AccessError):
            shipped.with_user(self.consultant).read(["compliance_rate"])
        clause.with_user(self.manager).write({"compliance_key": "export_allowed"})
        self.assertEqual(clause.compliance_key, "export_allowed")

    def test_traceability_queries_do_not_grow_with_clauses(self):
        """Every clause of a key computed together: 1 or 5 clauses, the same queries."""
        Clause = self.env["sale.regulation.clause"]
        more = Clause.create(
            [
                {
                    "regulation_id": self.regulation_b.id,
                    "code": f"X{i}",
                    "name": "x",
                    "compliance_key": "acknowledgement",
                }
                for i in range(4)
            ]
        )

        def queries(clauses):
            clauses.invalidate_recordset()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            clauses.mapped("compliance_rate")
            return self.env.cr.sql_log_count - before

        queries(self.clause_b["R1.3"] | more)
        one = queries(self.clause_b["R1.3"])
        five = queries(self.clause_b["R1.3"] | more)
        self.assertEqual(one, five)
        # The whole shipped regulation: one computation per figure, not per clause.
        shipped = self.env.ref("sales_consultant_regulation.sale_regulation_1_0").clause_ids
        keys = len(set(shipped.mapped("compliance_key")) - {False})
        self.assertLessEqual(queries(shipped), 6 * keys + 10)
