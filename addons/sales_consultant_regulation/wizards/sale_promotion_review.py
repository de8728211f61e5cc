# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models import regulation_day
from ..tools import commission_maths

SUPERVISOR_GROUP = "sales_consultant_regulation.group_supervisor"
MANAGER_GROUP = "sales_consultant_regulation.group_regulation_manager"


class SalePromotionReview(models.TransientModel):
    """The promotion review (R6.4): the consultants and supervisors the promotion rules
    recommend, from their last quarters' appraisals, and the weak KPIs that suggest training."""

    _name = "sale.promotion.review"
    _description = "Promotion Review"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    line_ids = fields.One2many("sale.promotion.review.line", "review_id", string="Consultants")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("R6.4: the promotion review is for regulation managers."))
        reviews = super().create(vals_list)
        for review in reviews:
            review.line_ids = [fields.Command.create(vals) for vals in review._review_lines()]
        return reviews

    def _review_lines(self):
        """One line per consultant appraised in the last quarter (two searches)."""
        self.ensure_one()
        rules = self.env["sale.promotion.rule"].search([("company_id", "=", self.company_id.id)])
        depth = max(rules.mapped("consecutive_quarters"), default=1)
        quarters = self.env["sale.appraisal.period"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("period_type", "=", "quarter"),
                ("state", "!=", "draft"),
                ("date_to", "<=", regulation_day.today(self.env)),
            ],
            order="date_from desc",
            limit=depth,
        )
        if not quarters:
            return []
        quarters = quarters.sorted("date_from")
        # sudo: the review reads every appraisal of the quarters, whoever the manager's teams are
        appraisals = self.env["sale.appraisal"].sudo().search([("period_id", "in", quarters.ids)])
        by_user = defaultdict(dict)
        for appraisal in appraisals:
            by_user[appraisal.user_id][appraisal.period_id] = appraisal
        last = quarters[-1]
        lines = []
        for user, per_quarter in by_user.items():
            if last not in per_quarter:
                continue
            results = [
                (per_quarter[q].total_score, per_quarter[q].completion_rate) if q in per_quarter else (0.0, 0.0)
                for q in quarters
            ]
            role = (
                "manager"
                if user.has_group(MANAGER_GROUP)
                else "supervisor"
                if user.has_group(SUPERVISOR_GROUP)
                else "consultant"
            )
            wanted = {"consultant": "supervisor", "supervisor": "manager"}.get(role)
            rule = rules.filtered(
                lambda r, wanted=wanted, results=results: (
                    r.target_role == wanted
                    and commission_maths.consecutive_periods_met(
                        results, r.consecutive_quarters, r.min_score, r.min_completion
                    )
                )
            )[:1]
            weak_threshold = rule.weak_score if rule else max(rules.mapped("weak_score"), default=60.0)
            weak = per_quarter[last].line_ids.filtered(lambda line, t=weak_threshold: line.score < t)
            lines.append(
                {
                    "user_id": user.id,
                    "current_role": role,
                    "recommended_role": rule.target_role if rule else False,
                    "rule_id": rule.id,
                    "quarters": len([r for r in results if r != (0.0, 0.0)]),
                    "average_score": sum(r[0] for r in results) / len(results),
                    "average_completion": sum(r[1] for r in results) / len(results),
                    "last_appraisal_id": per_quarter[last].id,
                    "weak_kpis": ", ".join(weak.mapped("name")),
                }
            )
        return lines


class SalePromotionReviewLine(models.TransientModel):
    _name = "sale.promotion.review.line"
    _description = "Promotion Review Line"
    _order = "recommended_role, average_score desc"

    review_id = fields.Many2one("sale.promotion.review", required=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Consultant", readonly=True)
    current_role = fields.Selection(
        [("consultant", "Consultant"), ("supervisor", "Supervisor"), ("manager", "Manager")], readonly=True
    )
    recommended_role = fields.Selection(
        [("supervisor", "Sales Supervisor"), ("manager", "Sales Manager")], string="Recommended For", readonly=True
    )
    rule_id = fields.Many2one("sale.promotion.rule", readonly=True)
    quarters = fields.Integer(string="Quarters Appraised", readonly=True)
    average_score = fields.Float(readonly=True, digits=(16, 1))
    average_completion = fields.Float(string="Average Completion (%)", readonly=True, digits=(16, 1))
    last_appraisal_id = fields.Many2one("sale.appraisal", string="Last Quarter", readonly=True)
    weak_kpis = fields.Char(
        string="Suggested Training", readonly=True, help="KPIs scoring below the rule's threshold last quarter (R8)."
    )
