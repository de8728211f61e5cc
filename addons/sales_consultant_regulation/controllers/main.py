# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.addons.web.controllers.export import CSVExport, ExcelExport
from odoo.http import request

from ..models.base_export import EXPORT_CHECKED


class RegulationExportMixin:
    """R10.2 on the export routes: check and log the whole export once, before any record is
    read, whatever its grouping (a grouped export calls export_data once per group)."""

    regulation_origin = "rpc"

    def base(self, data):
        params = json.loads(data)
        Model = request.env[params["model"]].with_context(
            import_compat=params.get("import_compat"), **params.get("context", {})
        )
        if not Model._regulation_export_controlled():
            return super().base(data)
        ids = params.get("ids")
        count = len(ids) if ids else Model.search_count(params.get("domain") or [])
        error = Model._regulation_export_check(
            count, [field["name"] for field in params["fields"]], self.regulation_origin, raise_refusal=False
        )
        if error:
            # Answered as Odoo answers a failed export (the web client shows the message), but
            # without rolling the transaction back, so that the refused attempt stays logged.
            payload = json.dumps({"code": 200, "message": "Odoo Server Error", "data": http.serialize_exception(error)})
            return Forbidden(payload).get_response()
        token = EXPORT_CHECKED.set(Model._name)
        try:
            return super().base(data)
        finally:
            EXPORT_CHECKED.reset(token)


class RegulationCSVExport(RegulationExportMixin, CSVExport):
    regulation_origin = "csv"


class RegulationExcelExport(RegulationExportMixin, ExcelExport):
    regulation_origin = "xlsx"


class ConfidentialDocumentController(http.Controller):
    @http.route("/sales_regulation/confidential/<int:log_id>/<string:token>", type="http", auth="user")
    def confidential_document(self, log_id, token, **kwargs):
        """Serve the file of a logged access (R10.1, R9.4) to the user who made it, for a few
        minutes after the access; anything else is not found."""
        # sudo: the log and the file are closed to direct reading; _serve_check decides
        log = request.env["sale.confidential.access.log"].sudo().browse(log_id).exists()
        if not log or not log._serve_check(request.env.user, token):
            raise NotFound()
        if not log.served_date:
            log.served_date = fields.Datetime.now()
        document = log.document_id
        stream = request.env["ir.binary"]._get_stream_from(
            document, "file", filename=document.file_name or document.name
        )
        return stream.get_response(as_attachment=log.access_type == "download")
