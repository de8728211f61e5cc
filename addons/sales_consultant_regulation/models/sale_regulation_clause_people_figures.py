# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Compliance figures of the clauses on the consultants themselves (R1, R6, R8-R10):
acknowledgements, teams, appraisals, statements, shares, attendance, exports, confidential
documents and training."""

from odoo import api, models
from odoo.tools import SQL

from .sale_regulation import CONSULTANT


class SaleRegulationClause(models.Model):
    _inherit = "sale.regulation.clause"

    @api.model
    def _compliance_consultant_domain(self, company):
        """Consultants and supervisors of the company, as the acknowledgement gate sees them."""
        return self.env["sale.regulation"]._gated_users_domain(company)

    @api.model
    def _compliance_acknowledgement(self, company, date_from, date_to):
        """R1.3: consultants and supervisors who acknowledged the version in force."""
        regulation = self.env["sale.regulation"]._current(company)
        if not regulation:
            return self._compliance_figure(0, 0, "", self.env._("No regulation is in force."))
        domain = self._compliance_consultant_domain(company)
        total = self.env["res.users"].search_count(domain)
        count = self.env["sale.regulation.acknowledgement"].search_count(
            [("regulation_id", "=", regulation.id), ("user_id", "any", domain)]
        )
        return self._compliance_figure(
            count,
            total,
            self.env._(
                "%(count)s of %(total)s consultants and supervisors acknowledged version %(version)s",
                count=count,
                total=total,
                version=regulation.version,
            ),
            self.env._("No consultant or supervisor to acknowledge the regulation."),
        )

    @api.model
    def _compliance_consultant_team(self, company, date_from, date_to):
        """R1.2: consultants and supervisors who belong to, or lead, a regulated sales team."""
        domain = self._compliance_consultant_domain(company)
        total = self.env["res.users"].search_count(domain)
        regulated_teams = self.env["crm.team"]._search([("regulation_enabled", "=", True)])
        count = self.env["res.users"].search_count(
            [
                *domain,
                "|",
                ("crm_team_member_ids.crm_team_id.regulation_enabled", "=", True),
                ("id", "in", regulated_teams.subselect("user_id")),
            ]
        )
        return self._compliance_figure(
            count,
            total,
            self.env._(
                "%(count)s of %(total)s consultants and supervisors are in a regulated team",
                count=count,
                total=total,
            ),
            self.env._("No consultant or supervisor yet."),
        )

    @api.model
    def _compliance_appraisal_evaluated(self, company, date_from, date_to):
        """R6.1-R6.3: appraisals of closed periods ending in the period that the supervisor
        evaluated (evaluated, acknowledged or approved)."""
        groups = self.env["sale.appraisal"]._read_group(
            [
                ("company_id", "=", company.id),
                ("period_id.state", "=", "closed"),
                ("date_to", ">=", date_from),
                ("date_to", "<=", date_to),
            ],
            ["state"],
            ["__count"],
        )
        total = sum(n for __, n in groups)
        count = sum(n for state, n in groups if state != "draft")
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s appraisals of closed periods evaluated", count=count, total=total),
            self.env._("No appraisal period closed in the period."),
        )

    @api.model
    def _compliance_statement_approved(self, company, date_from, date_to):
        """R6.4: incentive statements of periods ending in the period that a manager approved."""
        groups = self.env["sale.incentive.statement"]._read_group(
            [("company_id", "=", company.id), ("date_to", ">=", date_from), ("date_to", "<=", date_to)],
            ["state"],
            ["__count"],
        )
        total = sum(n for __, n in groups)
        count = sum(n for state, n in groups if state in ("approved", "paid"))
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s incentive statements approved", count=count, total=total),
            self.env._("No incentive statement for the period."),
        )

    @api.model
    def _compliance_consultant_share(self, company, date_from, date_to):
        """R7.1: regulated orders confirmed in the period whose consultant shares total 100 %."""
        count, total = self._compliance_order_sql(
            company,
            *self._compliance_bounds(date_from, date_to),
            "date_order",
            SQL("round(o.consultant_share_total::numeric, 2) = 100"),
        )
        return self._compliance_figure(
            count,
            total,
            self.env._(
                "%(count)s of %(total)s regulated orders credited 100 %% to their consultants",
                count=count,
                total=total,
            ),
            self.env._("No regulated order confirmed in the period."),
        )

    @api.model
    def _compliance_attendance_on_time(self, company, date_from, date_to):
        """R9.1: attendances of consultants in the period without lateness nor early leave."""
        Attendance = self.env["hr.attendance"]
        domain = [
            ("employee_id.company_id", "=", company.id),
            ("employee_id.user_id.groups_id", "in", self.env.ref(CONSULTANT).ids),
            ("regulation_date", ">=", date_from),
            ("regulation_date", "<=", date_to),
        ]
        total = Attendance.search_count(domain)
        count = Attendance.search_count(
            [*domain, ("regulation_late_minutes", "=", 0), ("regulation_early_leave_minutes", "=", 0)]
        )
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s attendances without lateness or early leave", count=count, total=total),
            self.env._("No attendance of a consultant in the period."),
        )

    @api.model
    def _compliance_export_allowed(self, company, date_from, date_to):
        """R9.4, R10.2: exports of the period within the user's rights and the company's limit."""
        start, stop = self._compliance_bounds(date_from, date_to)
        groups = self.env["sale.export.log"]._read_group(
            [("company_id", "=", company.id), ("date", ">=", start), ("date", "<", stop)], ["state"], ["__count"]
        )
        total = sum(n for __, n in groups)
        count = sum(n for state, n in groups if state == "done")
        return self._compliance_figure(
            count,
            total,
            self.env._(
                "%(count)s of %(total)s exports within the rules, %(refused)s refused",
                count=count,
                total=total,
                refused=total - count,
            ),
            self.env._("No export in the period."),
        )

    @api.model
    def _compliance_secret_access_reason(self, company, date_from, date_to):
        """R10.1: openings of secret documents in the period that give a reason."""
        start, stop = self._compliance_bounds(date_from, date_to)
        Log = self.env["sale.confidential.access.log"]
        domain = [
            ("company_id", "in", [False, company.id]),
            ("classification", "=", "secret"),
            ("date", ">=", start),
            ("date", "<", stop),
        ]
        total = Log.search_count(domain)
        count = Log.search_count([*domain, ("reason", "!=", False)])
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s openings of secret documents give a reason", count=count, total=total),
            self.env._("No secret document opened in the period."),
        )

    @api.model
    def _compliance_training_passed(self, company, date_from, date_to):
        """R8.4: evaluations of the training sessions held in the period that passed."""
        start, stop = self._compliance_bounds(date_from, date_to)
        groups = self.env["sale.training.evaluation"]._read_group(
            [
                ("company_id", "in", [False, company.id]),
                ("session_state", "=", "done"),
                ("date", ">=", start),
                ("date", "<", stop),
            ],
            ["passed"],
            ["__count"],
        )
        total = sum(n for __, n in groups)
        count = sum(n for passed, n in groups if passed)
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s training evaluations passed", count=count, total=total),
            self.env._("No training session held in the period."),
        )
