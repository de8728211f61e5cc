#!/usr/bin/env python3
"""Benchmark of an appraisal period's computation (R6.1, issue: speed).

Builds, inside one transaction that is rolled back at the end, N consultants of a regulated
team and L order lines of confirmed orders dated in one month (a tenth of the orders split
between two consultants, R7.1), then times:

- baseline: one hand-written SQL GROUP BY over the same order lines (amount, margin, quantity
  per salesperson);
- figures: the shared figures service (``sale.regulation.figures._totals``) alone;
- first computation: opening the period (creates the appraisals and scorecard lines);
- recompute: the nightly recompute of the open period (figures, targets, scores, ranks);

and prints each time, its ratio to the baseline and its query count. Goal: the recompute
within 3x of the SQL, and a query count that does not grow with N.

    python3 benchmarks/bench_appraisal_period.py -c odoo.conf -d DB [--consultants 200] [--lines 200000]
"""

import time

import benchlib

MONTH = ("2019-05-01", "2019-05-31")


def parse_args():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--consultants", type=int, default=200)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--lines-per-order", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each measure (best is kept)")
    return parser.parse_args()


def build_data(env, consultants, lines, lines_per_order):
    """Consultants, customers and confirmed orders, by SQL for speed."""
    cr = env.cr
    company = env.company
    team = env["crm.team"].create({"name": "Benchmark Team", "regulation_enabled": True, "company_id": company.id})
    product = env["product.product"].create({"name": "Benchmark Desk", "list_price": 100.0, "standard_price": 60.0})
    group_ids = [
        env.ref("base.group_user").id,
        env.ref("sales_consultant_regulation.group_consultant").id,
        env.ref("sales_team.group_sale_salesman").id,
    ]
    cr.execute(
        """
        WITH partners AS (
            INSERT INTO res_partner (name, active, autopost_bills, company_id, create_date, write_date)
            SELECT 'Bench Consultant ' || n, true, 'ask', %(company)s, now(), now()
              FROM generate_series(1, %(n)s) n
         RETURNING id
        )
        INSERT INTO res_users (login, partner_id, company_id, active, share, notification_type, create_date, write_date)
        SELECT 'bench.consultant.' || id, id, %(company)s, true, false, 'email', now(), now() FROM partners
        RETURNING id
        """,
        {"company": company.id, "n": consultants},
    )
    user_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO res_groups_users_rel (gid, uid) SELECT g, u FROM unnest(%s) g, unnest(%s) u;
        INSERT INTO res_company_users_rel (cid, user_id) SELECT %s, u FROM unnest(%s) u;
        INSERT INTO crm_team_member (crm_team_id, user_id, active, create_date, write_date)
        SELECT %s, u, true, now(), now() FROM unnest(%s) u;
        """,
        (group_ids, user_ids, company.id, user_ids, team.id, user_ids),
    )
    customers = max(100, consultants * 10)
    cr.execute(
        """
        INSERT INTO res_partner (name, active, autopost_bills, is_company, create_date, write_date)
        SELECT 'Bench Customer ' || n, true, 'ask', true, now(), now() FROM generate_series(1, %s) n
        RETURNING id
        """,
        (customers,),
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", (partner_ids,))
    orders = max(1, lines // lines_per_order)
    cr.execute(
        """
        INSERT INTO sale_order (name, company_id, partner_id, partner_invoice_id, partner_shipping_id, user_id,
                                team_id, state, date_order, currency_id, currency_rate, review_state,
                                create_date, write_date)
        SELECT 'BENCH/' || n, %(company)s, p, p, p, u, %(team)s, 'sale',
               %(start)s::timestamp + (n %% 30) * interval '1 day' + interval '3 hours',
               %(currency)s, 1.0, 'passed', now(), now()
          FROM (SELECT n,
                       (%(partners)s::int[])[1 + n %% %(np)s] AS p,
                       (%(users)s::int[])[1 + n %% %(nu)s] AS u
                  FROM generate_series(1, %(orders)s) n) s
        RETURNING id
        """,
        {
            "company": company.id,
            "team": team.id,
            "start": MONTH[0],
            "currency": company.currency_id.id,
            "partners": partner_ids,
            "np": len(partner_ids),
            "users": user_ids,
            "nu": len(user_ids),
            "orders": orders,
        },
    )
    order_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO sale_order_line (order_id, name, product_id, product_uom_qty, price_unit, price_subtotal,
                                     purchase_price, margin, customer_lead, company_id, currency_id,
                                     create_date, write_date)
        SELECT o, 'Benchmark Desk', %(product)s, q, 100.0, 100.0 * q, 60.0, 40.0 * q, 0, %(company)s,
               %(currency)s, now(), now()
          FROM (SELECT o, 1 + (o + k) %% 5 AS q FROM unnest(%(orders)s::int[]) o, generate_series(1, %(per)s) k) s
        """,
        {
            "product": product.id,
            "company": company.id,
            "currency": company.currency_id.id,
            "orders": order_ids,
            "per": lines_per_order,
        },
    )
    # a tenth of the orders shared 60/40 with the next consultant (R7.1)
    cr.execute(
        """
        WITH u AS (SELECT uid, ord FROM unnest(%(users)s::int[]) WITH ORDINALITY AS t(uid, ord))
        INSERT INTO sale_order_consultant_share (order_id, user_id, percent, company_id, create_date, write_date)
        SELECT so.id, so.user_id, 60.0, so.company_id, now(), now()
          FROM sale_order so WHERE so.id BETWEEN %(first)s AND %(last)s AND so.id %% 10 = 0
        UNION ALL
        SELECT so.id, nxt.uid, 40.0, so.company_id, now(), now()
          FROM sale_order so
          JOIN u cur ON cur.uid = so.user_id
          JOIN u nxt ON nxt.ord = cur.ord %% %(nu)s + 1
         WHERE so.id BETWEEN %(first)s AND %(last)s AND so.id %% 10 = 0
        """,
        {"users": user_ids, "nu": len(user_ids), "first": min(order_ids), "last": max(order_ids)},
    )
    cr.execute("ANALYZE sale_order; ANALYZE sale_order_line; ANALYZE sale_order_consultant_share; ANALYZE res_partner")
    env.invalidate_all()
    return team, user_ids, len(order_ids)


