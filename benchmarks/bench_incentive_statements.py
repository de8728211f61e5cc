#!/usr/bin/env python3
"""Benchmark of a period's incentive statements (R6.4, issue: speed).

Builds, inside one transaction rolled back at the end, the same data as
``bench_appraisal_period.py`` (N consultants, L order lines in one month, a tenth of the orders
split), a plan with the regulation's bands (under 10 % → 1 %, 10-25 % → 3 %, over 25 % → 5 %),
accelerators and a bonus, and a sales target per consultant; then times:

- baseline 1: one hand-written SQL computing each consultant's commission over the same rows
  (band by CASE, split by the shares), without writing anything;
- baseline 2: one hand-written SQL writing the same commission lines (INSERT ... SELECT into a
  temporary table);
- the plan's computation of all the statements: first run (creates them) and recompute;
- the clawback and difference scan (issue 15): the month's statements approved (by SQL: set-up,
  not measured), a tenth of the orders cancelled and a tenth of the other lines halved, then the
  next month's statements recomputed, each settling every approved line against its order line
  today; for a quarter of the consultants and for all of them (the count must not grow);

and prints each time, its ratios to the baselines and its query count, for a quarter of the
consultants and for all of them (the count must not grow).

    python3 benchmarks/bench_incentive_statements.py -c odoo.conf -d DB [--consultants 200] [--lines 200000]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_appraisal_period as base
import benchlib

BASELINE_SELECT = """
    SELECT {user}, {share}, sol.price_subtotal * {share} / 100.0 * {rate}
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
 LEFT JOIN sale_order_consultant_share sh ON sh.order_id = so.id
     WHERE so.state = 'sale' AND so.company_id = %(company)s
       AND so.date_order >= %(start)s AND so.date_order < %(end)s
       AND sol.display_type IS NULL
"""
USER = "COALESCE(sh.user_id, so.user_id)"
SHARE = "COALESCE(sh.percent, 100.0)"
RATE = """(CASE WHEN sol.margin * 100.0 < 10.0 * sol.price_subtotal THEN 0.01
                WHEN sol.margin * 100.0 < 25.0 * sol.price_subtotal THEN 0.03
                ELSE 0.05 END)"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--consultants", type=int, default=200)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--lines-per-order", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    return parser.parse_args()


