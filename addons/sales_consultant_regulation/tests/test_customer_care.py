# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CustomerCase

MODULE = "sales_consultant_regulation"


@tagged("post_install", "-at_install")
class TestCareOccasions(CustomerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.lunar_new_year = ref(f"{MODULE}.crm_care_occasion_lunar_new_year")
        cls.dragon_boat = ref(f"{MODULE}.crm_care_occasion_dragon_boat")
        cls.mid_autumn = ref(f"{MODULE}.crm_care_occasion_mid_autumn")
        cls.birthday = ref(f"{MODULE}.crm_care_occasion_birthday")
        # Only the occasions under test run in these tests.
        cls.env["crm.care.occasion"].search([]).active = False

    def _greeted(self, occasion, partners=None):
        domain = [("occasion_id", "=", occasion.id)]
        if partners is not None:
            domain.append(("partner_id", "in", partners.ids))
        return self.env["crm.care.occasion.greeting"].search(domain)

    def test_r3_5_festival_dates_2026_2027_from_holidays(self):
        expected = {
            self.lunar_new_year: {2026: date(2026, 2, 17), 2027: date(2027, 2, 6)},
            self.dragon_boat: {2026: date(2026, 6, 19), 2027: date(2027, 6, 9)},
            self.mid_autumn: {2026: date(2026, 9, 25), 2027: date(2027, 9, 15)},
        }
        for occasion, years in expected.items():
            for country in ("TW", "CN"):
                occasion.calendar_country = country
                for year, day in years.items():
                    with self.subTest(occasion=occasion.name, country=country, year=year):
                        self.assertEqual(occasion._date_in_year(year), day)
        with freeze_time("2026-06-20"):
            self.dragon_boat.invalidate_recordset(["next_date"])
            self.assertEqual(self.dragon_boat.next_date, date(2027, 6, 9))

    def test_r3_5_occasion_definition_checked(self):
        Occasion = self.env["crm.care.occasion"].with_user(self.manager)
        with self.assertRaises(ValidationError):
            Occasion.create({"name": "Nowhere", "kind": "fixed", "month": 2, "day": 30, "action": "activity"})
        with self.assertRaises(ValidationError):
            Occasion.create({"name": "No template", "kind": "fixed", "month": 3, "day": 8, "action": "email"})
        founding = Occasion.create({"name": "Company Day", "kind": "fixed", "month": 3, "day": 8, "action": "activity"})
        self.assertEqual(founding._date_in_year(2027), date(2027, 3, 8))
        with self.assertRaises(AccessError):
            self.env["crm.care.occasion"].with_user(self.supervisor).create(
                {"name": "Mine", "kind": "fixed", "month": 5, "day": 1, "action": "activity"}
            )

    def test_r3_5_greetings_in_customer_language_skip_opt_outs_never_twice(self):
        self.lunar_new_year.active = True
        self.env["res.lang"]._activate_lang("zh_TW")
        template = self.lunar_new_year.mail_template_id
        template.with_context(lang="zh_TW").subject = "新年快樂!"
        greeted = self._customer("SCR Greeted", lang="zh_TW")
        english = self._customer("SCR English", lang="en_US")
        opted_out = self._customer("SCR Opted Out", greeting_opt_out=True)
        blacklisted = self._customer("SCR Blacklisted")
        self.env["mail.blacklist"].sudo()._add(blacklisted.email)
        no_email = self._customer("SCR No Email", email=False)
        for partner in greeted | english | opted_out | blacklisted | no_email:
            self._lead(type="lead", partner_id=partner.id, email_from=False)
        everyone = greeted | english | opted_out | blacklisted | no_email

        # The cron's counts include any other customer of the database (demo data): the
        # assertions look at this test's customers.
        with freeze_time("2027-02-05 01:00:00"):
            self.env["crm.care.occasion"]._cron_send_greetings()
        self.assertFalse(self._greeted(self.lunar_new_year, everyone), "not the day yet")
        with freeze_time("2027-02-06 01:00:00"):
            count = self.env["crm.care.occasion"]._cron_send_greetings()
        self.assertGreaterEqual(count, 2)
        greetings = self._greeted(self.lunar_new_year, everyone)
        self.assertEqual(greetings.partner_id, greeted | english)
        self.assertEqual(set(greetings.mapped("year")), {2027})
        self.assertEqual(greetings.mapped("channel"), ["email", "email"])
        mails = self.env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "in", everyone.ids)])
        self.assertEqual(len(mails), 2)
        by_partner = {mail.res_id: mail for mail in mails}
        self.assertEqual(by_partner[greeted.id].subject, "新年快樂!")
        self.assertEqual(by_partner[english.id].subject, "Happy Lunar New Year!")
        self.assertIn(self.consultant.email, by_partner[greeted.id].email_from)

        # The same day again, or later that year: nobody twice.
        with freeze_time("2027-02-06 18:00:00"):
            self.env["crm.care.occasion"]._cron_send_greetings()
        self.assertEqual(len(self._greeted(self.lunar_new_year, everyone)), 2)
        self.assertEqual(
            self.env["mail.mail"].search_count([("model", "=", "res.partner"), ("res_id", "in", everyone.ids)]), 2
        )
        # The next year is another greeting.
        with freeze_time("2028-01-26 01:00:00"):
            self.assertEqual(self.lunar_new_year._date_in_year(2028), date(2028, 1, 26))
            self.env["crm.care.occasion"]._cron_send_greetings()
        greetings = self._greeted(self.lunar_new_year, everyone)
        self.assertEqual(len(greetings), 4)
        self.assertEqual(sorted(greetings.mapped("year")), [2027, 2027, 2028, 2028])

    def test_r3_5_target_classes_and_activity_for_consultant(self):
        """Mid-Autumn (shipped): an activity for the consultant three days ahead, quasi and
        closed-deal customers only."""
        self.mid_autumn.active = True
        prospect = self._customer("SCR Prospect")
        self._lead(type="lead", partner_id=prospect.id)
        buyer = self._customer("SCR Buyer")
        self._confirm(self._order(partner_id=buyer.id))
        self.assertEqual(buyer.customer_class_id, self.classes["closed"])
        with freeze_time("2026-09-22 01:00:00"):
            self.assertGreaterEqual(self.env["crm.care.occasion"]._cron_send_greetings(), 1)
        self.assertFalse(
            self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", prospect.id)]),
            "a potential customer is not a target of Mid-Autumn",
        )
        activity = self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", buyer.id)])
        self.assertEqual(activity.activity_type_id, self.env.ref(f"{MODULE}.mail_activity_type_greeting"))
        self.assertEqual(activity.user_id, self.consultant)
        self.assertEqual(str(activity.date_deadline), "2026-09-25")
        self.assertEqual(activity.summary, "Mid-Autumn Festival")
        self.assertFalse(self._greeted(self.mid_autumn, prospect))
        with freeze_time("2026-09-22 08:00:00"):
            self.assertEqual(self.env["crm.care.occasion"]._cron_send_greetings(), 0)

    def test_r3_5_birthday_wishes_to_contacts_feb_29(self):
        self.birthday.active = True
        company = self._customer("SCR Birthday Co")
        self._lead(type="lead", partner_id=company.id)
        Partner = self.env["res.partner"]
        today_person = Partner.create(
            {"name": "SCR Mei", "parent_id": company.id, "email": "mei@example.com", "birthday": "1990-03-14"}
        )
        leap_person = Partner.create(
            {"name": "SCR Leap", "parent_id": company.id, "email": "leap@example.com", "birthday": "1992-02-29"}
        )
        opted_out = Partner.create(
            {
                "name": "SCR Quiet",
                "parent_id": company.id,
                "email": "quiet@example.com",
                "birthday": "1991-03-14",
                "greeting_opt_out": True,
            }
        )
        with freeze_time("2027-03-14 01:00:00"):
            self.assertEqual(self.env["crm.care.occasion"]._cron_send_greetings(), 1)
        self.assertEqual(self._greeted(self.birthday).partner_id, today_person)
        self.assertFalse(self._greeted(self.birthday, opted_out))
        with freeze_time("2027-02-28 01:00:00"):
            self.assertEqual(self.env["crm.care.occasion"]._cron_send_greetings(), 1)
        self.assertIn(leap_person, self._greeted(self.birthday).partner_id)
        mail = self.env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "=", today_person.id)])
        self.assertEqual(mail.subject, "Happy birthday, SCR Mei!")

    def _birthday_contact(self, name, **vals):
        company = self._customer(f"{name} Co")
        self._lead(type="lead", partner_id=company.id)
        return self.env["res.partner"].create(
            {"name": name, "parent_id": company.id, "email": f"{name.split()[-1].lower()}@example.com", **vals}
        )

    def _greeted_on(self, day):
        """The birthday greetings of this test's contacts (the demo data has its own) after the
        cron ran on ``day``."""
        with freeze_time(f"{day} 01:00:00"):
            self.env["crm.care.occasion"]._cron_send_greetings()
        return self._greeted(self.birthday, self.env["res.partner"].search([("name", "=like", "SCR %")]))

    def test_r3_5_lunar_birthday_8th_month_1st_day_2027_2028(self):
        """The 1st day of the 8th lunar month is 1 September 2027 and 19 September 2028: two weeks
        before the Mid-Autumn Festival (15th day), 15 September 2027 and 3 October 2028 in the
        Hong Kong Observatory's and the holidays library's calendars."""
        self.birthday.active = True
        # born 1 September 1984, which was the 6th day of the 8th lunar month: the typed lunar day wins
        lunar = self._birthday_contact(
            "SCR Lunar",
            birthday_calendar="lunar",
            birthday_lunar_month=8,
            birthday_lunar_day=1,
        )
        solar = self._birthday_contact("SCR Solar", birthday="1984-09-01")
        self.assertEqual((lunar.birthday_key, lunar.birthday_lunar_key), (0, 801))
        with freeze_time("2027-08-31 01:00:00"):
            self.assertEqual(lunar.birthday_next_date, date(2027, 9, 1))
        self.assertEqual(self._greeted_on("2027-09-01").partner_id, lunar | solar)
        self.assertEqual(self._greeted(self.birthday, lunar).date, date(2027, 9, 1))
        self.assertFalse(self._greeted_on("2027-09-02").filtered(lambda g: g.date == date(2027, 9, 2)))
        self.assertFalse(self._greeted_on("2028-09-01").filtered(lambda g: g.partner_id == lunar and g.year == 2028))
        greetings = self._greeted_on("2028-09-19").filtered(lambda g: g.year == 2028)
        self.assertEqual(greetings.filtered(lambda g: g.partner_id == lunar).date, date(2028, 9, 19))
        self.assertEqual(greetings.filtered(lambda g: g.partner_id == solar).date, date(2028, 9, 1))
        self.assertEqual(len(self._greeted(self.birthday, lunar)), 2, "once a year")

    def test_r3_5_lunar_birthday_from_the_date_and_leap_month(self):
        """Born on 23 June 2009, the 1st day of the leap 5th lunar month: greeted on the ordinary
        5th month's 1st day in 2027 (5 June, no leap month), and in 2028's own leap 5th month
        (23 June; the ordinary 1st day of the 5th month, 24 May, greets the others)."""
        self.birthday.active = True
        leap = self._birthday_contact("SCR Leap Month", birthday="2009-06-23", birthday_calendar="lunar")
        ordinary = self._birthday_contact(
            "SCR Fifth Month", birthday_calendar="lunar", birthday_lunar_month=5, birthday_lunar_day=1
        )
        self.assertEqual((leap.birthday_lunar_month, leap.birthday_lunar_day, leap.birthday_lunar_leap), (5, 1, True))
        self.assertEqual(self._greeted_on("2027-06-05").partner_id, leap | ordinary)
        self.assertEqual(self._greeted_on("2028-05-24").filtered(lambda g: g.year == 2028).partner_id, ordinary)
        greeted = self._greeted_on("2028-06-23").filtered(lambda g: g.date == date(2028, 6, 23))
        self.assertEqual(greeted.partner_id, leap)

    def test_r3_5_lunar_birthday_refused_without_month_and_day(self):
        contact = self._birthday_contact("SCR No Lunar Day")
        with self.assertRaises(ValidationError), self.cr.savepoint():
            contact.write({"birthday_calendar": "lunar", "birthday_lunar_month": 13, "birthday_lunar_day": 1})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            contact.write({"birthday_calendar": "lunar"})
        self.assertEqual(
            (contact.birthday_calendar, contact.birthday_lunar_month, contact.birthday_lunar_key), ("solar", 0, 0)
        )

    def test_r3_5_greeting_rendered_in_the_customer_language(self):
        """The shipped translations of the greeting templates: a zh_TW customer's birthday wishes
        and Mid-Autumn greeting are in Traditional Chinese, a zh_CN one's in Simplified."""
        self.birthday.active = True
        self.mid_autumn.write(
            {
                "active": True,
                "action": "email",
                "days_before": 0,
                "class_ids": [Command.clear()],
                "mail_template_id": self.env.ref(f"{MODULE}.mail_template_greeting_mid_autumn").id,
            }
        )
        for lang in ("zh_TW", "zh_CN"):
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms([MODULE], ["zh_TW", "zh_CN"], overwrite=True)
        taiwan = self._birthday_contact(
            "SCR Taiwan", lang="zh_TW", birthday_calendar="lunar", birthday_lunar_month=8, birthday_lunar_day=1
        )
        china = self._birthday_contact("SCR China", lang="zh_CN", birthday="1980-09-01")
        self._greeted_on("2027-09-01")
        mails = self.env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "in", (taiwan | china).ids)])
        by_partner = {mail.res_id: mail for mail in mails}
        self.assertEqual(by_partner[taiwan.id].subject, "SCR Taiwan，生日快樂！")
        self.assertIn("生日快樂", by_partner[taiwan.id].body_html)
        self.assertEqual(by_partner[china.id].subject, "SCR China，生日快乐！")
        # the festival's name in the customer's language
        customer = self._customer("SCR Mid-Autumn", lang="zh_TW")
        self._lead(type="lead", partner_id=customer.id)
        with freeze_time("2027-09-15 01:00:00"):
            self.env["crm.care.occasion"]._cron_send_greetings()
        mail = self.env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "=", customer.id)])
        self.assertEqual(mail.subject, "中秋節快樂！")
        self.assertEqual(self.mid_autumn.with_context(lang="zh_TW").name, "中秋節")


