# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    regulation_discount_limit = fields.Float(
        string="Discount Limit (%)",
        default=10.0,
        help="R4.6: a regulated order with a line discount above this needs a supervisor's approval "
        "before it is confirmed.",
    )

    # R10.2 export control
    regulation_export_limit = fields.Integer(
        string="Export Limit",
        default=200,
        help="R10.2: the largest number of customer, lead or order records a consultant or supervisor may "
        "export at once; a larger export is refused and the regulation managers are alerted. 0: no limit.",
    )
