# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

CATEGORIES = [
    ("price", "Price"),
    ("quality", "Quality"),
    ("need", "Need"),
    ("competition", "Competition"),
    ("timing", "Timing"),
    ("trust", "Trust"),
    ("other", "Other"),
]


class SaleObjection(models.Model):
    """R5.3: the library of objections customers raise, each with the answer the company
    recommends (explanation, example or solution). Consultants read it; managers keep it.

    Multi-company like Odoo's own configuration records: an objection with a company is read in
    that company only, one without a company is shared by all."""

    _name = "sale.objection"
    _description = "Sales Objection"
    _order = "sequence, category, name"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(string="Objection", required=True, translate=True)
    category = fields.Selection(CATEGORIES, required=True, default="price", index=True)
    cause = fields.Text(translate=True, help="R5.3: the usual cause behind the objection, to look for first.")
    answer_script = fields.Html(
        string="Recommended Answer",
        translate=True,
        sanitize_style=True,
        help="R5.3: how to answer, by explanation, example or solution, and stay polite.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="The company whose library holds this objection and its answer; empty to share it with every company.",
    )
    product_tmpl_ids = fields.Many2many(
        "product.template",
        "sale_objection_product_template_rel",
        "objection_id",
        "product_tmpl_id",
        string="Products",
        check_company=True,
        help="The products this objection is met on; empty for any product.",
    )
    product_categ_ids = fields.Many2many(
        "product.category", string="Product Categories", help="The categories it applies to; empty for any."
    )
    lead_objection_count = fields.Integer(compute="_compute_lead_objection_count", string="Times Met")

    _sql_constraints = [
        ("name_category_uniq", "unique(name, category)", "This objection is already in the library."),
    ]

    def _compute_lead_objection_count(self):
        counts = dict(
            self.env["crm.lead.objection"]._read_group(
                [("objection_id", "in", self.ids)], ["objection_id"], ["__count"]
            )
        )
        for objection in self:
            objection.lead_objection_count = counts.get(objection, 0)
