# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

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
