# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0 -> 18.0.1.2.0: the "Written proposal sent" item (R4.4), which noupdate kept as it was.

Its automatic check now asks for a quotation sent (or confirmed) with its proposal parts
(product configuration, price structure, service commitments and delivery date), not only a
quotation sent. The shipped item and the copies applied to sales teams get the new check where
they still have the shipped one; an item a company changed keeps its own check.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

MODULE = "sales_consultant_regulation"
OLD_CHECK = "[('order_ids.state', 'in', ('sent', 'sale'))]"
NEW_CHECK = "[('order_ids', 'any', [('state', 'in', ('sent', 'sale')), ('proposal_complete', '=', True)])]"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    shipped = env.ref(f"{MODULE}.checklist_item_proposal_sent", raise_if_not_found=False)
    if not shipped:
        return
    items = (
        env["crm.stage.checklist.item"]
        .with_context(active_test=False)
        .search(["|", ("id", "=", shipped.id), ("template_item_id", "=", shipped.id)])
        .filtered(lambda item: (item.check_domain or "").strip() == OLD_CHECK)
    )
    items.write({"check_domain": NEW_CHECK})
    _logger.info("%s: %s proposal items check the written proposal's parts (R4.4)", MODULE, len(items))
