#!/usr/bin/env python3
"""Benchmark of the traceability figures (docs/architecture.md, principle 6): every clause's compliance
figure of the shipped regulation, computed at once.

For two sizes (N/10 and N) it builds N regulated leads (one in ten moved by a checklist
override), N consultants (two in three acknowledged the regulation in force) and N export logs
(one in five refused), then measures:

- figures: reading ``compliance_rate`` of every clause of the shipped version (16 figures, each
  a constant number of queries, shared by the clauses of the same key);
- baseline: a hand-written SQL count of the same leads and exports (one query each), in the
  same run.

Query counts that stay flat from N/10 to N show the figures do not grow with the data nor
with the number of clauses. Everything is rolled back.

    python3 benchmarks/bench_traceability.py -c .local/odoo-demo.conf -d scr_demo [--size 1000]
"""

import benchlib

from odoo import Command, fields


def build(env, size, tag, team):
    consultant = env.ref("sales_consultant_regulation.group_consultant")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench {tag} {i}",
                    "login": f"bench_trace_{tag}_{i}",
                    "groups_id": [Command.set(consultant.ids)],
                }
                for i in range(size)
            ]
        )
    )
    regulation = env["sale.regulation"]._current()
    if regulation:
        env["sale.regulation.acknowledgement"].create(
            [{"regulation_id": regulation.id, "user_id": user.id} for i, user in enumerate(users) if i % 3]
        )
    leads = env["crm.lead"].create(
        [{"name": f"Bench lead {tag} {i}", "type": "opportunity", "team_id": team.id} for i in range(size)]
    )
    now = fields.Datetime.now()
    overridden = env["crm.lead.checklist.line"].search([("lead_id", "in", leads[::10].ids)])
    # the data a supervisor's override leaves, as the override wizard writes it
    from odoo.addons.sales_consultant_regulation.models.base import workflow_action

    with workflow_action():
        overridden.write({"override_date": now, "override_user_id": env.uid, "override_reason": "bench"})
    env["sale.export.log"].create(
        [
            {
                "user_id": users[i].id,
                "model": "res.partner",
                "record_count": 10,
                "state": "refused" if i % 5 == 0 else "done",
            }
            for i in range(size)
        ]
    )
    return leads


def run(env, sizes):
    team = env["crm.team"].create({"name": "Bench Traceability Team", "regulation_enabled": True})
    team._apply_regulation_pipeline()
    clauses = env.ref("sales_consultant_regulation.sale_regulation_1_0").clause_ids
    keys = len(set(clauses.mapped("compliance_key")) - {False})
    print(f"{len(clauses)} clauses, {keys} figures")
    print(f"{'size':>6} | {'figures q':>9} {'figures s':>9} | {'SQL q':>5} {'SQL s':>7} {'ratio':>6} | lead figure")
    for size in sizes:
        build(env, size, f"n{size}", team)
        env.flush_all()

        def figures():
            return clauses.mapped("compliance_rate")

        def baseline():
            env.cr.execute(
                """SELECT COUNT(*) FROM crm_lead l JOIN crm_team t ON t.id = l.team_id
                    WHERE t.regulation_enabled AND l.date_last_stage_update >= now() - interval '30 days'"""
            )
            env.cr.execute("SELECT COUNT(*) FILTER (WHERE state = 'done'), COUNT(*) FROM sale_export_log")
            return env.cr.fetchall()

        figures()  # warm up
        baseline()
        figures_q, figures_s, _ = benchlib.measure(env, figures)
        sql_q, sql_s, _ = benchlib.measure(env, baseline)
        lead = clauses.filtered(lambda c: c.code == "R4.1")
        ratio = figures_s / sql_s if sql_s else 0.0
        print(
            f"{size:>6} | {figures_q:>9} {figures_s:>9.3f} | {sql_q:>5} {sql_s:>7.3f} {ratio:>6.1f} | "
            f"{lead.compliance_detail}"
        )


def main():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--size", type=int, default=1000)
    args = parser.parse_args()
    benchlib.run_rolled_back(args, lambda env: run(env, benchlib.two_sizes(args.size)))


if __name__ == "__main__":
    main()
