# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One day at any hour: the addon's date rules at fixed instants, just before and after
midnight in UTC and in Asia/Taipei, at a month end and at a year end. Compute, search, cron
and report agree on the day of models/regulation_day.py."""

import datetime
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.addons.sales_consultant_regulation.models import regulation_day
from odoo.tests import tagged

from . import test_confidential_document
from .common import CustomerCase, RegulationCase

ZONES = {"UTC": 0, "Asia/Taipei": 8}
INSTANTS = (
    "2026-12-08 15:59:00",  # just before midnight in Taipei
    "2026-12-08 16:01:00",  # just after midnight in Taipei
    "2026-12-08 23:59:00",  # just before midnight UTC
    "2026-12-09 00:01:00",  # just after midnight UTC
    "2026-11-30 15:59:00",  # month end, Taipei
    "2026-11-30 16:01:00",
    "2026-12-31 15:59:00",  # year end, Taipei
    "2026-12-31 16:01:00",
    "2026-12-31 23:59:00",  # year end, UTC
    "2027-01-01 00:01:00",
)


def expected_day(instant, zone):
    """The date ``instant`` (UTC) falls on in ``zone``, worked out without pytz."""
    moment = datetime.datetime.fromisoformat(instant) + timedelta(hours=ZONES[zone])
    return moment.date()


class OneDayMixin:
    def _set_zone(self, zone, users=()):
        """The company and ``users`` live in ``zone``."""
        self.company.resource_calendar_id.tz = zone
        self.company.partner_id.tz = zone
        for user in users:
            user.tz = zone
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestRegulationDay(OneDayMixin, RegulationCase):
    def test_the_day_of_a_user_is_context_today(self):
        for instant in INSTANTS:
            for zone in ZONES:
                with self.subTest(instant=instant, zone=zone), freeze_time(instant):
                    self.consultant.tz = zone
                    env = self.env(user=self.consultant)
                    self.assertEqual(regulation_day.today(env), expected_day(instant, zone))
                    self.assertEqual(
                        regulation_day.today(env), fields.Date.context_today(self.consultant.with_user(self.consultant))
                    )
                    self.assertEqual(regulation_day.today(self.env, user=self.consultant), expected_day(instant, zone))
                    self.assertEqual(regulation_day.now(env).tzinfo.zone, zone)
                    # the context's time zone is the user's of the moment, as for context_today
                    other = "UTC" if zone != "UTC" else "Asia/Taipei"
                    self.assertEqual(regulation_day.today(env(context={"tz": other})), expected_day(instant, other))

    def test_the_system_and_users_without_zone_live_in_the_company_day(self):
        """A cron runs as OdooBot: its day is the company's, as for a user without a time zone."""
        for instant in INSTANTS:
            for zone in ZONES:
                with self.subTest(instant=instant, zone=zone), freeze_time(instant):
                    self._set_zone(zone)
                    self.consultant.tz = False
                    self.env.ref("base.user_root").tz = "Pacific/Honolulu"
                    self.assertTrue(self.env.user._is_superuser())
                    self.assertEqual(regulation_day.today(self.env), expected_day(instant, zone))
                    self.assertEqual(regulation_day.today(self.env(user=self.consultant)), expected_day(instant, zone))
                    self.assertEqual(regulation_day.today(self.env, company=self.company), expected_day(instant, zone))

    def test_day_bounds_select_the_day_of_the_zone(self):
        for zone, offset in ZONES.items():
            with self.subTest(zone=zone):
                day = datetime.date(2026, 12, 31)
                start, end = regulation_day.day_bounds(self.env, day, tz=zone)
                self.assertEqual(start, datetime.datetime(2026, 12, 31) - timedelta(hours=offset))
                self.assertEqual(end, datetime.datetime(2027, 1, 1) - timedelta(hours=offset))
                self.assertEqual(regulation_day.local_date(self.env, start, tz=zone), day)
                self.assertEqual(regulation_day.local_date(self.env, end - timedelta(seconds=1), tz=zone), day)
                self.assertEqual(regulation_day.local_date(self.env, end, tz=zone), day + timedelta(days=1))

    def test_r10_1_validity_compute_and_search_agree_at_any_hour(self):
        Document = self.env["sale.confidential.document"]
        document = Document.with_user(self.consultant).create(
            {"name": "Day probe", "classification": "confidential", "category": "customer"}
        )
        for instant in INSTANTS:
            for zone in ZONES:
                with self.subTest(instant=instant, zone=zone), freeze_time(instant):
                    self._set_zone(zone, users=(self.consultant,))
                    today = expected_day(instant, zone)
                    own = document.with_user(self.consultant)
                    for date_start, date_end, valid in (
                        (False, today, True),
                        (today, False, True),
                        (False, today - timedelta(days=1), False),
                        (today + timedelta(days=1), False, False),
                    ):
                        document.write({"date_start": date_start, "date_end": date_end})
                        self.env.invalidate_all()
                        self.assertEqual(own.is_valid, valid, f"compute, {date_start} to {date_end}")
                        found = own.search([("id", "=", document.id), ("is_valid", "=", True)])
                        self.assertEqual(bool(found), valid, f"search, {date_start} to {date_end}")
                        self.assertEqual(
                            bool(own.search([("id", "=", document.id), ("is_valid", "=", False)])), not valid
                        )

    def test_r9_1_requested_day_of_a_time_off_is_the_user_day(self):
        for instant in ("2026-12-31 15:59:00", "2026-12-31 16:01:00"):
            with self.subTest(instant=instant), freeze_time(instant):
                self._set_zone("Asia/Taipei", users=(self.consultant,))
                env = self.env(user=self.consultant)
                self.assertEqual(regulation_day.today(env), expected_day(instant, "Asia/Taipei"))
                self.assertEqual(
                    self.env["hr.leave"]
                    .with_user(self.consultant)
                    .default_get(["regulation_requested_date"])["regulation_requested_date"],
                    expected_day(instant, "Asia/Taipei"),
                )


