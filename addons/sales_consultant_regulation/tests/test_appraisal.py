# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
import re
import zipfile

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models.sale_appraisal_kpi import weight_set
from .common import AppraisalCase


@tagged("post_install", "-at_install")
class TestAppraisalFigures(AppraisalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._february_sales()
        cls.Figures = cls.env["sale.regulation.figures"]

    def _feb_totals(self, basis="order"):
        return self.Figures._totals(self.company, self.feb.date_from, self.feb.date_to, basis)

    def test_r6_1_figures_equal_hand_computation(self):
        """Splits (R7.1), a second currency at the order date, a first order, cancelled and
        draft orders left out."""
        totals = self._feb_totals()
        mine = totals[self.consultant.id]
        self.assertAlmostEqual(mine["amount"], 2000 + 0.6 * 5000)
        self.assertAlmostEqual(mine["margin"], 800 + 0.6 * 2000)
        self.assertAlmostEqual(mine["quantity"], 2 + 0.6 * 5)
        self.assertAlmostEqual(mine["new_customers"], 0.6)
        theirs = totals[self.consultant2.id]
        # 2000 in the second currency at the February rate 2, not today's 4
        self.assertAlmostEqual(theirs["amount"], 0.4 * 5000 + 1000)
        self.assertAlmostEqual(theirs["margin"], 0.4 * 2000 + 400)
        self.assertAlmostEqual(theirs["quantity"], 0.4 * 5 + 1)
        self.assertAlmostEqual(theirs["new_customers"], 0.4 + 1)
        # January: the old customer's first order
        january = self.Figures._totals(self.company, self.jan.date_from, self.jan.date_to)
        self.assertAlmostEqual(january[self.consultant.id]["new_customers"], 1.0)
        self.assertAlmostEqual(january[self.consultant.id]["amount"], 1000)

    def test_r6_1_credited_lines_are_traceable(self):
        lines = self.Figures._credited_lines(self.company, self.feb.date_from, self.feb.date_to, "order")
        split_lines = [row for row in lines if row["document_id"] == self.split_order.id]
        self.assertEqual(
            sorted((row["user_id"], row["share"]) for row in split_lines),
            sorted([(self.consultant.id, 60.0), (self.consultant2.id, 40.0)]),
        )
        self.assertEqual({row["line_id"] for row in split_lines}, set(self.split_order.order_line.ids))

    def test_r6_1_totals_are_the_sums_of_the_credited_lines(self):
        """The totals (summed per order, then shared) and the lines (shared per line) are the
        same figures."""
        lines = self.Figures._credited_lines(self.company, self.feb.date_from, self.feb.date_to, "order")
        for user, figures in self._feb_totals().items():
            mine = [row for row in lines if row["user_id"] == user]
            for measure in ("amount", "margin", "quantity"):
                self.assertAlmostEqual(figures[measure], sum(row[measure] for row in mine), places=6)

    def test_r6_1_multi_company(self):
        """Figures are per company: a sale in another company does not count."""
        other = self.env["res.company"].create({"name": "SCR Other Company"})
        self.consultant.company_ids |= other
        # an incentive plan's team of the other company (the figures count the scope's teams)
        other_team = self.env["crm.team"].create({"name": "SCR Other Company Team", "company_id": other.id})
        order = (
            self.env["sale.order"]
            .with_company(other)
            .create(
                {
                    "company_id": other.id,
                    "team_id": other_team.id,
                    "partner_id": self.old_customer.id,
                    "user_id": self.consultant.id,
                    "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 50})],
                }
            )
        )
        order.action_confirm()
        order.date_order = "2021-02-11 03:00:00"
        self.assertAlmostEqual(self._feb_totals()[self.consultant.id]["amount"], 5000)
        self.assertNotIn(self.consultant.id, self.Figures._totals(other, self.feb.date_from, self.feb.date_to))
        other_totals = self.Figures._totals(other, self.feb.date_from, self.feb.date_to, teams=other_team)
        self.assertAlmostEqual(other_totals[self.consultant.id]["quantity"], 50)

    def test_r6_1_period_boundary_in_company_time_zone(self):
        """An order on 1 March 01:00 in Taipei is 28 February 17:00 UTC: it counts in March."""
        self._confirmed_order(self.consultant2, self.old_customer, 3, "2021-02-28 17:00:00")
        self.assertAlmostEqual(self._feb_totals()[self.consultant2.id]["quantity"], 3.0)
        march = self.Figures._totals(self.company, self.mar.date_from, self.mar.date_to)
        self.assertAlmostEqual(march[self.consultant2.id]["quantity"], 3.0)

    def test_r6_1_invoice_basis_net_of_credit_note(self):
        """Posted invoices of February less a credit note of one unit of the first order."""
        invoice = self.feb_order._create_invoices()
        invoice.invoice_date = "2021-02-15"
        invoice.action_post()
        split_invoice = self.split_order._create_invoices()
        split_invoice.invoice_date = "2021-02-16"
        split_invoice.action_post()
        refund = invoice._reverse_moves([{"invoice_date": "2021-02-25", "ref": "one desk back"}])
        refund.invoice_line_ids.filtered(lambda line: line.display_type == "product").quantity = 1
        refund.action_post()
        mine = self._feb_totals("invoice")[self.consultant.id]
        self.assertAlmostEqual(mine["amount"], 2000 - 1000 + 0.6 * 5000)
        self.assertAlmostEqual(mine["margin"], 800 - 400 + 0.6 * 2000)
        self.assertAlmostEqual(mine["quantity"], 2 - 1 + 0.6 * 5)
        # the foreign order is not invoiced: nothing for it on this basis
        self.assertAlmostEqual(self._feb_totals("invoice")[self.consultant2.id]["amount"], 0.4 * 5000)
        # paid invoices: none is paid yet; the credit note waits for its invoice
        self.assertEqual(self._feb_totals("paid")[self.consultant.id]["amount"], 0.0)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=split_invoice.ids
        ).create({"payment_date": "2021-03-02"})._create_payments()
        self.assertIn(split_invoice.payment_state, ("paid", "in_payment"))
        self.assertAlmostEqual(self._feb_totals("paid")[self.consultant.id]["amount"], 0.6 * 5000)


