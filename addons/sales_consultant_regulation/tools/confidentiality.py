# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Decisions of the confidentiality area (R10, R9.4), free of the ORM so they are tested
without Odoo.

Roles are the names of the regulation groups a user holds ("consultant", "supervisor",
"manager"); a supervisor holds "consultant" too and a manager all three, as the groups imply
each other.
"""

import re

REFUSED_NO_RIGHT = "no_right"
REFUSED_OVER_LIMIT = "over_limit"


def role_default_changes(before, after):
    """What a change of regulation role does to the user's default rights.

    Returns ``(revoke_export, hide_cost)``: ``revoke_export`` is True when the user just became
    a consultant or a supervisor without being a manager (they lose Odoo's export right by
    default; an administrator may grant it again afterwards); ``hide_cost`` is True to hide the
    product costs (a plain consultant), False to show them again (the user became a supervisor
    or a manager, or left the regulation), None to leave them as they are.
    """
    before, after = set(before), set(after)
    revoke_export = "consultant" in after and "consultant" not in before and "manager" not in after
    plain_before = "consultant" in before and "supervisor" not in before
    plain_after = "consultant" in after and "supervisor" not in after
    if plain_after and not plain_before:
        hide_cost = True
    elif plain_before and not plain_after:
        hide_cost = False
    else:
        hide_cost = None
    return revoke_export, hide_cost


def export_refusal(count, limit, may_export, limited):
    """Why an export of ``count`` records is refused, or None when it may go on.

    :param limit: the company's largest export for limited users; 0 means no limit
    :param may_export: the user holds Odoo's export right
    :param limited: the user is a consultant or supervisor, not a regulation manager
    """
    if not may_export:
        return REFUSED_NO_RIGHT
    if limited and limit and count > limit:
        return REFUSED_OVER_LIMIT
    return None


def within_validity(date_start, date_end, today):
    """A document is valid from its start date to its end date, both included; a missing
    date leaves that side open."""
    return (not date_start or date_start <= today) and (not date_end or today <= date_end)


def next_version(version):
    """The version that follows ``version``: its last number plus one ("1.0" -> "1.1",
    "2026-2" -> "2026-3"), or ``version`` followed by ".1" when it ends with no number."""
    version = (version or "").strip()
    match = re.search(r"(\d+)(\D*)$", version)
    if not match:
        return f"{version}.1" if version else "1"
    number = match.group(1)
    bumped = str(int(number) + 1).zfill(len(number))
    return f"{version[: match.start(1)]}{bumped}{match.group(2)}"
