# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R6.4 how the system writes a statement: its lock while computing, its totals, the computed
lines, discrepancies of approved statements, and the nightly recompute of drafts."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .base import workflow_step
from .sale_incentive_statement import LOCKED_STATES, TOTAL_FIELDS

# A transaction-level advisory lock per statement: two computations of one statement never
# run at the same time (the second is refused), so nothing is counted twice.
LOCK_KEY = 7061  # "sale.incentive.statement"


class SaleIncentiveStatement(models.Model):
    _inherit = "sale.incentive.statement"

    clawback_carried = fields.Monetary(
        string="Clawback Outstanding",
        readonly=True,
        aggregator="sum",
        help="What clawbacks still take back after this statement: the part the plan's cap left for the following "
        "statements.",
    )

    discrepancy_amount = fields.Monetary(
        string="Discrepancy",
        compute="_compute_discrepancy_amount",
        help="On an approved or paid statement: what its documents are worth today less what the statement paid "
        "for them and the settlements made since (in any statement). It is settled by the next statement computed.",
    )

    def _discrepancies(self):
        """{line id: amount} of the commission lines of the locked statements of ``self`` whose
        documents are worth something else today than was paid and settled for them (R6.4):
        the settlement scan of the plan, a constant number of queries per plan."""
        amounts = {}
        locked = self.filtered(lambda s: s.state in LOCKED_STATES and isinstance(s.id, int))
        for plan, statements in locked.grouped("plan_id").items():
            # sudo: the scan reads the documents behind the statement, whoever may read the statement
            scan = plan.sudo()._settlement_scan(SQL("s.id = ANY(%s)", statements.ids), statements.user_id.ids)
            for item in scan:
                if not plan.currency_id.is_zero(item["amount"]):
                    amounts[item["line"]["id"]] = item["amount"], item["line"]["statement_id"]
        return amounts

    @api.depends("state")
    def _compute_discrepancy_amount(self):
        sums = defaultdict(float)
        for amount, statement_id in self._discrepancies().values():
            sums[statement_id] += amount
        for statement in self:
            statement.discrepancy_amount = sums.get(statement.id, 0.0)

    def _lock_for_compute(self):
        """Take each statement's advisory lock for the transaction, or refuse: another
        computation of the same statement is running (R6.4: no double count)."""
        if not self:
            return
        self.env.cr.execute(
            SQL("SELECT id FROM unnest(%s::int[]) id WHERE NOT pg_try_advisory_xact_lock(%s, id)", self.ids, LOCK_KEY)
        )
        busy = [row[0] for row in self.env.cr.fetchall()]
        if busy:
            raise UserError(
                self.env._(
                    'R6.4: the statement "%(statement)s" is being computed by someone else; try again in a moment.',
                    statement=self.browse(busy[0]).name,
                )
            )

    @workflow_step
    def _update_totals(self):
        """Totals per line type and the grand total, from the lines (one query)."""
        if not self:
            return
        Line = self.env["sale.incentive.statement.line"]
        Line.flush_model(["statement_id", "line_type", "amount"])
        sums = defaultdict(float)
        for statement, line_type, amount in Line.sudo()._read_group(
            [("statement_id", "in", self.ids)], ["statement_id", "line_type"], ["amount:sum"]
        ):
            sums[statement.id, line_type] = amount
        for statement in self.sudo():
            vals = {field: sums[statement.id, line_type] for line_type, field in TOTAL_FIELDS.items()}
            vals["total"] = sum(vals.values())
            statement.write(vals)

    def _write_computation(self, figures_of):
        """Write the computed figures and totals of the statements in one query, whatever their
        number (``figures_of``: {statement id: values}); the adjustments are added from their
        lines (one query)."""
        self.env.cr.execute(
            SQL(
                """SELECT statement_id, SUM(amount) FROM sale_incentive_statement_line
                    WHERE statement_id = ANY(%s) AND line_type = 'adjustment' GROUP BY statement_id""",
                self.ids,
            )
        )
        adjustments = dict(self.env.cr.fetchall())
        ids = list(figures_of)

        def column(name):
            return [figures_of[statement_id][name] for statement_id in ids]

        adjustment = [float(adjustments.get(statement_id) or 0.0) for statement_id in ids]
        totals = [
            sum(figures_of[statement_id][name] for name in TOTAL_FIELDS.values() if name != "adjustment_total")
            + adjustment[index]
            for index, statement_id in enumerate(ids)
        ]
        self.env.cr.execute(
            SQL(
                """
                UPDATE sale_incentive_statement s
                   SET amount_total = v.amount_total, margin_total = v.margin_total,
                       completion_rate = v.completion_rate, multiplier = v.multiplier,
                       bonus_percent = v.bonus_percent, bonus_base = v.bonus_base,
                       commission_total = v.commission_total, accelerator_total = v.accelerator_total,
                       bonus_total = v.bonus_total, clawback_total = v.clawback_total,
                       clawback_carried = v.clawback_carried,
                       adjustment_total = v.adjustment_total, total = v.total,
                       computed_at = %(now)s, write_uid = %(uid)s, write_date = %(now)s
                  FROM unnest(%(ids)s::int[], %(amount)s::float8[], %(margin)s::float8[], %(completion)s::float8[],
                              %(multiplier)s::float8[], %(bonus_percent)s::float8[], %(bonus_base)s::varchar[],
                              %(commission)s::float8[], %(accelerator)s::float8[], %(bonus)s::float8[],
                              %(clawback)s::float8[], %(adjustment)s::float8[], %(total)s::float8[],
                              %(carried)s::float8[])
                    AS v(id, amount_total, margin_total, completion_rate, multiplier, bonus_percent, bonus_base,
                         commission_total, accelerator_total, bonus_total, clawback_total, adjustment_total, total,
                         clawback_carried)
                 WHERE s.id = v.id
                """,
                now=fields.Datetime.now(),
                uid=self.env.uid,
                ids=ids,
                amount=column("amount_total"),
                margin=column("margin_total"),
                completion=column("completion_rate"),
                multiplier=column("multiplier"),
                bonus_percent=column("bonus_percent"),
                bonus_base=column("bonus_base"),
                commission=column("commission_total"),
                accelerator=column("accelerator_total"),
                bonus=column("bonus_total"),
                clawback=column("clawback_total"),
                carried=[figures_of[statement_id].get("clawback_carried", 0.0) for statement_id in ids],
                adjustment=adjustment,
                total=totals,
            )
        )
        self.invalidate_recordset()

    @api.model
    @workflow_step
    def _cron_recompute_drafts(self):
        """Nightly: recompute the draft statements of open periods."""
        drafts = self.search([("state", "=", "draft"), ("period_id.state", "=", "open")])
        for (plan, period), statements in drafts.grouped(lambda s: (s.plan_id, s.period_id)).items():
            plan.with_company(plan.company_id)._compute_statements(period, statements.user_id)
