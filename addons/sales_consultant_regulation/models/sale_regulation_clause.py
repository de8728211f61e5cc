# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from . import regulation_day
from .sale_regulation import CONSULTANT, SUPERVISOR

# The compliance period when the context names none: the last 30 days, today included.
COMPLIANCE_DAYS = 30

COMPLIANCE_KEYS = [
    ("acknowledgement", "Regulation acknowledged"),
    ("consultant_team", "Consultants in a regulated team"),
    ("lead_channel", "Leads with a channel"),
    ("lead_checklist", "Stage moves without an override"),
    ("file_completeness", "Customer file completeness"),
    ("customer_class", "Customers classified"),
    ("complaint_deadline", "Complaints within their deadlines"),
    ("contract_review", "Contracts reviewed by another user"),
    ("delivery_on_time", "Deliveries on time"),
    ("satisfaction_answered", "Return-visit surveys answered"),
    ("appraisal_evaluated", "Appraisals evaluated"),
    ("statement_approved", "Incentive statements approved"),
    ("consultant_share", "Orders fully credited"),
    ("attendance_on_time", "Attendances on time"),
    ("export_allowed", "Exports within the rules"),
    ("secret_access_reason", "Secret documents opened with a reason"),
    ("objection_resolved", "Objections resolved"),
    ("training_passed", "Training evaluations passed"),
    ("feedback_answered", "Market feedback answered"),
]


