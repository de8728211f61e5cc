# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R6.4 money that comes back: every locked statement line settled against what its document line
is worth today (clawbacks and differences, once), documents dated in a locked past, and
clawbacks recovered in instalments."""

from collections import defaultdict

from odoo import fields, models
from odoo.tools import SQL

from ..tools import commission_maths
from .sale_incentive_statement import LOCKED_STATES


class SaleIncentivePlan(models.Model):
    _inherit = "sale.incentive.plan"

    recovery_cap_percent = fields.Float(
        string="Clawback Cap (%)",
        digits=(5, 2),
        default=0.0,
        tracking=True,
        help="Clawbacks take at most this percent of a statement's positive total (commission, accelerator, bonus "
        "and differences); the rest is carried to the following statements, in instalments. 0: no cap.",
    )

    clawback_outstanding = fields.Monetary(
        compute="_compute_clawback_outstanding",
        help="What clawbacks still take back from the consultants after their latest statements.",
    )

    def _compute_clawback_outstanding(self):
        latest = {}
        statements = self.env["sale.incentive.statement"].search(
            [("plan_id", "in", self.ids)], order="date_from desc, id desc"
        )
        for statement in statements:
            latest.setdefault((statement.plan_id.id, statement.user_id.id), statement.clawback_carried)
        for plan in self:
            plan.clawback_outstanding = sum(
                amount for (plan_id, _user_id), amount in latest.items() if plan_id == plan.id
            )

    def _clawback_vals(self, period, statement_of):
        """Settlement lines, in the draft statements being computed, for the commission lines of
        the consultants' locked statements of earlier periods whose document line is now worth
        something else (R6.4): a clawback when it is worth less (order cancelled, quantity or
        price lowered, line removed, invoice reset or cancelled, credit notes, payment
        unreconciled), a difference when it is worth more. What a line is worth today comes
        from the figures service with the consultant's share (R7.1), at the line's rate, with
        its statement's accelerator and bonus; what was paid for it is its amount and the
        settlements already made (each settles the last one, so a line's chain is taken once).
        A chain whose last settlement lies in another open statement is left to it. A constant
        number of queries, whatever the number of consultants and lines."""
        vals_list = []
        for item in self._settlement_scan(SQL("s.date_from < %s", period.date_from), list(statement_of)):
            if item["held_open"]:
                continue
            line, row, amount = item["line"], item["row"], item["amount"]
            tail, period_name = item["tail"], item["period_name"]
            base_now, margin_now = item["base_now"], item["margin_now"]
            base_paid, margin_paid = item["base_paid"], item["margin_paid"]
            if self.currency_id.is_zero(amount):
                continue
            values = {
                "document": line["document"] or "-",
                "period": period_name,
                "cause": self._settlement_cause(line, row, amount),
            }
            if amount < 0:
                reason = self.env._(
                    "Clawback: %(document)s of %(period)s, counted in an approved statement: %(cause)s", **values
                )
            else:
                reason = self.env._(
                    "Difference: %(document)s of %(period)s, counted in an approved statement: %(cause)s", **values
                )
            vals_list.append(
                {
                    "statement_id": statement_of[line["user_id"]].id,
                    "line_type": "clawback",
                    "clawback_of_id": tail,
                    "sale_line_id": line["sale_line_id"],
                    "move_line_id": line["move_line_id"],
                    "document_name": line["document"],
                    "date": line["date"],
                    "base_amount": base_now - base_paid,
                    "margin_amount": margin_now - margin_paid,
                    "margin_percent": line["margin_percent"],
                    "share": row["share"] if row else line["share"],
                    "rate": line["rate"],
                    "difficulty": line["difficulty"],
                    "amount": amount,
                    "reason": reason,
                    "product_snapshot_id": row["product_id"] if row else None,
                    "quantity": row["quantity"] if row else 0.0,
                }
            )
        return vals_list

    def _settlement_scan(self, where, users):
        """Every commission line of the plan's approved or paid statements of ``users`` matching
        ``where`` (SQL on the statement ``s``), with what its document line is worth today, what
        was paid for it (the line and the settlements of its chain, in any statement) and the
        difference: the clawback scan and the discrepancy of approved statements read it. A
        constant number of queries, whatever the number of consultants and lines."""
        Figures = self.env["sale.regulation.figures"]
        Figures._flush_sources()
        self.env["sale.incentive.statement"].flush_model()
        self.env["sale.incentive.statement.line"].flush_model()
        # plain rows, not records: a period settles up to every line of the earlier periods
        self.env.cr.execute(
            SQL(
                """
                SELECT l.id, l.statement_id, l.sale_line_id, l.move_line_id, l.date, l.amount::float8,
                       l.base_amount::float8, l.margin_amount::float8, l.margin_percent::float8, l.share::float8,
                       l.rate::float8, l.difficulty::float8, s.user_id, s.period_id, s.multiplier::float8,
                       s.bonus_percent::float8, s.bonus_base, COALESCE(so.name, am.name, l.document_name) AS document,
                       so.state AS order_state, am.state AS move_state, am.payment_state
                  FROM sale_incentive_statement_line l
                  JOIN sale_incentive_statement s ON s.id = l.statement_id
             LEFT JOIN sale_order_line sol ON sol.id = l.sale_line_id
             LEFT JOIN sale_order so ON so.id = sol.order_id
             LEFT JOIN account_move_line aml ON aml.id = l.move_line_id
             LEFT JOIN account_move am ON am.id = aml.move_id
                 WHERE s.plan_id = %(plan)s
                   AND s.user_id = ANY(%(users)s)
                   AND s.state IN %(locked)s
                   AND %(where)s
                   AND l.line_type = 'commission'
              ORDER BY s.date_from, l.id
                """,
                plan=self.id,
                users=users,
                locked=LOCKED_STATES,
                where=where,
            )
        )
        originals = self.env.cr.dictfetchall()
        if not originals:
            return []
        self.env.cr.execute(
            SQL(
                """
                SELECT l.clawback_of_id, l.id, l.amount::float8, l.base_amount::float8, l.margin_amount::float8,
                       s.state IN %(locked)s AS locked
                  FROM sale_incentive_statement_line l
                  JOIN sale_incentive_statement s ON s.id = l.statement_id
                 WHERE s.plan_id = %(plan)s
                   AND s.user_id = ANY(%(users)s)
                   AND l.line_type = 'clawback'
                   AND l.clawback_of_id IS NOT NULL
                """,
                plan=self.id,
                users=users,
                locked=LOCKED_STATES,
            )
        )
        next_of = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        source = "sale_line_id" if self.basis == "order" else "move_line_id"
        current = Figures._current_lines(
            self.company_id, self.basis, {line[source] for line in originals if line[source]}
        )
        company_currency = self.company_id.currency_id
        periods = self.env["sale.appraisal.period"].browse({line["period_id"] for line in originals})
        conversion = {
            original_period.id: (
                original_period.name,
                company_currency._get_conversion_rate(
                    company_currency, self.currency_id, self.company_id, original_period.date_to
                ),
            )
            for original_period in periods
        }
        items = []
        for line in originals:
            bonus_on_margin = line["bonus_base"] == "margin"
            paid = -commission_maths.clawback(
                line["amount"],
                line["multiplier"],
                line["bonus_percent"],
                line["margin_amount"] if bonus_on_margin else line["base_amount"],
            )
            base_paid, margin_paid = line["base_amount"], line["margin_amount"]
            tail, held_open = line["id"], False
            while tail in next_of:
                tail, amount, base_amount, margin_amount, locked = next_of[tail]
                paid += amount
                base_paid += base_amount
                margin_paid += margin_amount
                held_open = held_open or not locked
            row = current.get((line["user_id"], line[source])) if line[source] else None
            period_name, rate = conversion[line["period_id"]]
            base_now = row["amount"] * rate if row else 0.0
            margin_now = row["margin"] * rate if row else 0.0
            worth_now = commission_maths.line_worth(
                base_now,
                margin_now,
                line["rate"],
                on_margin=commission_maths.rated_on_margin(
                    line["amount"], line["base_amount"], line["margin_amount"], line["rate"]
                ),
                multiplier=line["multiplier"],
                bonus_percent=line["bonus_percent"],
                bonus_on_margin=bonus_on_margin,
            )
            amount = self.currency_id.round(commission_maths.settlement(worth_now, paid))
            items.append(
                {
                    "line": line,
                    "row": row,
                    "tail": tail,
                    "held_open": held_open,
                    "period_name": period_name,
                    "base_now": base_now,
                    "margin_now": margin_now,
                    "base_paid": base_paid,
                    "margin_paid": margin_paid,
                    "amount": amount,
                }
            )
        return items

    def _recover_in_instalments(self, clawbacks, figures_of):
        """Cap what clawbacks take from each statement at the plan's percent of its positive
        total (R6.4 recovery in instalments): the oldest first, the last one taken in part; the
        rest stays unsettled, so the next statement's scan finds it and takes the next
        instalment. Returns the lines kept and {statement id: amount carried}."""
        if not self.recovery_cap_percent:
            return clawbacks, {}
        allowance = {}
        for statement_id, figures in figures_of.items():
            positive = figures["commission_total"] + figures["accelerator_total"] + figures["bonus_total"]
            positive += sum(v["amount"] for v in clawbacks if v["statement_id"] == statement_id and v["amount"] > 0)
            allowance[statement_id] = max(positive, 0.0) * self.recovery_cap_percent / 100.0
        kept, carried = [], defaultdict(float)
        for vals in clawbacks:
            statement_id, due = vals["statement_id"], -vals["amount"]
            if due <= 0 or due <= allowance[statement_id] + 1e-9:
                allowance[statement_id] -= max(due, 0.0)
                kept.append(vals)
                continue
            taken = self.currency_id.round(allowance[statement_id]) if vals.get("clawback_of_id") else 0.0
            carried[statement_id] += due - taken
            if self.currency_id.is_zero(taken):
                continue  # carried whole: the next statement finds it again
            allowance[statement_id] = 0.0
            ratio = taken / due
            kept.append(
                dict(
                    vals,
                    amount=-taken,
                    base_amount=vals["base_amount"] * ratio,
                    margin_amount=vals["margin_amount"] * ratio,
                    reason=self.env._(
                        "%(reason)s (instalment: %(taken)s of %(due)s, the rest is carried)",
                        reason=vals["reason"],
                        taken=format(taken, ".2f"),
                        due=format(due, ".2f"),
                    ),
                )
            )
        return kept, dict(carried)

    def _late_document_vals(self, period, statement_of):
        """Lines, in the draft statements being computed, for the document lines dated in an
        earlier period whose statement is approved or paid but which it did not count (R6.4): an
        order confirmed, an invoice or a credit note posted after the approval with a date in
        that period. The approved statement never changes: what the line is worth with that
        statement's rates, accelerator and bonus goes into the open statement, once. A query per
        locked period, whatever the number of consultants and lines."""
        source = "sale_line_id" if self.basis == "order" else "move_line_id"
        users = list(statement_of)
        self.env.cr.execute(
            SQL(
                """SELECT s.id, s.user_id, s.period_id, s.multiplier::float8, s.bonus_percent::float8, s.bonus_base
                     FROM sale_incentive_statement s
                    WHERE s.plan_id = %s AND s.user_id = ANY(%s) AND s.state IN %s AND s.date_from < %s""",
                self.id,
                users,
                LOCKED_STATES,
                period.date_from,
            )
        )
        locked = {(user_id, period_id): row for row in self.env.cr.fetchall() for user_id, period_id in [row[1:3]]}
        if not locked:
            return []
        self.env.cr.execute(
            SQL(
                """SELECT s.user_id, l.%(source)s, l.line_type = 'clawback'
                     FROM sale_incentive_statement_line l
                     JOIN sale_incentive_statement s ON s.id = l.statement_id
                    WHERE s.plan_id = %(plan)s AND s.user_id = ANY(%(users)s) AND l.%(source)s IS NOT NULL
                      AND (l.line_type = 'commission' OR (l.line_type = 'clawback' AND l.clawback_of_id IS NULL))""",
                source=SQL.identifier(source),
                plan=self.id,
                users=users,
            )
        )
        counted, settled = set(), set()
        for user_id, line_id, is_late in self.env.cr.fetchall():
            # a line counted in any statement of the plan (a document whose date moved) is no late one
            (settled if is_late else counted).add((user_id, line_id))
        Figures = self.env["sale.regulation.figures"]
        company_currency = self.company_id.currency_id
        periods = self.env["sale.appraisal.period"].browse({period_id for _user_id, period_id in locked})
        vals_list = []
        for locked_period in periods.sorted("date_from"):
            period_users = [user_id for user_id, period_id in locked if period_id == locked_period.id]
            late = [
                row
                for row in Figures._credited_lines(
                    self.company_id, locked_period.date_from, locked_period.date_to, self.basis, period_users
                )
                if (row["user_id"], row["line_id"]) not in counted and (row["user_id"], row["line_id"]) not in settled
            ]
            if not late:
                continue
            rate = company_currency._get_conversion_rate(
                company_currency, self.currency_id, self.company_id, locked_period.date_to
            )
            Document = self.env["sale.order" if self.basis == "order" else "account.move"]
            # sudo: the document's reference for the line's reason, whatever the manager may read
            names = dict(Document.sudo().browse({row["document_id"] for row in late}).mapped(lambda d: (d.id, d.name)))
            for row in self._commission_rows(late, statement_of, rate):
                _id, _user, _period, multiplier, bonus_percent, bonus_base = locked[row["user_id"], locked_period.id]
                amount = self.currency_id.round(
                    commission_maths.line_worth(
                        row["base_amount"],
                        row["margin_amount"],
                        row["rate"],
                        on_margin=commission_maths.rated_on_margin(
                            row["amount"], row["base_amount"], row["margin_amount"], row["rate"]
                        ),
                        multiplier=multiplier,
                        bonus_percent=bonus_percent,
                        bonus_on_margin=bonus_base == "margin",
                    )
                )
                if self.currency_id.is_zero(amount):
                    continue
                document = names.get(row["document_id"]) or "-"
                vals_list.append(
                    dict(
                        {key: row[key] for key in ("statement_id", "date", "base_amount", "margin_amount")},
                        margin_percent=row["margin_percent"],
                        share=row["share"],
                        rate=row["rate"],
                        difficulty=row["difficulty"],
                        line_type="clawback",
                        document_name=document,
                        product_snapshot_id=row["product_snapshot_id"],
                        quantity=row["quantity"],
                        band=row["band"],
                        amount=amount,
                        reason=self.env._(
                            "Late document: %(document)s, dated in %(period)s whose statement is approved, counts here",
                            document=document,
                            period=locked_period.name,
                        ),
                        **{source: row["line_id"]},
                    )
                )
        return vals_list

    def _settlement_cause(self, line, row, amount):
        """Why a locked statement line (a row of :meth:`_clawback_vals`) is settled (R6.4)."""
        if self.basis == "order":
            if not line["sale_line_id"]:
                return self.env._("its order line was removed")
            if line["order_state"] == "cancel":
                return self.env._("its order was cancelled")
            if row and row["refunded"] and amount < 0:
                return self.env._(
                    "credit notes refund %(percent)s %% of it", percent=format(row["refunded"] * 100.0, ".4g")
                )
        else:
            if not line["move_line_id"]:
                return self.env._("its invoice line was removed")
            if line["move_state"] != "posted":
                return self.env._("its invoice was reset to draft or cancelled")
            if self.basis == "paid" and line["payment_state"] not in ("paid", "in_payment"):
                return self.env._("its payment was unreconciled")
        if not row:
            return self.env._("it no longer counts")
        if amount < 0:
            return self.env._("its quantity, price or share was lowered")
        return self.env._("its quantity, price or share was raised")