@tagged("post_install", "-at_install")
class TestReturnVisit(CustomerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env.ref(f"{MODULE}.survey_customer_satisfaction")
        cls.visit_type = cls.env.ref(f"{MODULE}.mail_activity_type_return_visit")

    def _answer(self, answer, scores):
        """The customer answers the rated questions with the given 0-4 scores."""
        answer = answer.with_env(self.env)
        lines = []
        for question, score in zip(
            self.survey.question_ids.filtered(lambda q: q.question_type == "simple_choice"), scores, strict=True
        ):
            choice = question.suggested_answer_ids.filtered(lambda a, score=score: a.answer_score == score)
            lines.append(
                {
                    "user_input_id": answer.id,
                    "question_id": question.id,
                    "answer_type": "suggestion",
                    "suggested_answer_id": choice.id,
                }
            )
        self.env["survey.user_input.line"].create(lines)
        answer._mark_done()

    def test_r4_8_return_visit_activity_survey_and_score(self):
        with freeze_time("2026-03-02 10:00:00"):
            order = self._confirm(self._order())
        unregulated = self._order(team_id=self.free_team.id)
        with freeze_time("2026-03-02 10:00:00"):
            unregulated.action_confirm()

        with freeze_time("2026-03-31 06:00:00"):
            self.assertEqual(self.env["sale.order"]._cron_return_visits(), 0, "29 days: not yet")
        with freeze_time("2026-04-01 06:00:00"):
            self.assertEqual(self.env["sale.order"]._cron_return_visits(), 1)
            self.assertEqual(self.env["sale.order"]._cron_return_visits(), 0, "once per order")
        self.assertEqual(str(order.return_visit_date), "2026-04-01")
        self.assertFalse(unregulated.return_visit_date, "unregulated teams: plain Odoo")
        activity = order.activity_ids.filtered(lambda a: a.activity_type_id == self.visit_type)
        self.assertEqual(activity.user_id, self.consultant)
        self.assertEqual(str(activity.date_deadline), "2026-04-08")
        answer = order.satisfaction_input_ids
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.survey_id, self.survey)
        self.assertEqual(answer.partner_id, self.customer)
        self.assertEqual(order.satisfaction_state, "invited")
        invitation = self.env["mail.mail"].search([("model", "=", "survey.user_input"), ("res_id", "=", answer.id)])
        self.assertEqual(len(invitation), 1)
        self.assertIn(order.name, invitation.subject)
        self.assertIn(answer.get_start_url(), invitation.body_html)

        self._answer(answer, [4, 3, 2])  # 9 of 12
        self.assertEqual(order.satisfaction_state, "answered")
        self.assertAlmostEqual(order.satisfaction_score, 75.0)
        self.assertAlmostEqual(self.customer.satisfaction_score, 75.0)
        self.assertEqual(self.customer.satisfaction_count, 1)
        # The consultant reads the result on the order without survey rights.
        self.assertAlmostEqual(order.with_user(self.consultant).satisfaction_score, 75.0)

    def test_r4_8_customer_score_averages_its_orders(self):
        with freeze_time("2026-03-02 10:00:00"):
            first = self._confirm(self._order())
            second = self._confirm(self._order())
        with freeze_time("2026-04-01 06:00:00"):
            self.env["sale.order"]._cron_return_visits()
        self._answer(first.satisfaction_input_ids, [4, 4, 4])
        self._answer(second.satisfaction_input_ids, [2, 2, 2])
        self.assertAlmostEqual(self.customer.satisfaction_score, 75.0)
        self.assertEqual(self.customer.satisfaction_count, 2)

    def test_r4_8_no_survey_to_blacklisted_address(self):
        self.env["mail.blacklist"].sudo()._add(self.customer.email)
        with freeze_time("2026-03-02 10:00:00"):
            order = self._confirm(self._order())
        with freeze_time("2026-04-01 06:00:00"):
            self.env["sale.order"]._cron_return_visits()
        self.assertTrue(order.activity_ids.filtered(lambda a: a.activity_type_id == self.visit_type))
        self.assertFalse(order.satisfaction_input_ids)
        self.assertEqual(str(order.return_visit_date), "2026-04-01")
