# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare

from ..tools import appraisal_scores
from . import regulation_day
from .base import workflow_step
from .sale_appraisal_kpi import ADDITIVE_MEASURES, FIELD_OF

MANAGER_GROUP = "sales_consultant_regulation.group_regulation_manager"
SUPERVISOR_GROUP = "sales_consultant_regulation.group_supervisor"

EVALUATION_INPUTS = {
    "eval_daily_score",
    "eval_daily_comment",
    "eval_teamwork_score",
    "eval_teamwork_comment",
    "eval_attitude_score",
    "eval_attitude_comment",
    "satisfaction_input",
    "satisfaction_comment",
}
EVALUATION_SCORES = ("eval_daily_score", "eval_teamwork_score", "eval_attitude_score", "satisfaction_input")
# Figures only the system writes (the computation runs as superuser).
SYSTEM_FIELDS = {
    "period_id",
    "user_id",
    "team_id",
    "state",
    "amount",
    "margin",
    "quantity",
    "new_customer_count",
    "completion_rate",
    "satisfaction_score",
    "satisfaction_weight",
    "evaluation_score",
    "evaluation_weight",
    "total_score",
    "rank_team",
    "rank_company",
    "evaluator_id",
    "evaluation_date",
    "acknowledged_date",
    "approved_by_id",
    "approved_date",
    "line_ids",
}


def _precisions(model, names, currency=None):
    """{field name: decimal places} of the float and monetary fields ``names`` of ``model``
    (None: compared exactly), computed once per batch."""
    precisions = {}
    for name in names:
        field = model._fields[name]
        if field.type == "monetary":
            precisions[name] = currency.decimal_places if currency else None
        elif field.type == "float" and field.get_digits(model.env):
            precisions[name] = field.get_digits(model.env)[1]
        else:
            precisions[name] = None
    return precisions


def _changed_values(old, vals, precisions):
    """The values of ``vals`` that differ from ``old`` (the stored row), compared at each
    field's precision: a recompute that changes nothing writes nothing."""
    changed = {}
    for name, value in vals.items():
        previous = old.get(name)
        precision = precisions.get(name)
        if isinstance(value, bool):
            if bool(previous) != value:  # NULL is False
                changed[name] = value
        elif isinstance(value, float):
            previous = float(previous or 0.0)
            if float_compare(previous, value, precision_digits=precision or 10):
                changed[name] = value
        elif previous != value:
            changed[name] = value
    return changed