@tagged("post_install", "-at_install")
class TestAppraisal(AppraisalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._february_sales()
        cls.Target = cls.env["sale.consultant.target"]
        cls.target = cls.Target.create(
            {
                "user_id": cls.consultant.id,
                "period_id": cls.feb.id,
                "amount_target": 4000,
                "margin_target": 2000,
                "quantity_target": 5,
                "new_customer_target": 1,
            }
        )
        cls.jan.with_user(cls.manager).action_open()
        cls.feb.with_user(cls.manager).action_open()
        cls.appraisal = cls._appraisal(cls.feb, cls.consultant)
        cls.appraisal2 = cls._appraisal(cls.feb, cls.consultant2)

    @classmethod
    def _appraisal(cls, period, user):
        return cls.env["sale.appraisal"].search([("period_id", "=", period.id), ("user_id", "=", user.id)])

    def _line(self, appraisal, measure):
        return appraisal.line_ids.filtered(lambda line: line.measure == measure)

    def _evaluate(self, appraisal, daily=80, teamwork=90, attitude=100, satisfaction=70):
        appraisal.with_user(self.supervisor).write(
            {
                "eval_daily_score": daily,
                "eval_teamwork_score": teamwork,
                "eval_attitude_score": attitude,
                "satisfaction_input": satisfaction,
                "eval_daily_comment": "Calls every customer back the same day.",
            }
        )
        appraisal.with_user(self.supervisor).action_evaluate()

    def test_r6_1_opening_creates_appraisals_of_regulated_consultants(self):
        appraisals = self.feb.appraisal_ids
        self.assertEqual(appraisals.user_id, self.consultant | self.consultant2)
        self.assertEqual(appraisals.team_id, self.team)
        self.assertEqual(len(self.appraisal.line_ids), 7)
        self.assertEqual(self.feb.state, "open")

    def test_r6_1_scorecard_hand_computation(self):
        appraisal = self.appraisal
        self.assertAlmostEqual(appraisal.amount, 5000)
        self.assertAlmostEqual(appraisal.margin, 2000)
        self.assertAlmostEqual(appraisal.new_customer_count, 0.6)
        amount = self._line(appraisal, "amount")
        self.assertEqual((amount.target, amount.actual), (4000, 5000))
        self.assertAlmostEqual(amount.achievement, 125.0)
        self.assertAlmostEqual(amount.score, 120.0)  # capped at 120 %
        self.assertAlmostEqual(amount.weighted_score, 30.0)  # weight 25
        new = self._line(appraisal, "new_customers")
        self.assertAlmostEqual(new.score, 60.0)
        completion = self._line(appraisal, "completion")
        self.assertAlmostEqual(completion.actual, (125 + 100 + 100 + 60) / 4)
        self.assertAlmostEqual(appraisal.completion_rate, 96.25)
        # satisfaction and evaluation count once evaluated
        self.assertAlmostEqual(self._line(appraisal, "evaluation").score, 0.0)
        self.assertAlmostEqual(appraisal.total_score, 30 + 20 + 10 + 6 + 9.625, delta=0.01)
        # no target: nothing to achieve
        self.assertFalse(self._line(self.appraisal2, "amount").has_target)
        self.assertAlmostEqual(self.appraisal2.total_score, 0.0)

    def test_r6_3_evaluation_flow(self):
        appraisal = self.appraisal
        # the consultant may not evaluate, nor acknowledge before the evaluation
        with self.assertRaises(AccessError):
            appraisal.with_user(self.consultant).write({"eval_daily_score": 100})
        with self.assertRaises(UserError):
            appraisal.with_user(self.consultant).action_acknowledge()
        with self.assertRaises(ValidationError) as ctx:
            appraisal.with_user(self.supervisor).action_evaluate()
        self.assertIn("R6.3", str(ctx.exception))
        self._evaluate(appraisal)
        self.assertEqual(appraisal.state, "evaluated")
        self.assertEqual(appraisal.evaluator_id, self.supervisor)
        self.assertAlmostEqual(appraisal.evaluation_score, 90.0)
        self.assertAlmostEqual(self._line(appraisal, "evaluation").weighted_score, 13.5)
        self.assertAlmostEqual(self._line(appraisal, "satisfaction").weighted_score, 7.0)
        self.assertAlmostEqual(appraisal.total_score, 75.625 + 13.5 + 7.0, delta=0.01)
        # another consultant may not acknowledge it; a supervisor may not approve
        with self.assertRaises(AccessError):
            appraisal.with_user(self.consultant2).action_acknowledge()
        appraisal.with_user(self.consultant).action_acknowledge()
        self.assertEqual(appraisal.state, "acknowledged")
        with self.assertRaises(AccessError):
            appraisal.with_user(self.supervisor).action_approve()
        appraisal.with_user(self.manager).action_approve()
        self.assertEqual(appraisal.state, "approved")
        self.assertEqual(appraisal.approved_by_id, self.manager)
        # approved: the evaluation no longer changes
        with self.assertRaises(UserError):
            appraisal.with_user(self.manager).write({"eval_daily_score": 10})

    def test_r6_3_nobody_evaluates_themselves_nor_other_teams(self):
        other_supervisor = new_test_user(
            self.env,
            login="scr_supervisor_other",
            groups="base.group_user,sales_consultant_regulation.group_supervisor",
        )
        self.env["crm.team"].create(
            {"name": "SCR Other Team", "user_id": other_supervisor.id, "regulation_enabled": True}
        )
        with self.assertRaises(AccessError):
            self.appraisal.with_user(other_supervisor).write({"eval_daily_score": 50})
        # figures are the system's, even for a supervisor of the team
        with self.assertRaises(AccessError) as ctx:
            self.appraisal.with_user(self.supervisor).write({"amount": 1})
        self.assertIn("R6.1", str(ctx.exception))
        with self.assertRaises(AccessError):
            self._line(self.appraisal, "amount").with_user(self.manager).write({"actual": 1})

    def test_r6_security_consultants_read_own_supervisors_team_managers_all(self):
        Appraisal = self.env["sale.appraisal"]
        mine = Appraisal.with_user(self.consultant).search([("period_id", "=", self.feb.id)])
        self.assertEqual(mine, self.appraisal)
        with self.assertRaises(AccessError):
            self.appraisal2.with_user(self.consultant).read(["total_score"])
        lines = self.env["sale.appraisal.line"].with_user(self.consultant).search([("period_id", "=", self.feb.id)])
        self.assertEqual(lines.appraisal_id, self.appraisal)
        team = Appraisal.with_user(self.supervisor).search([("period_id", "=", self.feb.id)])
        self.assertEqual(team, self.appraisal | self.appraisal2)
        outsider_supervisor = new_test_user(
            self.env,
            login="scr_supervisor_outside",
            groups="base.group_user,sales_consultant_regulation.group_supervisor",
        )
        self.assertFalse(Appraisal.with_user(outsider_supervisor).search([("period_id", "=", self.feb.id)]))
        with self.assertRaises(AccessError):
            self.appraisal.with_user(outsider_supervisor).read(["total_score"])
        everyone = Appraisal.with_user(self.manager).search([("period_id", "=", self.feb.id)])
        self.assertEqual(everyone, self.appraisal | self.appraisal2)
        # sales plans likewise
        self.assertEqual(self.Target.with_user(self.consultant2).search([]).user_id, self.consultant2.browse())
        with self.assertRaises(AccessError):
            self.target.with_user(self.consultant2).read(["amount_target"])

    def test_r6_1_weights_must_total_100(self):
        amount = self.env.ref("sales_consultant_regulation.sale_appraisal_kpi_amount")
        margin = self.env.ref("sales_consultant_regulation.sale_appraisal_kpi_margin")
        # one weight changed alone would leave the set at 110: refused, nothing changed
        with self.assertRaises(ValidationError) as ctx:
            amount.with_user(self.manager).write({"weight": 35})
        self.assertIn("total 110", str(ctx.exception))
        self.assertEqual(amount.weight, 25)
        with self.assertRaises(ValidationError):
            margin.with_user(self.manager).write({"active": False})
        self.assertTrue(margin.active)
        # a set forged off 100 (as an older database may hold) still stops the periods
        with weight_set():
            amount.weight = 35
        with self.assertRaises(ValidationError) as ctx:
            self.mar.with_user(self.manager).action_open()
        self.assertIn("total 110", str(ctx.exception))
        with self.assertRaises(ValidationError):
            self.feb.with_user(self.supervisor).action_recompute()
        self.assertEqual(self.mar.state, "draft")
        with weight_set():
            margin.weight = 10
        self.mar.with_user(self.manager).action_open()
        self.assertEqual(self.mar.state, "open")

    def test_r6_1_weights_edited_as_a_set_with_the_running_total(self):
        amount = self.env.ref("sales_consultant_regulation.sale_appraisal_kpi_amount")
        margin = self.env.ref("sales_consultant_regulation.sale_appraisal_kpi_margin")
        with self.assertRaises(AccessError):
            self.env["sale.appraisal.kpi"].with_user(self.supervisor).action_edit_weights()
        action = self.env["sale.appraisal.kpi"].with_user(self.manager).action_edit_weights()
        wizard = self.env["sale.appraisal.kpi.weights"].with_user(self.manager).browse(action["res_id"])
        self.assertAlmostEqual(wizard.weight_total, 100.0)
        line_of = {line.kpi_id: line for line in wizard.line_ids}
        line_of[amount].weight = 15
        self.assertAlmostEqual(wizard.weight_total, 90.0)
        with self.assertRaises(UserError) as ctx:
            wizard.action_apply()
        self.assertIn("total 90", str(ctx.exception))
        self.assertEqual(amount.weight, 25)
        line_of[margin].weight = 30
        self.assertAlmostEqual(wizard.weight_total, 100.0)
        wizard.action_apply()
        self.assertEqual((amount.weight, margin.weight), (15, 30))

    def test_r6_1_nightly_job_tells_the_managers_why_a_period_stopped(self):
        """KPI weights off 100 (forged, as an older database may hold): every open period fails
        and each regulation manager gets one activity naming the cause, updated, not repeated."""
        with weight_set():
            self.env.ref("sales_consultant_regulation.sale_appraisal_kpi_amount").weight = 15
        with mute_logger("odoo.addons.sales_consultant_regulation.models.sale_appraisal_period_computation"):
            failed = self.Period._cron_recompute_open_periods()
            self.assertIn(self.feb, failed)
            self.Period._cron_recompute_open_periods()
        activity = self.feb.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(activity), 1)
        self.assertIn("total 90", str(activity.note))
        self.assertIn(self.feb.name, activity.summary)
        self.assertFalse(self.feb.activity_ids.filtered(lambda a: a.user_id == self.supervisor))

    def test_r6_1_recompute_follows_live_data(self):
        self._confirmed_order(self.consultant2, self.old_customer, 4, "2021-02-21 03:00:00")
        self.feb.with_user(self.supervisor).action_recompute()
        self.assertAlmostEqual(self.appraisal2.amount, 3000 + 4000)
        self.assertAlmostEqual(self.appraisal2.quantity, 3 + 4)
        # the cron recomputes the open periods too
        self.split_order._action_cancel()
        self.Period._cron_recompute_open_periods()
        self.assertAlmostEqual(self.appraisal.amount, 2000)

    def test_r6_1_line_opens_the_records_behind_the_figure(self):
        action = self._line(self.appraisal, "amount").with_user(self.consultant).action_open_records()
        self.assertEqual(action["res_model"], "sale.order")
        self.assertEqual(set(action["domain"][0][2]), {self.feb_order.id, self.split_order.id})
        action = self._line(self.appraisal2, "new_customers").with_user(self.supervisor).action_open_records()
        self.assertEqual(set(action["domain"][0][2]), {self.new_customer.id, self.foreign_customer.id})
        action = self._line(self.appraisal, "completion").action_open_records()
        self.assertEqual(action["res_model"], "sale.consultant.target")

    def test_r6_2_closed_period_refuses_writes_and_recompute(self):
        self.feb.with_user(self.manager).action_close()
        self.assertEqual(self.feb.state, "closed")
        frozen_amount = self.appraisal.amount
        self._confirmed_order(self.consultant, self.old_customer, 10, "2021-02-22 03:00:00")
        with self.assertRaises(UserError) as ctx:
            self.feb.with_user(self.supervisor).action_recompute()
        self.assertIn("closed", str(ctx.exception))
        with self.assertRaises(UserError):
            self.appraisal.with_user(self.manager).write({"eval_daily_score": 50})
        with self.assertRaises(UserError):
            self.appraisal.sudo().write({"amount": 1})
        with self.assertRaises(UserError):
            self.target.with_user(self.manager).write({"amount_target": 1})
        name = self.feb.name
        with self.assertRaises(UserError) as ctx:
            self.feb.with_user(self.manager).write({"name": "renamed"})
        self.assertIn("its name is fixed", str(ctx.exception))
        self.assertEqual(self.feb.name, name)
        self.Period._cron_recompute_open_periods()
        self.assertAlmostEqual(self.appraisal.amount, frozen_amount)
        # only a manager reopens, with a reason that is logged
        wizard = (
            self.env["sale.appraisal.period.reopen"]
            .with_user(self.manager)
            .create({"period_id": self.feb.id, "reason": "An order was dated in the wrong month."})
        )
        with self.assertRaises(AccessError):
            self.feb.with_user(self.supervisor)._reopen("no")
        wizard.action_confirm()
        self.assertEqual(self.feb.state, "open")
        self.assertIn("An order was dated in the wrong month.", self.feb.message_ids[0].body)
        self.feb.with_user(self.supervisor).action_recompute()
        self.assertAlmostEqual(self.appraisal.amount, frozen_amount + 10000)

    def test_r6_2_periods_of_one_type_never_overlap(self):
        with self.assertRaises(ValidationError) as ctx:
            self.Period.create({"period_type": "month", "date_from": "2021-02-15", "date_to": "2021-03-14"})
        self.assertIn("overlaps", str(ctx.exception))
        # another type may cover the same days; generating again adds nothing
        self.assertEqual(
            self.Period.search_count(
                [
                    ("company_id", "=", self.company.id),
                    ("date_from", ">=", "2021-01-01"),
                    ("date_to", "<=", "2021-12-31"),
                ]
            ),
            16,
        )
        self.env["sale.appraisal.period.generate"]._generate(2021, self.company, ("month", "quarter", "year"))
        self.assertEqual(
            self.Period.search_count(
                [
                    ("company_id", "=", self.company.id),
                    ("date_from", ">=", "2021-01-01"),
                    ("date_to", "<=", "2021-12-31"),
                ]
            ),
            17,
        )
        self.assertTrue(self.q1.rolls_up)
        self.assertEqual(self.q1.month_ids, self.jan | self.feb | self.mar)

    def test_r6_2_quarter_rolls_up_from_months(self):
        self._evaluate(self.appraisal, 80, 90, 100, 70)  # evaluation 90
        jan_appraisal = self._appraisal(self.jan, self.consultant)
        self._evaluate(jan_appraisal, 60, 60, 60, 50)  # evaluation 60
        self.mar.with_user(self.manager).action_open()
        self.q1.with_user(self.manager).action_open()
        quarter = self._appraisal(self.q1, self.consultant)
        self.assertAlmostEqual(quarter.amount, 1000 + 5000)
        self.assertAlmostEqual(quarter.new_customer_count, 1 + 0.6)
        self.assertAlmostEqual(quarter.evaluation_score, 75.0)
        self.assertAlmostEqual(quarter.satisfaction_score, 60.0)
        self.assertEqual(quarter.evaluation_weight, 2.0)
        # the quarter's target is the sum of its months' (only February has one)
        amount = self._line(quarter, "amount")
        self.assertEqual(amount.target, 4000)

    def test_r2_2_quarter_target_defaults_to_sum_of_months(self):
        self.Target.create({"user_id": self.consultant.id, "period_id": self.jan.id, "amount_target": 1500})
        quarter = self.Target.with_user(self.supervisor).create(
            {"user_id": self.consultant.id, "period_id": self.q1.id}
        )
        self.assertEqual(quarter.amount_target, 5500)
        self.assertEqual(quarter.margin_target, 2000)
        self.assertEqual(quarter.team_id, self.team)
        # the consultant writes the strategy of their own plan, not the targets
        self.target.with_user(self.consultant).write({"strategy": "<p>Visit every hotel in Kaohsiung.</p>"})
        with self.assertRaises(AccessError) as ctx:
            self.target.with_user(self.consultant).write({"amount_target": 10})
        self.assertIn("R2.2", str(ctx.exception))
        self.target.with_user(self.supervisor).write({"amount_target": 4500})
        self.assertEqual(self.target.amount_target, 4500)

    def test_r6_4_ranking_in_team_and_company(self):
        self.assertEqual((self.appraisal.rank_team, self.appraisal.rank_company), (1, 1))
        self.assertEqual((self.appraisal2.rank_team, self.appraisal2.rank_company), (2, 2))

    def _approve_all(self, period):
        for appraisal in period.appraisal_ids:
            self._evaluate(appraisal)
            appraisal.with_user(appraisal.user_id).action_acknowledge()
            appraisal.with_user(self.manager).action_approve()

    def test_r6_4_honours_granted_once_and_announced(self):
        BadgeUser = self.env["gamification.badge.user"]
        champion = self.env.ref("sales_consultant_regulation.badge_sales_champion")
        best = self.env.ref("sales_consultant_regulation.badge_best_consultant")
        channel = self.env.ref("mail.channel_all_employees")
        self.company.appraisal_channel_id = channel
        # consultant2 sells more once this order counts; the consultant keeps the best score
        self._confirmed_order(self.consultant2, self.old_customer, 4, "2021-02-21 03:00:00")
        self.feb.with_user(self.supervisor).action_recompute()
        self._evaluate(self.appraisal)
        self.appraisal.with_user(self.consultant).action_acknowledge()
        self.appraisal.with_user(self.manager).action_approve()
        self.assertFalse(self.feb.honours_granted)
        self.assertFalse(BadgeUser.search([("user_id", "in", (self.consultant | self.consultant2).ids)]))
        self._evaluate(self.appraisal2)
        self.appraisal2.with_user(self.consultant2).action_acknowledge()
        self.appraisal2.with_user(self.manager).action_approve()
        self.assertTrue(self.feb.honours_granted)
        self.assertEqual(self.feb.champion_user_id, self.consultant2)
        self.assertEqual(self.feb.best_user_id, self.consultant)
        granted = BadgeUser.search([("user_id", "in", (self.consultant | self.consultant2).ids)])
        self.assertEqual(
            {(g.user_id, g.badge_id) for g in granted}, {(self.consultant2, champion), (self.consultant, best)}
        )
        announcement = channel.message_ids[0]
        self.assertIn(self.consultant2.name, announcement.body)
        self.assertIn("Sales Champion", announcement.body)
        # granted once: approving again or resetting grants nothing more
        self.feb._check_all_approved()
        self.feb._grant_honours()
        self.assertEqual(BadgeUser.search_count([("user_id", "in", (self.consultant | self.consultant2).ids)]), 2)
        with self.assertRaises(UserError):
            self.appraisal.with_user(self.manager).action_reset_draft()

    def test_r6_1_queries_do_not_grow_with_consultants(self):
        """Recomputing a period costs the same number of queries for 2 or 7 consultants."""

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.feb._compute_appraisals()
            return self.env.cr.sql_log_count - before

        self.feb._compute_appraisals()
        few = count_queries()
        for index in range(5):
            user = new_test_user(
                self.env,
                login=f"scr_more_{index}",
                groups="base.group_user,sales_consultant_regulation.group_consultant",
            )
            self.team.crm_team_member_ids = [Command.create({"user_id": user.id})]
            self._confirmed_order(user, self.old_customer, 1 + index, "2021-02-18 03:00:00")
        self.feb._compute_appraisals()
        self.assertEqual(len(self.feb.appraisal_ids), 7)
        many = count_queries()
        self.assertEqual(many, few)

    def test_r6_xlsx_export_sheet_per_period_with_formulas(self):
        wizard = (
            self.env["sale.appraisal.export"]
            .with_user(self.supervisor)
            .create({"period_ids": [Command.set((self.jan | self.feb).ids)]})
        )
        action = wizard.action_export()
        self.assertIn("/file_data/", action["url"])
        content = base64.b64decode(wizard.file_data)
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            workbook = book.read("xl/workbook.xml").decode()
            self.assertEqual(re.findall(r'<sheet name="([^"]+)"', workbook), ["2021-01", "2021-02"])
            feb = book.read("xl/worksheets/sheet2.xml").decode()
            strings = book.read("xl/sharedStrings.xml").decode()
        self.assertIn("<f>SUM(C4:C5)</f>", feb)
        self.assertIn("Sales Amount", strings)
        self.assertIn("<v>5000</v>", feb)  # a number, not text

    def test_r6_scorecard_pdf_renders(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sales_consultant_regulation.report_sale_appraisal", self.appraisal.ids)[0]
            .decode()
        )
        self.assertIn("Scorecard", html)
        self.assertIn(self.consultant.name, html)
        self.assertIn("Sales Amount", html)

    def test_r2_2_consultant_dashboard_of_this_month(self):
        with freeze_time("2021-02-20 08:00:00"):
            action = self.env["sale.appraisal"].with_user(self.consultant).action_my_dashboard()
        lines = self.env["sale.appraisal.line"].with_user(self.consultant).search(action["domain"])
        self.assertEqual(lines, self.appraisal.line_ids)
        self.assertIn("2021-02", action["name"])

    def test_r6_2_period_dates_fixed_once_open(self):
        with self.assertRaises(UserError):
            self.feb.with_user(self.manager).write({"date_to": "2021-02-27"})
        with self.assertRaises(AccessError):
            self.mar.with_user(self.supervisor).action_open()
        with self.assertRaises(AccessError):
            self.feb.with_user(self.supervisor).action_close()
        self.assertTrue(fields.Datetime.now() >= self.feb.computed_at)


