# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R5.2 and R5.3 on leads: the FAB sheets of the products of interest and the objections met."""

from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # R5.2, R5.3 techniques: the FAB sheets of the products of interest and the objections met.
    objection_ids = fields.One2many(
        "crm.lead.objection", "lead_id", string="Objections Met", groups="sales_consultant_regulation.group_consultant"
    )

    objection_open_count = fields.Integer(
        compute="_compute_objection_open_count", string="Open Objections", help="R5.3: objections not yet answered."
    )

    lost_with_open_objections = fields.Boolean(
        compute="_compute_lost_with_open_objections",
        store=True,
        help="R5.3: the lead was marked lost while objections met on it were still unresolved.",
    )

    fab_product_ids = fields.Many2many(
        "product.template",
        compute="_compute_fab_product_ids",
        string="FAB Sheets",
        help="R5.2: the products of interest with their features, advantages and benefits.",
    )

    @api.depends("objection_ids.outcome")
    def _compute_objection_open_count(self):
        for lead in self:
            lead.objection_open_count = len(lead.objection_ids.filtered(lambda line: line.outcome == "open"))

    @api.depends("active", "probability", "objection_ids.outcome")
    def _compute_lost_with_open_objections(self):
        for lead in self:
            lost = not lead.active and not lead.probability
            lead.lost_with_open_objections = lost and any(line.outcome == "open" for line in lead.objection_ids)

    @api.depends("product_interest_ids")
    def _compute_fab_product_ids(self):
        for lead in self:
            lead.fab_product_ids = lead.product_interest_ids
