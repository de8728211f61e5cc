# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import is_html_empty

HIDE_COST = "sales_consultant_regulation.group_hide_product_cost"


def check_cost_access(records, field_names):
    """R10.1: refuse plainly, naming the clause, a consultant's read of product costs (Odoo's
    own message cannot describe a "!group")."""
    env = records.env
    if field_names and "standard_price" in field_names and not env.su and env.user.has_group(HIDE_COST):
        raise AccessError(env._("R10.1: product costs are not shown to consultants."))


class ProductTemplate(models.Model):
    _inherit = "product.template"
    # value ranges, checked on every path (see models/base.py)
    _regulation_ranges = {"incentive_difficulty": (0.01, 100.0)}

    # R10.1 financial data: plain consultants do not see product costs (group set by role).
    standard_price = fields.Float(groups=f"base.group_user,!{HIDE_COST}")

    def check_field_access_rights(self, operation, field_names):
        check_cost_access(self, field_names)
        return super().check_field_access_rights(operation, field_names)

    incentive_difficulty = fields.Float(
        string="Selling Difficulty",
        default=1.0,
        digits=(4, 2),
        help="R6.4: scales the commission rate of this product; 1 is normal, 1.5 a product that is hard "
        "to sell (its rate is one and a half times the plan's), 0.8 an easy one.",
    )

    @api.constrains("incentive_difficulty")
    def _check_incentive_difficulty(self):
        for product in self:
            if product.incentive_difficulty <= 0:
                raise ValidationError(
                    self.env._(
                        'R6.4: the selling difficulty of "%(product)s" is a factor above 0.', product=product.name
                    )
                )

    # R5.2 product presentation: the FAB sheet consultants present each product with.
    fab_feature = fields.Html(
        string="Features",
        translate=True,
        sanitize_style=True,
        help="R5.2: what the product is and has (materials, specifications, functions).",
    )
    fab_advantage = fields.Html(
        string="Advantages",
        translate=True,
        sanitize_style=True,
        help="R5.2: what those features do better than the alternatives.",
    )
    fab_benefit = fields.Html(
        string="Benefits",
        translate=True,
        sanitize_style=True,
        help="R5.2: what the customer gains from them, in the customer's terms.",
    )
    fab_missing = fields.Boolean(
        string="FAB Missing",
        compute="_compute_fab_missing",
        store=True,
        help="R5.2: the FAB sheet still lacks its features, advantages or benefits.",
    )
    objection_ids = fields.Many2many(
        "sale.objection",
        "sale_objection_product_template_rel",
        "product_tmpl_id",
        "objection_id",
        string="Objections",
        check_company=True,
        help="R5.3: objections customers raise about this product, with their recommended answers.",
        groups="sales_consultant_regulation.group_consultant",
    )

    @api.depends("fab_feature", "fab_advantage", "fab_benefit")
    def _compute_fab_missing(self):
        for product in self:
            product.fab_missing = any(
                is_html_empty(product[name]) for name in ("fab_feature", "fab_advantage", "fab_benefit")
            )