def run(env, args):
    from odoo import Command

    cr = env.cr
    company = env.company
    start = time.perf_counter()
    team, user_ids, orders = base.build_data(env, args.consultants, args.lines, args.lines_per_order)
    lines = orders * args.lines_per_order
    elapsed = time.perf_counter() - start
    print(f"data: {args.consultants} consultants, {orders} orders, {lines} order lines ({elapsed:.1f} s)")
    period = env["sale.appraisal.period"].create(
        {"period_type": "month", "date_from": base.MONTH[0], "date_to": base.MONTH[1], "company_id": company.id}
    )
    period.action_open()
    env["sale.consultant.target"].create(
        [{"user_id": uid, "period_id": period.id, "amount_target": 40000.0} for uid in user_ids]
    )
    plan = env["sale.incentive.plan"].create(
        {
            "name": "Benchmark Plan",
            "period_type": "month",
            "basis": "order",
            "team_ids": [Command.set(team.ids)],
            "rate_ids": [
                Command.create({"margin_from": -100, "margin_to": 10, "rate": 1.0}),
                Command.create({"margin_from": 10, "margin_to": 25, "rate": 3.0}),
                Command.create({"margin_from": 25, "margin_to": 100, "rate": 5.0}),
            ],
            "tier_ids": [
                Command.create({"tier_type": "accelerator", "threshold": 100, "multiplier": 1.2}),
                Command.create({"tier_type": "accelerator", "threshold": 120, "multiplier": 1.5}),
                Command.create({"tier_type": "bonus", "threshold": 100, "bonus_percent": 2.0}),
            ],
        }
    )
    env.flush_all()
    params = {"company": company.id, "start": base.MONTH[0], "end": "2019-06-01"}
    select = BASELINE_SELECT.format(user=USER, share=SHARE, rate=RATE)

    def baseline_aggregate():
        cr.execute(f"SELECT user_id, SUM(commission) FROM ({select}) t(user_id, share, commission) GROUP BY 1", params)
        return cr.fetchall()

    def baseline_insert():
        cr.execute("CREATE TEMPORARY TABLE IF NOT EXISTS bench_lines (user_id int, share float8, commission float8)")
        cr.execute("TRUNCATE bench_lines")
        cr.execute(f"INSERT INTO bench_lines {select}", params)

    agg_best, _agg_median, _q = benchlib.timed(env, baseline_aggregate, args.repeat)
    ins_best, _ins_median, _q = benchlib.timed(env, baseline_insert, args.repeat)
    expected = {uid: float(total) for uid, total in baseline_aggregate()}

    quarter = env["res.users"].browse(user_ids[: max(1, len(user_ids) // 4)])
    env.invalidate_all()
    before = cr.sql_log_count
    t0 = time.perf_counter()
    plan._compute_statements(period)
    env.flush_all()
    first_time = time.perf_counter() - t0
    first_queries = cr.sql_log_count - before

    def recompute_all():
        plan._compute_statements(period)
        env.flush_all()

    def recompute_quarter():
        plan._compute_statements(period, quarter)
        env.flush_all()

    rec_best, _rec_median, rec_queries = benchlib.timed(env, recompute_all, args.repeat)
    _qb, _qm, quarter_queries = benchlib.timed(env, recompute_quarter, 1)

    statements = env["sale.incentive.statement"].search([("plan_id", "=", plan.id)])
    mismatch = [s.user_id.id for s in statements if abs(s.commission_total - expected.get(s.user_id.id, 0.0)) > 0.05]
    line_count = env["sale.incentive.statement.line"].search_count([("plan_id", "=", plan.id)])
    print(f"statements: {len(statements)}, lines: {line_count}, commission equal to the SQL: {not mismatch}")
    print(f"{'measure':<44}{'best s':>9}{'x SQL agg':>11}{'x SQL ins':>11}{'queries':>9}")
    print(f"{'hand-written SQL: commission per consultant':<44}{agg_best:>9.3f}{1.0:>11.2f}{'':>11}{1:>9}")
    print(f"{'hand-written SQL: INSERT the same lines':<44}{ins_best:>9.3f}{'':>11}{1.0:>11.2f}{3:>9}")
    print(
        f"{'statements, first computation':<44}{first_time:>9.3f}{first_time / agg_best:>11.2f}"
        f"{first_time / ins_best:>11.2f}{first_queries:>9}"
    )
    print(
        f"{'statements, recompute (all consultants)':<44}{rec_best:>9.3f}{rec_best / agg_best:>11.2f}"
        f"{rec_best / ins_best:>11.2f}{rec_queries:>9}"
    )
    print(f"{'statements, recompute (a quarter of them)':<44}{'':>9}{'':>11}{'':>11}{quarter_queries:>9}")
    print(f"queries for {len(quarter)} and {len(user_ids)} consultants: {quarter_queries} and {rec_queries}")

    # the clawback and difference scan: the month approved, then a tenth of its orders cancelled and
    # a tenth of the other lines halved (set-up by SQL, not measured)
    cr.execute("UPDATE sale_incentive_statement SET state = 'approved' WHERE plan_id = %s", [plan.id])
    month = [company.id, base.MONTH[0], "2019-06-01"]
    in_month = "so.company_id = %s AND so.date_order >= %s AND so.date_order < %s"
    cr.execute(
        f"UPDATE sale_order so SET state = 'cancel' WHERE so.id %% 10 = 0 AND so.state = 'sale' AND {in_month}", month
    )
    cr.execute(
        "UPDATE sale_order_line sol SET price_subtotal = sol.price_subtotal / 2, margin = sol.margin / 2 "
        "FROM sale_order so "
        f"WHERE so.id = sol.order_id AND sol.id %% 10 = 5 AND so.state = 'sale' AND {in_month}",
        month,
    )
    cr.execute(
        "SELECT COUNT(*) FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id "
        f"WHERE sol.id %% 10 = 5 AND so.state = 'sale' AND {in_month}",
        month,
    )
    halved = cr.fetchone()[0]
    env.invalidate_all()
    june = env["sale.appraisal.period"].create(
        {"period_type": "month", "date_from": "2019-06-01", "date_to": "2019-06-30", "company_id": company.id}
    )
    june.action_open()
    plan._compute_statements(june)
    env.flush_all()

    def settle_all():
        plan._compute_statements(june)
        env.flush_all()

    def settle_quarter():
        plan._compute_statements(june, quarter)
        env.flush_all()

    settle_best, _settle_median, settle_queries = benchlib.timed(env, settle_all, args.repeat)
    _sb, _sm, settle_quarter_queries = benchlib.timed(env, settle_quarter, 1)
    cr.execute(
        "SELECT COUNT(*), COUNT(DISTINCT clawback_of_id) FROM sale_incentive_statement_line l "
        "JOIN sale_incentive_statement s ON s.id = l.statement_id WHERE s.period_id = %s AND l.line_type = 'clawback'",
        [june.id],
    )
    settled, distinct = cr.fetchone()
    print(f"settlement lines: {settled} ({distinct} distinct approved lines, {halved} order lines halved)")
    print(
        f"{'clawback scan + recompute (all consultants)':<44}{settle_best:>9.3f}{settle_best / agg_best:>11.2f}"
        f"{settle_best / ins_best:>11.2f}{settle_queries:>9}"
    )
    print(
        f"clawback scan queries for {len(quarter)} and {len(user_ids)} consultants: {settle_quarter_queries} and "
        f"{settle_queries}"
    )


def main():
    args = parse_args()
    benchlib.run_rolled_back(args, lambda env: run(env, args), context={})


if __name__ == "__main__":
    main()
