# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

OVERRIDE_FIELDS = {"override_reason", "override_user_id", "override_date"}


class CrmLeadChecklistLine(models.Model):
    """A lead's checklist item for one of its stages (R4.1-R4.6).

    Manual items are ticked by hand and remember who ticked them and when; automatic items
    follow the lead's data. A supervisor may override a line with a written reason
    (crm.lead.checklist.override wizard); the override is kept here for compliance.
    """

    _name = "crm.lead.checklist.line"
    _description = "Lead Checklist Line"
    _order = "stage_sequence, stage_id, sequence, id"
    _rec_name = "name"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade", index=True)
    item_id = fields.Many2one("crm.stage.checklist.item", required=True, ondelete="cascade", index=True)
    stage_id = fields.Many2one(related="item_id.stage_id", store=True, index=True)
    stage_sequence = fields.Integer(related="item_id.stage_id.sequence", store=True, string="Stage Sequence")
    name = fields.Char(related="item_id.name")
    guidance = fields.Text(related="item_id.guidance")
    clause = fields.Char(related="item_id.clause")
    sequence = fields.Integer(related="item_id.sequence", store=True)
    required = fields.Boolean(related="item_id.required")
    is_automatic = fields.Boolean(related="item_id.is_automatic")
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="lead_id.user_id", string="Salesperson", store=True, index=True)
    team_id = fields.Many2one(related="lead_id.team_id", store=True)
    checked = fields.Boolean(string="Ticked", help="Ticked by hand (manual items only).")
    checked_user_id = fields.Many2one("res.users", string="Ticked By", readonly=True)
    checked_date = fields.Datetime(string="Ticked On", readonly=True)
    done = fields.Boolean(compute="_compute_done", help="Ticked, matched by the automatic check, or overridden.")
    override_reason = fields.Text(readonly=True)
    override_user_id = fields.Many2one("res.users", string="Overridden By", readonly=True)
    override_date = fields.Datetime(string="Overridden On", readonly=True)
    is_overridden = fields.Boolean(compute="_compute_is_overridden", store=True)

    _sql_constraints = [
        ("lead_item_unique", "unique(lead_id, item_id)", "A lead has each checklist item once."),
    ]

    @api.depends("override_date")
    def _compute_is_overridden(self):
        for line in self:
            line.is_overridden = bool(line.override_date)

    @api.depends("checked", "is_overridden", "item_id.check_domain", "lead_id")
    def _compute_done(self):
        done = self._done_lines()
        for line in self:
            line.done = line in done

    def _done_lines(self):
        """The lines of self that are done, in one filtered_domain per automatic item."""
        done = self.filtered(lambda ln: ln.is_overridden or (ln.checked and not ln.is_automatic))
        automatic = (self - done).filtered("is_automatic")
        for item in automatic.item_id:
            lines = automatic.filtered(lambda ln, item=item: ln.item_id == item)
            matching = item._matching(lines.lead_id)
            done |= lines.filtered(lambda ln, matching=matching: ln.lead_id in matching)
        return done

    def write(self, vals):
        if OVERRIDE_FIELDS & set(vals) and not self.env.su:
            if not self.env.user.has_group("sales_consultant_regulation.group_supervisor"):
                raise AccessError(self.env._("Only a supervisor or a manager may override a checklist item (R4)."))
        if "checked" in vals:
            automatic = self.filtered("is_automatic")
            if automatic and vals["checked"]:
                raise UserError(
                    self.env._(
                        'The item "%(item)s" is checked automatically from the lead\'s data; '
                        "fill in the data instead of ticking it.",
                        item=automatic[0].name,
                    )
                )
            if vals["checked"]:
                vals.update(checked_user_id=self.env.uid, checked_date=fields.Datetime.now())
            else:
                vals.update(checked_user_id=False, checked_date=False)
        return super().write(vals)
