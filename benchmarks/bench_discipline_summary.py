#!/usr/bin/env python3
"""Benchmark of the R9 daily rules: the monthly discipline summary of N consultants.

Builds N consultants of a regulated team (Taipei schedule, 08:00-12:00 / 13:00-17:00) with 22
working days of attendance each (one day in five late, one in eleven left early) and one
absence, then measures, for two sizes (N/10 and N):

- summary: the pivot's query, ``_read_group`` on the discipline summary by employee and month,
  against a hand-written SQL GROUP BY over the same attendance rows (baseline, same run; the
  summary also reads absences, time off, activities and orders, so it costs a few times more);
- lateness: recomputing the late and early-leave minutes of every attendance of the month;
- absences: the nightly absence check over the consultants' last week (none attended it);
- alerts: the nightly threshold check, raising alerts with an activity for the team leader.

The lateness recompute and the absence check write their results in Odoo's flush batches, so
their queries grow with the rows written (about one per hundred) and with the compute chunks of
1000 attendances, not with each consultant.

Query counts that stay flat from N/10 to N show the work does not grow with the number of
consultants. Everything is rolled back.

    python3 benchmarks/bench_discipline_summary.py -c .local/odoo-demo.conf -d scr_demo [--employees 500]
"""

import time
from datetime import date, datetime, timedelta

import benchlib

from odoo import Command

TAIPEI_OFFSET = timedelta(hours=8)  # Asia/Taipei has no daylight saving time


def working_days(count):
    """count weekdays, ending well before today (the absence check judges the last week)."""
    day = date.today() - timedelta(days=45)
    days = []
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def build(env, size, tag, calendar, days):
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench {tag} {i}",
                    "login": f"bench_discipline_{tag}_{i}",
                    "tz": "Asia/Taipei",
                    "groups_id": [Command.set([env.ref("sales_consultant_regulation.group_consultant").id])],
                }
                for i in range(size)
            ]
        )
    )
    leader = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create({"name": f"Bench Supervisor {tag}", "login": f"bench_discipline_{tag}_lead"})
    )
    env["crm.team"].create(
        {
            "name": f"Bench Regulated {tag}",
            "user_id": leader.id,
            "regulation_enabled": True,
            "crm_team_member_ids": [Command.create({"user_id": user.id}) for user in users],
        }
    )
    employees = env["hr.employee"].create(
        [
            {"name": user.name, "user_id": user.id, "tz": "Asia/Taipei", "resource_calendar_id": calendar.id}
            for user in users
        ]
    )
    vals_list = []
    for e_index, employee in enumerate(employees):
        for d_index, day in enumerate(days):
            if d_index == e_index % len(days):
                continue  # one absence each
            late = 12 if (d_index + e_index) % 5 == 0 else -5
            early = 25 if (d_index + e_index) % 11 == 0 else 0
            start = datetime.combine(day, datetime.min.time()) + timedelta(hours=8, minutes=late) - TAIPEI_OFFSET
            end = datetime.combine(day, datetime.min.time()) + timedelta(hours=17, minutes=-early) - TAIPEI_OFFSET
            vals_list.append({"employee_id": employee.id, "check_in": start, "check_out": end})
    attendances = env["hr.attendance"].create(vals_list)
    # absences as the nightly job records them (the system's, through its workflow step)
    from odoo.addons.sales_consultant_regulation.models.base import workflow_action

    with workflow_action():
        env["sale.regulation.absence"].create(
            [{"employee_id": employee.id, "date": days[i % len(days)]} for i, employee in enumerate(employees)]
        )
    return employees, attendances


def run(env, sizes):
    calendar = env["resource.calendar"].create(
        {
            "name": "Bench Taipei",
            "tz": "Asia/Taipei",
            "attendance_ids": [Command.clear()]
            + [
                Command.create({"name": f"{d} {p}", "dayofweek": str(d), "hour_from": f, "hour_to": t, "day_period": p})
                for d in range(5)
                for p, f, t in (("morning", 8, 12), ("lunch", 12, 13), ("afternoon", 13, 17))
            ],
        }
    )
    days = working_days(22)
    months = sorted({day.replace(day=1) for day in days})
    Report = env["sale.regulation.discipline.report"]
    print(f"{len(days)} working days from {days[0]} to {days[-1]}")
    header = (
        f"{'employees':>9} {'attend.':>7} | {'summary q':>9} {'summary s':>9} {'SQL s':>7} {'ratio':>6} | "
        f"{'lateness q':>10} {'lateness s':>10} | {'absence q':>9} {'absence s':>9} | {'alerts q':>8} {'alerts s':>8}"
    )
    print(header)
    for size in sizes:
        t0 = time.perf_counter()
        employees, attendances = build(env, size, f"n{size}", calendar, days)
        env.flush_all()
        build_s = time.perf_counter() - t0

        def summary(employees=employees):
            return Report._read_group(
                [("employee_id", "in", employees.ids), ("month", "in", months)],
                ["employee_id", "month:month"],
                ["late_count:sum", "late_minutes:sum", "early_leave_count:sum", "absence_count:sum"],
            )

        summary()  # warm up PostgreSQL's caches and plans for both queries alike
        summary_q, summary_s, groups = benchlib.measure(env, summary)

        def baseline(employees=employees):
            env.cr.execute(
                """
                SELECT employee_id, date_trunc('month', regulation_date),
                       SUM((regulation_late_minutes > 0)::int), SUM(regulation_late_minutes),
                       SUM((regulation_early_leave_minutes > 0)::int)
                  FROM hr_attendance
                 WHERE employee_id = ANY(%s) AND regulation_date >= %s AND regulation_date <= %s
                 GROUP BY 1, 2
                """,
                [employees.ids, days[0], days[-1]],
            )
            return env.cr.fetchall()

        baseline()
        _bq, baseline_s, rows = benchlib.measure(env, baseline)
        late_total = int(sum(group[2] for group in groups))
        if late_total != sum(row[2] for row in rows):
            raise RuntimeError("the summary and the SQL baseline disagree on the lateness count")

        def recompute(attendances=attendances):
            for name in ("regulation_late_minutes", "regulation_early_leave_minutes"):
                env.add_to_compute(attendances._fields[name], attendances)
            attendances.flush_recordset()

        lateness_q, lateness_s, _ = benchlib.measure(env, recompute)
        absence_q, absence_s, created = benchlib.measure(
            env, lambda: env["sale.regulation.absence"]._cron_record_absences(lookback_days=7)
        )
        alerts_q, alerts_s, _ = benchlib.measure(env, env["sale.regulation.discipline.alert"]._cron_discipline_alerts)
        ratio = summary_s / baseline_s if baseline_s else 0.0
        print(
            f"{size:>9} {len(attendances):>7} | {summary_q:>9} {summary_s:>9.3f} {baseline_s:>7.3f} {ratio:>6.1f} | "
            f"{lateness_q:>10} {lateness_s:>10.3f} | {absence_q:>9} {absence_s:>9.3f} | {alerts_q:>8} {alerts_s:>8.3f}"
            f"   (built in {build_s:.0f} s; {late_total} late days; {len(created)} absences recorded)"
        )
        # Next size on its own: the previous consultants leave the regulated scope.
        env["crm.team.member"].search([("user_id", "in", employees.user_id.ids)]).unlink()


def main():
    parser = benchlib.parser(__doc__)
    parser.add_argument("--employees", type=int, default=500)
    args = parser.parse_args()
    benchlib.run_rolled_back(args, lambda env: run(env, benchlib.two_sizes(args.employees)))


if __name__ == "__main__":
    main()
