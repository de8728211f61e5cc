# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.sales_consultant_regulation.models import regulation_day
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RegulationCase

MODULE = "sales_consultant_regulation"
CONTENT = b"Price list strategy: +3% in January."


@tagged("post_install", "-at_install")
class TestConfidentialDocument(RegulationCase, HttpCase):
    """R10.1, R9.4: classified documents, seen only by those allowed, opened only through
    logged actions; a secret one asks for a reason first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(cls.env, login="scr_doc_plain", groups="base.group_user")
        Document = cls.env["sale.confidential.document"]
        cls.internal = Document.create(
            {"name": "Meeting minutes", "classification": "internal", "category": "minutes", "owner_id": cls.manager.id}
        )
        cls.confidential = Document.with_user(cls.consultant).create(
            {
                "name": "Key accounts",
                "classification": "confidential",
                "category": "customer",
                "allowed_user_ids": [Command.link(cls.consultant2.id)],
                "file_name": "key_accounts.txt",
                "upload_file": base64.b64encode(CONTENT),
            }
        )
        cls.secret = Document.create(
            {
                "name": "Pricing strategy",
                "classification": "secret",
                "category": "strategy",
                "owner_id": cls.manager.id,
                "allowed_group_ids": [Command.link(cls.env.ref(f"{MODULE}.group_supervisor").id)],
                "file_name": "pricing.txt",
                "upload_file": base64.b64encode(CONTENT),
            }
        )

    def _visible(self, user):
        return self.env["sale.confidential.document"].with_user(user).search([("name", "in", self._names())])

    def _names(self):
        return ["Meeting minutes", "Key accounts", "Pricing strategy"]

    def test_r10_1_who_sees_what(self):
        self.assertEqual(self.confidential.owner_id, self.consultant, "the creator owns the document")
        self.assertEqual(self._visible(self.consultant), self.internal | self.confidential)
        self.assertEqual(self._visible(self.consultant2), self.internal | self.confidential, "allowed user")
        self.assertEqual(self._visible(self.supervisor), self.internal | self.secret, "allowed group")
        self.assertEqual(self._visible(self.accountant), self.internal, "internal documents are for everyone")
        self.assertEqual(self._visible(self.manager), self.internal | self.confidential | self.secret)
        outsider = new_test_user(
            self.env, login="scr_doc_outsider", groups=f"base.group_user,{MODULE}.group_consultant"
        )
        with self.assertRaises(AccessError):
            self.confidential.with_user(outsider).read(["name"])

    def test_r10_1_validity_dates(self):
        self.confidential.date_end = regulation_day.today(self.env) - timedelta(days=1)
        self.assertFalse(self.confidential.is_valid)
        self.assertNotIn(self.confidential, self._visible(self.consultant2), "expired for the allowed user")
        self.assertIn(self.confidential, self._visible(self.consultant), "still there for its owner")
        self.confidential.write({"date_start": regulation_day.today(self.env) + timedelta(days=1), "date_end": False})
        self.assertNotIn(self.confidential, self._visible(self.consultant2), "not valid yet")
        self.assertIn(
            self.confidential,
            self.env["sale.confidential.document"].search(
                [("is_valid", "=", False), ("id", "=", self.confidential.id)]
            ),
        )

    def test_r10_1_only_the_owner_changes_a_document(self):
        with self.assertRaises(AccessError):
            self.confidential.with_user(self.consultant2).write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            self.env["sale.confidential.document"].with_user(self.consultant).create(
                {"name": "For someone else", "owner_id": self.consultant2.id}
            )
        self.confidential.with_user(self.consultant).write({"name": "Key accounts 2026"})
        self.assertEqual(self.confidential.name, "Key accounts 2026")

    def test_r9_4_file_never_read_directly(self):
        self.assertEqual(self.confidential.file_size, len(CONTENT))
        self.assertTrue(self.confidential.has_file)
        for user in (self.consultant, self.manager):
            with self.assertRaises(AccessError):
                self.confidential.with_user(user).read(["file"])
        self.assertFalse(self.confidential.with_user(self.consultant).read(["upload_file"])[0]["upload_file"])
        # The file is not an attachment another path could serve.
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "sale.confidential.document"), ("res_id", "=", self.confidential.id)]
        )
        self.assertFalse(attachments.filtered(lambda a: a.res_field))

    def test_r9_4_open_and_download_are_logged_and_served_to_that_user_only(self):
        action = self.confidential.with_user(self.consultant2).action_download()
        self.assertEqual(action["type"], "ir.actions.act_url")
        log = self.env["sale.confidential.access.log"].search([("document_id", "=", self.confidential.id)])
        self.assertEqual((log.user_id, log.access_type, log.reason), (self.consultant2, "download", False))
        self.assertFalse(log.served_date)
        self.env.flush_all()
        self.authenticate("scr_consultant2", "scr_consultant2")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, CONTENT)
        self.assertIn("attachment", response.headers.get("Content-Disposition", ""))
        log.invalidate_recordset()
        self.assertTrue(log.served_date)
        # Another user cannot use the address, nor can anyone once it is stale.
        self.authenticate("scr_consultant", "scr_consultant")
        self.assertEqual(self.url_open(action["url"]).status_code, 404)
        self.authenticate("scr_consultant2", "scr_consultant2")
        self.assertEqual(self.url_open(action["url"] + "x").status_code, 404)
        with freeze_time(fields.Datetime.now() + timedelta(minutes=11)):
            self.assertEqual(self.url_open(action["url"]).status_code, 404)
        # The owner sees who opened their document; other consultants do not.
        self.assertEqual(self.confidential.with_user(self.consultant).access_log_ids, log)
        self.assertEqual(self.confidential.with_user(self.consultant).access_count, 1)
        self.assertFalse(self.env["sale.confidential.access.log"].with_user(self.supervisor).search([]))

    def test_r10_1_secret_document_asks_for_a_reason(self):
        document = self.secret.with_user(self.supervisor)
        action = document.action_open()
        self.assertEqual(action["res_model"], "sale.confidential.access.reason")
        self.assertFalse(self.env["sale.confidential.access.log"].search([("document_id", "=", self.secret.id)]))
        with self.assertRaises(UserError):
            document._access("open", "   ")
        wizard = (
            self.env["sale.confidential.access.reason"]
            .with_user(self.supervisor)
            .with_context(**action["context"])
            .create({"reason": "Preparing January's price list"})
        )
        result = wizard.action_confirm()
        self.assertEqual(result["type"], "ir.actions.act_url")
        log = self.env["sale.confidential.access.log"].search([("document_id", "=", self.secret.id)])
        self.assertEqual(
            (log.user_id, log.access_type, log.reason), (self.supervisor, "open", "Preparing January's price list")
        )
        self.assertEqual(log.classification, "secret")
        # Logs are never written by hand.
        with self.assertRaises(AccessError):
            log.with_user(self.manager).write({"reason": "edited"})
        with self.assertRaises(AccessError):
            self.env["sale.confidential.access.log"].with_user(self.supervisor).create(
                {"document_id": self.secret.id, "user_id": self.supervisor.id, "access_type": "open"}
            )

    def test_r10_1_not_allowed_cannot_open(self):
        with self.assertRaises(AccessError):
            self.secret.with_user(self.consultant).action_open()
        with self.assertRaises(UserError):
            self.internal.with_user(self.consultant).action_open()  # no file
