# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R4.4 to R4.6 and R2.4 on quotations: the written proposal, the contract review and its reviewer,
the signed contract and the discount approval, enforced on confirmation."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import is_html_empty

from ..tools import stage_gate
from .base import workflow_step


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # R4.4 the written proposal
    proposal_configuration = fields.Html(string="Product Configuration", help="R4.4: the configuration proposed.")

    proposal_service_commitments = fields.Html(string="Service Commitments", help="R4.4: what the company commits to.")

    proposal_price_structure = fields.Html(string="Price Structure", help="R4.4: how the price is built.")

    proposal_complete = fields.Boolean(
        compute="_compute_proposal_complete",
        store=True,
        help="R4.4: the written proposal has its product configuration, price structure, service "
        "commitments and delivery date; a regulated quotation is sent only then.",
    )

    # R4.6 / R2.4 contract review
    review_line_ids = fields.One2many("sale.order.checklist.line", "order_id", string="Contract Review")

    review_state = fields.Selection(
        [("to_review", "To Review"), ("passed", "Review Passed")],
        default="to_review",
        required=True,
        copy=False,
        tracking=True,
        readonly=True,
    )

    reviewer_id = fields.Many2one("res.users", copy=False, readonly=True, tracking=True)

    review_date = fields.Datetime(copy=False, readonly=True)

    signed_contract = fields.Binary(attachment=True, copy=False, help="The contract signed by the customer (R4.6).")

    signed_contract_filename = fields.Char(copy=False)

    contract_signed = fields.Boolean(
        compute="_compute_contract_signed", help="A signed contract is attached or the customer signed online."
    )

    discount_max = fields.Float(compute="_compute_discount_max", digits="Discount")

    discount_limit = fields.Float(related="company_id.regulation_discount_limit")

    discount_approval_required = fields.Boolean(compute="_compute_discount_max")

    discount_approved_by_id = fields.Many2one("res.users", copy=False, readonly=True, tracking=True)

    discount_approved_max = fields.Float(copy=False, readonly=True, digits="Discount")

    @api.depends(
        "proposal_configuration", "proposal_price_structure", "proposal_service_commitments", "commitment_date"
    )
    def _compute_proposal_complete(self):
        for order in self:
            order.proposal_complete = not order._proposal_missing_parts()

    def _proposal_missing_parts(self):
        """R4.4: the parts of the written proposal this order still lacks, as labels."""
        self.ensure_one()
        missing = [
            self._fields[name]._description_string(self.env)
            for name in ("proposal_configuration", "proposal_price_structure", "proposal_service_commitments")
            if is_html_empty(self[name])
        ]
        if not self.commitment_date:
            missing.append(self.env._("Delivery Time (the committed delivery date)"))
        return missing

    def _check_proposal_parts(self):
        """R4.4: a regulated quotation is sent only as a complete written proposal."""
        problems = []
        for order in self.filtered("regulation_enabled"):
            missing = order._proposal_missing_parts()
            if missing:
                problems.append(
                    self.env._(
                        'R4.4 written proposal: the quotation "%(order)s" cannot be sent; it still needs: %(missing)s.',
                        order=order.display_name,
                        missing=", ".join(missing),
                    )
                )
        if problems:
            raise ValidationError("\n".join(problems))

    def action_quotation_send(self):
        self.filtered(lambda o: o.state in ("draft", "sent"))._check_proposal_parts()
        return super().action_quotation_send()

    @api.depends("signed_contract", "signature")
    def _compute_contract_signed(self):
        for order in self:
            order.contract_signed = bool(order.signed_contract or order.signature)

    @api.depends("order_line.discount", "order_line.display_type", "company_id.regulation_discount_limit")
    def _compute_discount_max(self):
        for order in self:
            discounts = [line.discount for line in order.order_line if not line.display_type]
            order.discount_max = max(discounts, default=0.0)
            order.discount_approval_required = bool(
                order.regulation_enabled
                and stage_gate.exceeds_limit(discounts, order.company_id.regulation_discount_limit)
            )

    def _review_ensure_lines(self):
        orders = self.filtered(lambda o: o.regulation_enabled and o.state in ("draft", "sent"))
        if not orders:
            return
        items = self.env["crm.stage.checklist.item"].search([("scope", "=", "contract_review")])
        if not items:
            return
        existing = {(line.order_id.id, line.item_id.id) for line in orders.review_line_ids}
        vals_list = [
            {"order_id": order.id, "item_id": item.id}
            for order in orders
            for item in items
            if (order.id, item.id) not in existing
        ]
        if vals_list:
            self.env["sale.order.checklist.line"].create(vals_list)

    @workflow_step
    def _review_tick_manual_items(self):
        """Tick every manual review item (demo data and tests)."""
        self._review_ensure_lines()
        self.review_line_ids.filtered(lambda line: not line.is_automatic and not line.checked).write({"checked": True})

    def _review_missing_items(self):
        self.ensure_one()
        required = self.review_line_ids.filtered("required")
        return required - required._done_lines()

    def _confirmation_blockers(self):
        """What a regulated order still lacks before it may be confirmed (R4.6, R2.4)."""
        self.ensure_one()
        missing = []
        if self.review_state != "passed" or not self.reviewer_id:
            missing.append(self.env._("a contract review passed by a supervisor or manager"))
        elif self.reviewer_id == self.user_id:
            missing.append(self.env._("a reviewer other than the order's own salesperson"))
        missing.extend(
            self.env._("review item: %(item)s", item=line.item_id._blocking_label())
            for line in self._review_missing_items()
        )
        if not self.contract_signed:
            missing.append(self.env._("a signed contract attached, or the customer's online signature"))
        if self.discount_approval_required and (
            not self.discount_approved_by_id or self.discount_approved_max < self.discount_max
        ):
            missing.append(
                self.env._(
                    "a supervisor's approval of the %(discount)s%% discount (limit %(limit)s%%)",
                    discount=self.discount_max,
                    limit=self.discount_limit,
                )
            )
        return missing

    def _check_confirmation_allowed(self):
        problems = []
        for order in self.filtered("regulation_enabled"):
            missing = order._confirmation_blockers()
            if missing:
                listed = "\n".join(f"  - {m}" for m in missing)
                problems.append(
                    self.env._(
                        'R4.6 contract review: the order "%(order)s" cannot be confirmed; it still needs:\n%(missing)s',
                        order=order.display_name,
                        missing=listed,
                    )
                )
        if problems:
            raise ValidationError("\n\n".join(problems))

    def action_confirm(self):
        self.filtered("regulation_enabled")._regulation_try_lock(
            self.env._("R4.6: this quotation is being confirmed by someone else; try again in a moment."), "confirm"
        )
        # A customer signing online (portal) before the review is done: keep the signature,
        # leave the order for the reviewer instead of failing the customer's page.
        if self.env.user.share or self.env.user._is_public():
            waiting = self.filtered(lambda o: o.regulation_enabled and o._confirmation_blockers())
            for order in waiting:
                order.message_post(
                    body=self.env._("The customer signed online; the order waits for its contract review (R4.6)."),
                    subtype_xmlid="mail.mt_note",
                )
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Contract review, then confirm"),
                    user_id=order.user_id.id or self.env.uid,
                )
            return super(SaleOrder, self - waiting).action_confirm() if self - waiting else True
        return super().action_confirm()

    def _check_reviewer(self, what):
        user = self.env.user
        if not user.has_group("sales_consultant_regulation.group_supervisor"):
            raise AccessError(self.env._("Only a supervisor or a manager may %(what)s (R4.6).", what=what))
        for order in self:
            # sudo: who shares the order's credit, to keep beneficiaries from approving their own deal
            if order.user_id == user or user in order.sudo().consultant_share_ids.user_id:
                raise AccessError(
                    self.env._(
                        'You are the salesperson of "%(order)s": another supervisor or manager must %(what)s.',
                        order=order.display_name,
                        what=what,
                    )
                )

    @workflow_step
    def action_review_pass(self):
        self._check_reviewer(self.env._("pass a contract review"))
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(self.env._("Only quotations are reviewed."))
            order._review_ensure_lines()
            missing = order._review_missing_items()
            if missing:
                listed = "\n".join(f"  - {line.item_id._blocking_label()}" for line in missing)
                raise ValidationError(
                    self.env._(
                        'The contract review of "%(order)s" cannot pass; these items are not done:\n%(items)s',
                        order=order.display_name,
                        items=listed,
                    )
                )
        # sudo: review fields are readonly for consultants; the reviewer's rights were checked above
        self.sudo().write({"review_state": "passed", "reviewer_id": self.env.uid, "review_date": fields.Datetime.now()})
        return True

    def action_review_reset(self):
        self._review_reset(self.env._("reset by %(user)s", user=self.env.user.name))
        return True

    @workflow_step
    def _review_reset(self, why):
        passed = self.filtered(lambda o: o.review_state == "passed" and o.state in ("draft", "sent"))
        # sudo: resetting only lowers the order's status; anyone who may edit the order may do it
        passed.sudo().write({"review_state": "to_review", "reviewer_id": False, "review_date": False})
        for order in passed:
            order.message_post(
                body=self.env._("Contract review reset: %(why)s.", why=why), subtype_xmlid="mail.mt_note"
            )

    @workflow_step
    def action_approve_discount(self):
        self._check_reviewer(self.env._("approve a discount above the limit"))
        for order in self:
            # sudo: approval fields are readonly for consultants; rights checked above
            order.sudo().write({"discount_approved_by_id": self.env.uid, "discount_approved_max": order.discount_max})
        return True
