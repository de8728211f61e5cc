#!/usr/bin/env python3
"""Benchmark of the R4 stage gate: move N leads forward in one write.

Compares, in the same run and database, the move of N regulated leads (whose checklists are
complete, so the gate checks everything and lets them pass) with the same move of N leads of an
unregulated team (no checklist): queries and time for each, and their ratio. Two sizes show
whether the gate's extra queries grow with the number of leads, and a third run with 20 more
items on the stages whether they grow with the number of items. Everything is rolled back.

    python3 benchmarks/bench_stage_gate.py -c .local/odoo-demo.conf -d scr_demo [--leads 1000]
"""

import benchlib


def make_leads(env, team, count, tag, extra=None):
    vals = {
        "type": "opportunity",
        "team_id": team.id,
        "email_from": "bench@example.com",
        "need_description": "benchmark",
        **(extra or {}),
    }
    return env["crm.lead"].create([{**vals, "name": f"{tag} {i}"} for i in range(count)])


def run(env, sizes):
    team = env["crm.team"].create({"name": "Bench Regulated Team"})
    team._apply_regulation_pipeline()
    stages = env["crm.stage"].search([("team_id", "=", team.id), ("regulation_step", "!=", False)])
    reception = stages.filtered(lambda s: s.regulation_step == "reception")
    needs = stages.filtered(lambda s: s.regulation_step == "needs_analysis")
    free_team = env["crm.team"].create({"name": "Bench Free Team"})
    free_stages = env["crm.stage"].create(
        [{"name": "Bench A", "team_id": free_team.id, "sequence": 0}, {"name": "Bench B", "team_id": free_team.id}]
    )
    print(f"regulated pipeline: {len(stages)} stages")
    print(
        f"{'items':>5} {'leads':>6} {'gate queries':>13} {'plain queries':>14} {'extra':>6}"
        f" {'gate s':>8} {'plain s':>8} {'time ratio':>10}"
    )
    runs = [(size, 0) for size in sizes] + [(sizes[-1], 20)]
    for size, extra_items in runs:
        if extra_items:
            env["crm.stage.checklist.item"].create(
                [{"name": f"Bench item {i}", "stage_id": reception.id} for i in range(extra_items)]
                + [{"name": f"Bench item next {i}", "stage_id": needs.id} for i in range(extra_items)]
            )
        items = len(reception.checklist_item_ids)
        regulated = make_leads(env, team, size, f"Gate {size} {extra_items}")
        regulated._checklist_tick_manual_items(reception)
        plain = make_leads(env, free_team, size, f"Plain {size} {extra_items}", {"stage_id": free_stages[0].id})
        gate_queries, gate_time, _ = benchlib.measure(env, lambda leads=regulated: leads.write({"stage_id": needs.id}))
        plain_queries, plain_time, _ = benchlib.measure(
            env, lambda leads=plain: leads.write({"stage_id": free_stages[1].id})
        )
        if set(regulated.mapped("stage_id.id")) != {needs.id}:
            raise RuntimeError("the gate did not let complete leads pass")
        ratio = gate_time / plain_time if plain_time else 0.0
        print(
            f"{items:>5} {size:>6} {gate_queries:>13} {plain_queries:>14} {gate_queries - plain_queries:>6}"
            f" {gate_time:>8.3f} {plain_time:>8.3f} {ratio:>10.2f}"
        )


def main():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--leads", type=int, default=1000)
    args = parser.parse_args()
    benchlib.run_rolled_back(args, lambda env: run(env, benchlib.two_sizes(args.leads)))


if __name__ == "__main__":
    main()
