# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL

MODULE = "sales_consultant_regulation"

# The addon's transactional records, children first. Odoo removes the addon's data by xml id
# and drops its tables afterwards; rows without an xml id that point at users, partners or
# shipped records with "restrict" foreign keys (appraisals of the demo consultants, statements
# of a shipped plan) would keep those records, and their xml ids, from being removed.
TRANSACTIONAL_TABLES = [
    "sale_incentive_statement_line",
    "sale_incentive_statement",
    "sale_appraisal_line",
    "sale_appraisal",
    "sale_consultant_target",
    "sale_order_consultant_share",
    "sale_regulation_discipline_alert",
    "sale_regulation_absence",
    "crm_care_occasion_greeting",
    "crm_customer_complaint",
    "crm_lead_checklist_line",
    "sale_order_checklist_line",
    "sale_confidential_access_log",
    "sale_export_log",
    "sale_regulation_acknowledgement",
    "sale_regulation_handover",
]


def _drop_demo_invoices(env):
    """The invoices and credit notes the demo posted for the addon's demo orders (R6.4 clawback
    from a credit note) have no xml id: Odoo would keep them, and with them the demo customers
    they name. Posted moves cannot be unlinked through the ORM, so they go by SQL, with their
    lines and reconciliations."""
    env.cr.execute(
        SQL(
            """
            SELECT DISTINCT aml.move_id
              FROM sale_order_line_invoice_rel rel
              JOIN account_move_line aml ON aml.id = rel.invoice_line_id
              JOIN sale_order_line sol ON sol.id = rel.order_line_id
              JOIN ir_model_data imd ON imd.model = 'sale.order' AND imd.res_id = sol.order_id
             WHERE imd.module = %s
            """,
            MODULE,
        )
    )
    move_ids = [row[0] for row in env.cr.fetchall()]
    if not move_ids:
        return
    env.cr.execute(
        SQL(
            "DELETE FROM account_partial_reconcile WHERE debit_move_id IN (SELECT id FROM account_move_line"
            " WHERE move_id = ANY(%s)) OR credit_move_id IN (SELECT id FROM account_move_line WHERE move_id = ANY(%s))",
            move_ids,
            move_ids,
        )
    )
    env.cr.execute(SQL("UPDATE account_move SET reversed_entry_id = NULL WHERE reversed_entry_id = ANY(%s)", move_ids))
    env.cr.execute(SQL("DELETE FROM account_move WHERE id = ANY(%s)", move_ids))


def uninstall_hook(env):
    """Empty the addon's transactional tables before Odoo removes its data (clean uninstall)."""
    for table in TRANSACTIONAL_TABLES:
        env.cr.execute(SQL("SELECT to_regclass(%s)", table))
        if env.cr.fetchone()[0]:
            env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(table)))
    _drop_demo_invoices(env)
