# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.addons.sales_consultant_regulation.models import regulation_day
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import RegulationCase

TAIPEI = "Asia/Taipei"


class AttendanceCase(RegulationCase):
    """A Taipei working schedule (08:00-12:00, lunch, 13:00-17:00, Monday to Friday) on Odoo's
    UTC server, and employees for the regulated consultants: 08:00 in Taipei is 00:00 UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"regulation_attendance_grace": 5, "regulation_retroactive_leave": "warn"})
        periods = [("morning", 8, 12), ("lunch", 12, 13), ("afternoon", 13, 17)]
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "SCR Taipei Office",
                "tz": TAIPEI,
                "company_id": cls.company.id,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for period, hour_from, hour_to in periods
                ],
            }
        )
        cls.flexible_calendar = cls.env["resource.calendar"].create(
            {"name": "SCR Flexible", "tz": TAIPEI, "flexible_hours": True, "hours_per_day": 8}
        )
        cls.outsider = new_test_user(cls.env, login="scr_att_outsider", groups="base.group_user")
        cls.employee = cls._employee(cls.consultant)
        cls.employee2 = cls._employee(cls.consultant2)
        cls.employee_outsider = cls._employee(cls.outsider)
        cls.supervisor_employee = cls._employee(cls.supervisor)
        cls.leave_type = cls.env["hr.leave.type"].create(
            {
                "name": "SCR Time Off",
                "requires_allocation": "no",
                "leave_validation_type": "no_validation",
                "request_unit": "half_day",
            }
        )
        cls.leave_type_approval = cls.env["hr.leave.type"].create(
            {"name": "SCR Time Off To Approve", "requires_allocation": "no", "leave_validation_type": "hr"}
        )
        # The supervisor approves the consultants' time off, as in a regulated team.
        cls.leave_type_manager = cls.env["hr.leave.type"].create(
            {"name": "SCR Time Off By Manager", "requires_allocation": "no", "leave_validation_type": "manager"}
        )
        (cls.employee | cls.employee2).leave_manager_id = cls.supervisor

    @classmethod
    def _employee(cls, user, calendar=None):
        return cls.env["hr.employee"].create(
            {
                "name": user.name,
                "user_id": user.id,
                "tz": TAIPEI,
                "resource_calendar_id": (calendar or cls.calendar).id,
                "company_id": cls.company.id,
            }
        )

    def _attend(self, employee, check_in, check_out=None, **vals):
        """check_in / check_out as naive UTC strings."""
        return self.env["hr.attendance"].create(
            {"employee_id": employee.id, "check_in": check_in, "check_out": check_out, **vals}
        )

    def _leave(self, employee, day, user=None, leave_type=None, **vals):
        values = {
            "name": "SCR leave",
            "employee_id": employee.id,
            "holiday_status_id": (leave_type or self.leave_type).id,
            "request_date_from": day,
            "request_date_to": day,
            **vals,
        }
        return self.env["hr.leave"].with_user(user or self.env.user).create(values)

    def _holiday(self, day, calendar=None):
        """A public holiday: global time off of the working schedule, local whole day."""
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "SCR Public Holiday",
                "calendar_id": (calendar or self.calendar).id,
                "resource_id": False,
                "date_from": f"{day} 00:00:00",
                "date_to": f"{day} 23:59:59",
            }
        )


@tagged("post_install", "-at_install")
class TestLateness(AttendanceCase):
    @freeze_time("2026-03-06 10:00:00")
    def test_r9_1_lateness_taipei_schedule_on_utc_server(self):
        # 01:20 UTC is 09:20 in Taipei: 80 minutes late; 09:00 UTC is 17:00, on time.
        attendance = self._attend(self.employee, "2026-03-04 01:20:00", "2026-03-04 09:00:00")
        self.assertEqual(attendance.regulation_date, date(2026, 3, 4))
        self.assertEqual(attendance.regulation_late_minutes, 80)
        self.assertEqual(attendance.regulation_early_leave_minutes, 0)
        # 23:50 UTC on the 4th is 07:50 on the 5th in Taipei: that day, and on time.
        early_bird = self._attend(self.employee, "2026-03-04 23:50:00", "2026-03-05 09:10:00")
        self.assertEqual(early_bird.regulation_date, date(2026, 3, 5))
        self.assertEqual(early_bird.regulation_late_minutes, 0)

    @freeze_time("2026-03-06 10:00:00")
    def test_r9_1_lunch_break_not_counted(self):
        # In at 13:30 (05:30 UTC): the morning (240) and 30 minutes, not the lunch hour.
        afternoon = self._attend(self.employee, "2026-03-04 05:30:00", "2026-03-04 09:00:00")
        self.assertEqual(afternoon.regulation_late_minutes, 270)
        # Out at 11:30 (03:30 UTC): 30 minutes of the morning and the whole afternoon.
        morning = self._attend(self.employee, "2026-03-03 00:00:00", "2026-03-03 03:30:00")
        self.assertEqual(morning.regulation_early_leave_minutes, 270)
        self.assertEqual(morning.regulation_late_minutes, 0)

    @freeze_time("2026-03-06 10:00:00")
    def test_r9_1_grace_minutes(self):
        within = self._attend(self.employee, "2026-03-02 00:04:00", "2026-03-02 08:57:00")
        self.assertEqual((within.regulation_late_minutes, within.regulation_early_leave_minutes), (0, 0))
        beyond = self._attend(self.employee, "2026-03-03 00:06:00", "2026-03-03 08:50:00")
        self.assertEqual((beyond.regulation_late_minutes, beyond.regulation_early_leave_minutes), (6, 10))
        self.company.regulation_attendance_grace = 0
        strict = self._attend(self.employee, "2026-03-04 00:04:00", "2026-03-04 09:00:00")
        self.assertEqual(strict.regulation_late_minutes, 4)

    @freeze_time("2026-03-06 10:00:00")
    def test_r9_1_half_day_leave(self):
        self._leave(self.employee, "2026-03-04", request_unit_half=True, request_date_from_period="am")
        attendance = self._attend(self.employee, "2026-03-04 05:10:00", "2026-03-04 09:00:00")
        self.assertEqual(attendance.regulation_late_minutes, 10)

    @freeze_time("2026-03-06 10:00:00")
    def test_r9_1_leave_approved_after_the_attendance_recomputes_it(self):
        attendance = self._attend(self.employee, "2026-03-04 05:10:00", "2026-03-04 09:00:00")
        self.assertEqual(attendance.regulation_late_minutes, 250)
        self._leave(self.employee, "2026-03-04", request_unit_half=True, request_date_from_period="am")
        self.assertEqual(attendance.regulation_late_minutes, 10)

    @freeze_time("2026-03-06 10:00:00")
    def test_r9_1_first_attendance_is_late_last_leaves_early(self):
        morning = self._attend(self.employee, "2026-03-04 00:20:00", "2026-03-04 04:00:00")
        afternoon = self._attend(self.employee, "2026-03-04 05:05:00", "2026-03-04 08:40:00")
        self.assertEqual((morning.regulation_late_minutes, morning.regulation_early_leave_minutes), (20, 0))
        self.assertEqual((afternoon.regulation_late_minutes, afternoon.regulation_early_leave_minutes), (0, 20))
        # An earlier attendance added afterwards makes the morning one no longer first.
        earlier = self._attend(self.employee, "2026-03-03 23:55:00", "2026-03-04 00:10:00")
        self.assertEqual(earlier.regulation_late_minutes, 0)
        self.assertEqual(morning.regulation_late_minutes, 0)
        earlier.unlink()
        self.assertEqual(morning.regulation_late_minutes, 20)
        # Moving the last check-out later clears the early leave.
        afternoon.check_out = "2026-03-04 09:00:00"
        self.assertEqual(afternoon.regulation_early_leave_minutes, 0)

    @freeze_time("2026-03-06 10:00:00")
    def test_r9_1_open_attendance_has_no_early_leave(self):
        attendance = self._attend(self.employee, "2026-03-06 00:30:00")
        self.assertEqual((attendance.regulation_late_minutes, attendance.regulation_early_leave_minutes), (30, 0))

    @freeze_time("2026-03-06 10:00:00")
    def test_r9_1_public_holiday_and_weekend_are_not_judged(self):
        self._holiday("2026-03-04")
        holiday = self._attend(self.employee, "2026-03-04 03:00:00", "2026-03-04 05:00:00")
        saturday = self._attend(self.employee, "2026-02-28 03:00:00", "2026-02-28 05:00:00")
        self.assertEqual((holiday.regulation_late_minutes, holiday.regulation_early_leave_minutes), (0, 0))
        self.assertEqual((saturday.regulation_late_minutes, saturday.regulation_early_leave_minutes), (0, 0))

    @freeze_time("2026-03-06 10:00:00")
    def test_r9_1_flexible_hours_not_judged(self):
        self.employee.resource_calendar_id = self.flexible_calendar
        attendance = self._attend(self.employee, "2026-03-04 03:00:00", "2026-03-04 06:00:00")
        self.assertEqual((attendance.regulation_late_minutes, attendance.regulation_early_leave_minutes), (0, 0))

    @freeze_time("2026-03-06 10:00:00")
    def test_r9_1_scope_unregulated_employee_and_technical_attendance(self):
        outsider = self._attend(self.employee_outsider, "2026-03-04 02:00:00", "2026-03-04 06:00:00")
        self.assertEqual((outsider.regulation_late_minutes, outsider.regulation_early_leave_minutes), (0, 0))
        self.assertFalse(self.employee_outsider.regulation_attendance)
        self.assertTrue(self.employee.regulation_attendance)
        self.assertIn(self.employee, self.env["hr.employee"].search([("regulation_attendance", "=", True)]))
        technical = self._attend(
            self.employee, "2026-03-03 16:00:00", "2026-03-03 16:00:01", in_mode="technical", out_mode="technical"
        )
        self.assertEqual(technical.regulation_late_minutes, 0)


@tagged("post_install", "-at_install")
class TestAbsence(AttendanceCase):
    # Thursday 5 March 2026, 18:00 in Taipei: Monday 2 to Wednesday 4 are judged.
    NOW = "2026-03-05 10:00:00"

    @freeze_time(NOW)
    def test_r9_1_absence_cron_idempotent_skips_holiday_and_leave(self):
        Absence = self.env["sale.regulation.absence"]
        self._attend(self.employee, "2026-03-02 00:00:00", "2026-03-02 09:00:00")
        self._leave(self.employee, "2026-03-03")
        self._holiday("2026-03-04")
        created = Absence._cron_record_absences(lookback_days=3)
        ours = self.employee | self.employee2 | self.employee_outsider | self.supervisor_employee
        created = created.filtered(lambda a: a.employee_id in ours)
        self.assertEqual(
            sorted((a.employee_id.id, a.date) for a in created),
            [(self.employee2.id, date(2026, 3, 2)), (self.employee2.id, date(2026, 3, 3))],
        )
        self.assertEqual(set(created.mapped("state")), {"unexcused"})
        # The outsider (no regulated team) and the supervisor (not a member) are not judged.
        self.assertFalse(
            Absence.search([("employee_id", "in", (self.employee_outsider | self.supervisor_employee).ids)])
        )
        again = Absence._cron_record_absences(lookback_days=3)
        self.assertFalse(again)
        self.assertEqual(Absence.search_count([("employee_id", "in", (self.employee | self.employee2).ids)]), 2)

    @freeze_time("2026-03-09 02:00:00")
    def test_r9_1_absence_cron_skips_weekend_and_today(self):
        # Monday 9 March, 10:00 in Taipei: Friday 6 is judged, not the weekend, not today.
        created = self.env["sale.regulation.absence"]._cron_record_absences(lookback_days=3)
        self.assertEqual(sorted(set(created.mapped("date"))), [date(2026, 3, 6)])

    @freeze_time(NOW)
    def test_r9_1_half_day_leave_without_attendance_is_absent(self):
        self._leave(self.employee, "2026-03-04", request_unit_half=True, request_date_from_period="am")
        created = self.env["sale.regulation.absence"]._cron_record_absences(lookback_days=1)
        self.assertIn((self.employee, date(2026, 3, 4)), [(a.employee_id, a.date) for a in created])

    @freeze_time(NOW)
    def test_r9_1_attendance_or_leave_recorded_afterwards_excuses(self):
        created = self.env["sale.regulation.absence"]._cron_record_absences(lookback_days=3)
        mine = created.filtered(lambda a: a.employee_id == self.employee).sorted("date")
        self.assertEqual(mine.mapped("date"), [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)])
        self._attend(self.employee, "2026-03-02 00:00:00", "2026-03-02 09:00:00")
        self._leave(self.employee, "2026-03-03", user=self.env.ref("base.user_admin"))
        self.assertEqual(mine.mapped("state"), ["excused", "excused", "unexcused"])
        self.assertTrue(mine[0].excuse_reason)

    @freeze_time(NOW)
    def test_r9_1_supervisor_excuses_with_a_reason(self):
        absence = self.env["sale.regulation.absence"]._cron_record_absences(lookback_days=1)
        absence = absence.filtered(lambda a: a.employee_id == self.employee)
        self.assertEqual(len(absence), 1)
        # The consultant reads their absence but may neither excuse it nor change it.
        self.assertEqual(absence.with_user(self.consultant).read(["state"])[0]["state"], "unexcused")
        with self.assertRaises(AccessError):
            absence.with_user(self.consultant).action_excuse()
        with self.assertRaises(AccessError):
            absence.with_user(self.consultant).write({"excuse_reason": "I was there"})
        # Another consultant does not even see it.
        with self.assertRaises(AccessError):
            absence.with_user(self.consultant2).read(["state"])
        as_supervisor = absence.with_user(self.supervisor)
        with self.assertRaises(UserError) as ctx:
            as_supervisor.action_excuse()
        self.assertIn("reason", str(ctx.exception))
        with self.assertRaises(AccessError):
            as_supervisor.write({"state": "excused"})
        as_supervisor.excuse_reason = "Customer visit all day, forgot to check in"
        as_supervisor.action_excuse()
        self.assertEqual(absence.state, "excused")
        self.assertEqual(absence.excused_by_id, self.supervisor)

    @freeze_time(NOW)
    def test_r9_1_nobody_excuses_their_own_absence(self):
        self.team.crm_team_member_ids = [Command.create({"user_id": self.supervisor.id})]
        absence = self.env["sale.regulation.absence"]._cron_record_absences(lookback_days=1)
        own = absence.filtered(lambda a: a.employee_id == self.supervisor_employee)
        self.assertEqual(len(own), 1)
        own.with_user(self.supervisor).excuse_reason = "Was there"
        with self.assertRaises(AccessError) as ctx:
            own.with_user(self.supervisor).action_excuse()
        self.assertIn("own absence", str(ctx.exception))


@tagged("post_install", "-at_install")
class TestRetroactiveLeave(AttendanceCase):
    NOW = "2026-03-05 02:00:00"  # Thursday 5 March, 10:00 in Taipei

    @freeze_time(NOW)
    def test_r9_1_warn_mode_marks_and_notes(self):
        leave = self._leave(self.employee, "2026-03-03", user=self.consultant, leave_type=self.leave_type_approval)
        self.assertEqual(leave.regulation_requested_date, date(2026, 3, 5))
        self.assertTrue(leave.regulation_retroactive)
        self.assertTrue(any("requested late" in body for body in leave.message_ids.mapped("body")))
        in_time = self._leave(self.employee, "2026-03-05", user=self.consultant, leave_type=self.leave_type_approval)
        self.assertFalse(in_time.regulation_retroactive)
        ahead = self._leave(self.employee, "2026-03-10", user=self.consultant, leave_type=self.leave_type_approval)
        self.assertFalse(ahead.regulation_retroactive)

    @freeze_time(NOW)
    def test_r9_1_refuse_mode_only_a_supervisor_submits(self):
        self.company.regulation_retroactive_leave = "refuse"
        with self.assertRaises(ValidationError) as ctx:
            self._leave(self.employee, "2026-03-03", user=self.consultant, leave_type=self.leave_type_approval)
        self.assertIn("R9.1", str(ctx.exception))
        self.assertIn("supervisor", str(ctx.exception))
        leave = self._leave(self.employee, "2026-03-03", user=self.supervisor, leave_type=self.leave_type_manager)
        self.assertTrue(leave.regulation_retroactive)
        # A request in advance stays the consultant's own, but moving it into the past is refused.
        ahead = self._leave(self.employee, "2026-03-10", user=self.consultant, leave_type=self.leave_type_approval)
        self.assertFalse(ahead.regulation_retroactive)
        with self.assertRaises(ValidationError):
            ahead.with_user(self.consultant).write({"request_date_from": "2026-03-02", "request_date_to": "2026-03-02"})

    @freeze_time(NOW)
    def test_r9_1_refuse_mode_does_not_apply_outside_the_scope(self):
        self.company.regulation_retroactive_leave = "refuse"
        leave = self._leave(
            self.employee_outsider, "2026-03-03", user=self.outsider, leave_type=self.leave_type_approval
        )
        self.assertFalse(leave.regulation_retroactive)

    @freeze_time(NOW)
    def test_r9_1_request_day_cannot_be_forged(self):
        leave = self._leave(
            self.employee,
            "2026-03-03",
            user=self.consultant,
            leave_type=self.leave_type_approval,
            regulation_requested_date="2026-03-01",
        )
        self.assertEqual(leave.regulation_requested_date, date(2026, 3, 5))
        self.assertTrue(leave.regulation_retroactive)
        with self.assertRaises(AccessError):
            leave.with_user(self.consultant).write({"regulation_requested_date": "2026-03-01"})


@tagged("post_install", "-at_install")
class TestDisciplineSummary(AttendanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-06 02:00:00"):
            cls._attend_cls(cls.employee, "2026-03-02 00:20:00", "2026-03-02 09:00:00")  # 20 late
            cls._attend_cls(cls.employee, "2026-03-03 00:10:00", "2026-03-03 08:30:00")  # 10 late, 30 early
            cls._attend_cls(cls.employee, "2026-03-04 00:00:00", "2026-03-04 09:00:00")
            cls._attend_cls(cls.employee2, "2026-03-02 00:45:00", "2026-03-02 09:00:00")  # 45 late
            cls._attend_cls(cls.employee2, "2026-03-03 00:00:00", "2026-03-03 09:00:00")
            cls._attend_cls(cls.employee2, "2026-03-04 00:00:00", "2026-03-04 09:00:00")
            cls._attend_cls(cls.employee, "2026-02-27 00:30:00", "2026-02-27 09:00:00")  # February
            cls.env["sale.regulation.absence"]._cron_record_absences(lookback_days=4)  # employee: Thursday 5
            cls.env["hr.leave"].with_user(cls.consultant).create(
                {
                    "name": "Dentist",
                    "employee_id": cls.employee.id,
                    "holiday_status_id": cls.leave_type_approval.id,
                    "request_date_from": "2026-03-05",
                    "request_date_to": "2026-03-05",
                }
            )

    @classmethod
    def _attend_cls(cls, employee, check_in, check_out):
        cls.env["hr.attendance"].create({"employee_id": employee.id, "check_in": check_in, "check_out": check_out})

    def _row(self, employee, month, user=None):
        Report = self.env["sale.regulation.discipline.report"]
        if user:
            Report = Report.with_user(user)
        return Report.search([("employee_id", "=", employee.id), ("month", "=", month)])

    def test_r9_1_monthly_figures(self):
        row = self._row(self.employee, "2026-03-01")
        self.assertEqual(len(row), 1)
        self.assertEqual(
            (row.late_count, row.late_minutes, row.early_leave_count, row.early_leave_minutes),
            (2, 30, 1, 30),
        )
        # The absence of Thursday 5 stays recorded: the leave asked on the 6th is not approved.
        self.assertEqual((row.absence_count, row.retroactive_leave_count), (1, 1))
        february = self._row(self.employee, "2026-02-01")
        self.assertEqual((february.late_count, february.late_minutes), (1, 30))
        other = self._row(self.employee2, "2026-03-01")
        self.assertEqual((other.late_count, other.late_minutes, other.absence_count), (1, 45, 1))

    def test_r9_1_summary_access(self):
        # The consultant reads their own rows only; the supervisor the team's; the outsider none.
        own = self.env["sale.regulation.discipline.report"].with_user(self.consultant).search([])
        self.assertEqual(own.employee_id, self.employee)
        team = self.env["sale.regulation.discipline.report"].with_user(self.supervisor).search([])
        self.assertEqual(team.employee_id, self.employee | self.employee2)
        with self.assertRaises(AccessError):
            self.env["sale.regulation.discipline.report"].with_user(self.outsider).search([])

    def test_r9_1_figures_for_the_appraisal(self):
        figures = self.env["sale.regulation.discipline.report"]._discipline_figures(
            date(2026, 3, 1), date(2026, 3, 31), users=self.consultant | self.consultant2
        )
        self.assertEqual(figures[self.consultant.id]["late_count"], 2)
        self.assertEqual(figures[self.consultant.id]["absence_count"], 1)
        self.assertEqual(figures[self.consultant2.id]["late_minutes"], 45)
        quarter = self.env["sale.regulation.discipline.report"]._discipline_figures(
            date(2026, 1, 1), date(2026, 3, 31), users=self.consultant
        )
        self.assertEqual(quarter[self.consultant.id]["late_count"], 3)

    @freeze_time("2026-03-06 02:00:00")
    def test_r9_1_supervisor_alerted_once_per_threshold(self):
        self.company.write(
            {
                "regulation_alert_late": 2,
                "regulation_alert_early_leave": 0,
                "regulation_alert_absence": 1,
                "regulation_alert_retroactive_leave": 3,
            }
        )
        Alert = self.env["sale.regulation.discipline.alert"]
        alerts = Alert._cron_discipline_alerts()
        mine = alerts.filtered(lambda a: a.employee_id == self.employee)
        self.assertEqual(sorted(mine.mapped("figure")), ["absence", "late"])
        late = mine.filtered(lambda a: a.figure == "late")
        self.assertEqual((late.month, late.value, late.threshold), (date(2026, 3, 1), 2, 2))
        self.assertEqual(late.supervisor_id, self.supervisor)
        self.assertEqual(late.activity_ids.user_id, self.supervisor)
        # One message to the supervisor for the night's alerts, not one per alert.
        digest = self.env["mail.message"].search(
            [("partner_ids", "in", self.supervisor.partner_id.ids), ("subject", "=", "Discipline alerts (R9.1)")]
        )
        self.assertEqual(len(digest), 1)
        self.assertIn(self.employee.name, digest.body)
        self.assertEqual(
            sorted(alerts.filtered(lambda a: a.employee_id == self.employee2).mapped("figure")), ["absence"]
        )
        self.assertFalse(Alert._cron_discipline_alerts())
        # A third lateness updates the alert; it does not raise a second one.
        self._attend_cls(self.employee, "2026-03-05 00:30:00", "2026-03-05 09:00:00")
        self.assertFalse(Alert._cron_discipline_alerts())
        self.assertEqual(late.value, 3)
        # The supervisor follows it up; the consultant reads their own alerts, not the other's.
        self.assertTrue(late.with_user(self.supervisor).activity_ids)
        self.assertEqual(Alert.with_user(self.consultant).search([]).employee_id, self.employee)
        with self.assertRaises(AccessError):
            late.with_user(self.consultant).write({"value": 0})


@tagged("post_install", "-at_install")
class TestWorkAndDocumentFigures(AttendanceCase):
    """R9.3 activities on time, R9.4 signed contracts, as figures of the summary."""

    def _activity(self, user, deadline):
        partner = self.env["res.partner"].create({"name": "SCR Follow-up"})
        return partner.activity_schedule("mail.mail_activity_data_todo", date_deadline=deadline, user_id=user.id)

    def _figures(self, user, date_from, date_to):
        figures = self.env["sale.regulation.discipline.report"]._discipline_figures(date_from, date_to, users=user)
        totals = figures.get(user.id, {})
        return tuple(
            totals.get(name, 0) for name in ("overdue_activity_count", "late_activity_count", "unsigned_order_count")
        )

    def test_r9_3_overdue_and_late_activities(self):
        # Overdue is judged in the day of the activity's user, against the database's clock:
        # real dates, no frozen time.
        today = regulation_day.today(self.env, user=self.consultant)
        overdue = self._activity(self.consultant, today - timedelta(days=10))
        late = self._activity(self.consultant, today - timedelta(days=8))
        on_time = self._activity(self.consultant, today + timedelta(days=5))
        window = (today - timedelta(days=40), today + timedelta(days=40))
        self.assertEqual(self._figures(self.consultant, *window), (2, 0, 0))
        late.with_user(self.consultant).action_done()
        on_time.with_user(self.consultant).action_done()
        # The late one is kept archived as done; the one on time is gone, as in plain Odoo.
        kept = late.with_context(active_test=False).exists()
        self.assertTrue(kept)
        self.assertFalse(kept.active)
        self.assertEqual(kept.date_done, today)
        self.assertFalse(on_time.with_context(active_test=False).exists())
        self.assertTrue(overdue.active)
        self.assertEqual(self._figures(self.consultant, *window), (1, 1, 0))

    def test_r9_3_unregulated_user_activities_behave_as_plain_odoo(self):
        late = self._activity(self.outsider, regulation_day.today(self.env, user=self.outsider) - timedelta(days=3))
        late.with_user(self.outsider).action_done()
        self.assertFalse(late.with_context(active_test=False).exists())

    @freeze_time("2026-03-20 02:00:00")
    def test_r9_4_confirmed_orders_without_signed_contract(self):
        customer = self.env["res.partner"].create({"name": "SCR Buyer"})
        product = self.env["product.product"].create({"name": "SCR Chair", "list_price": 100})

        def order(**vals):
            return self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "user_id": self.consultant.id,
                    "team_id": self.free_team.id,
                    "order_line": [Command.create({"product_id": product.id})],
                    **vals,
                }
            )

        unsigned = order()
        signed = order(signed_contract=b"JVBERi0xLjQK", signed_contract_filename="contract.pdf")
        draft = order()
        (unsigned | signed).action_confirm()
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self._figures(self.consultant, date(2026, 3, 1), date(2026, 3, 31))[2], 1)


@tagged("post_install", "-at_install")
class TestPublicHolidays(AttendanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_TW")
        cls.hr_officer = new_test_user(
            cls.env, login="scr_time_off_officer", groups="base.group_user,hr_holidays.group_hr_holidays_user"
        )

    def _import(self, country, year, lang="en_US", calendar=None, user=None):
        wizard = (
            self.env["sale.regulation.holiday.import"]
            .with_user(user or self.hr_officer)
            .with_context(lang=lang)
            .create(
                {
                    "country_id": self.env.ref(f"base.{country}").id,
                    "year": year,
                    "calendar_id": (calendar or self.calendar).id,
                }
            )
        )
        wizard.action_import()
        return self.env["resource.calendar.leaves"].search(
            [
                ("calendar_id", "=", (calendar or self.calendar).id),
                ("resource_id", "=", False),
                ("date_from", ">=", f"{year - 1}-12-31"),
                ("date_from", "<", f"{year + 1}-01-01"),
            ],
            order="date_from",
        )

    def test_r9_1_import_taiwan_holidays_in_traditional_chinese(self):
        leaves = self._import("tw", 2026, lang="zh_TW")
        self.assertGreaterEqual(len(leaves), 10)
        new_year = leaves[0]
        self.assertEqual(new_year.name, "中華民國開國紀念日")
        # Midnight in Taipei is 16:00 UTC the day before.
        self.assertEqual(new_year.date_from, datetime(2025, 12, 31, 16, 0))
        self.assertEqual(new_year.date_to, datetime(2026, 1, 1, 15, 59, 59))
        self.assertEqual(len(self._import("tw", 2026, lang="zh_TW")), len(leaves))

    def test_r9_1_import_china_holidays_in_english(self):
        leaves = self._import("cn", 2026)
        self.assertIn("National Day", leaves.mapped("name"))

    @freeze_time("2026-01-02 10:00:00")
    def test_r9_1_imported_holiday_is_not_an_absence(self):
        self._import("tw", 2026)
        created = self.env["sale.regulation.absence"]._cron_record_absences(lookback_days=1)
        self.assertFalse(created.filtered(lambda a: a.date == date(2026, 1, 1)))

    def test_r9_1_consultant_cannot_import(self):
        with self.assertRaises(AccessError):
            self._import("tw", 2026, user=self.consultant)


@tagged("post_install", "-at_install")
class TestDailyRulesConfiguration(AttendanceCase):
    def test_r9_1_settings_reach_the_company(self):
        admin = self.env.ref("base.user_admin")
        settings = (
            self.env["res.config.settings"]
            .with_user(admin)
            .create(
                {
                    "regulation_attendance_grace": 10,
                    "regulation_retroactive_leave": "refuse",
                    "regulation_alert_late": 4,
                    "regulation_alert_absence": 0,
                }
            )
        )
        settings.execute()
        self.assertEqual(self.env.company.regulation_attendance_grace, 10)
        self.assertEqual(self.env.company.regulation_retroactive_leave, "refuse")
        self.assertEqual(
            self.env.company._regulation_alert_thresholds(),
            {"late": 4, "early_leave": 3, "absence": 0, "retroactive_leave": 2},
        )
        action = settings.action_open_holiday_import()
        self.assertEqual(action["res_model"], "sale.regulation.holiday.import")

    def test_r9_1_menus(self):
        """Consultants find their summary and absences; alerts are for supervisors; the holiday
        import is configuration."""
        ref = self.env.ref
        summary = ref("sales_consultant_regulation.sale_regulation_discipline_report_menu")
        absences = ref("sales_consultant_regulation.sale_regulation_absence_menu")
        alerts = ref("sales_consultant_regulation.sale_regulation_discipline_alert_menu")
        holiday_import = ref("sales_consultant_regulation.sale_regulation_holiday_import_menu")
        consultant_menus = self.env["ir.ui.menu"].with_user(self.consultant)._visible_menu_ids()
        supervisor_menus = self.env["ir.ui.menu"].with_user(self.supervisor)._visible_menu_ids()
        manager_menus = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertTrue({summary.id, absences.id} <= consultant_menus)
        self.assertNotIn(alerts.id, consultant_menus)
        self.assertIn(alerts.id, supervisor_menus)
        self.assertNotIn(holiday_import.id, supervisor_menus)
        self.assertIn(holiday_import.id, manager_menus)

    def test_r9_1_employee_opens_their_summary(self):
        action = self.employee.action_open_regulation_discipline()
        self.assertEqual(action["res_model"], "sale.regulation.discipline.report")
        self.assertEqual(action["domain"], [("employee_id", "=", self.employee.id)])


@tagged("post_install", "-at_install")
class TestMakeupWorkdays(TestPublicHolidays):
    """R9.1 make-up working days (補班 / 调休): imported with the public holidays, worked for the
    hours of the weekday of the day off they pay back."""

    def _workdays(self, calendar=None):
        return self.env["sale.regulation.workday"].search([("calendar_id", "=", (calendar or self.calendar).id)])

    def test_r9_1_import_china_2026_makeup_days_idempotent(self):
        leaves = self._import("cn", 2026)
        workdays = self._workdays()
        self.assertEqual(
            workdays.mapped("date"),
            [
                date(2026, 1, 4),
                date(2026, 2, 14),
                date(2026, 2, 28),
                date(2026, 5, 9),
                date(2026, 9, 20),
                date(2026, 10, 10),
            ],
        )
        saturday = workdays.filtered(lambda w: w.date == date(2026, 2, 28))
        self.assertEqual(saturday.freed_date, date(2026, 2, 23))
        self.assertEqual(saturday.weekday, "0")  # Monday 23 February is the day off it pays back
        # a second import of the same year changes nothing
        self.assertEqual(self._import("cn", 2026), leaves)
        self.assertEqual(self._workdays(), workdays)
        self.assertEqual(workdays.mapped("write_date"), self._workdays().mapped("write_date"))

    def test_r9_1_preview_lists_before_applying(self):
        wizard = (
            self.env["sale.regulation.holiday.import"]
            .with_user(self.hr_officer)
            .create({"country_id": self.env.ref("base.tw").id, "year": 2021, "calendar_id": self.calendar.id})
        )
        self.assertIn("2021", wizard.preview)
        self.assertIn("Make-up working day", wizard.preview)
        self.assertFalse(self._workdays(), "nothing is applied before Import")
        wizard.action_import()
        wizard.invalidate_recordset(["preview"])
        self.assertIn("Already there", wizard.preview)
        self.assertNotIn("To add", wizard.preview)

    @freeze_time("2026-03-02 10:00:00")
    def test_r9_1_china_2026_makeup_saturday_judged_and_freed_monday_not(self):
        self._import("cn", 2026)
        # Saturday 28 February 2026 is worked as the Monday it frees: 08:00-12:00, 13:00-17:00 Taipei.
        late = self._attend(self.employee, "2026-02-28 00:30:00", "2026-02-28 08:30:00")
        self.assertEqual((late.regulation_late_minutes, late.regulation_early_leave_minutes), (30, 30))
        absences = self.env["sale.regulation.absence"]._cron_record_absences(lookback_days=7)
        saturday = absences.filtered(lambda a: a.date == date(2026, 2, 28))
        self.assertEqual(saturday.employee_id, self.employee2, "absent on the make-up day, not the one who came")
        self.assertFalse(absences.filtered(lambda a: a.date == date(2026, 2, 23)), "Monday 23 is the day off")
        self.assertFalse(absences.filtered(lambda a: a.date == date(2026, 3, 1)), "Sunday 1 March stays a weekend")
        # the monthly summary counts the make-up day
        self.env.flush_all()
        row = self.env["sale.regulation.discipline.report"].search(
            [("employee_id", "=", self.employee.id), ("month", "=", date(2026, 2, 1))]
        )
        self.assertEqual((row.late_count, row.late_minutes, row.early_leave_count), (1, 30, 1))
        row2 = self.env["sale.regulation.discipline.report"].search(
            [("employee_id", "=", self.employee2.id), ("month", "=", date(2026, 2, 1))]
        )
        # Tuesday 24 to Saturday 28: the make-up Saturday counts, the freed Monday 23 does not
        self.assertEqual(row2.absence_count, 5)
        # the R9.1 traceability figure counts the make-up day's attendance as not on time
        figure = self.env["sale.regulation.clause"]._compliance_attendance_on_time(
            self.company, date(2026, 2, 28), date(2026, 2, 28)
        )
        self.assertEqual(figure[:2], (0, 1))

    @freeze_time("2021-09-22 10:00:00")
    def test_r9_1_taiwan_2021_makeup_saturday(self):
        leaves = self._import("tw", 2021)
        workdays = self._workdays()
        self.assertEqual(workdays.mapped("date"), [date(2021, 2, 20), date(2021, 9, 11)])
        self.assertEqual(workdays.mapped("weekday"), ["2", "0"])  # Wednesday 10 February, Monday 20 September
        self.assertEqual((self._import("tw", 2021), self._workdays()), (leaves, workdays))
        on_time = self._attend(self.employee, "2021-09-11 00:00:00", "2021-09-11 09:00:00")
        self.assertEqual((on_time.regulation_late_minutes, on_time.regulation_early_leave_minutes), (0, 0))
        late = self._attend(self.employee, "2021-02-20 01:00:00", "2021-02-20 09:00:00")
        self.assertEqual(late.regulation_late_minutes, 60)
        absences = self.env["sale.regulation.absence"]._cron_record_absences(lookback_days=12)
        self.assertIn(date(2021, 9, 11), absences.filtered(lambda a: a.employee_id == self.employee2).mapped("date"))
        self.assertFalse(absences.filtered(lambda a: a.date == date(2021, 9, 20)), "Monday 20 September is freed")
        self.assertFalse(absences.filtered(lambda a: a.employee_id == self.employee and a.date == date(2021, 9, 11)))

    @freeze_time("2026-03-02 10:00:00")
    def test_r9_1_makeup_day_worked_as_a_named_weekday(self):
        # Fridays end at 12:00 on this schedule; the company works make-up days as Fridays.
        self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "4" and a.day_period != "morning").unlink()
        self.company.regulation_makeup_weekday = "4"
        self._import("cn", 2026)
        self.assertEqual(set(self._workdays().mapped("weekday")), {"4"})
        attendance = self._attend(self.employee, "2026-02-28 00:00:00", "2026-02-28 04:00:00")
        self.assertEqual((attendance.regulation_late_minutes, attendance.regulation_early_leave_minutes), (0, 0))

    def test_r9_1_makeup_day_refused_twice_and_by_a_consultant(self):
        Workday = self.env["sale.regulation.workday"]
        vals = {"name": "SCR make-up", "date": "2026-02-28", "calendar_id": self.calendar.id}
        Workday.create(vals)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            Workday.create(vals)
        with self.assertRaises(AccessError):
            Workday.with_user(self.consultant).create({**vals, "date": "2026-03-07"})
        self.assertEqual(len(self._workdays()), 1)

    @freeze_time("2026-02-20 10:00:00")
    def test_r9_1_time_off_on_a_makeup_day(self):
        """Time off taken on a make-up Saturday counts that day (Odoo alone refuses it: no work
        expected), and excuses the day's absence; an unregulated employee's is plain Odoo."""
        self._import("cn", 2026)
        leave = self._leave(self.employee, "2026-02-28")
        self.assertEqual((leave.number_of_days, leave.number_of_hours), (1, 8))
        week = self._leave(self.employee2, "2026-02-24", request_date_to="2026-02-28")
        self.assertEqual(week.number_of_days, 5, "Tuesday to Friday and the make-up Saturday")
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._leave(self.employee_outsider, "2026-02-28")  # plain Odoo: not supposed to work
        with freeze_time("2026-03-02 10:00:00"):
            absences = self.env["sale.regulation.absence"]._cron_record_absences(lookback_days=2)
        self.assertFalse(absences.filtered(lambda a: a.employee_id in self.employee | self.employee2))

    @freeze_time("2026-03-02 10:00:00")
    def test_r9_1_changing_the_weekday_setting_judges_again(self):
        self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "4" and a.day_period != "morning").unlink()
        self._import("cn", 2026)
        attendance = self._attend(self.employee, "2026-02-28 00:00:00", "2026-02-28 04:00:00")
        self.assertEqual(attendance.regulation_early_leave_minutes, 240, "worked as Monday: the afternoon is missed")
        self.company.regulation_makeup_weekday = "4"
        self.assertEqual(attendance.regulation_early_leave_minutes, 0, "worked as Friday: a morning only")

    def test_r9_1_makeup_day_of_another_company_schedule_refused(self):
        other = self.env["res.company"].create({"name": "SCR Other Co"})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.env["sale.regulation.workday"].create(
                {"name": "SCR make-up", "date": "2026-02-28", "calendar_id": self.calendar.id, "company_id": other.id}
            )
        self.assertFalse(self.env["sale.regulation.workday"].search([("company_id", "=", other.id)]))

    @freeze_time("2026-03-02 10:00:00")
    def test_r9_1_removing_a_makeup_day_clears_its_lateness(self):
        self._import("cn", 2026)
        late = self._attend(self.employee, "2026-02-28 00:30:00", "2026-02-28 09:00:00")
        self.assertEqual(late.regulation_late_minutes, 30)
        self._workdays().filtered(lambda w: w.date == date(2026, 2, 28)).unlink()
        self.assertEqual(late.regulation_late_minutes, 0)
