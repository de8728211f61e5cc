# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.0.0 -> 18.0.1.1.0: the shipped regulation's data, which noupdate kept as it was.

- The shipped version 1.0 is published when no version is (the data file publishes it on
  install only), so the acknowledgement gate and its reminders work as on a new database.
- The shipped clauses get the compliance figure and the list of tests that traceability added
  in 18.0.1.1.0, where the database has none; a company's own edits are kept.
- R10.1 readers through deals: a lead or order a plain consultant created for himself on a
  customer of another salesperson no longer opens that customer to him (the deal's new
  "Opens Its Customer" starts true on existing rows): such a deal is how an insider read a
  colleague's customers before 18.0.1.1.0. Deals a supervisor, a manager or the system made or
  assigned keep opening their customer.
"""

import logging

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools.misc import file_open

_logger = logging.getLogger(__name__)

MODULE = "sales_consultant_regulation"
DATA = f"{MODULE}/data/sale_regulation_data.xml"
FILLED = ("compliance_key", "test_names")


def shipped_clause_values():
    """{xml id: {field: value}} of the traceability fields of the shipped clauses."""
    with file_open(DATA, "rb") as data:
        root = etree.parse(data).getroot()
    values = {}
    for record in root.iter("record"):
        if record.get("model") != "sale.regulation.clause":
            continue
        fields = {field.get("name"): (field.text or "").strip() for field in record.iter("field")}
        values[record.get("id")] = {name: fields[name] for name in FILLED if fields.get(name)}
    return values


# Deals created by their own salesperson, a consultant who is not a supervisor, on a customer
# whose salesperson is someone else.
SELF_MADE_FOREIGN_DEALS = """
    UPDATE {table} deal
       SET regulation_reader_granted = FALSE
      FROM res_partner customer
     WHERE deal.partner_id = customer.id
       AND deal.regulation_reader_granted
       AND deal.user_id IS NOT NULL
       AND deal.create_uid = deal.user_id
       AND customer.user_id IS NOT NULL
       AND customer.user_id <> deal.user_id
       AND deal.user_id IN (SELECT uid FROM res_groups_users_rel WHERE gid = %(consultant)s)
       AND deal.user_id NOT IN (SELECT uid FROM res_groups_users_rel WHERE gid = %(supervisor)s)
 RETURNING deal.partner_id
"""


def revoke_self_made_grants(env):
    """The customers whose readers change (see the module docstring)."""
    groups = {
        "consultant": env.ref(f"{MODULE}.group_consultant").id,
        "supervisor": env.ref(f"{MODULE}.group_supervisor").id,
    }
    partner_ids = set()
    for table in ("crm_lead", "sale_order"):
        env.cr.execute(SELF_MADE_FOREIGN_DEALS.format(table=table), groups)
        partner_ids.update(row[0] for row in env.cr.fetchall())
    partners = env["res.partner"].browse(sorted(partner_ids))
    env.invalidate_all()
    env.add_to_compute(env["res.partner"]._fields["regulation_reader_ids"], partners)
    env.flush_all()
    return partners


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    revoked = revoke_self_made_grants(env)
    _logger.info("%s: %s customers no longer open to a consultant through a deal he made himself", MODULE, len(revoked))
    filled = 0
    for xml_id, values in shipped_clause_values().items():
        clause = env.ref(f"{MODULE}.{xml_id}", raise_if_not_found=False)
        if not clause:
            continue
        missing = {name: value for name, value in values.items() if not clause[name]}
        if missing:
            clause.write(missing)
            filled += 1
    regulation = env.ref(f"{MODULE}.sale_regulation_1_0", raise_if_not_found=False)
    published = env["sale.regulation"].with_context(active_test=False).search_count([("state", "=", "published")])
    if regulation and regulation.state == "draft" and not published:
        regulation.action_publish()
        _logger.info("%s: published the shipped regulation version %s", MODULE, regulation.version)
    _logger.info("%s: filled the traceability fields of %s shipped clauses", MODULE, filled)
