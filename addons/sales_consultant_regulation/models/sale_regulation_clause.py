# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

from odoo import api, fields, models

from . import regulation_day
from .sale_regulation import SUPERVISOR

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
