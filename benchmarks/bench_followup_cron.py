#!/usr/bin/env python3
"""Benchmark of the R3.5 follow-up cron: queries and time per 1,000 customers.

Builds N customers of a consultant, all due a follow-up, then runs the cron's work (the same
batches of 1,000 the daily cron runs, without its commits) and counts the queries and the time
it takes to give each one its follow-up activity; then runs it again, when there is nothing
left to create (the idempotent run). Two sizes, the smaller one the baseline: the ratio of the
per-1,000 figures of the larger to the baseline's shows whether the cost per customer grows with
the number of customers (it should stay near 1). Everything is rolled back.

The issue's figure is 100,000 customers (--customers 100000); the default runs in a few
minutes on two cores.

    python3 benchmarks/bench_followup_cron.py -c .local/dev.conf -d scr_cust [--customers 8000]
"""

from datetime import datetime, timedelta

import benchlib

import odoo
import odoo.sql_db
import odoo.tools

BATCH = 1000


def make_customers(env, consultant, count):
    """``count`` customers of ``consultant``, filed through a trade show (potential class),
    last contacted 100 days ago: all due (the potential class follows up every 60 days)."""
    medium = env.ref("sales_consultant_regulation.utm_medium_channel_offline")
    contacted = datetime.now() - timedelta(days=100)
    Partner = env["res.partner"]
    for start in range(0, count, BATCH):
        Partner.create(
            [
                {
                    "name": f"Bench Customer {i}",
                    "is_company": True,
                    "email": f"bench{i}@example.com",
                    "user_id": consultant.id,
                    "medium_id": medium.id,
                    "last_contact_date": contacted,
                }
                for i in range(start, min(start + BATCH, count))
            ]
        )
        env.flush_all()
        env.invalidate_all()


def run_cron(env):
    """(created, queries, seconds) of one run of the follow-up cron over every customer."""
    queries, seconds, created = benchlib.measure(
        env, lambda: env["res.partner"]._regulation_followup_run(batch_size=BATCH, commit=False)
    )
    return created, queries, seconds


def run(env, sizes):
    consultant = env["res.users"].create(
        {
            "name": "Bench Consultant",
            "login": "bench.consultant",
            "groups_id": [
                odoo.Command.set(
                    [env.ref("base.group_user").id, env.ref("sales_consultant_regulation.group_consultant").id]
                )
            ],
        }
    )
    already_due = env["res.partner"].search_count(
        env["res.partner"]._regulation_followup_due_domain(datetime.now().date())
    )
    if already_due:
        print(f"note: {already_due} customers of the database were already due and are counted in")
    print(
        f"{'customers':>9} {'created':>8} {'queries':>8} {'q/1000':>7} {'s/1000':>7}"
        f" {'again q/1000':>12} {'again s/1000':>12} {'q ratio':>8} {'s ratio':>8}"
    )
    baseline = None
    for size in sizes:
        cr = env.cr
        cr.execute("SAVEPOINT bench_size")
        make_customers(env, consultant, size)
        created, queries, seconds = run_cron(env)
        if created < size:
            raise RuntimeError(f"the cron created {created} activities for {size} due customers")
        _again, again_queries, again_seconds = run_cron(env)
        per = 1000.0 / size
        figures = (queries * per, seconds * per, again_queries * per, again_seconds * per)
        baseline = baseline or figures
        q_ratio = figures[0] / baseline[0] if baseline[0] else 0.0
        s_ratio = figures[1] / baseline[1] if baseline[1] else 0.0
        print(
            f"{size:>9} {created:>8} {queries:>8} {figures[0]:>7.1f} {figures[1]:>7.3f}"
            f" {figures[2]:>12.1f} {figures[3]:>12.3f} {q_ratio:>8.2f} {s_ratio:>8.2f}"
        )
        cr.execute("ROLLBACK TO SAVEPOINT bench_size")
        env.invalidate_all()
        env.registry.clear_cache()


def main():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--customers", type=int, default=8000, help="the larger size (default 8000)")
    parser.add_argument("--baseline", type=int, default=0, help="the smaller size (default: a quarter)")
    args = parser.parse_args()
    small = args.baseline or max(args.customers // 4, BATCH)
    benchlib.run_rolled_back(args, lambda env: run(env, [small, args.customers]))


if __name__ == "__main__":
    main()
