# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import models
from odoo.tools import SQL
from odoo.tools.translate import PoFileReader, get_po_paths

MODULE = "sales_consultant_regulation"


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """Loading the addon's terms (a language installed after the addon, or its terms
        updated) reaches what Odoo's loading of the .po leaves out:

        - the stages of the regulated pipelines and the checklist items copied onto them, which
          have no xml id of their own;
        - with *Overwrite Existing Terms*, the shipped configuration records: they are
          ``noupdate`` (companies edit them), and Odoo never overwrites the translations of
          those; a record whose English text is still the shipped one takes the new terms."""
        res = super()._load_module_terms(modules, langs, overwrite=overwrite, imported_module=imported_module)
        if MODULE in modules and "crm.team" in self.env:
            if overwrite:
                self._regulation_overwrite_shipped_terms(langs)
            self.env["crm.team"]._regulation_sync_pipeline_translations(langs, overwrite=overwrite)
        return res

    def _regulation_overwrite_shipped_terms(self, langs):
        rows = defaultdict(list)  # (model, field) -> [(module, xmlid, source, lang, value)]
        for lang in langs:
            if lang == "en_US":
                continue
            for po_path in get_po_paths(MODULE, lang):
                for row in PoFileReader(po_path):
                    if row["type"] != "model" or not row["value"] or row["module"] != MODULE:
                        continue
                    model_name, field_name = row["name"].split(",", 1)
                    rows[model_name, field_name].append((row["imd_name"], row["src"], lang, row["value"]))
        self.env.flush_all()
        for (model_name, field_name), values in rows.items():
            Model = self.env.get(model_name)
            field = Model is not None and Model._fields.get(field_name)
            if not field or not field.store or not field.translate or callable(field.translate):
                continue
            column = SQL.identifier(field_name)
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE %(table)s AS m
                       SET %(column)s = m.%(column)s || jsonb_build_object(t.lang, t.value)
                      FROM (VALUES %(values)s) AS t(name, src, lang, value)
                      JOIN ir_model_data imd ON imd.module = %(module)s AND imd.name = t.name AND imd.model = %(model)s
                     WHERE imd.res_id = m.id AND imd.noupdate AND m.%(column)s ->> 'en_US' = t.src
                    """,
                    table=SQL.identifier(Model._table),
                    column=column,
                    values=SQL(", ").join(SQL("(%s, %s, %s, %s)", *value) for value in values),
                    module=MODULE,
                    model=model_name,
                )
            )
            Model.invalidate_model([field_name])
