# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import fields, models

from ..report import xlsx_tables

COLUMNS = [
    ("line_type", "text", None),
    ("document", "text", None),
    ("product_id", "text", None),
    ("date", "text", None),
    ("base_amount", "money", "sum"),
    ("margin_percent", "percent", None),
    ("share", "percent", None),
    ("rate", "number", None),
    ("difficulty", "number", None),
    ("amount", "money", "sum"),
]


class SaleIncentiveStatementExport(models.TransientModel):
    """Incentive statements as a spreadsheet (R6.4): a sheet per statement, a line per document
    line, headers in the user's language, numbers as numbers and totals as formulas."""

    _name = "sale.incentive.statement.export"
    _description = "Export Incentive Statements to a Spreadsheet"

    statement_ids = fields.Many2many("sale.incentive.statement", string="Statements", required=True)
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def _sheets(self):
        self.ensure_one()
        Line = self.env["sale.incentive.statement.line"]
        headers = [Line._fields[name].get_description(self.env)["string"] for name, _kind, _total in COLUMNS]
        types = dict(Line._fields["line_type"]._description_selection(self.env))
        sheets = []
        for statement in self.statement_ids:
            rows = [
                [
                    types[line.line_type],
                    line.document or line.reason or "",
                    line.product_id.display_name or "",
                    (line.date and fields.Date.to_string(line.date)) or "",
                    line.base_amount,
                    line.margin_percent,
                    line.share,
                    line.rate,
                    line.difficulty,
                    line.amount,
                ]
                for line in statement.line_ids
            ]
            sheets.append(
                {
                    "name": f"{statement.period_id.name} {statement.user_id.name}",
                    "title": self.env._(
                        "%(statement)s (%(currency)s), %(state)s",
                        statement=statement.name,
                        currency=statement.currency_id.name,
                        state=statement._state_label(),
                    ),
                    "columns": [
                        (header, kind, total) for header, (_n, kind, total) in zip(headers, COLUMNS, strict=True)
                    ],
                    "rows": rows,
                }
            )
        return sheets

    def action_export(self):
        self.ensure_one()
        content = xlsx_tables.build_xlsx(self._sheets(), total_label=self.env._("Total"))
        name = "statements-" + "-".join(sorted(set(self.statement_ids.mapped("period_id.name"))))[:50] + ".xlsx"
        self.write({"file_data": base64.b64encode(content), "file_name": name})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file_data/{self.file_name}?download=true",
            "target": "self",
        }