class SaleRegulationClause(models.Model):
    """One clause of a regulation version (R1.1 ... R10.2), with how the module enforces or
    measures it: the traceability from the written rule to its mechanism, its compliance
    figure and the tests that prove it (docs/architecture.md, principle 6)."""

    _name = "sale.regulation.clause"
    _description = "Regulation Clause"
    _order = "regulation_id, sequence, id"

    regulation_id = fields.Many2one("sale.regulation", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, help="The clause's id, e.g. R10.2.")
    chapter = fields.Char(translate=True, help="The chapter of the regulation, e.g. R10 Confidentiality.")
    name = fields.Char(string="Title", required=True, translate=True)
    text = fields.Text(translate=True, help="What the clause says.")
    rule_type = fields.Selection(
        [("hard", "Hard Rule"), ("soft", "Soft Rule")],
        string="Kind",
        required=True,
        default="soft",
        help="Hard rules (data, stages, access, money) are enforced on the server for every path; soft rules "
        "(courtesy, tidiness) are measured or reminded.",
    )
    mechanism = fields.Text(translate=True, help="How the module enforces or measures the clause.")
    state = fields.Selection(related="regulation_id.state")
    compliance_key = fields.Selection(
        COMPLIANCE_KEYS,
        string="Compliance Figure",
        help="The figure that measures how well the clause is followed, computed from the live data of the "
        "regulation's company. Empty: not measured.",
    )
    compliance_rate = fields.Float(
        string="Compliance (%)",
        compute="_compute_compliance",
        digits=(5, 2),
        groups=SUPERVISOR,
        help="The compliance figure over the period (by default the last 30 days).",
    )
    compliance_count = fields.Integer(string="Compliant", compute="_compute_compliance", groups=SUPERVISOR)
    compliance_total = fields.Integer(string="Measured", compute="_compute_compliance", groups=SUPERVISOR)
    compliance_detail = fields.Char(compute="_compute_compliance", groups=SUPERVISOR)
    test_names = fields.Text(
        string="Tests",
        help="The automated tests that prove the clause, one dotted test method per line "
        "(module.Class.method of the addon's tests).",
    )

    _sql_constraints = [
        ("code_unique", "unique(regulation_id, code)", "A regulation has each clause once."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for clause in self:
            clause.display_name = f"{clause.code} {clause.name}" if clause.code else clause.name

    @api.depends("compliance_key", "regulation_id.company_id")
    @api.depends_context("company", "compliance_date_from", "compliance_date_to")
    def _compute_compliance(self):
        """Each figure once per key and company, whatever the number of clauses sharing it: a
        constant number of queries for the whole recordset."""
        date_from, date_to = self._compliance_period()
        figures = {}
        for clause in self:
            if not clause.compliance_key:
                clause.compliance_rate = 0.0
                clause.compliance_count = clause.compliance_total = 0
                clause.compliance_detail = self.env._("Not measured")
                continue
            # sudo: the version's company decides whose data is measured, even for a reader
            # who may not open that version
            company = clause.sudo().regulation_id.company_id or self.env.company
            key = (clause.compliance_key, company)
            if key not in figures:
                # sudo: a compliance figure counts the whole company's records, whatever the
                # reader's record rules; only counts leave this method, never records
                method = getattr(self.sudo().with_company(company), f"_compliance_{clause.compliance_key}")
                figures[key] = method(company, date_from, date_to)
            count, total, rate, detail = figures[key]
            clause.compliance_count = count
            clause.compliance_total = total
            clause.compliance_rate = rate
            clause.compliance_detail = detail

    # ------------------------------------------------------------------ compliance figures

    @api.model
    def _compliance_period(self):
        """The period of the figures: context keys ``compliance_date_from`` and
        ``compliance_date_to`` (dates, both included), the last 30 days by default."""
        today = regulation_day.today(self.env)
        date_to = fields.Date.to_date(self.env.context.get("compliance_date_to")) or today
        date_from = fields.Date.to_date(self.env.context.get("compliance_date_from")) or (
            date_to - timedelta(days=COMPLIANCE_DAYS - 1)
        )
        return date_from, date_to

    @api.model
    def _compliance_bounds(self, date_from, date_to):
        """The period as datetimes: [first day 00:00, day after the last 00:00)."""
        return datetime.combine(date_from, time.min), datetime.combine(date_to + timedelta(days=1), time.min)

    @api.model
    def _compliance_figure(self, count, total, detail, empty):
        """(count, total, rate, detail): the rate in percent, 0 and the ``empty`` sentence when
        nothing was measured."""
        if not total:
            return 0, 0, 0.0, empty
        return count, total, round(100.0 * count / total, 2), detail

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

    def _compliance_lead_domain(self, company, start, stop, date_field):
        return [
            ("company_id", "in", [False, company.id]),
            ("team_id.regulation_enabled", "=", True),
            (date_field, ">=", start),
            (date_field, "<", stop),
        ]

    @api.model
    def _compliance_lead_channel(self, company, date_from, date_to):
        """R3.1: regulated leads created in the period with their channel (source or medium)."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        domain = self._compliance_lead_domain(company, *self._compliance_bounds(date_from, date_to), "create_date")
        total = Lead.search_count(domain)
        count = Lead.search_count([*domain, "|", ("source_id", "!=", False), ("medium_id", "!=", False)])
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s new regulated leads name their channel", count=count, total=total),
            self.env._("No regulated lead created in the period."),
        )

    @api.model
    def _compliance_lead_checklist(self, company, date_from, date_to):
        """R3.2, R4.1-R4.5: regulated leads that changed stage in the period without any
        checklist item overridden in the period."""
        start, stop = self._compliance_bounds(date_from, date_to)
        Lead = self.env["crm.lead"].with_context(active_test=False)
        domain = self._compliance_lead_domain(company, start, stop, "date_last_stage_update")
        total = Lead.search_count(domain)
        overridden = Lead.search_count(
            [
                *domain,
                ("checklist_line_ids.override_date", ">=", start),
                ("checklist_line_ids.override_date", "<", stop),
            ]
        )
        count = total - overridden
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s regulated leads moved without an override", count=count, total=total),
            self.env._("No regulated lead changed stage in the period."),
        )

    def _compliance_customer_domain(self, company):
        """The customers of the company's consultants: commercial partners whose salesperson is a
        consultant of the company."""
        return [
            ("parent_id", "=", False),
            ("company_id", "in", [False, company.id]),
            ("user_id", "any", self._compliance_consultant_domain(company)),
        ]

    @api.model
    def _compliance_file_completeness(self, company, date_from, date_to):
        """R3.3: the average completeness of the consultants' customer files (now)."""
        domain = self._compliance_customer_domain(company)
        [(average, total)] = self.env["res.partner"]._read_group(domain, [], ["file_completeness:avg", "__count"])
        complete = self.env["res.partner"].search_count([*domain, ("file_completeness", ">=", 100.0)])
        if not total:
            return 0, 0, 0.0, self.env._("No customer of a consultant yet.")
        rate = round(average or 0.0, 2)
        return (
            complete,
            total,
            rate,
            self.env._(
                "%(count)s of %(total)s customer files complete, %(rate)s %% complete on average",
                count=complete,
                total=total,
                rate=rate,
            ),
        )

    @api.model
    def _compliance_customer_class(self, company, date_from, date_to):
        """R3.4: the consultants' customers that have a class (now)."""
        domain = self._compliance_customer_domain(company)
        total = self.env["res.partner"].search_count(domain)
        count = self.env["res.partner"].search_count([*domain, ("customer_class_id", "!=", False)])
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s customers of consultants are classified", count=count, total=total),
            self.env._("No customer of a consultant yet."),
        )

    @api.model
    def _compliance_complaint_deadline(self, company, date_from, date_to):
        """R2.3, R3.5: complaints reported in the period, answered and resolved within their
        deadlines (neither late nor overdue)."""
        start, stop = self._compliance_bounds(date_from, date_to)
        Complaint = self.env["crm.customer.complaint"]
        domain = [("company_id", "=", company.id), ("reported_date", ">=", start), ("reported_date", "<", stop)]
        total = Complaint.search_count(domain)
        count = Complaint.search_count([*domain, ("is_late", "=", False), ("overdue", "=", False)])
        return self._compliance_figure(
            count,
            total,
            self.env._(
                "%(count)s of %(total)s complaints answered and resolved within their deadlines",
                count=count,
                total=total,
            ),
            self.env._("No complaint reported in the period."),
        )

    def _compliance_order_sql(self, company, start, stop, date_column, condition):
        """(compliant, total) confirmed orders of regulated teams whose ``date_column`` falls in
        the period: one query, as the condition compares two columns of the order."""
        self.env["sale.order"].flush_model()
        self.env["crm.team"].flush_model(["regulation_enabled"])
        self.env.cr.execute(
            SQL(
                """SELECT COUNT(*) FILTER (WHERE %(condition)s), COUNT(*)
                     FROM sale_order o
                     JOIN crm_team t ON t.id = o.team_id
                    WHERE t.regulation_enabled AND o.state = 'sale' AND o.company_id = %(company)s
                      AND %(column)s >= %(start)s AND %(column)s < %(stop)s""",
                condition=condition,
                company=company.id,
                column=SQL.identifier("o", date_column),
                start=start,
                stop=stop,
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _compliance_contract_review(self, company, date_from, date_to):
        """R2.4, R4.6: regulated orders confirmed in the period whose contract review was passed
        by someone other than their salesperson."""
        count, total = self._compliance_order_sql(
            company,
            *self._compliance_bounds(date_from, date_to),
            "date_order",
            SQL("o.review_state = 'passed' AND o.reviewer_id IS NOT NULL AND o.reviewer_id IS DISTINCT FROM o.user_id"),
        )
        return self._compliance_figure(
            count,
            total,
            self.env._(
                "%(count)s of %(total)s regulated orders confirmed after a review by another user",
                count=count,
                total=total,
            ),
            self.env._("No regulated order confirmed in the period."),
        )

    @api.model
    def _compliance_delivery_on_time(self, company, date_from, date_to):
        """R4.7: regulated orders whose committed delivery date fell in the period (up to now),
        delivered by that date."""
        start, stop = self._compliance_bounds(date_from, date_to)
        count, total = self._compliance_order_sql(
            company,
            start,
            min(stop, fields.Datetime.now()),
            "commitment_date",
            SQL("o.delivered_date IS NOT NULL AND o.delivered_date <= o.commitment_date"),
        )
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s committed deliveries made on time", count=count, total=total),
            self.env._("No committed delivery date fell in the period."),
        )

    @api.model
    def _compliance_satisfaction_answered(self, company, date_from, date_to):
        """R4.8: return visits of the period whose satisfaction survey the customer answered."""
        Order = self.env["sale.order"]
        domain = [
            ("company_id", "=", company.id),
            ("return_visit_date", ">=", date_from),
            ("return_visit_date", "<=", date_to),
        ]
        total = Order.search_count(domain)
        count = Order.search_count([*domain, ("satisfaction_answered", "=", True)])
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s return-visit surveys answered", count=count, total=total),
            self.env._("No return visit scheduled in the period."),
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
    def _compliance_objection_resolved(self, company, date_from, date_to):
        """R5.3: objections met on leads in the period that the consultant resolved."""
        groups = self.env["crm.lead.objection"]._read_group(
            [("company_id", "in", [False, company.id]), ("date", ">=", date_from), ("date", "<=", date_to)],
            ["outcome"],
            ["__count"],
        )
        total = sum(n for __, n in groups)
        count = sum(n for outcome, n in groups if outcome == "resolved")
        return self._compliance_figure(
            count,
            total,
            self.env._("%(count)s of %(total)s objections met on leads were resolved", count=count, total=total),
            self.env._("No objection recorded in the period."),
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

    @api.model
    def _compliance_feedback_answered(self, company, date_from, date_to):
        """R2.5, R7.2: market feedback routed in the period that its departments answered."""
        start, stop = self._compliance_bounds(date_from, date_to)
        groups = self.env["crm.market.feedback"]._read_group(
            [("company_id", "=", company.id), ("routed_date", ">=", start), ("routed_date", "<", stop)],
            ["state"],
            ["__count"],
        )
        total = sum(n for __, n in groups)
        count = sum(n for state, n in groups if state in ("done", "rejected"))
        return self._compliance_figure(
            count,
            total,
            self.env._(
                "%(count)s of %(total)s market feedback routed to departments were answered", count=count, total=total
            ),
            self.env._("No market feedback routed in the period."),
        )
