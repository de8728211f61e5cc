#!/usr/bin/env python3
"""Benchmark of the R10.1 record rules: a consultant's searches against an administrator's.

Builds N customers and N leads (--records, 20,000 by default; the issue's figure is 100,000)
owned by --consultants consultants in teams of five, one customer in ten owned by nobody,
then times the same searches as one consultant (every rule of the regulation applies) and as
the administrator (a regulation manager: the "all" rules), in the same run and database:
the first page of the customer list with its count, a many2one dropdown (name_search), a
grouped count, the first page of the pipeline with its count, the pipeline's kanban groups.
It prints the median of --repeat runs of each, their ratio (goal: within 1.5x) and the
queries per search, then EXPLAIN ANALYZE of the consultant's customer and lead searches to
show the rule domains use indexes. Everything is rolled back.

    python3 benchmarks/bench_record_rules.py -c .local/odoo-demo.conf -d scr_demo [--records 100000]

Data is inserted with SQL (the ORM would take most of the run to create 2 x 100,000 records);
only the users and teams are created through the ORM.
"""

import json
import time

import benchlib

from odoo import Command
from odoo.tools import SQL

MODULE = "sales_consultant_regulation"


def build(env, records, consultants):
    """Users, teams, customers and leads; returns (one consultant, the administrator)."""
    consultant_group = env.ref(f"{MODULE}.group_consultant")
    supervisor_group = env.ref(f"{MODULE}.group_supervisor")
    users = env["res.users"].create(
        [
            {
                "name": f"Bench Consultant {i}",
                "login": f"bench_consultant_{i}",
                "groups_id": [Command.set([env.ref("base.group_user").id, consultant_group.id])],
            }
            for i in range(consultants)
        ]
    )
    for start in range(0, consultants, 5):
        supervisor = env["res.users"].create(
            {
                "name": f"Bench Supervisor {start}",
                "login": f"bench_supervisor_{start}",
                "groups_id": [Command.set([env.ref("base.group_user").id, supervisor_group.id])],
            }
        )
        env["crm.team"].create(
            {
                "name": f"Bench Team {start}",
                "user_id": supervisor.id,
                "crm_team_member_ids": [Command.create({"user_id": u.id}) for u in users[start : start + 5]],
            }
        )
    env.flush_all()
    user_ids = users.ids
    team_of = {m.user_id.id: m.crm_team_id.id for m in env["crm.team.member"].search([("user_id", "in", user_ids)])}
    stage = env["crm.stage"].search([], limit=1)
    cr = env.cr
    # Customers: one in ten owned by nobody, the others spread over the consultants.
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, active, type, is_company, user_id, partner_share,
                                     autopost_bills, company_id, create_uid, write_uid, create_date, write_date)
            SELECT 'Bench Customer ' || g, 'Bench Customer ' || g, TRUE, 'contact', TRUE,
                   CASE WHEN mod(g, 10) = 0 THEN NULL ELSE (%(users)s)[1 + mod(g, %(n)s)] END, TRUE,
                   'ask', NULL, 1, 1, now(), now()
              FROM generate_series(1, %(records)s) g
            """,
            users=user_ids,
            n=len(user_ids),
            records=records,
        )
    )
    # Fresh statistics first: the foreign key checks of the updates below plan on them.
    cr.execute("ANALYZE res_partner")
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE %s", ["Bench Customer %"])
    # Leads: each on a customer of its own consultant, in the consultant's team.
    cr.execute(
        SQL(
            """
            INSERT INTO crm_lead (name, type, active, user_id, team_id, partner_id, stage_id, company_id,
                                  probability, expected_revenue, priority, create_uid, write_uid, create_date,
                                  write_date)
            SELECT 'Bench Lead ' || p.id, 'opportunity', TRUE, p.user_id,
                   (%(teams)s::jsonb ->> p.user_id::text)::int, p.id, %(stage)s, %(company)s,
                   10, 1000, '0', 1, 1, now(), now()
              FROM res_partner p
             WHERE p.name LIKE %(pattern)s
            """,
            pattern="Bench Customer %",
            teams=json.dumps({str(k): v for k, v in team_of.items()}),
            stage=stage.id,
            company=env.company.id,
        )
    )
    for table in ("res_partner", "crm_lead", "res_partner_regulation_reader_rel"):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    return users[1], env.ref("base.user_admin")


def operations(env):
    Partner = env["res.partner"]
    Lead = env["crm.lead"]
    pipeline = [("type", "=", "opportunity")]
    return {
        "customers: list page": lambda: Partner.search_fetch([], ["display_name", "email", "user_id"], limit=80),
        "customers: count": lambda: Partner.search_count([]),
        "customers: name_search": lambda: Partner.name_search("Bench Customer 12", limit=8),
        "customers: group by salesperson": lambda: Partner._read_group([], ["user_id"], ["__count"]),
        "leads: list page": lambda: Lead.search_fetch(pipeline, ["name", "partner_id", "expected_revenue"], limit=80),
        "leads: count": lambda: Lead.search_count(pipeline),
        "leads: kanban groups": lambda: Lead._read_group(pipeline, ["stage_id"], ["__count", "expected_revenue:sum"]),
    }


def explain(env, title, records, limit=80):
    query = records._search([], limit=limit, order=records._order if limit else None)
    env.cr.execute(SQL("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) %s", query.select(SQL("id"))))
    print(f"\nEXPLAIN ANALYZE, {title}:")
    for (line,) in env.cr.fetchall():
        print("   ", line)


def run(env, records, consultants, repeat):
    t0 = time.perf_counter()
    consultant, admin = build(env, records, consultants)
    elapsed = time.perf_counter() - t0
    print(f"built {records} customers and {records} leads for {consultants} consultants in {elapsed:.1f} s")
    visible = env["res.partner"].with_user(consultant).search_count([("name", "like", "Bench Customer")])
    print(f"the consultant sees {visible} of the {records} customers (their own and the unassigned ones)\n")
    print(f"{'search':<34} {'consultant s':>12} {'admin s':>9} {'ratio':>6} {'queries c/a':>12}")
    total_c = total_a = 0.0
    ops_c, ops_a = operations(env(user=consultant)), operations(env(user=admin))
    for name in ops_c:
        # warm up both, then measure
        ops_c[name]()
        ops_a[name]()
        _best, time_c, queries_c = benchlib.timed(env, ops_c[name], repeat)
        _best, time_a, queries_a = benchlib.timed(env, ops_a[name], repeat)
        total_c += time_c
        total_a += time_a
        print(f"{name:<34} {time_c:>12.4f} {time_a:>9.4f} {time_c / time_a:>6.2f} {queries_c:>5}/{queries_a:<5}")
    print(f"{'all searches':<34} {total_c:>12.4f} {total_a:>9.4f} {total_c / total_a:>6.2f}   (goal: <= 1.5)")
    explain(env, "the consultant's first page of customers", env["res.partner"].with_user(consultant))
    explain(env, "the consultant's customers, all of them (the count)", env["res.partner"].with_user(consultant), 0)
    explain(env, "the consultant's first page of leads", env["crm.lead"].with_user(consultant))


def main():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--records", type=int, default=20000, help="customers, and as many leads")
    parser.add_argument("--consultants", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    benchlib.run_rolled_back(args, lambda env: run(env, args.records, args.consultants, args.repeat))


if __name__ == "__main__":
    main()
