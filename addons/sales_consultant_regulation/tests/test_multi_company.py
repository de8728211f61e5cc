# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 13, finding 7: records never cross companies. A manager of the first company only
cannot link a record to the second company's; a manager of both cannot move a record from one
company to the other, directly or through the record it belongs to."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..models.base import workflow_action
from .common import RegulationCase

# AccessError (the record of the other company is not readable) is a UserError too.
REFUSED = UserError


@tagged("post_install", "-at_install")
class TestMultiCompany(RegulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company2 = cls.env["res.company"].create({"name": "SCR Second Company"})
        groups = "base.group_user,sales_consultant_regulation.group_regulation_manager"
        cls.manager.company_ids = [Command.set(cls.company.ids)]
        cls.manager_both = new_test_user(cls.env, login="scr_mc_manager_both", groups=groups)
        cls.manager_both.company_ids = [Command.set((cls.company | cls.company2).ids)]
        cls.manager_both.company_id = cls.company
        Period = cls.env["sale.appraisal.period"]
        values = {"period_type": "month", "date_from": "2020-05-01", "date_to": "2020-05-31"}
        cls.period1 = Period.create(dict(values, name="SCR MC 2020-05", company_id=cls.company.id))
        cls.period2 = Period.create(dict(values, name="SCR MC2 2020-05", company_id=cls.company2.id))
        Plan = cls.env["sale.incentive.plan"]
        cls.plan1 = Plan.create({"name": "SCR MC Plan", "company_id": cls.company.id})
        cls.plan2 = Plan.create(
            {"name": "SCR MC2 Plan", "company_id": cls.company2.id, "currency_id": cls.company2.currency_id.id}
        )
        cls.partner2 = cls.env["res.partner"].create({"name": "SCR MC2 Customer", "company_id": cls.company2.id})
        cls.partner1 = cls.env["res.partner"].create({"name": "SCR MC Customer", "company_id": cls.company.id})
        cls.target = cls.env["sale.consultant.target"].create(
            {"user_id": cls.consultant.id, "period_id": cls.period1.id, "amount_target": 1000}
        )
        cls.rate = cls.env["sale.incentive.rate"].create({"plan_id": cls.plan1.id, "rate": 2.0})
        cls.tier = cls.env["sale.incentive.tier"].create({"plan_id": cls.plan1.id, "threshold": 110.0})
        cls.complaint = cls.env["crm.customer.complaint"].create(
            {"subject": "SCR MC late", "partner_id": cls.partner1.id, "user_id": cls.consultant.id}
        )
        cls.document = cls.env["sale.confidential.document"].create(
            {"name": "SCR MC notes", "owner_id": cls.manager.id, "partner_id": cls.partner1.id}
        )

    def _assert_refused(self, record, vals, field, users=None):
        before = record[field]
        for user in users or (self.manager, self.manager_both):
            with self.subTest(model=record._name, user=user.login), self.assertRaises(REFUSED) as ctx:
                record.with_user(user).with_context(allowed_company_ids=user.company_ids.ids).write(vals)
            self.assertTrue(str(ctx.exception))
            record.invalidate_recordset()
            self.assertEqual(record[field], before)
            self.assertEqual(record.company_id, self.company)

    def test_r6_target_not_moved_to_other_company_period(self):
        self._assert_refused(self.target, {"period_id": self.period2.id}, "period_id")

    def test_r6_4_rate_and_tier_not_moved_to_other_company_plan(self):
        self._assert_refused(self.rate, {"plan_id": self.plan2.id}, "plan_id")
        self._assert_refused(self.tier, {"plan_id": self.plan2.id}, "plan_id")

    def test_r3_5_complaint_not_linked_to_other_company_customer(self):
        self._assert_refused(self.complaint, {"partner_id": self.partner2.id}, "partner_id")

    def test_r10_1_document_not_linked_to_other_company_customer(self):
        self._assert_refused(self.document, {"partner_id": self.partner2.id}, "partner_id")

    def test_r6_period_not_moved_to_other_company(self):
        self._assert_refused(self.period1, {"company_id": self.company2.id}, "company_id")

    def test_r6_the_refusal_names_the_companies(self):
        june = self.env["sale.appraisal.period"].create(
            {"name": "SCR MC 2020-06", "period_type": "month", "date_from": "2020-06-01", "date_to": "2020-06-30"}
        )
        with self.assertRaises(UserError) as ctx:
            june.with_user(self.manager_both).with_context(
                allowed_company_ids=(self.company | self.company2).ids
            ).write({"company_id": self.company2.id})
        self.assertIn(self.company.name, str(ctx.exception))
        self.assertIn(self.company2.name, str(ctx.exception))
        self.assertEqual(june.company_id, self.company)
        # a record of the company stays linkable
        self.target.with_user(self.manager).write({"amount_target": 2000})
        self.assertEqual(self.target.amount_target, 2000)

    def test_r6_4_plan_team_and_statement_period_of_the_plan_company(self):
        team2 = self.env["crm.team"].create({"name": "SCR MC2 Team", "company_id": self.company2.id})
        self._assert_refused(self.plan1, {"team_ids": [Command.link(team2.id)]}, "team_ids")
        Statement = self.env["sale.incentive.statement"]
        count = Statement.search_count([])
        values = {"plan_id": self.plan1.id, "period_id": self.period2.id, "user_id": self.consultant.id}
        as_manager = Statement.with_user(self.manager_both).with_context(
            allowed_company_ids=(self.company | self.company2).ids
        )
        # a user never creates statements (R6.4) ...
        with self.assertRaises(UserError):
            as_manager.create(values)
        # ... and the system does not make one of a plan of company 1 in a period of company 2
        with self.assertRaises(UserError) as ctx, workflow_action():
            as_manager.create(values)
        self.assertIn(self.period2.name, str(ctx.exception))
        self.assertEqual(Statement.search_count([]), count)
