# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleRegulationAcknowledgement(models.Model):
    """A user's acknowledgement of one version of the regulation (R1.3, R10). Created only by
    sale.regulation.action_acknowledge for the user who clicks it; nobody edits it afterwards."""

    _name = "sale.regulation.acknowledgement"
    _description = "Regulation Acknowledgement"
    _order = "date desc, id desc"
    _rec_name = "user_id"

    regulation_id = fields.Many2one("sale.regulation", required=True, ondelete="restrict", index=True)
    version = fields.Char(related="regulation_id.version")
    user_id = fields.Many2one(
        "res.users", required=True, ondelete="cascade", index=True, default=lambda self: self.env.user
    )
    date = fields.Datetime(string="Acknowledgement Date", required=True, default=fields.Datetime.now)
    company_id = fields.Many2one(related="regulation_id.company_id", store=True, index=True)

    _sql_constraints = [
        ("regulation_user_unique", "unique(regulation_id, user_id)", "A user acknowledges a version once."),
    ]
