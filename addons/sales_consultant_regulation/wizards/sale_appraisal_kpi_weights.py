# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.sale_appraisal_kpi import weight_set
from ..tools import appraisal_scores

MANAGER_GROUP = "sales_consultant_regulation.group_regulation_manager"


class SaleAppraisalKpiWeights(models.TransientModel):
    """The scorecard's weights edited as a set (R6.1): every KPI with its weight and whether it
    counts, the running total, and a save refused unless the counted weights total 100."""

    _name = "sale.appraisal.kpi.weights"
    _description = "Appraisal KPI Weights"

    line_ids = fields.One2many("sale.appraisal.kpi.weights.line", "wizard_id", string="KPIs")
    weight_total = fields.Float(string="Total", compute="_compute_weight_total", digits=(5, 2))

    @api.depends("line_ids.weight", "line_ids.active")
    def _compute_weight_total(self):
        for wizard in self:
            wizard.weight_total = appraisal_scores.weights_total(wizard.line_ids.filtered("active").mapped("weight"))

    @api.model
    def _open(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("R6.1: only a regulation manager sets the appraisal KPI weights."))
        kpis = self.env["sale.appraisal.kpi"].with_context(active_test=False).search([])
        wizard = self.create(
            {
                "line_ids": [
                    fields.Command.create({"kpi_id": kpi.id, "weight": kpi.weight, "active": kpi.active})
                    for kpi in kpis
                ]
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Edit Weights"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("R6.1: only a regulation manager sets the appraisal KPI weights."))
        if not appraisal_scores.weights_valid([self.weight_total]):
            raise UserError(
                self.env._(
                    "R6.1 appraisal KPIs: the counted weights total %(total)s; they must total 100.",
                    total=self.weight_total,
                )
            )
        with weight_set():
            for line in self.line_ids:
                if (line.kpi_id.weight, line.kpi_id.active) != (line.weight, line.active):
                    line.kpi_id.write({"weight": line.weight, "active": line.active})
        # the set as saved (a concurrent change included) totals 100
        self.env["sale.appraisal.kpi"]._check_weight_set()
        return {"type": "ir.actions.act_window_close"}


class SaleAppraisalKpiWeightsLine(models.TransientModel):
    _name = "sale.appraisal.kpi.weights.line"
    _description = "Appraisal KPI Weight"
    _regulation_ranges = {"weight": (0.0, 100.0)}

    wizard_id = fields.Many2one("sale.appraisal.kpi.weights", required=True, ondelete="cascade")
    kpi_id = fields.Many2one("sale.appraisal.kpi", string="KPI", required=True, ondelete="cascade", readonly=True)
    measure = fields.Selection(related="kpi_id.measure")
    weight = fields.Float(digits=(5, 2))
    active = fields.Boolean(string="Counts")
