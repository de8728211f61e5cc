# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SaleRegulationClause(models.Model):
    """One clause of a regulation version (R1.1 ... R10.2), with how the module enforces or
    measures it: the traceability from the written rule to its mechanism."""

    _name = "sale.regulation.clause"
    _description = "Regulation Clause"
    _order = "regulation_id, sequence, id"

    regulation_id = fields.Many2one("sale.regulation", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, help="The clause's id, e.g. R10.2.")
    chapter = fields.Char(translate=True, help="The chapter of the regulation, e.g. R10 Confidentiality.")
    name = fields.Char(string="Title", required=True, translate=True)
    text = fields.Text(translate=True, help="What the clause says.")
    rule_type = fields.Selection(
        [("hard", "Hard Rule"), ("soft", "Soft Rule")],
        string="Kind",
        required=True,
        default="soft",
        help="Hard rules (data, stages, access, money) are enforced on the server for every path; soft rules "
        "(courtesy, tidiness) are measured or reminded.",
    )
    mechanism = fields.Text(translate=True, help="How the module enforces or measures the clause.")
    state = fields.Selection(related="regulation_id.state")

    _sql_constraints = [
        ("code_unique", "unique(regulation_id, code)", "A regulation has each clause once."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for clause in self:
            clause.display_name = f"{clause.code} {clause.name}" if clause.code else clause.name
