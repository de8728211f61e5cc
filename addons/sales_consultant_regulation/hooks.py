# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL

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


def uninstall_hook(env):
    """Empty the addon's transactional tables before Odoo removes its data (clean uninstall)."""
    for table in TRANSACTIONAL_TABLES:
        env.cr.execute(SQL("SELECT to_regclass(%s)", table))
        if env.cr.fetchone()[0]:
            env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(table)))
