# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import contextvars

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import appraisal_scores

KPI_MEASURES = [
    ("amount", "Sales Amount"),
    ("margin", "Sales Profit"),
    ("quantity", "Sales Quantity"),
    ("new_customers", "New Customers"),
    ("satisfaction", "Customer Satisfaction"),
    ("completion", "Target Completion Rate"),
    ("evaluation", "Supervisor Evaluation"),
]
# Measures summed when a quarter or a year rolls up from its months (R6.2); the others are
# averaged, weighted by the months that have them.
ADDITIVE_MEASURES = ("amount", "margin", "quantity", "new_customers")
# The appraisal field holding each measure's actual figure.
FIELD_OF = {
    "amount": "amount",
    "margin": "margin",
    "quantity": "quantity",
    "new_customers": "new_customer_count",
    "satisfaction": "satisfaction_score",
    "completion": "completion_rate",
    "evaluation": "evaluation_score",
}


# Set while the KPI weights are saved as a set (the Edit Weights form): the total is checked once,
# for the whole set, by that form. A context variable, not an RPC context key, so that no caller
# bypasses the check.
WEIGHT_SET = contextvars.ContextVar("regulation_kpi_weight_set", default=False)


@contextlib.contextmanager
def weight_set():
    """Write several KPI weights as one set: the running total is not checked in between."""
    token = WEIGHT_SET.set(True)
    try:
        yield
    finally:
        WEIGHT_SET.reset(token)


class SaleAppraisalKpi(models.Model):
    """A KPI of the appraisal scorecard (R6.1, R6.3): what it measures, its weight in the total
    score and how it is scored. The module ships the regulation's seven KPIs."""

    _name = "sale.appraisal.kpi"
    _description = "Appraisal KPI"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"weight": (0.0, 100.0), "cap_percent": (0.0, 1000.0)}
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    measure = fields.Selection(KPI_MEASURES, required=True, help="The figure the KPI reads (R6.1).")
    clause = fields.Char(default="R6.1", help="The regulation clause the KPI measures.")
    weight = fields.Float(
        required=True,
        digits=(5, 2),
        help="Share of the total score, in percent. The weights of the active KPIs total 100.",
    )
    scoring = fields.Selection(
        [
            (appraisal_scores.ACHIEVEMENT, "Achievement Against Target"),
            (appraisal_scores.DIRECT, "Direct Score (0-100)"),
        ],
        required=True,
        default=appraisal_scores.ACHIEVEMENT,
        help="Achievement: the actual figure against the consultant's target, capped. "
        "Direct: the figure is already a score from 0 to 100.",
    )
    cap_percent = fields.Float(
        string="Cap (%)",
        default=120.0,
        help="Achievement above this percent of the target scores this percent.",
    )
    description = fields.Text(translate=True)
    weight_total = fields.Float(compute="_compute_weight_total", digits=(5, 2))

    _sql_constraints = [
        ("weight_range", "CHECK(weight >= 0 AND weight <= 100)", "A KPI weight is between 0 and 100."),
        ("cap_positive", "CHECK(cap_percent > 0)", "The cap of a KPI is above 0 %."),
    ]

    def _compute_weight_total(self):
        total = self._active_weight_total()
        for kpi in self:
            kpi.weight_total = total

    @api.constrains("scoring", "measure")
    def _check_scoring(self):
        for kpi in self:
            if kpi.measure in ("satisfaction", "evaluation") and kpi.scoring != appraisal_scores.DIRECT:
                raise ValidationError(
                    self.env._('R6.3: the KPI "%(kpi)s" reads a 0-100 score; it is scored directly.', kpi=kpi.name)
                )

    # ------------------------------------------------------------------ weights as a set (R6.1)

    @api.model_create_multi
    def create(self, vals_list):
        kpis = super().create(vals_list)
        self._check_weight_set()
        return kpis

    def write(self, vals):
        res = super().write(vals)
        if {"weight", "active"} & set(vals):
            self._check_weight_set()
        return res

    def unlink(self):
        res = super().unlink()
        self._check_weight_set()
        return res

    @api.model
    def _check_weight_set(self):
        """The active weights keep totalling 100 after any change of one KPI (R6.1): a scorecard
        off 100 would stop every period's recompute. Several weights change together in the
        Edit Weights form, which checks the total of the set. The shipped data loads KPI by KPI
        while the registry loads."""
        if WEIGHT_SET.get() or not self.pool.ready:
            return
        self.flush_model(["weight", "active"])
        total = self._active_weight_total()
        if not appraisal_scores.weights_valid([total]):
            raise ValidationError(
                self.env._(
                    "R6.1 appraisal KPIs: this change makes the active weights total %(total)s; they must total 100. "
                    "Change several weights at once with Edit Weights.",
                    total=total,
                )
            )

    def action_edit_weights(self):
        return self.env["sale.appraisal.kpi.weights"]._open()

    @api.model
    def _active_weight_total(self):
        kpis = self.with_context(active_test=True).search([])
        return appraisal_scores.weights_total(kpis.mapped("weight"))

    @api.model
    def _check_weights(self):
        """The scorecard is used only when its active weights total 100 (R6.1); return the
        active KPIs."""
        kpis = self.with_context(active_test=True).search([])
        if not kpis or not appraisal_scores.weights_valid(kpis.mapped("weight")):
            raise ValidationError(
                self.env._(
                    "R6.1 appraisal KPIs: the weights of the active KPIs total %(total)s; they must total 100. "
                    "Adjust them in Sales Regulation > Configuration > Appraisal KPIs.",
                    total=appraisal_scores.weights_total(kpis.mapped("weight")),
                )
            )
        return kpis
