# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import commission_maths


class SaleIncentiveRate(models.Model):
    """A commission rate of a plan for one margin band, for a product, a product category or
    every product (R6.4: the rate set by the product's profit margin). Bands of one scope
    never overlap."""

    _name = "sale.incentive.rate"
    _check_company_auto = True
    _description = "Incentive Commission Rate"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"margin_from": (-1000.0, 1000.0), "margin_to": (-1000.0, 1000.0), "rate": (0.0, 100.0)}
    _order = "plan_id, scope_rank, product_tmpl_id, categ_id, margin_from"

    plan_id = fields.Many2one("sale.incentive.plan", required=True, ondelete="cascade", index=True, check_company=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product", ondelete="cascade", check_company=True)
    categ_id = fields.Many2one("product.category", string="Product Category", ondelete="cascade")
    scope = fields.Selection(
        [("product", "Product"), ("category", "Category"), ("all", "All Products")],
        compute="_compute_scope",
        store=True,
    )
    scope_rank = fields.Integer(compute="_compute_scope", store=True)
    margin_from = fields.Float(
        string="Margin From (%)", required=True, default=0.0, help="The band starts at this margin, included."
    )
    margin_to = fields.Float(
        string="Margin To (%)",
        required=True,
        default=100.0,
        help="The band stops below this margin; the highest band of a scope includes it.",
    )
    rate = fields.Float(string="Rate (%)", required=True, digits=(5, 3))
    base = fields.Selection(
        [("amount", "Sales Amount"), ("margin", "Margin")],
        required=True,
        default="amount",
        help="The commission is a percent of the line's untaxed amount or of its margin.",
    )

    _sql_constraints = [
        ("band_order", "CHECK(margin_from < margin_to)", "A margin band starts below where it stops."),
        ("rate_positive", "CHECK(rate >= 0)", "A commission rate is not negative."),
        (
            "one_scope",
            "CHECK(product_tmpl_id IS NULL OR categ_id IS NULL)",
            "A commission rate is for a product or for a category, not both.",
        ),
    ]

    @api.depends("product_tmpl_id", "categ_id")
    def _compute_scope(self):
        for rate in self:
            if rate.product_tmpl_id:
                rate.scope = "product"
            elif rate.categ_id:
                rate.scope = "category"
            else:
                rate.scope = "all"
            rate.scope_rank = commission_maths.SCOPE_RANK[rate.scope]

    @api.constrains("margin_from", "margin_to", "product_tmpl_id", "categ_id", "plan_id")
    def _check_overlap(self):
        """R6.4: the margin bands of one plan and scope do not overlap (one search)."""
        rates = self.search([("plan_id", "in", self.plan_id.ids)])
        by_scope = defaultdict(list)
        for rate in rates:
            by_scope[(rate.plan_id, rate.product_tmpl_id, rate.categ_id)].append(rate)
        for scope_rates in by_scope.values():
            pairs = commission_maths.bands_overlap([(r.margin_from, r.margin_to) for r in scope_rates])
            for first, second in pairs:
                one, other = scope_rates[first], scope_rates[second]
                raise ValidationError(
                    self.env._(
                        "R6.4: the margin bands %(one)s and %(other)s of the plan %(plan)s overlap for %(scope)s.",
                        one=one._band_label(),
                        other=other._band_label(),
                        plan=one.plan_id.name,
                        scope=one.product_tmpl_id.name or one.categ_id.display_name or self.env._("all products"),
                    )
                )

    def _band_label(self):
        self.ensure_one()
        return f"{self.margin_from:g}-{self.margin_to:g} %"

    def _as_band(self):
        """The band for :class:`commission_maths.RateTable`."""
        self.ensure_one()
        return {
            "id": self.id,
            "scope": self.scope,
            "scope_id": self.product_tmpl_id.id or self.categ_id.id or None,
            "margin_from": self.margin_from,
            "margin_to": self.margin_to,
            "rate": self.rate,
            "base": self.base,
        }