class SaleAppraisal(models.Model):
    """A consultant's appraisal for a period (R6.1-R6.3): the KPI scorecard computed from live
    data, the supervisor's evaluation and the flow draft → evaluated → acknowledged by the
    consultant → approved by a manager."""

    _name = "sale.appraisal"
    _check_company_auto = True
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Consultant Appraisal"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = tuple(sorted(SYSTEM_FIELDS))
    _order = "date_from desc, period_type_order, total_score desc, id"
    _rec_names_search = ["user_id", "period_id"]

    name = fields.Char(compute="_compute_name", store=True)
    period_id = fields.Many2one(
        "sale.appraisal.period", required=True, ondelete="cascade", index=True, readonly=True, check_company=True
    )
    period_type = fields.Selection(related="period_id.period_type", store=True)
    period_type_order = fields.Integer(related="period_id.period_type_order", store=True)
    date_from = fields.Date(related="period_id.date_from", store=True)
    date_to = fields.Date(related="period_id.date_to", store=True)
    period_state = fields.Selection(related="period_id.state", string="Period Status")
    user_id = fields.Many2one("res.users", string="Consultant", required=True, index=True, readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, readonly=True, check_company=True)
    company_id = fields.Many2one(related="period_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("evaluated", "Evaluated"),
            ("acknowledged", "Acknowledged"),
            ("approved", "Approved"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    line_ids = fields.One2many("sale.appraisal.line", "appraisal_id", string="Scorecard", readonly=True)

    # figures (R6.1), written by the computation
    amount = fields.Monetary(string="Sales Amount", readonly=True, aggregator="sum")
    margin = fields.Monetary(string="Sales Profit", readonly=True, aggregator="sum")
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure", aggregator="sum")
    new_customer_count = fields.Float(string="New Customers", readonly=True, digits=(16, 2), aggregator="sum")
    completion_rate = fields.Float(string="Target Completion (%)", readonly=True, digits=(16, 2), aggregator="avg")
    satisfaction_score = fields.Float(string="Satisfaction", readonly=True, digits=(16, 2), aggregator="avg")
    satisfaction_weight = fields.Float(readonly=True, help="How many ratings the satisfaction score stands for.")
    evaluation_score = fields.Float(string="Evaluation", readonly=True, digits=(16, 2), aggregator="avg")
    evaluation_weight = fields.Float(readonly=True, help="How many evaluations the evaluation score stands for.")
    total_score = fields.Float(readonly=True, digits=(16, 2), aggregator="avg", tracking=True)
    rank_team = fields.Integer(string="Rank in Team", readonly=True, aggregator="min")
    rank_company = fields.Integer(string="Rank in Company", readonly=True, aggregator="min")
    computed_at = fields.Datetime(related="period_id.computed_at")

    # supervisor evaluation (R6.3) and satisfaction entered by the supervisor
    eval_daily_score = fields.Float(string="Daily Performance", digits=(16, 1), tracking=True)
    eval_daily_comment = fields.Text(string="Daily Performance Comment")
    eval_teamwork_score = fields.Float(string="Teamwork", digits=(16, 1), tracking=True)
    eval_teamwork_comment = fields.Text(string="Teamwork Comment")
    eval_attitude_score = fields.Float(string="Attitude", digits=(16, 1), tracking=True)
    eval_attitude_comment = fields.Text(string="Attitude Comment")
    satisfaction_input = fields.Float(
        string="Customer Satisfaction (0-100)",
        digits=(16, 1),
        tracking=True,
        help="R6.3: the customers' satisfaction with the consultant over the period, from the satisfaction "
        "surveys and complaint records, scored by the supervisor from 0 to 100.",
    )
    satisfaction_comment = fields.Text(string="Satisfaction Evidence")
    evaluator_id = fields.Many2one("res.users", string="Evaluated By", readonly=True, copy=False)
    evaluation_date = fields.Datetime(readonly=True, copy=False)
    acknowledged_date = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    is_frozen = fields.Boolean(compute="_compute_is_frozen")
    can_evaluate = fields.Boolean(compute="_compute_can_evaluate")

    _sql_constraints = [
        ("period_user_unique", "UNIQUE(period_id, user_id)", "A consultant has one appraisal per period."),
    ]

    @api.depends("period_id.name", "user_id.name")
    def _compute_name(self):
        for appraisal in self:
            appraisal.name = f"{appraisal.period_id.name} - {appraisal.user_id.name}"

    @api.depends("period_id.state", "state")
    def _compute_is_frozen(self):
        for appraisal in self:
            appraisal.is_frozen = appraisal._is_frozen()

    @api.depends_context("uid")
    @api.depends("team_id.user_id", "user_id", "state")
    def _compute_can_evaluate(self):
        for appraisal in self:
            appraisal.can_evaluate = appraisal.state in ("draft", "evaluated") and appraisal._may_evaluate()

    @api.constrains(*EVALUATION_SCORES)
    def _check_scores(self):
        for appraisal in self:
            for fname in EVALUATION_SCORES:
                if not 0.0 <= appraisal[fname] <= 100.0:
                    raise ValidationError(
                        self.env._(
                            "R6.3: %(field)s is a score from 0 to 100.",
                            field=self._fields[fname].get_description(self.env)["string"],
                        )
                    )

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        names = set(vals)
        if not all(name.startswith(("message_", "activity_")) for name in names):
            closed = self.filtered(lambda a: a.period_id.state == "closed")
            if closed:
                raise UserError(
                    self.env._(
                        'R6.2: the period "%(period)s" is closed; the appraisal of %(user)s is frozen.',
                        period=closed[0].period_id.name,
                        user=closed[0].user_id.name,
                    )
                )
            if not self.env.su:
                self._check_user_write(names)
        res = super().write(vals)
        if names & EVALUATION_INPUTS:
            self._rescore()
        return res

    def _check_user_write(self, names):
        """What a user (not the system) may write: the supervisor's evaluation inputs of an
        appraisal still in draft or evaluated, on the teams they lead (R6.3)."""
        system = names & SYSTEM_FIELDS
        if system:
            raise AccessError(
                self.env._(
                    "R6.1: the appraisal's figures, ranks and status are computed by the system and changed "
                    "through its buttons, not written (%(fields)s).",
                    fields=", ".join(sorted(system)),
                )
            )
        if names & EVALUATION_INPUTS:
            for appraisal in self:
                if appraisal.state not in ("draft", "evaluated"):
                    raise UserError(
                        self.env._(
                            "R6.3: the appraisal of %(user)s is %(state)s; its evaluation can no longer change. "
                            "Reset it to draft first.",
                            user=appraisal.user_id.name,
                            state=appraisal._state_label(),
                        )
                    )
                appraisal._check_evaluator()

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # ------------------------------------------------------------------ rights

    def _is_frozen(self):
        """Closed periods freeze their appraisals; approval freezes the figures too."""
        self.ensure_one()
        return self.period_id.state == "closed" or self.state == "approved"

    def _may_evaluate(self):
        """A manager, or the supervisor who leads the appraisal's team, not on their own."""
        self.ensure_one()
        user = self.env.user
        if self.env.su or user.has_group(MANAGER_GROUP):
            return True
        return user.has_group(SUPERVISOR_GROUP) and self.team_id.user_id == user and self.user_id != user

    def _check_evaluator(self):
        for appraisal in self:
            if not appraisal._may_evaluate():
                raise AccessError(
                    self.env._(
                        "R6.3: only the supervisor leading %(team)s or a regulation manager evaluates %(user)s; "
                        "nobody evaluates themselves.",
                        team=appraisal.team_id.name or "-",
                        user=appraisal.user_id.name,
                    )
                )

    # ------------------------------------------------------------------ flow (R6.3)

    @workflow_step
    def action_evaluate(self):
        self._check_evaluator()
        for appraisal in self:
            if appraisal.state != "draft":
                raise UserError(self.env._("Only draft appraisals are evaluated."))
            missing = [
                self._fields[fname].get_description(self.env)["string"]
                for fname in ("eval_daily_score", "eval_teamwork_score", "eval_attitude_score")
                if not appraisal[fname]
            ]
            if missing:
                raise ValidationError(
                    self.env._(
                        "R6.3: the evaluation of %(user)s needs a score for: %(missing)s.",
                        user=appraisal.user_id.name,
                        missing=", ".join(missing),
                    )
                )
        # sudo: status and evaluator are the system's fields; the evaluator's right was checked above
        self.sudo().write(
            {"state": "evaluated", "evaluator_id": self.env.uid, "evaluation_date": fields.Datetime.now()}
        )
        self._rescore()
        for appraisal in self:
            # sudo: the consultant must follow their appraisal to be asked to acknowledge it, and
            # subscribing another partner needs rights the evaluating supervisor may not have
            appraisal.sudo().message_subscribe(partner_ids=appraisal.user_id.partner_id.ids)
            score = format(appraisal.total_score, ".1f")
            appraisal.message_post(
                body=self.env._(
                    "Evaluated by %(user)s: total score %(score)s. Please read and acknowledge it.",
                    user=self.env.user.name,
                    score=score,
                ),
                partner_ids=appraisal.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    @workflow_step
    def action_acknowledge(self):
        for appraisal in self:
            if not self.env.su and appraisal.user_id != self.env.user:
                raise AccessError(
                    self.env._("R6.3: only %(user)s acknowledges their appraisal.", user=appraisal.user_id.name)
                )
            if appraisal.state != "evaluated":
                raise UserError(self.env._("Only evaluated appraisals are acknowledged."))
        # sudo: the consultant may not write their appraisal; acknowledging is their only act on it
        self.sudo().write({"state": "acknowledged", "acknowledged_date": fields.Datetime.now()})
        return True

    @workflow_step
    def action_approve(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("R6.3: only a regulation manager approves appraisals."))
        for appraisal in self:
            if appraisal.state != "acknowledged":
                raise UserError(
                    self.env._(
                        "R6.3: the appraisal of %(user)s is %(state)s; it is approved once the consultant has "
                        "acknowledged it.",
                        user=appraisal.user_id.name,
                        state=appraisal._state_label(),
                    )
                )
        # sudo: status fields are the system's; the manager's right was checked above
        self.sudo().write({"state": "approved", "approved_by_id": self.env.uid, "approved_date": fields.Datetime.now()})
        self.period_id._check_all_approved()
        return True

    @workflow_step
    def action_reset_draft(self):
        for appraisal in self:
            if appraisal.state == "approved":
                if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
                    raise AccessError(self.env._("R6.3: only a regulation manager resets an approved appraisal."))
                if appraisal.period_id.honours_granted:
                    raise UserError(
                        self.env._(
                            "R6.4: the honours of %(period)s were granted from these appraisals; they stay approved.",
                            period=appraisal.period_id.name,
                        )
                    )
            else:
                appraisal._check_evaluator()
        # sudo: status fields are the system's; the rights were checked above
        self.sudo().write(
            {
                "state": "draft",
                "evaluator_id": False,
                "evaluation_date": False,
                "acknowledged_date": False,
                "approved_by_id": False,
                "approved_date": False,
            }
        )
        self._rescore()
        return True

    def action_open_period(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.appraisal.period",
            "res_id": self.period_id.id,
            "view_mode": "form",
        }

    @api.model
    def action_my_dashboard(self):
        """The consultant's own dashboard (R2.2): this month's targets and progress."""
        today = regulation_day.today(self.env)
        period = self.env["sale.appraisal.period"].search(
            [
                ("period_type", "=", "month"),
                ("company_id", "=", self.env.company.id),
                ("date_from", "<=", today),
                ("date_to", ">=", today),
            ],
            limit=1,
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.sale_appraisal_line_action_dashboard"
        )
        action["domain"] = [("user_id", "=", self.env.uid), ("period_id", "=", period.id)]
        action["context"] = {"dashboard_period": period.name}
        if period:
            action["name"] = self.env._("My Targets and Progress: %(period)s", period=period.name)
        return action

    # ------------------------------------------------------------------ computation

    @workflow_step
    def _sync_lines(self, kpis):
        """One scorecard line per active KPI; lines of archived KPIs go (one query, one
        create, one unlink)."""
        Line = self.env["sale.appraisal.line"].sudo()  # scorecard lines are the system's records
        Line.flush_model(["appraisal_id", "kpi_id"])
        self.env.cr.execute(
            SQL("SELECT id, appraisal_id, kpi_id FROM sale_appraisal_line WHERE appraisal_id = ANY(%s)", self.ids)
        )
        rows = self.env.cr.fetchall()
        have = {(appraisal_id, kpi_id) for _id, appraisal_id, kpi_id in rows}
        vals_list = [
            {"appraisal_id": appraisal_id, "kpi_id": kpi_id}
            for appraisal_id in self.ids
            for kpi_id in kpis.ids
            if (appraisal_id, kpi_id) not in have
        ]
        if vals_list:
            Line.create(vals_list)
        stale = Line.browse([line_id for line_id, _appraisal_id, kpi_id in rows if kpi_id not in kpis.ids])
        if stale:
            stale.unlink()

    def _supervisor_figures(self):
        """{appraisal: {"satisfaction", "satisfaction_weight", "evaluation", "evaluation_weight"}}
        of the supervisor's inputs (R6.3), counted once the appraisal is evaluated. The
        satisfaction is the supervisor's 0-100 score of the surveys and complaints."""
        result = {}
        for appraisal in self:
            evaluated = appraisal.state != "draft"
            scores = [appraisal.eval_daily_score, appraisal.eval_teamwork_score, appraisal.eval_attitude_score]
            result[appraisal] = {
                "satisfaction": appraisal.satisfaction_input if evaluated else 0.0,
                "satisfaction_weight": 1.0 if evaluated else 0.0,
                "evaluation": sum(scores) / len(scores) if evaluated else 0.0,
                "evaluation_weight": 1.0 if evaluated else 0.0,
            }
        return result

    @workflow_step
    def _apply_figures(self, figures, targets, kpis):
        """Write the period figures and the scorecard of each appraisal (R6.1): target, actual,
        achievement, score and weighted score per KPI, the total score. No query per
        appraisal: the stored values are read in one query per model, compared, and only what
        changed is written (the ORM batches those writes)."""
        if not self:
            return
        # sudo: the appraisals and their scorecard lines are the system's
        Line = self.env["sale.appraisal.line"].sudo()
        Appraisal = self.sudo()
        line_names = [
            "weight",
            "scoring",
            "cap_percent",
            "target",
            "actual",
            "achievement",
            "has_target",
            "score",
            "weighted_score",
        ]
        appraisal_names = [*FIELD_OF.values(), "satisfaction_weight", "evaluation_weight", "total_score"]
        Line.flush_model(["appraisal_id", "kpi_id", *line_names])
        Appraisal.flush_model(["user_id", *appraisal_names])
        self.env.cr.execute(
            SQL(
                "SELECT id, appraisal_id, kpi_id, %s FROM sale_appraisal_line WHERE appraisal_id = ANY(%s)",
                SQL(", ").join(SQL.identifier(name) for name in line_names),
                self.ids,
            )
        )
        lines_by_appraisal = defaultdict(list)
        for row in self.env.cr.dictfetchall():
            lines_by_appraisal[row["appraisal_id"]].append(row)
        self.env.cr.execute(
            SQL(
                "SELECT id, user_id, %s FROM sale_appraisal WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(name) for name in appraisal_names),
                self.ids,
            )
        )
        stored = {row["id"]: row for row in self.env.cr.dictfetchall()}
        line_precisions = _precisions(Line, line_names)
        appraisal_precisions = _precisions(Appraisal, appraisal_names, self.company_id[:1].currency_id)
        kpi_by_id = {kpi.id: (kpi.measure, kpi.scoring, kpi.weight, kpi.cap_percent) for kpi in kpis}
        for appraisal_id, old in stored.items():
            measures = figures.get(old["user_id"], {})
            user_targets = targets.get(old["user_id"], {})
            completion = appraisal_scores.completion_rate(
                [(measures.get(m, 0.0), user_targets.get(m, 0.0)) for m in ADDITIVE_MEASURES]
            )
            actuals = {m: measures.get(m, 0.0) for m in ADDITIVE_MEASURES}
            actuals["satisfaction"] = measures.get("satisfaction", 0.0)
            actuals["evaluation"] = measures.get("evaluation", 0.0)
            actuals["completion"] = completion
            total = 0.0
            for line in lines_by_appraisal[appraisal_id]:
                if line["kpi_id"] not in kpi_by_id:
                    continue
                measure, scoring, weight, cap = kpi_by_id[line["kpi_id"]]
                actual = actuals.get(measure, 0.0)
                target = 100.0 if measure == "completion" else user_targets.get(measure, 0.0)
                if scoring == appraisal_scores.DIRECT:
                    target = 0.0
                reached = appraisal_scores.achievement(actual, target)
                score = appraisal_scores.kpi_score(scoring, actual, target, cap)
                weighted = appraisal_scores.weighted_score(score, weight)
                total += weighted
                line_vals = {
                    "weight": weight,
                    "scoring": scoring,
                    "cap_percent": cap,
                    "target": target,
                    "actual": actual,
                    "achievement": reached or 0.0,
                    "has_target": reached is not None,
                    "score": score,
                    "weighted_score": weighted,
                }
                changed = _changed_values(line, line_vals, line_precisions)
                if changed:
                    Line.browse(line["id"]).write(changed)
            vals = {FIELD_OF[m]: actuals[m] for m in actuals}
            vals.update(
                satisfaction_weight=measures.get("satisfaction_weight", 0.0),
                evaluation_weight=measures.get("evaluation_weight", 0.0),
                total_score=total,
            )
            changed = _changed_values(old, vals, appraisal_precisions)
            if changed:
                Appraisal.browse(appraisal_id).write(changed)

    @workflow_step
    def _rescore(self):
        """Score again after a supervisor's input or a status change, from the stored figures
        (no figures query); then rank the periods again."""
        appraisals = self.filtered(lambda a: not a._is_frozen())
        if not appraisals:
            return
        kpis = self.env["sale.appraisal.kpi"].search([])
        for period in appraisals.period_id:
            period_appraisals = appraisals.filtered(lambda a, p=period: a.period_id == p)
            users = period_appraisals.user_id
            rolled = period._rollup_from_months(users) if period.rolls_up else {}
            supervisor = period_appraisals._supervisor_figures()
            figures = {}
            for appraisal in period_appraisals:
                measures = {m: appraisal[FIELD_OF[m]] for m in ADDITIVE_MEASURES}
                inputs = rolled.get(appraisal.user_id.id) or supervisor[appraisal]
                for key in ("satisfaction", "satisfaction_weight", "evaluation", "evaluation_weight"):
                    measures[key] = inputs.get(key, 0.0)
                figures[appraisal.user_id.id] = measures
            period_appraisals._apply_figures(figures, period._targets(users), kpis)
            period._rank()
