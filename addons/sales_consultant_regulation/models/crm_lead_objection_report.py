# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from .crm_lead_objection import OUTCOMES
from .sale_objection import CATEGORIES


class CrmLeadObjectionReport(models.Model):
    """R5.3 techniques analysis: the objections met on leads, with the deals they were met on
    and the outcome of those deals, per consultant and per product of interest. Which objection
    loses most deals: the lost leads on which it was still open or was the reason.

    One row per objection met and product of interest of its lead (one row without product
    when the lead has none): counted per product, a lead with two products counts under each."""

    _name = "crm.lead.objection.report"
    _description = "Techniques Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "objection_id"
    # The tables the view reads: their pending changes are flushed before it is queried.
    _depends = {
        "crm.lead.objection": ["lead_id", "objection_id", "outcome", "date"],
        "crm.lead": ["user_id", "team_id", "company_id", "active", "probability", "product_interest_ids"],
        "sale.objection": ["category"],
    }

    lead_objection_id = fields.Many2one("crm.lead.objection", string="Objection Met", readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    objection_id = fields.Many2one("sale.objection", readonly=True)
    category = fields.Selection(CATEGORIES, readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Consultant", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product", readonly=True)
    lead_lost = fields.Boolean(string="Deal Lost", readonly=True)
    lost_open = fields.Boolean(string="Lost With the Objection Open", readonly=True)
    met_count = fields.Integer(string="Times Met", readonly=True, aggregator="sum")
    lost_count = fields.Integer(
        string="Deals Lost",
        readonly=True,
        aggregator="sum",
        help="R5.3: deals lost with this objection still open or lost because of it.",
    )
    lost_open_count = fields.Integer(
        string="Deals Lost With It Open",
        readonly=True,
        aggregator="sum",
        help="R5.3: deals marked lost while this objection was still unresolved.",
    )

    @property
    def _table_query(self):
        lost = SQL("(lead.active IS NOT TRUE AND COALESCE(lead.probability, 0) = 0)")
        return SQL(
            """
            SELECT row_number() OVER (ORDER BY line.id, product.product_tmpl_id) AS id,
                   line.id AS lead_objection_id,
                   line.lead_id AS lead_id,
                   line.objection_id AS objection_id,
                   objection.category AS category,
                   line.outcome AS outcome,
                   line.date AS date,
                   lead.user_id AS user_id,
                   lead.team_id AS team_id,
                   lead.company_id AS company_id,
                   product.product_tmpl_id AS product_tmpl_id,
                   %(lost)s AS lead_lost,
                   (%(lost)s AND line.outcome = 'open') AS lost_open,
                   1 AS met_count,
                   CASE WHEN %(lost)s AND line.outcome IN ('open', 'lost') THEN 1 ELSE 0 END AS lost_count,
                   CASE WHEN %(lost)s AND line.outcome = 'open' THEN 1 ELSE 0 END AS lost_open_count
              FROM crm_lead_objection line
              JOIN crm_lead lead ON lead.id = line.lead_id
              JOIN sale_objection objection ON objection.id = line.objection_id
         LEFT JOIN crm_lead_product_interest_rel product ON product.lead_id = line.lead_id
            """,
            lost=lost,
        )
