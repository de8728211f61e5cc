# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SaleRegulationConsultantMixin(models.AbstractModel):
    """A record a consultant owns and their team supervises: the record rules (own, teams led,
    all) read ``user_id`` and ``team_id.user_id``. The team follows the consultant's team
    unless it is set by hand."""

    _name = "sale.regulation.consultant.mixin"
    _description = "Record Owned by a Sales Consultant"

    user_id = fields.Many2one(
        "res.users",
        string="Consultant",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        check_company=True,
        index="btree_not_null",
    )

    @api.depends("user_id")
    def _compute_team_id(self):
        for record in self:
            record.team_id = record.user_id.sale_team_id or record.team_id
