# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

from . import regulation_day

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

    is_frozen = fields.Boolean(compute="_compute_is_frozen")

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

    # ------------------------------------------------------------------ flow (R6.3)

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