@tagged("post_install", "-at_install")
class TestCustomerFileDay(OneDayMixin, CustomerCase):
    def test_r3_3_stale_file_compute_and_search_agree_at_any_hour(self):
        customer = self._customer("SCR Day Customer")
        self._lead(type="lead", partner_id=customer.id)
        self.assertTrue(customer.customer_class_id, "a classed customer's file can be stale")
        stale_days = self.company.regulation_file_stale_days
        for instant in INSTANTS:
            for zone in ZONES:
                with self.subTest(instant=instant, zone=zone), freeze_time(instant):
                    self._set_zone(zone, users=(self.consultant,))
                    today = expected_day(instant, zone)
                    own = customer.with_user(self.consultant)
                    for reviewed, stale in (
                        (today - timedelta(days=stale_days), True),
                        (today - timedelta(days=stale_days - 1), False),
                    ):
                        customer.file_reviewed_date = reviewed
                        self.env.invalidate_all()
                        self.assertEqual(own.file_stale, stale, f"compute, reviewed {reviewed}")
                        found = own.search([("id", "=", customer.id), ("file_stale", "=", True)])
                        self.assertEqual(bool(found), stale, f"search, reviewed {reviewed}")

    def test_r3_5_greeting_cron_greets_on_the_company_day(self):
        """The greeting cron runs as OdooBot: a New Year occasion greets when the year has
        turned in the company's time zone, not before."""
        customer = self._customer("SCR New Year Customer")
        self._lead(type="lead", partner_id=customer.id)
        activity_type = self.env.ref("sales_consultant_regulation.mail_activity_type_greeting")
        cases = (
            ("Asia/Taipei", "2026-12-31 15:59:00", False),
            ("Asia/Taipei", "2026-12-31 16:01:00", True),
            ("UTC", "2026-12-31 16:01:00", False),
            ("UTC", "2027-01-01 00:01:00", True),
        )
        for zone, instant, greeted in cases:
            with self.subTest(zone=zone, instant=instant), freeze_time(instant):
                self._set_zone(zone)
                occasion = self.env["crm.care.occasion"].create(
                    {
                        "name": f"New Year {zone} {instant}",
                        "kind": "fixed",
                        "month": 1,
                        "day": 1,
                        "action": "activity",
                        "activity_type_id": activity_type.id,
                    }
                )
                self.env["crm.care.occasion"]._cron_send_greetings()
                greetings = self.env["crm.care.occasion.greeting"].search(
                    [("occasion_id", "=", occasion.id), ("partner_id", "=", customer.id)]
                )
                self.assertEqual(bool(greetings), greeted)
                if greeted:
                    self.assertEqual(greetings.date, datetime.date(2027, 1, 1))
                occasion.active = False


@tagged("post_install", "-at_install")
class TestConfidentialDocumentAtEveryInstant(OneDayMixin, test_confidential_document.TestConfidentialDocument):
    """The date-dependent test of the documents, run at each instant in each zone."""

    def test_r10_1_validity_dates_at_every_instant(self):
        dates = self.confidential.read(["date_start", "date_end"])[0]
        for instant in INSTANTS:
            for zone in ZONES:
                with self.subTest(instant=instant, zone=zone), freeze_time(instant):
                    self._set_zone(zone, users=(self.consultant, self.consultant2))
                    self.confidential.write({"date_start": dates["date_start"], "date_end": dates["date_end"]})
                    test_confidential_document.TestConfidentialDocument.test_r10_1_validity_dates(self)


# The other tests of the documents run in their own module, once.
# (the parent is reached through its module: a class of this module's namespace would run here too)
for _name in dir(test_confidential_document.TestConfidentialDocument):
    if _name.startswith("test_") and callable(getattr(test_confidential_document.TestConfidentialDocument, _name)):
        setattr(TestConfidentialDocumentAtEveryInstant, _name, None)
