# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .product_template import HIDE_COST, check_cost_access


class ProductProduct(models.Model):
    _inherit = "product.product"

    # R10.1 financial data: plain consultants do not see product costs (group set by role).
    standard_price = fields.Float(groups=f"base.group_user,!{HIDE_COST}")

    def check_field_access_rights(self, operation, field_names):
        check_cost_access(self, field_names)
        return super().check_field_access_rights(operation, field_names)
