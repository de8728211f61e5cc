# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

MODULE = "sales_consultant_regulation"


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """Loading the addon's terms (a language installed after the addon, or its terms
        updated) reaches the records made from the shipped ones: the stages of the regulated
        pipelines and the checklist items copied onto them have no xml id of their own, so
        Odoo's loading of the .po does not see them."""
        res = super()._load_module_terms(modules, langs, overwrite=overwrite, imported_module=imported_module)
        if MODULE in modules and "crm.team" in self.env:
            self.env["crm.team"]._regulation_sync_pipeline_translations(langs, overwrite=overwrite)
        return res
