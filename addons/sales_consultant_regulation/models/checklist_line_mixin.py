# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .base import workflow_action


class SaleRegulationChecklistLineMixin(models.AbstractModel):
    """What a lead's stage checklist line and an order's contract review line share: the item
    they instantiate, a manual tick that remembers who and when, and automatic items that
    follow the data of the record they belong to (R4).

    The concrete model names the field of that record in ``_checklist_record_field``.
    """

    _name = "sale.regulation.checklist.line.mixin"
    _description = "Regulation Checklist Line"
    _checklist_record_field = None

    item_id = fields.Many2one("crm.stage.checklist.item", required=True, index=True)
    name = fields.Char(related="item_id.name")
    guidance = fields.Text(related="item_id.guidance")
    clause = fields.Char(related="item_id.clause")
    sequence = fields.Integer(related="item_id.sequence", store=True)
    required = fields.Boolean(related="item_id.required")
    is_automatic = fields.Boolean(related="item_id.is_automatic")
    checked = fields.Boolean(string="Ticked", help="Ticked by hand (manual items only).")
    checked_user_id = fields.Many2one("res.users", string="Ticked By", readonly=True)
    checked_date = fields.Datetime(string="Ticked On", readonly=True)
    done = fields.Boolean(compute="_compute_done", help="Ticked, matched by the automatic check, or overridden.")

    @api.depends("checked", "item_id.check_domain")
    def _compute_done(self):
        done = self._done_lines()
        for line in self:
            line.done = line in done

    def _is_done_by_hand(self):
        """Lines of self done without looking at the record's data."""
        return self.filtered(lambda ln: ln.checked and not ln.is_automatic)

    def _done_lines(self):
        """The lines of self that are done, in one filtered_domain per automatic item."""
        record_field = self._checklist_record_field
        done = self._is_done_by_hand()
        automatic = (self - done).filtered("is_automatic")
        for item in automatic.item_id:
            lines = automatic.filtered(lambda ln, item=item: ln.item_id == item)
            matching = item._matching(lines[record_field])
            done |= lines.filtered(lambda ln, matching=matching: ln[record_field] in matching)
        return done

    def _automatic_tick_message(self, item):
        return self.env._(
            'The item "%(item)s" is checked automatically from the data of the record; fill in the data '
            "instead of ticking it.",
            item=item.name,
        )

    def write(self, vals):
        self._regulation_check_vals(vals)
        if "checked" in vals:
            # the user's values were checked above: who ticked and when are the system's
            automatic = self.filtered("is_automatic")
            if automatic and vals["checked"]:
                raise UserError(self._automatic_tick_message(automatic[0]))
            vals = dict(vals)
            if vals["checked"]:
                vals.update(checked_user_id=self.env.uid, checked_date=fields.Datetime.now())
            else:
                vals.update(checked_user_id=False, checked_date=False)
            with workflow_action():
                return super().write(vals)
        return super().write(vals)