@tagged("post_install", "-at_install")
class TestLateDocuments(AppraisalCase):
    def test_r6_2_closed_period_lists_late_documents_without_changing_scores(self):
        """February closed; then an order of 3 x 1000 dated 22 February is made: one late
        document of 3000; the appraisal keeps its figures and score."""
        self._february_sales()
        self.env.flush_all()
        # the February documents were made before the close
        self.env.cr.execute("UPDATE sale_order SET create_date = create_date - interval '2 days'")
        self.feb.with_user(self.manager).action_open()
        appraisal = self.env["sale.appraisal"].search(
            [("period_id", "=", self.feb.id), ("user_id", "=", self.consultant.id)]
        )
        self.assertAlmostEqual(appraisal.amount, 2000 + 3000)
        frozen = (appraisal.amount, appraisal.total_score)
        self.feb.with_user(self.manager).action_close()
        self.assertTrue(self.feb.closed_date)
        self.assertEqual(self.feb.late_document_count, 0)
        late = self._confirmed_order(self.consultant, self.old_customer, 3, "2021-02-22 03:00:00")
        self.feb.invalidate_recordset(["late_document_count", "late_document_amount"])
        self.assertEqual(self.feb.late_document_count, 1)
        self.assertAlmostEqual(self.feb.late_document_amount, 3000.0)
        self.env["sale.appraisal.period"]._cron_recompute_open_periods()
        self.assertEqual((appraisal.amount, appraisal.total_score), frozen)
        with self.assertRaises(AccessError):
            self.feb.with_user(self.manager).write({"closed_date": False})
        self.assertTrue(self.feb.closed_date)
        late._action_cancel()
        self.feb.invalidate_recordset(["late_document_count", "late_document_amount"])
        self.assertEqual(self.feb.late_document_count, 0)
        # reopened, the period is recomputed from live data: nothing is late
        self.feb.with_user(self.manager)._reopen("A late order.")
        self.assertFalse(self.feb.closed_date)
        self.assertEqual(self.feb.late_document_count, 0)
