# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 13: every workflow field changes only through its action, on every ORM path (create,
write, load), for every role, admin included; stored numbers are finite and in range; bad input
gets a user-facing error; racing users get a clear message."""

import base64
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import db_connect
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.base import workflow_action
from .common import IncentiveCase, SalesProcessCase

PDF = base64.b64encode(b"%PDF-1.4 signed").decode()


def _xmlid(record, name):
    record.env["ir.model.data"].sudo().create(
        {"module": "__scr_test__", "name": name, "model": record._name, "res_id": record.id}
    )
    return f"__scr_test__.{name}"


class OtherConnection:
    """A second database connection, as a second user's transaction would hold (not the test's
    cursor), rolled back when done."""

    def __init__(self, env):
        self.cr = db_connect(env.cr.dbname).cursor()

    def __enter__(self):
        return self.cr

    def __exit__(self, *exc):
        self.cr.rollback()
        self.cr.close()


@tagged("post_install", "-at_install")
class TestWorkflowGuard(IncentiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.manager2 = new_test_user(
            cls.env,
            login="scr_manager2",
            groups="base.group_user,sales_consultant_regulation.group_regulation_manager",
        )
        if cls.regulation:
            cls.env["sale.regulation.acknowledgement"].create(
                {"regulation_id": cls.regulation.id, "user_id": cls.manager2.id}
            )

    def _approved_statement(self, period, user):
        self._compute(period)
        statement = self._statement(period, user)
        statement.with_user(self.manager).action_confirm()
        statement.with_user(self.manager).action_approve()
        return statement

    # ------------------------------------------------------------------ R6.2 periods

    def test_r6_2_closed_period_state_not_writable(self):
        """write() and load() of a closed period's state are refused, admin included; the
        period stays closed and nothing is logged."""
        self.jan.with_user(self.manager).action_close()
        messages = len(self.jan.message_ids)
        for user in (self.manager, self.admin):
            with self.assertRaises(AccessError) as ctx:
                self.jan.with_user(user).write({"state": "open"})
            self.assertIn("only through the record's actions", str(ctx.exception))
        xmlid = _xmlid(self.jan, "jan")
        with mute_logger("odoo.models"):
            result = self.Period.with_user(self.manager).load(["id", "state"], [[xmlid, "open"]])
        self.assertFalse(result["ids"])
        self.assertTrue(any(m["type"] == "error" for m in result["messages"]))
        self.assertEqual(self.jan.state, "closed")
        self.assertEqual(len(self.jan.message_ids), messages)

    def test_r6_2_closed_period_dates_type_company_fixed(self):
        self.jan.with_user(self.manager).action_close()
        company2 = self.env["res.company"].create({"name": "SCR Other Company"})
        for vals in ({"date_to": "2021-02-28"}, {"period_type": "quarter"}, {"company_id": company2.id}):
            with self.assertRaises(UserError):
                self.jan.with_user(self.manager).write(vals)
        self.assertEqual(str(self.jan.date_to), "2021-01-31")
        self.assertEqual((self.jan.period_type, self.jan.company_id), ("month", self.company))

    def test_r6_2_reopen_only_with_logged_reason(self):
        self.jan.with_user(self.manager).action_close()
        with self.assertRaises(UserError):
            self.jan.with_user(self.manager)._reopen("  ")
        self.assertEqual(self.jan.state, "closed")
        wizard = (
            self.env["sale.appraisal.period.reopen"]
            .with_user(self.manager)
            .create({"period_id": self.jan.id, "reason": "Late credit note"})
        )
        wizard.action_confirm()
        self.assertEqual(self.jan.state, "open")
        self.assertIn("Late credit note", self.jan.message_ids[0].body)

    def test_r6_2_period_created_open_refused(self):
        count = self.Period.search_count([])
        with self.assertRaises(AccessError):
            self.Period.with_user(self.admin).create(
                {"period_type": "month", "date_from": "2030-01-01", "date_to": "2030-01-31", "state": "closed"}
            )
        with self.assertRaises(AccessError):
            self.Period.with_user(self.manager).with_context(default_state="closed").create(
                {
                    "period_type": "month",
                    "date_from": "2030-01-01",
                    "date_to": "2030-01-31",
                    "computed_at": "2030-01-01",
                }
            )
        # a default_state key of the context does not set the state either
        period = (
            self.Period.with_user(self.manager)
            .with_context(default_state="closed")
            .create({"period_type": "month", "date_from": "2030-02-01", "date_to": "2030-02-28"})
        )
        self.assertEqual(period.state, "draft")
        self.assertEqual(self.Period.search_count([]), count + 1)

    # ------------------------------------------------------------------ R6.4 statements

    def test_r6_4_statement_created_by_system_only(self):
        Statement = self.env["sale.incentive.statement"]
        count = Statement.search_count([])
        for user in (self.manager, self.admin):
            with self.assertRaises(AccessError) as ctx:
                Statement.with_user(user).create(
                    {
                        "plan_id": self.plan.id,
                        "period_id": self.mar.id,
                        "user_id": self.manager.id,
                        "state": "approved",
                        "total": 1e6,
                        "approved_by_id": self.manager.id,
                    }
                )
            self.assertIn("made by the system", str(ctx.exception))
        with mute_logger("odoo.models"):
            result = Statement.with_user(self.manager).load(
                ["plan_id/.id", "period_id/.id", "user_id/.id", "state"],
                [[str(self.plan.id), str(self.mar.id), str(self.manager.id), "approved"]],
            )
        self.assertFalse(result["ids"])
        self.assertEqual(Statement.search_count([]), count)

    def test_r6_4_statement_state_totals_not_writable(self):
        self._compute(self.feb)
        statement = self._statement(self.feb, self.consultant)
        total = statement.total
        for user in (self.manager, self.admin):
            for vals in ({"state": "approved"}, {"total": 1e6}, {"approved_by_id": user.id}):
                with self.assertRaises(AccessError):
                    statement.with_user(user).write(vals)
        self.assertEqual((statement.state, statement.total), ("draft", total))
        self.assertFalse(statement.approved_by_id)

    def test_r6_4_approver_is_not_beneficiary(self):
        """A manager does not adjust, approve or pay his own statement; another manager does."""
        self.team.crm_team_member_ids = [Command.create({"user_id": self.manager.id})]
        self.manager.groups_id = [Command.link(self.env.ref("sales_consultant_regulation.group_consultant").id)]
        self._compute(self.feb)
        own = self._statement(self.feb, self.manager)
        self.assertTrue(own)
        Line = self.env["sale.incentive.statement.line"]
        with self.assertRaises(AccessError):
            Line.with_user(self.manager).create(
                {"statement_id": own.id, "line_type": "adjustment", "amount": 500.0, "reason": "Mine"}
            )
        own.with_user(self.manager).action_confirm()
        with self.assertRaises(AccessError):
            own.with_user(self.manager).action_approve()
        self.assertEqual(own.state, "confirmed")
        self.assertFalse(own.line_ids.filtered(lambda line: line.line_type == "adjustment"))
        own.with_user(self.manager2).action_approve()
        self.assertEqual((own.state, own.approved_by_id), ("approved", self.manager2))
        with self.assertRaises(AccessError):
            own.with_user(self.manager)._pay("PAY-1")
        self.assertEqual(own.state, "approved")

    def test_r6_4_lines_never_moved_into_or_out_of_approved_statement(self):
        approved = self._approved_statement(self.feb, self.consultant)
        total, lines = approved.total, approved.line_ids
        self._compute(self.mar)
        draft = self._statement(self.mar, self.consultant)
        Line = self.env["sale.incentive.statement.line"].with_user(self.manager)
        adjustment = Line.create(
            {"statement_id": draft.id, "line_type": "adjustment", "amount": 50.0, "reason": "Fair"}
        )
        with self.assertRaises(UserError):
            adjustment.write({"statement_id": approved.id})
        xmlid = _xmlid(adjustment, "adjustment")
        with mute_logger("odoo.models"):
            result = Line.load(["id", "statement_id/.id"], [[xmlid, str(approved.id)]])
        self.assertFalse(result["ids"])
        with self.assertRaises(UserError):
            Line.create({"statement_id": approved.id, "line_type": "adjustment", "amount": 9.0, "reason": "Late"})
        with self.assertRaises(UserError):
            approved.line_ids[:1].with_user(self.manager).write({"statement_id": draft.id})
        with self.assertRaises(UserError):
            approved.line_ids[:1].sudo().unlink()
        self.assertEqual(adjustment.statement_id, draft)
        self.assertEqual((approved.line_ids, approved.total), (lines, total))
        self.assertAlmostEqual(sum(approved.line_ids.mapped("amount")), total)

    # ------------------------------------------------------------------ sane values

    def test_r6_1_nan_and_infinity_refused_on_every_path(self):
        kpi = self.env["sale.appraisal.kpi"].search([], limit=1)
        cap = kpi.cap_percent
        for value in (float("nan"), float("inf"), "nan", "-inf"):
            with self.assertRaises(ValidationError) as ctx:
                kpi.with_user(self.manager).write({"cap_percent": value})
            self.assertIn("finite", str(ctx.exception))
        xmlid = _xmlid(kpi, "kpi")
        with mute_logger("odoo.models"):
            result = kpi.with_user(self.manager).load(["id", "cap_percent"], [[xmlid, "nan"]])
        self.assertFalse(result["ids"])
        tier = self.plan.tier_ids[:1]
        with self.assertRaises(ValidationError):
            tier.with_user(self.manager).write({"threshold": float("inf")})
        with self.assertRaises(ValidationError):
            self.company.write({"regulation_discount_limit": float("nan")})
        with self.assertRaises(ValidationError):
            self.env["sale.consultant.target"].with_user(self.manager).create(
                {"user_id": self.consultant2.id, "period_id": self.mar.id, "amount_target": float("inf")}
            )
        self.assertEqual(kpi.cap_percent, cap)
        self.assertEqual(self.company.regulation_discount_limit, 10.0)

    def test_r6_1_values_out_of_range_named(self):
        cases = [
            (self.plan.tier_ids[:1], {"threshold": -5}, "From Completion"),
            (self.plan.rate_ids[:1], {"rate": 250}, "Rate"),
            (self.company, {"regulation_discount_limit": 150}, "Discount Limit"),
            (self.env["sale.appraisal.kpi"].search([], limit=1), {"weight": 120}, "Weight"),
        ]
        for record, vals, label in cases:
            before = record.read(list(vals))[0]
            with self.assertRaises(ValidationError) as ctx:
                record.write(vals)
            self.assertIn(label, str(ctx.exception))
            self.assertIn("must be", str(ctx.exception))
            self.assertEqual(record.read(list(vals))[0], before)

    def test_r6_1_nightly_job_goes_on_after_a_bad_period(self):
        """One period failing (here its figures raise) is logged and the regulation managers get an
        activity on it naming the cause; the others are recomputed."""
        Period = type(self.Period)
        original = Period._figures
        bad = self.jan

        def figures(period, appraisals):
            if period == bad:
                raise ValueError("cannot convert float NaN to integer")
            return original(period, appraisals)

        with workflow_action():
            (self.jan | self.feb).sudo().write({"computed_at": False})
        with (
            patch.object(Period, "_figures", figures),
            mute_logger("odoo.addons.sales_consultant_regulation.models.sale_appraisal_period_computation"),
        ):
            failed = self.Period._cron_recompute_open_periods()
        self.assertEqual(failed, bad)
        self.assertFalse(bad.computed_at)
        self.assertTrue(self.feb.computed_at)
        activity = bad.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertIn("nightly recompute", str(activity.note))
        self.assertIn("cannot convert float NaN to integer", str(activity.note))

    # ------------------------------------------------------------------ clean errors

    def test_r6_2_period_generator_bad_year(self):
        Generate = self.env["sale.appraisal.period.generate"].with_user(self.manager)
        count = self.Period.search_count([])
        for year in (0, 1, 99999):
            with self.assertRaises(UserError):
                Generate._generate(year, self.company)
            with self.assertRaises(ValidationError):
                Generate.create({"year": year})
        with self.assertRaises(ValidationError):
            self.env["sale.regulation.holiday.import"].create({"year": 1})
        self.assertEqual(self.Period.search_count([]), count)

    # ------------------------------------------------------------------ races

    def test_r6_2_period_opened_by_two_users(self):
        period = self._period("2021-04")
        with OtherConnection(self.env) as other:
            other.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"sale.appraisal.period:state:{period.id}"])
            with self.assertRaises(UserError) as ctx:
                period.with_user(self.manager).action_open()
            self.assertIn("by someone else", str(ctx.exception))
        self.assertEqual(period.state, "draft")
        self.assertFalse(period.appraisal_ids)
        period.with_user(self.manager).action_open()
        self.assertEqual(period.state, "open")

    def test_r6_4_same_new_statements_computed_by_two_users(self):
        self.assertFalse(self._statement(self.mar, self.consultant))
        with OtherConnection(self.env) as other:
            other.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                [f"sale.incentive.plan:statements:{self.mar.id}:{self.plan.id}"],
            )
            with self.assertRaises(UserError) as ctx:
                self._compute(self.mar)
            self.assertIn("by someone else", str(ctx.exception))
        self.assertFalse(self._statement(self.mar, self.consultant))

    def test_r6_4_unique_insert_lost_race_is_a_clear_message(self):
        """The other user committed the same new statements first (the search did not see them):
        the loser reads a message, not the database's constraint, and nothing is duplicated."""
        self._compute(self.mar)
        Statement = type(self.env["sale.incentive.statement"])
        original = Statement.search
        plan = self.plan

        def stale_search(model, domain, *args, **kwargs):
            if domain and domain[0] == ("plan_id", "=", plan.id):
                return model.browse()
            return original(model, domain, *args, **kwargs)

        with patch.object(Statement, "search", stale_search), mute_logger("odoo.sql_db"):
            with self.assertRaises(UserError) as ctx:
                self._compute(self.mar)
        self.assertIn("by someone else", str(ctx.exception))
        self.assertEqual(len(self._statement(self.mar, self.consultant)), 1)


