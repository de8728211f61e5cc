#!/usr/bin/env python3
"""Benchmark of the R8.4 training figures and the R7.2 department feedback counts.

Builds a training plan of 12 sessions attended by N consultants (12 x N evaluations, one in
ten absent, a third failed), holds the sessions (a retake activity for each failure), and N/5
market feedback records routed to 10 departments; then measures, for two sizes (N/10 and N):

- figures: the plan's attendance rate, average score and per-consultant table (one
  ``_read_group`` over the plan's evaluations), against a hand-written SQL GROUP BY over the
  same rows (baseline, same run);
- hold: holding one more session (evaluations scored, retake activities created);
- departments: the feedback count of every department (one ``_read_group``).

Query counts that stay flat from N/10 to N show the work does not grow with the consultants.
Everything is rolled back.

    python3 benchmarks/bench_training_figures.py -c .local/odoo-demo.conf -d scr_demo [--consultants 300]
"""

import time

import benchlib

from odoo import Command

SESSIONS = 12


def build(env, size, tag):
    group = env.ref("sales_consultant_regulation.group_consultant")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench {tag} {i}",
                    "login": f"bench_training_{tag}_{i}",
                    "groups_id": [Command.set(group.ids)],
                }
                for i in range(size)
            ]
        )
    )
    plan = env["sale.training.plan"].create(
        {
            "name": f"Bench plan {tag}",
            "date_from": "2026-01-01",
            "date_to": "2026-12-31",
            "objectives": "<p>Benchmark</p>",
            "consultant_ids": [Command.set(users.ids)],
        }
    )
    sessions = env["sale.training.session"].create(
        [
            {
                "name": f"Bench session {tag} {s}",
                "plan_id": plan.id,
                "date": f"2026-{s % 12 + 1:02d}-10 09:00:00",
                "trainer_name": "Bench trainer",
            }
            for s in range(SESSIONS + 1)
        ]
    )
    plan.action_approve()
    lines = sessions.evaluation_ids
    lines.filtered(lambda line: line.id % 10 == 0).write({"attended": False})
    lines.filtered(lambda line: line.id % 3 == 0).write({"score": 45})
    lines.filtered(lambda line: line.id % 3 != 0).write({"score": 80})
    sessions[:SESSIONS].action_done()
    employees = env["hr.employee"].create([{"name": f"Bench head {tag} {d}"} for d in range(10)])
    departments = env["hr.department"].create(
        [{"name": f"Bench dept {tag} {d}", "manager_id": employee.id} for d, employee in enumerate(employees)]
    )
    feedback = env["crm.market.feedback"].create(
        [
            {
                "name": f"Bench feedback {tag} {i}",
                "user_id": users[i % size].id,
                "description": "<p>Bench</p>",
                "department_ids": [Command.set(departments[i % 10 : i % 10 + 2].ids)],
            }
            for i in range(max(size // 5, 1))
        ]
    )
    feedback.action_route()
    return plan, sessions[SESSIONS], departments


def run(env, sizes):
    print(
        f"{'consult.':>8} {'evals':>6} | {'figures q':>9} {'figures s':>9} {'SQL s':>7} {'ratio':>6} | "
        f"{'hold q':>6} {'hold s':>7} | {'depts q':>7} {'depts s':>7}"
    )
    for size in sizes:
        t0 = time.perf_counter()
        plan, pending, departments = build(env, size, f"n{size}")
        env.flush_all()
        build_s = time.perf_counter() - t0

        def figures(plan=plan):
            plan.invalidate_recordset()
            return plan.attendance_rate, plan.average_score, plan.figures_html

        figures()
        figures_q, figures_s, (rate, average, _html) = benchlib.measure(env, figures)

        def baseline(plan=plan):
            env.cr.execute(
                """
                SELECT e.user_id, COUNT(*), SUM(e.attended::int), AVG(e.score) FILTER (WHERE e.attended AND e.scored)
                  FROM sale_training_evaluation e JOIN sale_training_session s ON s.id = e.session_id
                 WHERE e.plan_id = %s AND s.state = 'done'
                 GROUP BY e.user_id
                """,
                [plan.id],
            )
            return env.cr.fetchall()

        baseline()
        _bq, baseline_s, rows = benchlib.measure(env, baseline)
        attended = sum(row[2] for row in rows)
        places = sum(row[1] for row in rows)
        if abs(rate - 100.0 * attended / places) > 1e-6:
            raise RuntimeError("the plan's attendance rate and the SQL baseline disagree")
        pending.evaluation_ids.write({"score": 50})
        hold_q, hold_s, _ = benchlib.measure(env, pending.action_done)
        depts_q, depts_s, _ = benchlib.measure(
            env, lambda departments=departments: departments.mapped("market_feedback_count")
        )
        ratio = figures_s / baseline_s if baseline_s else 0.0
        print(
            f"{size:>8} {places:>6} | {figures_q:>9} {figures_s:>9.3f} {baseline_s:>7.3f} {ratio:>6.1f} | "
            f"{hold_q:>6} {hold_s:>7.3f} | {depts_q:>7} {depts_s:>7.3f}"
            f"   (built in {build_s:.0f} s; attendance {rate:.1f}%, average {average:.1f})"
        )


def main():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--consultants", type=int, default=300)
    args = parser.parse_args()
    benchlib.run_rolled_back(args, lambda env: run(env, benchlib.two_sizes(args.consultants)))


if __name__ == "__main__":
    main()
