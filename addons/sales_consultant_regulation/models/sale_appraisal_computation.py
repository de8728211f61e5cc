# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R6.1 and R6.2: an appraisal's scorecard lines, figures, scores and ranks as the period computes
them."""

from collections import defaultdict

from odoo import models
from odoo.tools import SQL

from ..tools import appraisal_scores
from .base import workflow_step
from .sale_appraisal import _changed_values, _precisions
from .sale_appraisal_kpi import ADDITIVE_MEASURES, FIELD_OF


class SaleAppraisal(models.Model):
    _inherit = "sale.appraisal"

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