@tagged("post_install", "-at_install")
class TestContractReviewGuard(SalesProcessCase):
    def test_r4_6_review_fields_not_writable_by_anyone(self):
        """The reviewer's fields and items are not written by the salesperson (nor by admin);
        confirmation stays refused."""
        self.env.company.regulation_discount_limit = 10
        order = self._order(signed_contract=PDF)
        order.order_line[0].discount = 40
        admin = self.env.ref("base.user_admin")
        forged = {
            "review_state": "passed",
            "reviewer_id": self.supervisor.id,
            "review_date": "2026-12-01 08:00:00",
            "discount_approved_by_id": self.supervisor.id,
            "discount_approved_max": 100.0,
        }
        for user in (self.consultant, admin):
            for name, value in forged.items():
                with self.assertRaises(AccessError):
                    order.with_user(user).write({name: value})
        manual = order.review_line_ids.filtered(lambda line: not line.is_automatic)
        self.assertTrue(manual)
        with self.assertRaises(AccessError):
            manual.with_user(self.consultant).write({"checked": True})
        with self.assertRaises(AccessError):
            manual.with_user(self.supervisor).write({"checked_user_id": self.supervisor.id})
        self.assertFalse(any(manual.mapped("checked")))
        self.assertEqual(order.review_state, "to_review")
        self.assertFalse(order.reviewer_id | order.discount_approved_by_id)
        with self.assertRaises(ValidationError):
            order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "draft")
        # the reviewer ticks, passes and approves: then the salesperson confirms
        manual.with_user(self.supervisor).write({"checked": True})
        self.assertEqual(manual.checked_user_id, self.supervisor)
        order.with_user(self.supervisor).action_review_pass()
        order.with_user(self.supervisor).action_approve_discount()
        order.with_user(self.consultant).action_confirm()
        self.assertEqual((order.state, order.reviewer_id), ("sale", self.supervisor))

    def test_r2_4_discount_not_approved_by_a_beneficiary(self):
        self.env.company.regulation_discount_limit = 10
        order = self._order(signed_contract=PDF)
        order.order_line[0].discount = 40
        order.sudo().consultant_share_ids = [
            Command.clear(),
            Command.create({"user_id": self.consultant.id, "percent": 50}),
            Command.create({"user_id": self.supervisor.id, "percent": 50}),
        ]
        with self.assertRaises(AccessError):
            order.with_user(self.supervisor).action_approve_discount()
        self.assertFalse(order.discount_approved_by_id)

    def test_r4_6_quotation_confirmed_by_two_users(self):
        order = self._order(signed_contract=PDF)
        order._review_tick_manual_items()
        order.with_user(self.supervisor).action_review_pass()
        with OtherConnection(self.env) as other:
            other.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"sale.order:confirm:{order.id}"])
            with self.assertRaises(UserError) as ctx:
                order.with_user(self.consultant).action_confirm()
            self.assertIn("by someone else", str(ctx.exception))
        self.assertEqual(order.state, "draft")
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "sale")

    # ------------------------------------------------------------------ clean errors (finding 9)

    def test_r3_5_unknown_state_is_a_clean_error(self):
        complaint = (
            self.env["crm.customer.complaint"]
            .with_user(self.consultant)
            .create({"subject": "Broken desk", "partner_id": self.customer.id})
        )
        feedback = self.env["crm.market.feedback"].with_user(self.consultant).create({"name": "Rival price"})
        for record in (complaint, feedback):
            for user in (self.consultant, self.env.ref("base.user_admin")):
                with self.assertRaises(UserError):
                    record.with_user(user).write({"state": "approved"})
            self.assertEqual(record.state, "new")

    def test_r8_1_training_plan_without_dates_is_a_clean_error(self):
        plan = self.env["sale.training.plan"].create(
            {"name": "Product week", "date_from": "2026-01-01", "date_to": "2026-01-31"}
        )
        for vals in ({"date_from": False}, {"date_to": None}, {"date_from": "not a date"}, {"date_from": 42}):
            with self.assertRaises(ValidationError):
                plan.write(vals)
        self.assertEqual(str(plan.date_from), "2026-01-01")

    def test_r7_1_share_with_a_wrong_order_is_a_clean_error(self):
        Share = self.env["sale.order.consultant.share"].with_user(self.supervisor)
        order = self._order()
        count = Share.search_count([])
        for value in ([order.id], True, "abc", -1, 2**40, order.id + 10**6):
            with self.assertRaises(ValidationError):
                Share.create({"order_id": value, "user_id": self.consultant.id, "percent": 10})
        self.assertEqual(Share.search_count([]), count)

    def test_r10_malformed_x2many_commands_are_clean_errors(self):
        document = self.env["sale.confidential.document"].create(
            {"name": "Price list", "classification": "internal", "owner_id": self.consultant.id}
        )
        plan = self.env["sale.training.plan"].create(
            {"name": "Product week", "date_from": "2026-01-01", "date_to": "2026-01-31"}
        )
        session = self.env["sale.training.session"].create(
            {"name": "Desks", "plan_id": plan.id, "date": "2026-01-10 09:00:00", "attendee_ids": [Command.set([])]}
        )
        export = self.env["sale.incentive.statement.export"]
        bad_values = [[(9, 0)], [(6, 0, "x")], "abc", [(4,)], [(1, 5)], [(0, 0, "x")], [("a", 1)], [(4, -3)], 7]
        for value in bad_values:
            with self.assertRaises(ValidationError):
                document.write({"allowed_user_ids": value})
            with self.assertRaises(ValidationError):
                session.write({"attendee_ids": value})
            with self.assertRaises(ValidationError):
                export.create({"statement_ids": value})
        self.assertFalse(document.allowed_user_ids)
        self.assertFalse(session.attendee_ids)