def baseline_sql(env, company):
    env.cr.execute(
        """
        SELECT so.user_id, SUM(sol.price_subtotal), SUM(sol.margin), SUM(sol.product_uom_qty)
          FROM sale_order_line sol
          JOIN sale_order so ON so.id = sol.order_id
         WHERE so.state = 'sale' AND so.company_id = %s AND so.date_order >= %s AND so.date_order < %s
      GROUP BY so.user_id
        """,
        (company.id, MONTH[0], "2019-06-01"),
    )
    return env.cr.fetchall()


def run(env, args):
    company = env.company
    start = time.perf_counter()
    _team, user_ids, orders = build_data(env, args.consultants, args.lines, args.lines_per_order)
    print(
        f"data: {args.consultants} consultants, {orders} orders, {orders * args.lines_per_order} order lines "
        f"({time.perf_counter() - start:.1f} s)"
    )
    period = env["sale.appraisal.period"].create(
        {"period_type": "month", "date_from": MONTH[0], "date_to": MONTH[1], "company_id": company.id}
    )
    date_from, date_to = period.date_from, period.date_to
    Figures = env["sale.regulation.figures"]
    rows = baseline_sql(env, company)
    totals = Figures._totals(company, date_from, date_to)
    bench_users = set(user_ids)
    sql_amount = sum(row[1] for row in rows if row[0] in bench_users)
    ours = sum(values["amount"] for user, values in totals.items() if user in bench_users)
    assert abs(float(sql_amount) - ours) < 0.01, (sql_amount, ours)

    base_best, base_median, _q = benchlib.timed(env, lambda: baseline_sql(env, company), args.repeat)
    fig_best, fig_median, fig_queries = benchlib.timed(
        env, lambda: Figures._totals(company, date_from, date_to), args.repeat
    )
    env.invalidate_all()
    before = env.cr.sql_log_count
    start = time.perf_counter()
    period.action_open()
    env.flush_all()
    open_time = time.perf_counter() - start
    open_queries = env.cr.sql_log_count - before
    appraisals = len(period.appraisal_ids.filtered(lambda a: a.user_id.id in bench_users))

    def recompute():
        period._compute_appraisals()
        env.flush_all()

    rec_best, rec_median, rec_queries = benchlib.timed(env, recompute, args.repeat)

    print(f"appraisals computed: {appraisals} (+ scorecard lines: {appraisals * 7})")
    print(f"{'measure':<34}{'best s':>9}{'median s':>10}{'x SQL':>8}{'queries':>9}")
    print(f"{'hand-written SQL GROUP BY':<34}{base_best:>9.3f}{base_median:>10.3f}{1.0:>8.2f}{1:>9}")
    print(
        f"{'figures service (_totals)':<34}{fig_best:>9.3f}{fig_median:>10.3f}"
        f"{fig_best / base_best:>8.2f}{fig_queries:>9}"
    )
    print(
        f"{'open period (creates appraisals)':<34}{open_time:>9.3f}{open_time:>10.3f}"
        f"{open_time / base_best:>8.2f}{open_queries:>9}"
    )
    print(
        f"{'period recompute (nightly)':<34}{rec_best:>9.3f}{rec_median:>10.3f}"
        f"{rec_best / base_best:>8.2f}{rec_queries:>9}"
    )
    verdict = "within" if rec_best / base_best <= 3.0 else "ABOVE"
    print(f"period recompute is {verdict} 3x the hand-written SQL")


def main():
    args = parse_args()
    benchlib.run_rolled_back(args, lambda env: run(env, args), context={})


if __name__ == "__main__":
    main()
