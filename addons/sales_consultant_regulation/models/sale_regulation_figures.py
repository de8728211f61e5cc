# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

from odoo import api, models
from odoo.tools import SQL

from . import regulation_day

BASES = [
    ("order", "Confirmed Orders"),
    ("invoice", "Posted Invoices, Net of Credit Notes"),
    ("paid", "Paid Invoices"),
]


# float8 arithmetic: numeric divisions are many times slower over a whole period
SHARE = SQL("COALESCE(sh.percent::float8, 100.0) / 100.0")
ORDER_RATE = SQL("COALESCE(NULLIF(so.currency_rate::float8, 0), 1.0)")
# the whole history, for what a document line is worth today whatever its date (settlement)
SETTLEMENT_FROM = datetime.date(1900, 1, 1)
SETTLEMENT_TO = datetime.date(9000, 12, 31)


class SaleRegulationFigures(models.AbstractModel):
    """The period figures of the consultants, computed in one place for the appraisal (R6.1)
    and the incentives (R6.4): sales amount, profit, quantity and new customers, each weighted
    by the consultant's share of the deal (R7.1) and converted to the company currency at the
    document date.

    Basis:

    - ``order``: lines of confirmed orders dated in the period (``date_order``, in the
      company's time zone); amount untaxed, profit from ``sale_margin``, converted with the
      order's own rate (``currency_rate``, taken at the order date);
    - ``invoice``: product lines of posted customer invoices and credit notes dated in the
      period (``invoice_date``), amounts from their company-currency balance, so credit notes
      count negative; cost from the order line invoiced (``purchase_price``), else the
      product's cost;
    - ``paid``: as ``invoice``, for invoices paid or in payment, and for credit notes once
      the invoice they reverse is paid too.

    A document without consultant shares credits its salesperson with 100 %.

    Every method runs a constant number of queries for a whole period, whatever the number of
    consultants or lines. The lines of the period are chosen in one place per basis
    (:meth:`_order_scope_sql` for orders, :meth:`_credited_lines_sql` for invoices); the
    statements list them one row per credited consultant (:meth:`_credited_lines`), the
    appraisal sums them (:meth:`_totals`, per consultant, rate and share first on the order basis:
    the same figures, without weighting every line).
    """

    _name = "sale.regulation.figures"
    _description = "Consultants' Period Figures"

    # ------------------------------------------------------------------ dates

    @api.model
    def _company_tz(self, company):
        return regulation_day.timezone(self.env, tz=regulation_day.company_tz_name(company))

    @api.model
    def _datetime_bounds(self, company, date_from, date_to):
        """UTC bounds [start, end) of the days date_from..date_to in the company's time zone."""
        return regulation_day.day_bounds(self.env, date_from, date_to, tz=regulation_day.company_tz_name(company))

    # ------------------------------------------------------------------ the one SQL

    @api.model
    def _credited_lines_sql(self, company, date_from, date_to, basis="order", user_ids=None, *, teams=None):
        """SQL of one row per document line and credited consultant, with the columns
        user_id, line_id, document_id, partner_id, product_id, share, amount, margin, quantity
        and date. Amount, margin and quantity are already weighted by the share. Only the
        documents of the scope's teams count (:meth:`_scope_team_ids`)."""
        team_ids = self._scope_team_ids(company, teams)
        if basis == "order":
            user = SQL("COALESCE(sh.user_id, so.user_id)")
            share = SHARE
            rate = ORDER_RATE
            query = SQL(
                """
                SELECT %(user)s AS user_id,
                       sol.id AS line_id,
                       so.id AS document_id,
                       so.partner_id AS partner_id,
                       sol.product_id AS product_id,
                       %(share)s * 100.0 AS share,
                       sol.price_subtotal::float8 / %(rate)s * %(share)s AS amount,
                       COALESCE(sol.margin::float8, 0.0) / %(rate)s * %(share)s AS margin,
                       sol.product_uom_qty::float8 * %(share)s AS quantity,
                       so.date_order AS date
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
             LEFT JOIN sale_order_consultant_share sh ON sh.order_id = so.id
                 WHERE %(scope)s
                   AND %(user)s IS NOT NULL
                """,
                user=user,
                share=share,
                rate=rate,
                scope=self._order_scope_sql(company, date_from, date_to, teams),
            )
        else:
            user = SQL("COALESCE(sh.user_id, am.invoice_user_id)")
            share = SHARE
            sign = SQL("(CASE WHEN am.move_type = 'out_refund' THEN -1.0 ELSE 1.0 END)")
            unit_cost = SQL("COALESCE(src.unit_cost, (pp.standard_price ->> am.company_id::text)::numeric, 0.0)")
            paid = SQL()
            if basis == "paid":
                # a credit note counts once the invoice it reverses is paid as well
                paid = SQL(
                    """AND am.payment_state IN ('paid', 'in_payment')
                       AND (am.move_type = 'out_invoice' OR am.reversed_entry_id IS NULL OR EXISTS (
                            SELECT 1 FROM account_move origin
                             WHERE origin.id = am.reversed_entry_id
                               AND origin.payment_state IN ('paid', 'in_payment')))"""
                )
            query = SQL(
                """
                SELECT %(user)s AS user_id,
                       aml.id AS line_id,
                       am.id AS document_id,
                       am.partner_id AS partner_id,
                       aml.product_id AS product_id,
                       %(share)s * 100.0 AS share,
                       -aml.balance::float8 * %(share)s AS amount,
                       (-aml.balance::float8 - %(sign)s * aml.quantity::float8 * %(unit_cost)s) * %(share)s AS margin,
                       %(sign)s * aml.quantity::float8 * %(share)s AS quantity,
                       am.invoice_date AS date
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
             LEFT JOIN product_product pp ON pp.id = aml.product_id
             LEFT JOIN LATERAL (
                        SELECT sol.order_id, so.team_id, sol.purchase_price::float8 / %(rate)s AS unit_cost
                          FROM sale_order_line_invoice_rel rel
                          JOIN sale_order_line sol ON sol.id = rel.order_line_id
                          JOIN sale_order so ON so.id = sol.order_id
                         WHERE rel.invoice_line_id = aml.id
                      ORDER BY sol.id
                         LIMIT 1
                   ) src ON TRUE
             LEFT JOIN sale_order_consultant_share sh ON sh.order_id = src.order_id
                 WHERE am.move_type IN ('out_invoice', 'out_refund')
                   AND am.state = 'posted'
                   AND aml.display_type = 'product'
                   AND am.company_id = %(company)s
                   AND am.invoice_date >= %(date_from)s
                   AND am.invoice_date <= %(date_to)s
                   AND COALESCE(src.team_id, am.team_id) = ANY(%(team_ids)s)
                   AND %(user)s IS NOT NULL
                   %(paid)s
                """,
                team_ids=team_ids,
                user=user,
                share=share,
                rate=ORDER_RATE,
                sign=sign,
                unit_cost=unit_cost,
                paid=paid,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
            )
        if user_ids is not None:
            query = SQL("%s AND %s = ANY(%s)", query, user, list(user_ids))
        return query

    # ------------------------------------------------------------------ aggregates

    @api.model
    def _totals(self, company, date_from, date_to, basis="order", user_ids=None, *, teams=None):
        """{user id: {"amount", "margin", "quantity", "new_customers"}} over the period: two
        queries, whatever the number of consultants and lines."""
        self._flush_sources()
        if basis == "order":
            query = self._order_totals_sql(company, date_from, date_to, user_ids, teams=teams)
        else:
            query = SQL(
                "SELECT user_id, SUM(amount), SUM(margin), SUM(quantity) FROM (%s) credited GROUP BY user_id",
                self._credited_lines_sql(company, date_from, date_to, basis, user_ids, teams=teams),
            )
        self.env.cr.execute(query)
        totals = {
            user_id: {"amount": amount or 0.0, "margin": margin or 0.0, "quantity": quantity or 0.0}
            for user_id, amount, margin, quantity in self.env.cr.fetchall()
        }
        new_customers = self._new_customers(company, date_from, date_to, user_ids, teams=teams)
        for user_id, (count, _partners) in new_customers.items():
            totals.setdefault(user_id, {"amount": 0.0, "margin": 0.0, "quantity": 0.0})
            totals[user_id]["new_customers"] = count
        for figures in totals.values():
            figures.setdefault("new_customers", 0.0)
        return totals

    @api.model
    def _order_scope_sql(self, company, date_from, date_to, teams=None):
        """The order lines of the period: lines of confirmed orders of the company's scope
        teams (:meth:`_scope_team_ids`) dated in it (company time zone), neither sections,
        notes nor down payments."""
        start, end = self._datetime_bounds(company, date_from, date_to)
        return SQL(
            """so.state = 'sale'
               AND so.company_id = %s
               AND so.team_id = ANY(%s)
               AND so.date_order >= %s
               AND so.date_order < %s
               AND sol.display_type IS NULL
               AND sol.is_downpayment IS NOT TRUE""",
            company.id,
            self._scope_team_ids(company, teams),
            start,
            end,
        )

    @api.model
    def _scope_team_ids(self, company, teams=None):
        """The teams whose deals the figures count (R6.1, R6.4, R7.1): the company's regulated
        teams and ``teams`` (an incentive plan's own). A share of a deal of any other team
        credits nobody here, whoever it names."""
        # sudo: the scope is the company's configuration, whatever the user's rights on teams
        regulated = (
            self.env["crm.team"]
            .sudo()
            .with_context(active_test=False)
            .search([("regulation_enabled", "=", True), ("company_id", "in", [False, company.id])])
        )
        return sorted(set(regulated.ids) | set(teams.ids if teams else []))

    @api.model
    def _order_totals_sql(self, company, date_from, date_to, user_ids=None, *, teams=None):
        """The totals of :meth:`_credited_lines_sql` on the order basis, summed first per
        consultant, order rate and share (a few hundred groups), then converted and shared: the
        same figures, without weighting every line."""
        user = SQL("COALESCE(sh.user_id, so.user_id)")
        inner = SQL(
            """
            SELECT %(user)s AS user_id,
                   so.currency_rate,
                   sh.percent,
                   SUM(sol.price_subtotal) AS amount,
                   SUM(COALESCE(sol.margin, 0.0)) AS margin,
                   SUM(sol.product_uom_qty) AS quantity
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
         LEFT JOIN sale_order_consultant_share sh ON sh.order_id = so.id
             WHERE %(scope)s
               AND %(user)s IS NOT NULL
            """,
            user=user,
            scope=self._order_scope_sql(company, date_from, date_to, teams),
        )
        if user_ids is not None:
            inner = SQL("%s AND %s = ANY(%s)", inner, user, list(user_ids))
        rate = SQL("COALESCE(NULLIF(g.currency_rate::float8, 0), 1.0)")
        share = SQL("COALESCE(g.percent::float8, 100.0) / 100.0")
        return SQL(
            """
            SELECT g.user_id,
                   SUM(g.amount::float8 / %(rate)s * %(share)s),
                   SUM(g.margin::float8 / %(rate)s * %(share)s),
                   SUM(g.quantity::float8 * %(share)s)
              FROM (%(inner)s GROUP BY 1, 2, 3) g
          GROUP BY g.user_id
            """,
            rate=rate,
            share=share,
            inner=inner,
        )

    @api.model
    def _credited_lines(self, company, date_from, date_to, basis="order", user_ids=None, *, teams=None):
        """Every credited document line of the period as a dict (the incentive statements'
        lines are traceable to them): one query."""
        self._flush_sources()
        self.env.cr.execute(
            SQL(
                "SELECT * FROM (%s) credited ORDER BY user_id, date, line_id",
                self._credited_lines_sql(company, date_from, date_to, basis, user_ids, teams=teams),
            )
        )
        return self.env.cr.dictfetchall()

    @api.model
    def _new_customers(self, company, date_from, date_to, user_ids=None, *, teams=None):
        """{user id: (count, commercial partner ids)} of the customers whose first confirmed
        order in the company is dated in the period (R6.1), weighted by the consultants'
        shares of that order when it is an order of the scope's teams: one query."""
        start, end = self._datetime_bounds(company, date_from, date_to)
        user = SQL("COALESCE(sh.user_id, f.user_id)")
        query = SQL(
            """
            WITH period_customers AS (
                SELECT DISTINCT p.commercial_partner_id AS partner_id
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND so.company_id = %(company)s
                   AND so.date_order >= %(start)s
                   AND so.date_order < %(end)s
            ), firsts AS (
                SELECT DISTINCT ON (p.commercial_partner_id)
                       p.commercial_partner_id AS partner_id, so.id AS order_id, so.user_id, so.date_order, so.team_id
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND so.company_id = %(company)s
                   AND p.commercial_partner_id IN (SELECT partner_id FROM period_customers)
              ORDER BY p.commercial_partner_id, so.date_order, so.id
            )
            SELECT %(user)s, SUM(COALESCE(sh.percent::float8, 100.0) / 100.0), ARRAY_AGG(DISTINCT f.partner_id)
              FROM firsts f
         LEFT JOIN sale_order_consultant_share sh ON sh.order_id = f.order_id
             WHERE f.date_order >= %(start)s
               AND f.date_order < %(end)s
               AND f.team_id = ANY(%(team_ids)s)
               AND %(user)s IS NOT NULL
            """,
            team_ids=self._scope_team_ids(company, teams),
            company=company.id,
            start=start,
            end=end,
            user=user,
        )
        if user_ids is not None:
            query = SQL("%s AND %s = ANY(%s)", query, user, list(user_ids))
        self.env.cr.execute(SQL("%s GROUP BY 1", query))
        return {user_id: (count or 0.0, partner_ids) for user_id, count, partner_ids in self.env.cr.fetchall()}

    @api.model
    def _documents(self, company, date_from, date_to, basis, user_id, *, teams=None):
        """Model and ids of the documents behind a consultant's figures, for drill-down."""
        self._flush_sources()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT document_id FROM (%s) credited",
                self._credited_lines_sql(company, date_from, date_to, basis, [user_id], teams=teams),
            )
        )
        model = "sale.order" if basis == "order" else "account.move"
        return model, [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _flush_sources(self):
        """The SQL reads these tables: write pending ORM changes first."""
        for model in ("sale.order", "sale.order.line", "sale.order.consultant.share", "res.partner"):
            self.env[model].flush_model()
        if "account.move" in self.env:
            self.env["account.move"].flush_model()
            self.env["account.move.line"].flush_model()

    # ------------------------------------------------------------------ settlement (issue 15)

    @api.model
    def _current_lines(self, company, basis, line_ids):
        """What the given document lines (order lines on the order basis, invoice lines
        otherwise) are worth today, whatever their date: {(user id, line id): row} with the
        columns of :meth:`_credited_lines_sql` and ``refunded`` (the part of an order line that
        posted credit notes refund, 0 to 1). On the order basis, amount, margin and quantity are
        net of that part. A line of a cancelled order, a reset, cancelled or (paid basis) unpaid
        invoice, or a removed line has no row: it is worth nothing. Two queries."""
        if not line_ids:
            return {}
        self._flush_sources()
        credited = self._credited_lines_sql(company, SETTLEMENT_FROM, SETTLEMENT_TO, basis)
        if basis == "order":
            # the posted credit notes of each order line, in the company currency, as a part of
            # the line's own amount (the share is applied after)
            query = SQL(
                """
                SELECT c.*, LEAST(1.0, COALESCE(r.refunded / NULLIF(sol.price_subtotal::float8 / %(rate)s, 0), 0.0))
                       AS refunded
                  FROM (%(credited)s) c
                  JOIN sale_order_line sol ON sol.id = c.line_id
                  JOIN sale_order so ON so.id = sol.order_id
             LEFT JOIN (
                        SELECT rel.order_line_id, SUM(aml.balance::float8) AS refunded
                          FROM sale_order_line_invoice_rel rel
                          JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                          JOIN account_move am ON am.id = aml.move_id
                         WHERE am.move_type = 'out_refund'
                           AND am.state = 'posted'
                           AND aml.display_type = 'product'
                           AND rel.order_line_id = ANY(%(ids)s)
                      GROUP BY rel.order_line_id
                   ) r ON r.order_line_id = c.line_id
                 WHERE c.line_id = ANY(%(ids)s)
                """,
                credited=credited,
                rate=ORDER_RATE,
                ids=list(line_ids),
            )
        else:
            query = SQL(
                "SELECT c.*, 0.0::float8 AS refunded FROM (%s) c WHERE c.line_id = ANY(%s)", credited, list(line_ids)
            )
        self.env.cr.execute(query)
        rows = {}
        for row in self.env.cr.dictfetchall():
            kept = 1.0 - (row["refunded"] or 0.0)
            for name in ("amount", "margin", "quantity"):
                row[name] = (row[name] or 0.0) * kept
            rows[row["user_id"], row["line_id"]] = row
        return rows

    @api.model
    def _late_documents(self, company, date_from, date_to, basis, since):
        """(count, amount) of the documents dated in the period but made after ``since`` (a
        closed period's closing, the transaction's time): the orders, invoices and credit notes of the period's figures
        created later, and the sales they add (negative for credit notes). One query."""
        self._flush_sources()
        table = SQL.identifier("sale_order" if basis == "order" else "account_move")
        self.env.cr.execute(
            SQL(
                """SELECT COUNT(DISTINCT c.document_id), COALESCE(SUM(c.amount), 0.0)
                     FROM (%s) c
                     JOIN %s d ON d.id = c.document_id
                    WHERE d.create_date >= %s""",
                self._credited_lines_sql(company, date_from, date_to, basis),
                table,
                since,
            )
        )
        count, amount = self.env.cr.fetchone()
        return count or 0, amount or 0.0