@tagged("post_install", "-at_install")
class TestWorkflowGuardRpc(HttpCase):
    """The same refusals over JSON-RPC, as an insider's script would call them."""

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_r6_2_rpc_state_write_and_load_refused(self):
        manager = new_test_user(
            self.env,
            login="scr_rpc_manager",
            password="scr_rpc_manager_pwd",
            groups="base.group_user,sales_consultant_regulation.group_regulation_manager",
        )
        period = self.env["sale.appraisal.period"].create(
            {"period_type": "month", "date_from": "2033-01-01", "date_to": "2033-01-31"}
        )
        with workflow_action():
            period.state = "closed"
        self.authenticate(manager.login, "scr_rpc_manager_pwd")
        with self.assertRaises(JsonRpcException) as ctx, mute_logger("odoo.http"):
            self._call("sale.appraisal.period", "write", [period.ids, {"state": "open"}])
        self.assertEqual(ctx.exception.args[0], "odoo.exceptions.AccessError")
        # a context key does not open the gate
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self._call(
                "sale.appraisal.period",
                "write",
                [period.ids, {"state": "open"}],
                {"context": {"sales_regulation_workflow_action": True, "workflow_action": True}},
            )
        xmlid = _xmlid(period, "rpc_period")
        result = self._call("sale.appraisal.period", "load", [["id", "state"], [[xmlid, "open"]]])
        self.assertFalse(result["ids"])
        with self.assertRaises(JsonRpcException) as ctx, mute_logger("odoo.http"):
            self._call(
                "sale.appraisal.kpi",
                "create",
                [{"name": "NaN cap", "measure": "amount", "weight": 0, "cap_percent": "nan"}],
            )
        self.assertEqual(ctx.exception.args[0], "odoo.exceptions.ValidationError")
        period.invalidate_recordset()
        self.assertEqual(period.state, "closed")
