# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

MONETARY_MEASURES = ("amount", "margin")


class SaleAppraisalLine(models.Model):
    """One KPI of a consultant's scorecard (R6.1): target, actual, achievement and score, and
    the records behind the figure."""

    _name = "sale.appraisal.line"
    _description = "Appraisal Scorecard Line"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = (
        "appraisal_id",
        "kpi_id",
        "weight",
        "scoring",
        "cap_percent",
        "target",
        "actual",
        "has_target",
        "achievement",
        "score",
        "weighted_score",
    )
    _order = "appraisal_id, sequence, id"

    appraisal_id = fields.Many2one("sale.appraisal", required=True, ondelete="cascade", index=True)
    kpi_id = fields.Many2one("sale.appraisal.kpi", string="KPI", required=True, ondelete="cascade", index=True)
    name = fields.Char(related="kpi_id.name")
    sequence = fields.Integer(related="kpi_id.sequence", store=True)
    measure = fields.Selection(related="kpi_id.measure", store=True)
    period_id = fields.Many2one(related="appraisal_id.period_id", store=True, index=True)
    user_id = fields.Many2one(related="appraisal_id.user_id", string="Consultant", store=True, index=True)
    team_id = fields.Many2one(related="appraisal_id.team_id", store=True)
    company_id = fields.Many2one(related="appraisal_id.company_id", store=True, index=True)
    state = fields.Selection(related="appraisal_id.state")
    currency_id = fields.Many2one(related="appraisal_id.currency_id")
    is_monetary = fields.Boolean(compute="_compute_is_monetary")
    weight = fields.Float(readonly=True, digits=(5, 2), aggregator="avg")
    scoring = fields.Selection(
        [("achievement", "Achievement Against Target"), ("direct", "Direct Score (0-100)")], readonly=True
    )
    cap_percent = fields.Float(string="Cap (%)", readonly=True)
    target = fields.Float(readonly=True, digits=(16, 2), aggregator="sum")
    actual = fields.Float(readonly=True, digits=(16, 2), aggregator="sum")
    has_target = fields.Boolean(readonly=True)
    achievement = fields.Float(string="Achievement (%)", readonly=True, digits=(16, 2), aggregator="avg")
    score = fields.Float(readonly=True, digits=(16, 2), aggregator="avg")
    weighted_score = fields.Float(readonly=True, digits=(16, 2), aggregator="sum")

    _sql_constraints = [
        ("appraisal_kpi_unique", "UNIQUE(appraisal_id, kpi_id)", "One scorecard line per KPI."),
    ]

    @api.depends("measure")
    def _compute_is_monetary(self):
        for line in self:
            line.is_monetary = line.measure in MONETARY_MEASURES

    def write(self, vals):
        self._regulation_check_vals(vals)
        # The scorecard is the system's computation (R6.1); users read it.
        if not self.env.su:
            raise AccessError(self.env._("R6.1: the scorecard is computed by the system and is not edited."))
        return super().write(vals)

    def action_open_records(self):
        """Open the records behind the figure: the orders or invoices credited to the
        consultant, the new customers, the targets, or the appraisal with the supervisor's
        scores (R6.1, R6.3)."""
        self.ensure_one()
        appraisal = self.appraisal_id
        period = appraisal.period_id
        if self.measure in ("amount", "margin", "quantity"):
            model, ids = self.env["sale.regulation.figures"]._documents(
                period.company_id, period.date_from, period.date_to, period.basis, appraisal.user_id.id
            )
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("%(kpi)s: %(appraisal)s", kpi=self.name, appraisal=appraisal.name),
                "res_model": model,
                "view_mode": "list,form",
                "domain": [("id", "in", ids)],
                "context": {"create": False},
            }
        if self.measure == "new_customers":
            new = self.env["sale.regulation.figures"]._new_customers(
                period.company_id, period.date_from, period.date_to, [appraisal.user_id.id]
            )
            partner_ids = new.get(appraisal.user_id.id, (0, []))[1]
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("New customers: %(appraisal)s", appraisal=appraisal.name),
                "res_model": "res.partner",
                "view_mode": "list,form",
                "domain": [("id", "in", partner_ids)],
                "context": {"create": False},
            }
        if self.measure == "completion":
            periods = period | period.month_ids
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Targets: %(appraisal)s", appraisal=appraisal.name),
                "res_model": "sale.consultant.target",
                "view_mode": "list,form",
                "domain": [("user_id", "=", appraisal.user_id.id), ("period_id", "in", periods.ids)],
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.appraisal",
            "res_id": appraisal.id,
            "view_mode": "form",
        }
