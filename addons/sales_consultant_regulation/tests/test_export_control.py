# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import Command, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RegulationCase

MODULE = "sales_consultant_regulation"


@tagged("post_install", "-at_install")
class TestExportControl(RegulationCase, HttpCase):
    """R10.2, R9.4: exports of customer-bearing records are logged server-side, by RPC and by
    the export routes; consultants cannot export by default; an export above the company's
    limit by a consultant or supervisor is refused and the managers are alerted.

    An HttpCase: a refused export is recorded in a transaction of its own (the refusal rolls
    the user's back), which in tests shares this test's cursor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.regulation_export_limit = 3
        cls.exporter = new_test_user(
            cls.env,
            login="scr_exporter",
            password="scr_exporter_pwd",
            groups=f"base.group_user,{MODULE}.group_consultant",
        )
        cls.exporter.groups_id = [Command.link(cls.env.ref("base.group_allow_export").id)]
        if cls.regulation:
            cls.env["sale.regulation.acknowledgement"].create(
                {"regulation_id": cls.regulation.id, "user_id": cls.exporter.id}
            )
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": f"Export Customer {i}", "user_id": cls.exporter.id, "email": f"c{i}@example.com"}
                for i in range(5)
            ]
        )
        cls.others = cls.env["res.partner"].create([{"name": "Export Hidden", "user_id": cls.consultant.id}])

    def _logs(self, user):
        return self.env["sale.export.log"].search([("user_id", "=", user.id)], order="id")

    def _refused(self, call):
        """Run ``call``, which must be refused; return the message. Not assertRaises: its
        savepoint would also roll back the refusal's own transaction, which in tests shares
        this test's connection."""
        try:
            call()
        except AccessError as error:
            return str(error)
        self.fail("the export was not refused")

    def test_r10_2_consultants_cannot_export_by_default(self):
        self.assertFalse(self.consultant.has_group("base.group_allow_export"))
        message = self._refused(lambda: self.customers.with_user(self.consultant).export_data(["name"]))
        self.assertIn("R10.2", message)
        log = self._logs(self.consultant)
        self.assertEqual(log.state, "refused")
        self.assertEqual(log.refusal, "no_right")
        self.assertTrue(log.activity_ids.filtered(lambda a: a.user_id == self.manager), "managers alerted")

    def test_r10_2_export_logged_with_user_model_fields_count(self):
        records = self.customers[:3].with_user(self.exporter)
        data = records.export_data(["name", "email"])["datas"]
        self.assertEqual(len(data), 3)
        log = self._logs(self.exporter)
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (log.state, log.model, log.record_count, log.field_names, log.origin),
            ("done", "res.partner", 3, "name, email", "rpc"),
        )
        self.assertTrue(log.date)
        # Models that carry no customer data are not logged.
        self.env["res.country"].with_user(self.exporter).search([], limit=5).export_data(["name"])
        self.assertEqual(len(self._logs(self.exporter)), 1)
        # The exporter does not see the export log.
        self.assertFalse(self.env["sale.export.log"].with_user(self.exporter).has_access("read"))

    def test_r10_2_export_above_limit_refused_and_managers_alerted(self):
        message = self._refused(lambda: self.customers.with_user(self.exporter).export_data(["name"]))
        self.assertIn("at most 3", message)
        log = self._logs(self.exporter)
        self.assertEqual((log.state, log.refusal, log.record_count, log.export_limit), ("refused", "over_limit", 5, 3))
        activity = log.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(activity), 1)
        self.assertIn("scr_exporter", activity.summary)
        # A manager's export is not limited, and is logged.
        self.customers.with_user(self.manager).export_data(["name"])
        self.assertEqual(self._logs(self.manager).mapped("state"), ["done"])

    def test_r10_2_supervisor_limited_too(self):
        self.supervisor.groups_id = [Command.link(self.env.ref("base.group_allow_export").id)]
        leads = self.env["crm.lead"].create(
            [{"name": f"Export lead {i}", "user_id": self.supervisor.id} for i in range(4)]
        )
        self._refused(lambda: leads.with_user(self.supervisor).export_data(["name"]))
        self.assertEqual(self._logs(self.supervisor).refusal, "over_limit")

    def _export_route(self, route, payload):
        self.env.flush_all()
        return self.url_open(
            route,
            data={"data": json.dumps(payload), "csrf_token": http.Request.csrf_token(self)},
        )

    def _payload(self, **kw):
        payload = {
            "model": "res.partner",
            "fields": [
                {"name": "name", "label": "Name", "type": "char"},
                {"name": "email", "label": "Email", "type": "char"},
            ],
            "ids": False,
            "domain": [("name", "like", "Export ")],
            "import_compat": False,
            "context": {},
            "groupby": [],
        }
        payload.update(kw)
        return payload

    def test_r10_2_export_route_logged_once_and_filtered_by_rules(self):
        self.authenticate("scr_exporter", "scr_exporter_pwd")
        ids = self.customers[:3].ids
        response = self._export_route("/web/export/csv", self._payload(ids=ids))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Export Customer 0", response.text)
        self.assertNotIn("Export Hidden", response.text)
        # A grouped export calls export_data once per group: still one log.
        response = self._export_route(
            "/web/export/xlsx", self._payload(ids=ids, groupby=["email"], domain=[("id", "in", ids)])
        )
        self.assertEqual(response.status_code, 200)
        logs = self._logs(self.exporter)
        self.assertEqual(logs.mapped("origin"), ["csv", "xlsx"])
        self.assertEqual(logs.mapped("record_count"), [3, 3])
        self.assertEqual(logs.mapped("state"), ["done", "done"])

    def test_r10_2_export_route_above_limit_refused(self):
        self.authenticate("scr_exporter", "scr_exporter_pwd")
        # The domain matches the exporter's 5 customers (the other consultant's are not counted).
        response = self._export_route("/web/export/csv", self._payload())
        self.assertEqual(response.status_code, 403)
        self.assertIn("at most 3", response.text)
        self.assertNotIn("Export Customer 0", response.text)
        log = self._logs(self.exporter)
        self.assertEqual((log.state, log.origin, log.record_count), ("refused", "csv", 5))
        self.assertTrue(log.activity_ids)
