# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .sale_regulation import ACKNOWLEDGEMENT_EXEMPT_FIELDS

# A change of one of these changes what was reviewed (R4.6): the review of the order starts over.
# The unit of measure and the packaging recompute the price without writing it; a line moved to
# another order changes both orders.
PRICING_FIELDS = {
    "product_id",
    "product_uom_qty",
    "product_uom",
    "product_packaging_id",
    "product_packaging_qty",
    "price_unit",
    "discount",
    "tax_id",
    "order_id",
}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # R5.2: the product's FAB sheet where the consultant sells it
    fab_feature = fields.Html(related="product_template_id.fab_feature", string="Features")
    fab_advantage = fields.Html(related="product_template_id.fab_advantage", string="Advantages")
    fab_benefit = fields.Html(related="product_template_id.fab_benefit", string="Benefits")

    def _review_reset_orders(self, orders=None):
        (orders if orders is not None else self.order_id)._review_reset(
            self.env._("the order lines changed after the review")
        )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["sale.regulation"]._check_acknowledged()
        lines = super().create(vals_list)
        lines._review_reset_orders()
        return lines

    def write(self, vals):
        if set(vals) - ACKNOWLEDGEMENT_EXEMPT_FIELDS:
            self.env["sale.regulation"]._check_acknowledged()
        before = self.order_id if "order_id" in vals else self.env["sale.order"]
        res = super().write(vals)
        if PRICING_FIELDS & set(vals):
            self._review_reset_orders(self.order_id | before)
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        self._review_reset_orders(orders.exists())
        return res
