# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrderChecklistLine(models.Model):
    """One point of an order's contract review (R4.6, R2.4): price and discounts, delivery
    terms, payment terms, liability, customer legal identity, signed contract."""

    _name = "sale.order.checklist.line"
    _description = "Contract Review Line"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True)
    item_id = fields.Many2one(
        "crm.stage.checklist.item",
        required=True,
        ondelete="restrict",
        domain=[("scope", "=", "contract_review")],
    )
    name = fields.Char(related="item_id.name")
    guidance = fields.Text(related="item_id.guidance")
    clause = fields.Char(related="item_id.clause")
    sequence = fields.Integer(related="item_id.sequence", store=True)
    required = fields.Boolean(related="item_id.required")
    is_automatic = fields.Boolean(related="item_id.is_automatic")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="order_id.user_id", string="Salesperson", store=True, index=True)
    checked = fields.Boolean(string="Ticked")
    checked_user_id = fields.Many2one("res.users", string="Ticked By", readonly=True)
    checked_date = fields.Datetime(string="Ticked On", readonly=True)
    note = fields.Char()
    done = fields.Boolean(compute="_compute_done")

    _sql_constraints = [
        ("order_item_unique", "unique(order_id, item_id)", "An order has each review item once."),
    ]

    @api.depends("checked", "item_id.check_domain", "order_id.signature", "order_id.signed_contract")
    def _compute_done(self):
        done = self._done_lines()
        for line in self:
            line.done = line in done

    def _done_lines(self):
        done = self.filtered(lambda ln: ln.checked and not ln.is_automatic)
        automatic = self.filtered("is_automatic")
        for item in automatic.item_id:
            lines = automatic.filtered(lambda ln, item=item: ln.item_id == item)
            matching = item._matching(lines.order_id)
            done |= lines.filtered(lambda ln, matching=matching: ln.order_id in matching)
        return done

    def write(self, vals):
        if "checked" in vals:
            if vals["checked"] and self.filtered("is_automatic"):
                raise UserError(
                    self.env._(
                        'The review item "%(item)s" is checked automatically from the order; complete the '
                        "order instead of ticking it.",
                        item=self.filtered("is_automatic")[0].name,
                    )
                )
            if self.order_id.filtered(lambda o: o.review_state == "passed"):
                raise UserError(self.env._("The contract review is passed: reset it before changing its lines."))
            if vals["checked"]:
                vals.update(checked_user_id=self.env.uid, checked_date=fields.Datetime.now())
            else:
                vals.update(checked_user_id=False, checked_date=False)
        return super().write(vals)
