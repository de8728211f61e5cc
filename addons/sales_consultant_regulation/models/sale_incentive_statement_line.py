# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .sale_incentive_statement import LOCKED_STATES, MANAGER_GROUP

LINE_TYPES = [
    ("commission", "Commission"),
    ("accelerator", "Accelerator"),
    ("bonus", "Bonus"),
    ("clawback", "Clawback"),
    ("adjustment", "Adjustment"),
]


class SaleIncentiveStatementLine(models.Model):
    """A line of an incentive statement (R6.4, R7.1), traceable to the order or invoice line it
    pays on: base (the line's amount for the consultant's share), margin %, rate, share and
    amount; or the period's accelerator or bonus, a clawback, or a manual adjustment with its
    reason."""

    _name = "sale.incentive.statement.line"
    _description = "Incentive Statement Line"
    # set only by the workflow's actions (see models/base.py)
    _regulation_workflow_fields = (
        "sale_line_id",
        "move_line_id",
        "clawback_of_id",
        "document_name",
        "product_snapshot_id",
        "quantity",
        "band",
        "base_amount",
        "margin_amount",
        "margin_percent",
        "share",
        "rate",
        "difficulty",
    )
    _order = "statement_id, sequence, date, id"
    # a period writes one line per credited document line: no create/write stamps (the statement
    # is tracked), and the order, invoice, plan and company are read through the line and the
    # statement, so that each line costs as few foreign-key checks as possible
    _log_access = False

    statement_id = fields.Many2one("sale.incentive.statement", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(compute="_compute_sequence", store=True)
    line_type = fields.Selection(LINE_TYPES, string="Type", required=True, default="adjustment")
    reason = fields.Char(help="Why the line is there: the reason of an adjustment, the tier of a bonus.")
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line", ondelete="set null", index="btree_not_null")
    order_id = fields.Many2one(related="sale_line_id.order_id", string="Order")
    move_line_id = fields.Many2one(
        "account.move.line", string="Invoice Line", ondelete="set null", index="btree_not_null"
    )
    move_id = fields.Many2one(related="move_line_id.move_id", string="Invoice")
    document = fields.Char(compute="_compute_document")
    document_name = fields.Char(
        string="Document Reference",
        readonly=True,
        help="The order or invoice the line was computed from, kept when the statement is approved so that the "
        "line stays explainable when its document is deleted.",
    )
    product_id = fields.Many2one("product.product", compute="_compute_product_id")
    product_snapshot_id = fields.Many2one(
        "product.product",
        string="Product Computed",
        readonly=True,
        ondelete="set null",
        help="The product of the document line when the line was computed.",
    )
    quantity = fields.Float(
        digits="Product Unit of Measure", readonly=True, help="The quantity credited (the share of the line's)."
    )
    band = fields.Char(string="Margin Band", readonly=True, help="The margin band whose rate the line took.")
    date = fields.Date()
    base_amount = fields.Monetary(string="Base", help="The line's amount credited to the consultant (their share).")
    margin_amount = fields.Monetary(string="Margin")
    margin_percent = fields.Float(string="Margin (%)", digits=(16, 2))
    share = fields.Float(string="Share (%)", digits=(5, 2), help="R7.1: the consultant's share of the deal.")
    rate = fields.Float(string="Rate (%)", digits=(16, 3), help="The band's rate times the product's difficulty.")
    difficulty = fields.Float(digits=(4, 2), help="R6.4: the product's selling-difficulty factor.")
    amount = fields.Monetary(aggregator="sum")
    clawback_of_id = fields.Many2one(
        "sale.incentive.statement.line", string="Gives Back", ondelete="restrict", index="btree_not_null"
    )
    clawback_line_ids = fields.One2many("sale.incentive.statement.line", "clawback_of_id", string="Clawed Back By")
    discrepancy_amount = fields.Monetary(
        string="Discrepancy",
        compute="_compute_discrepancy_amount",
        help="On an approved statement: what the line's document is worth today less what was paid and settled "
        "for it; the next statement computed settles it.",
    )
    user_id = fields.Many2one(related="statement_id.user_id", string="Consultant")
    plan_id = fields.Many2one(related="statement_id.plan_id")
    period_id = fields.Many2one(related="statement_id.period_id")
    company_id = fields.Many2one(related="statement_id.company_id")
    currency_id = fields.Many2one(related="statement_id.currency_id")
    state = fields.Selection(related="statement_id.state")

    _sql_constraints = [
        # R6.4: a line of a locked statement is given back once, whichever statement computes it
        ("clawback_once", "UNIQUE(clawback_of_id)", "A statement line is clawed back once."),
    ]

    @api.depends("line_type")
    def _compute_sequence(self):
        order = {key: index for index, (key, _label) in enumerate(LINE_TYPES)}
        for line in self:
            line.sequence = order.get(line.line_type, 0)

    @api.depends("sale_line_id.product_id", "move_line_id.product_id", "product_snapshot_id")
    def _compute_product_id(self):
        for line in self:
            # sudo: R7.1, the consultant credited with a share of a colleague's order sees the
            # product she is paid on, and nothing else of that order line
            source = line.sudo()
            line.product_id = (
                source.sale_line_id.product_id or source.move_line_id.product_id or source.product_snapshot_id
            ).sudo(False)

    @api.depends("order_id.name", "move_id.name", "document_name")
    def _compute_document(self):
        for line in self:
            # sudo: R7.1, the consultant credited with a share of a colleague's order sees the
            # name of the order or invoice she is paid on, and nothing else of it
            source = line.sudo()
            line.document = (
                source.sale_line_id.order_id.name or source.move_line_id.move_id.name or source.document_name or False
            )

    @api.model
    def _snapshot_documents(self, statements):
        """Keep the document reference of the lines of ``statements`` (at approval): one query."""
        self.env["sale.order"].flush_model(["name"])
        self.env["account.move"].flush_model(["name"])
        self.flush_model(["sale_line_id", "move_line_id", "document_name", "product_snapshot_id"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE sale_incentive_statement_line l
                   SET document_name = COALESCE(
                       (SELECT so.name FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
                         WHERE sol.id = l.sale_line_id),
                       (SELECT am.name FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id
                         WHERE aml.id = l.move_line_id),
                       l.document_name),
                       product_snapshot_id = COALESCE(
                       l.product_snapshot_id,
                       (SELECT sol.product_id FROM sale_order_line sol WHERE sol.id = l.sale_line_id),
                       (SELECT aml.product_id FROM account_move_line aml WHERE aml.id = l.move_line_id))
                 WHERE l.statement_id = ANY(%s)
                """,
                statements.ids,
            )
        )
        self.invalidate_model(["document_name", "document", "product_snapshot_id", "product_id"])

    @api.depends("statement_id.state")
    def _compute_discrepancy_amount(self):
        amounts = self.statement_id._discrepancies()
        for line in self:
            line.discrepancy_amount = amounts.get(line.id, (0.0, None))[0]

    # ------------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._regulation_check_vals(vals, create=True)
        statements = self.env["sale.incentive.statement"].browse({vals.get("statement_id") for vals in vals_list})
        if not all(vals.get("statement_id") for vals in vals_list):
            raise UserError(self.env._("R6.4: a statement line belongs to a statement."))
        if not self.env.su:
            self._check_adjustment_rights(statements, [vals.get("line_type", "adjustment") for vals in vals_list])
            if any(not (vals.get("reason") or "").strip() for vals in vals_list):
                raise UserError(self.env._("R6.4: a manual adjustment gives its reason."))
        self._check_not_locked(statements)
        lines = super().create(vals_list)
        if not self.env.su:
            statements._update_totals()
        return lines

    def write(self, vals):
        if "statement_id" in vals and any(line.statement_id.id != vals["statement_id"] for line in self):
            raise UserError(
                self.env._("R6.4: a statement line stays in its statement; remove it and add a new one instead.")
            )
        if not self.env.su:
            self._check_adjustment_rights(self.statement_id, self.mapped("line_type") + [vals.get("line_type")])
        self._check_not_locked(self.statement_id)
        res = super().write(vals)
        if "amount" in vals:
            self.statement_id._update_totals()
        return res

    def unlink(self):
        statements = self.statement_id
        if not self.env.su:
            self._check_adjustment_rights(statements, self.mapped("line_type"))
        self._check_not_locked(statements)
        res = super().unlink()
        statements.exists()._update_totals()
        return res

    @api.model
    def _check_not_locked(self, statements):
        locked = statements.filtered(lambda s: s.state in LOCKED_STATES)
        if locked:
            raise UserError(
                self.env._(
                    'R6.4: the statement "%(statement)s" is %(state)s; its lines are locked.',
                    statement=locked[0].name,
                    state=locked[0]._state_label(),
                )
            )

    @api.model
    def _check_adjustment_rights(self, statements, line_types):
        """Users add, change and remove manual adjustments only, as managers, on draft or
        disputed statements; every other line is the computation's."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("R6.4: only a regulation manager adjusts incentive statements."))
        statements._check_not_beneficiary(self.env._("adjust it"))
        if any(line_type and line_type != "adjustment" for line_type in line_types):
            raise AccessError(
                self.env._("R6.4: commission, accelerator, bonus and clawback lines are computed, not edited.")
            )
        wrong = statements.filtered(lambda s: s.state not in ("draft", "disputed"))
        if wrong:
            raise UserError(
                self.env._(
                    'R6.4: the statement "%(statement)s" is %(state)s; adjust a draft or disputed statement.',
                    statement=wrong[0].name,
                    state=wrong[0]._state_label(),
                )
            )

    @api.model
    def _sync_commission_rows(self, rows, statements, plan):
        """Make the commission lines of ``statements`` equal to ``rows``: the stored lines are
        read in one query, those that changed or went are deleted in one, the new or changed
        rows inserted in one. A recompute where nothing changed writes nothing."""
        source = "sale_line_id" if plan.basis == "order" else "move_line_id"
        self.env.cr.execute(
            SQL(
                """SELECT id, statement_id, %s, date, base_amount::float8, margin_amount::float8,
                          margin_percent::float8, share::float8, rate::float8, difficulty::float8, amount::float8
                     FROM sale_incentive_statement_line
                    WHERE statement_id = ANY(%s) AND line_type = 'commission'""",
                SQL.identifier(source),
                statements.ids,
            )
        )
        existing = {}
        stale = []
        for line_id, statement_id, source_id, *values in self.env.cr.fetchall():
            if source_id is None or (statement_id, source_id) in existing:
                stale.append(line_id)
            else:
                existing[statement_id, source_id] = (line_id, values)
        new_rows = []
        kept = set()
        for row in rows:
            stored = existing.get((row["statement_id"], row["line_id"]))
            if stored and _same_row(stored[1], row):
                kept.add(stored[0])
            else:
                new_rows.append(row)
        stale += [line_id for line_id, _values in existing.values() if line_id not in kept]
        if stale:
            self.env.cr.execute(SQL("DELETE FROM sale_incentive_statement_line WHERE id = ANY(%s)", stale))
        self._insert_commission_rows(new_rows, plan)

    @api.model
    def _insert_commission_rows(self, rows, plan):
        """Insert the commission rows of a computation (see :meth:`_insert_rows`)."""
        source = "sale_line_id" if plan.basis == "order" else "move_line_id"
        self._insert_rows([dict(row, line_type="commission", **{source: row["line_id"]}) for row in rows])

    @api.model
    def _insert_rows(self, rows):
        """Insert computed lines in one statement: a period holds one line per credited document
        line (hundreds of thousands for a large sales force), where the ORM's create would be the
        bottleneck and would batch by a hundred. Every stored field is written here; the cache of
        the model is invalidated after. ``rows`` are dicts of the stored fields."""
        if not rows:
            return
        sequences = {key: index for index, (key, _label) in enumerate(LINE_TYPES)}

        def literal(values):
            # one array literal ('{1,2,NULL}') per column: Postgres parses it at once, where an
            # ARRAY[...] of as many parameters is parsed element by element
            return "{" + ",".join("NULL" if value is None or value is False else str(value) for value in values) + "}"

        def column(key, default=None):
            return literal(row.get(key, default) for row in rows)

        def as_date(value):
            return value.date() if isinstance(value, datetime.datetime) else value

        self.env.cr.execute(
            SQL(
                """
                INSERT INTO sale_incentive_statement_line
                       (statement_id, sequence, line_type, reason, document_name, band, product_snapshot_id,
                        quantity, sale_line_id, move_line_id, clawback_of_id, date, base_amount, margin_amount,
                        margin_percent, share, rate, difficulty, amount)
                SELECT t.statement_id, t.sequence, t.line_type, t.reason, t.document_name, t.band, t.product,
                       t.quantity, t.sale_line_id, t.move_line_id, t.clawback_of_id, t.date, t.base_amount,
                       t.margin_amount, t.margin_percent, t.share, t.rate, t.difficulty, t.amount
                  FROM unnest(%(statement)s::int[], %(sequence)s::int[], %(line_type)s::varchar[],
                              %(reason)s::varchar[], %(document_name)s::varchar[], %(band)s::varchar[],
                              %(product)s::int[], %(quantity)s::float8[], %(sale_line)s::int[],
                              %(move_line)s::int[],
                              %(clawback_of)s::int[], %(date)s::date[], %(base)s::float8[], %(margin)s::float8[],
                              %(margin_percent)s::float8[], %(share)s::float8[], %(rate)s::float8[],
                              %(difficulty)s::float8[], %(amount)s::float8[])
                    AS t(statement_id, sequence, line_type, reason, document_name, band, product, quantity,
                         sale_line_id, move_line_id, clawback_of_id,
                         date, base_amount, margin_amount, margin_percent, share, rate, difficulty, amount)
                """,
                statement=column("statement_id"),
                sequence=literal(sequences[row["line_type"]] for row in rows),
                line_type=column("line_type"),
                # texts go as a parameter list: a free text may hold any character
                reason=[row.get("reason") or None for row in rows],
                document_name=[row.get("document_name") or None for row in rows],
                band=[row.get("band") or None for row in rows],
                product=column("product_snapshot_id"),
                quantity=column("quantity", 0.0),
                sale_line=column("sale_line_id"),
                move_line=column("move_line_id"),
                clawback_of=column("clawback_of_id"),
                date=literal(as_date(row.get("date")) for row in rows),
                base=column("base_amount", 0.0),
                margin=column("margin_amount", 0.0),
                margin_percent=column("margin_percent", 0.0),
                share=column("share", 0.0),
                rate=column("rate", 0.0),
                difficulty=column("difficulty", 0.0),
                amount=column("amount", 0.0),
            )
        )
        self.invalidate_model()


ROW_VALUES = ("date", "base_amount", "margin_amount", "margin_percent", "share", "rate", "difficulty", "amount")


def _same_row(stored, row):
    """A stored commission line (values in ROW_VALUES order, numbers as floats) equals a
    computed row."""
    stored_date, *numbers = stored
    date = row["date"]
    if stored_date != (date.date() if isinstance(date, datetime.datetime) else date):
        return False
    return all(
        abs((old or 0.0) - (row[name] or 0.0)) <= 1e-6 for name, old in zip(ROW_VALUES[1:], numbers, strict=True)
    )
