# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..tools import appraisal_scores, commission_maths
from .base import unique_guard, workflow_step
from .sale_appraisal_period import PERIOD_TYPES

MANAGER_GROUP = "sales_consultant_regulation.group_regulation_manager"


class SaleIncentivePlan(models.Model):
    """An incentive plan (R6.4): whom it pays, over which periods, from which figures, with
    its commission rates by margin band and product, its accelerators and bonus."""

    _name = "sale.incentive.plan"
    _check_company_auto = True
    _inherit = ["mail.thread"]
    _description = "Incentive Plan"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
        help="The statements' currency; the figures are converted from the company currency at the end of each period.",
    )
    period_type = fields.Selection(PERIOD_TYPES, required=True, default="month", tracking=True)
    basis = fields.Selection(
        [
            ("order", "Confirmed Orders"),
            ("invoice", "Posted Invoices, Net of Credit Notes"),
            ("paid", "Paid Invoices"),
        ],
        required=True,
        default="order",
        tracking=True,
        help="Which documents earn commission: confirmed orders dated in the period, posted invoices and "
        "credit notes dated in it, or invoices once paid.",
    )
    user_ids = fields.Many2many("res.users", string="Consultants", domain="[('share', '=', False)]")
    team_ids = fields.Many2many(
        "crm.team", string="Sales Teams", check_company=True, help="Every member of these teams is in the plan."
    )
    completion_measure = fields.Selection(
        [
            ("amount", "Sales Amount Target"),
            ("margin", "Sales Profit Target"),
            ("plan", "Whole Sales Plan"),
        ],
        required=True,
        default="amount",
        help="The target completion the accelerators and the bonus read (R2.2 sales plans).",
    )
    rate_ids = fields.One2many("sale.incentive.rate", "plan_id", string="Commission Rates", copy=True)
    tier_ids = fields.One2many("sale.incentive.tier", "plan_id", string="Accelerators and Bonus", copy=True)
    statement_ids = fields.One2many("sale.incentive.statement", "plan_id", string="Statements")
    statement_count = fields.Integer(compute="_compute_statement_count")
    note = fields.Html()

    _regulation_ranges = {"recovery_cap_percent": (0.0, 100.0)}

    def _compute_statement_count(self):
        counts = dict(
            self.env["sale.incentive.statement"]._read_group([("plan_id", "in", self.ids)], ["plan_id"], ["__count"])
        )
        for plan in self:
            plan.statement_count = counts.get(plan, 0)

    @api.constrains("currency_id", "company_id")
    def _check_currency_active(self):
        for plan in self:
            if not plan.currency_id.active:
                raise ValidationError(self.env._('The currency of the plan "%(plan)s" is not active.', plan=plan.name))

    def _consultants(self):
        """The plan's consultants: its users and the members of its teams (one search)."""
        self.ensure_one()
        members = (
            self.env["crm.team.member"]
            .sudo()  # membership only, to know whom the plan pays
            .search([("crm_team_id", "in", self.team_ids.ids), ("user_id.active", "=", True)])
        )
        return (self.user_ids.filtered("active") | members.user_id).sorted("id")

    def action_compute_statements(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a regulation manager computes incentive statements."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Compute Statements"),
            "res_model": "sale.incentive.compute",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_ids": self.ids},
        }

    def action_view_statements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_consultant_regulation.sale_incentive_statement_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"search_default_group_period": 1}
        return action

    # ------------------------------------------------------------------ statements (R6.4)

    def _create_statements(self, Statement, period, users, teams):
        return Statement.create(
            [
                {
                    "plan_id": self.id,
                    "period_id": period.id,
                    "user_id": user.id,
                    "team_id": teams.get(user, self.env["crm.team"]).id,
                }
                for user in users
            ]
        )

    @workflow_step
    def _compute_statements(self, period, users=None):
        """Create or recompute the draft statements of the plan for ``period`` (R6.4).

        Reads the shared period figures once (:model:`sale.regulation.figures`), rates every
        credited line by its margin band, product and difficulty, applies the accelerator and
        bonus to each consultant's total, claws back lines of locked statements whose order or
        invoice was cancelled or refunded, and writes the lines in one statement. A constant
        number of queries, whatever the number of consultants and lines."""
        self.ensure_one()
        if period.period_type != self.period_type:
            raise ValidationError(
                self.env._(
                    'R6.4: the plan "%(plan)s" pays per %(type)s; "%(period)s" is not one.',
                    plan=self.name,
                    type=dict(self._fields["period_type"]._description_selection(self.env))[self.period_type],
                    period=period.name,
                )
            )
        if period.company_id != self.company_id:
            raise ValidationError(self.env._("R6.4: the period and the plan belong to different companies."))
        consultants = self._consultants()
        if users is not None:
            consultants &= users
        Statement = self.env["sale.incentive.statement"].sudo()  # statements are the system's records
        statements = Statement.search(
            [("plan_id", "=", self.id), ("period_id", "=", period.id), ("user_id", "in", consultants.ids)]
        )
        missing = consultants - statements.user_id
        if missing:
            busy = self.env._(
                'R6.4: the statements of "%(plan)s" for %(period)s are being computed by someone else; try again in '
                "a moment.",
                plan=self.name,
                period=period.name,
            )
            # two users computing the same new statements: the second waits for nothing and is told
            self._regulation_try_lock(busy, f"statements:{period.id}")
            teams = period._consultants()
            with unique_guard(self.env, busy):
                statements |= self._create_statements(Statement, period, missing, teams)
        drafts = statements.filtered(lambda s: s.state == "draft")
        if not drafts:
            return statements
        drafts._lock_for_compute()
        user_ids = drafts.user_id.ids
        Figures = self.env["sale.regulation.figures"]
        # R6.4, R7.1: the plan's scope, its teams and the company's regulated teams
        scope = (self.company_id, period.date_from, period.date_to, self.basis, user_ids)
        credited = Figures._credited_lines(*scope, teams=self.team_ids)
        totals = Figures._totals(*scope, teams=self.team_ids)
        targets = period._targets(drafts.user_id)
        rate = self.company_id.currency_id._get_conversion_rate(
            self.company_id.currency_id, self.currency_id, self.company_id, period.date_to
        )

        Line = self.env["sale.incentive.statement.line"].sudo()
        Line.flush_model()
        # the period lines (accelerator, bonus, clawbacks) are rebuilt; the commission lines are
        # compared with the stored ones and only what changed is rewritten; adjustments stay
        self.env.cr.execute(
            SQL(
                "DELETE FROM sale_incentive_statement_line WHERE statement_id = ANY(%s) "
                "AND line_type IN ('accelerator', 'bonus', 'clawback')",
                drafts.ids,
            )
        )
        statement_of = {s.user_id.id: s for s in drafts}
        rows = self._commission_rows(credited, statement_of, rate)
        Line._sync_commission_rows(rows, drafts, self)
        Line.invalidate_model()
        drafts.invalidate_recordset(["line_ids"])

        commission_by_user = defaultdict(float)
        for row in rows:
            commission_by_user[row["user_id"]] += row["amount"]
        accelerators = [tier._as_tier() for tier in self.tier_ids if tier.tier_type == "accelerator"]
        bonuses = [tier._as_tier() for tier in self.tier_ids if tier.tier_type == "bonus"]
        vals_list = []
        figures_of = {}
        for statement in drafts:
            user_id = statement.user_id.id
            figures = totals.get(user_id, {})
            amount_total = figures.get("amount", 0.0) * rate
            margin_total = figures.get("margin", 0.0) * rate
            completion = self._completion(figures, targets.get(user_id, {}))
            multiplier, extra = commission_maths.accelerator(commission_by_user[user_id], completion, accelerators)
            bonus_percent, bonus_base, bonus = commission_maths.bonus(completion, amount_total, margin_total, bonuses)
            completion_label = format(completion or 0.0, ".1f")
            if extra:
                multiplier_label = format(multiplier, "g")
                vals_list.append(
                    {
                        "statement_id": statement.id,
                        "line_type": "accelerator",
                        "reason": self.env._(
                            "Accelerator x%(multiplier)s at %(completion)s %% of target, on the period's commission",
                            multiplier=multiplier_label,
                            completion=completion_label,
                        ),
                        "base_amount": commission_by_user[user_id],
                        "rate": (multiplier - 1.0) * 100.0,
                        "amount": extra,
                    }
                )
            if bonus:
                bonus_label = format(bonus_percent, "g")
                vals_list.append(
                    {
                        "statement_id": statement.id,
                        "line_type": "bonus",
                        "reason": self.env._(
                            "Bonus of %(percent)s %% at %(completion)s %% of target (no cap)",
                            percent=bonus_label,
                            completion=completion_label,
                        ),
                        "base_amount": margin_total if bonus_base == "margin" else amount_total,
                        "rate": bonus_percent,
                        "amount": bonus,
                    }
                )
            figures_of[statement.id] = {
                "amount_total": amount_total,
                "margin_total": margin_total,
                "completion_rate": completion or 0.0,
                "multiplier": multiplier,
                "bonus_percent": bonus_percent,
                "bonus_base": bonus_base,
                "commission_total": commission_by_user[user_id],
                "accelerator_total": extra,
                "bonus_total": bonus,
            }
        clawbacks = self._clawback_vals(period, statement_of) + self._late_document_vals(period, statement_of)
        clawbacks, carried_of = self._recover_in_instalments(clawbacks, figures_of)
        vals_list += clawbacks
        busy = self.env._(
            'R6.4: the statements of "%(plan)s" are being settled by someone else; try again in a moment.',
            plan=self.name,
        )
        # two open statements settling the same locked line at once: the second is told
        with unique_guard(self.env, busy):
            Line._insert_rows(vals_list)
        clawback_of = defaultdict(float)
        for vals in clawbacks:
            clawback_of[vals["statement_id"]] += vals["amount"]
        for statement_id, figures in figures_of.items():
            figures["clawback_total"] = clawback_of[statement_id]
            figures["clawback_carried"] = carried_of.get(statement_id, 0.0)
        drafts._write_computation(figures_of)
        return statements

    def _completion(self, figures, targets):
        """The target completion the tiers read (plan's completion measure), or None."""
        measures = ("amount", "margin", "quantity", "new_customers")
        if self.completion_measure == "plan":
            pairs = [(figures.get(m, 0.0), targets.get(m, 0.0)) for m in measures]
            if not any(target for _actual, target in pairs):
                return None
            return appraisal_scores.completion_rate(pairs)
        return appraisal_scores.achievement(
            figures.get(self.completion_measure, 0.0), targets.get(self.completion_measure)
        )

    def _commission_rows(self, credited, statement_of, rate):
        """A commission row per credited line (R6.4): the band of the line's margin for its
        product or category, scaled by the product's difficulty, on its amount or margin."""
        table = commission_maths.RateTable([band._as_band() for band in self.rate_ids])
        # sudo: the product's category and difficulty, whatever the consultant may read
        products = (
            self.env["product.product"].sudo().browse({row["product_id"] for row in credited if row["product_id"]})
        )
        info = {}
        for product in products:
            categories = []
            category = product.categ_id
            while category:
                categories.append(category.id)
                category = category.parent_id
            info[product.id] = (product.product_tmpl_id.id, tuple(categories), product.incentive_difficulty or 1.0)
        rows = []
        for row in credited:
            statement = statement_of.get(row["user_id"])
            if not statement:
                continue
            amount = row["amount"] * rate
            margin = row["margin"] * rate
            template_id, categories, difficulty = info.get(row["product_id"], (None, (), 1.0))
            margin_percent = commission_maths.margin_percent(amount, margin)
            band = table.band_for(margin_percent, template_id, categories)
            line_rate, commission = commission_maths.commission(band, amount, margin, difficulty)
            rows.append(
                {
                    "statement_id": statement.id,
                    "user_id": row["user_id"],
                    "line_id": row["line_id"],
                    "document_id": row["document_id"],
                    "product_id": row["product_id"],
                    "date": row["date"],
                    "base_amount": amount,
                    "margin_amount": margin,
                    "margin_percent": margin_percent or 0.0,
                    "share": row["share"],
                    "rate": line_rate,
                    "difficulty": difficulty,
                    "amount": commission,
                    "product_snapshot_id": row["product_id"],
                    "quantity": row["quantity"],
                    "band": _band_label(band),
                }
            )
        return rows


def _band_label(band):
    """The margin band of a line as it reads on the statement: "25-100 %"."""
    if not band:
        return None
    return f"{band['margin_from']:g}-{band['margin_to']:g} %"
