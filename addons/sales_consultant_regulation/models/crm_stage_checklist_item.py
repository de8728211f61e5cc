# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

REGULATION_STEPS = [
    ("reception", "Reception (R4.1)"),
    ("needs_analysis", "Needs Analysis (R4.2)"),
    ("presentation", "Product Presentation (R4.3)"),
    ("proposal", "Proposal (R4.4)"),
    ("negotiation", "Negotiation (R4.5)"),
    ("contract", "Contract Signing (R4.6)"),
    ("won", "Won"),
]


class CrmStageChecklistItem(models.Model):
    """One thing a consultant must (required) or should (advisory) do at a step of the sales
    process (R4.1-R4.6), or one point of the contract review of an order (R4.6, R2.4).

    Items on a stage gate the leads of regulated teams in that stage. Items with no stage but a
    regulation step are the shipped template a manager applies to a team; items of the
    contract review scope are copied onto each order of a regulated team.
    """

    _name = "crm.stage.checklist.item"
    _description = "Sales Process Checklist Item"
    _order = "scope, stage_id, template_step, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    scope = fields.Selection(
        [("stage", "Lead Stage"), ("contract_review", "Contract Review")],
        required=True,
        default="stage",
        help="Lead Stage: the item gates leads leaving its stage. Contract Review: the item is "
        "checked on each order before it may be confirmed.",
    )
    stage_id = fields.Many2one("crm.stage", ondelete="cascade", index=True)
    template_step = fields.Selection(
        REGULATION_STEPS,
        string="Regulation Step",
        help="The step of the regulation's sales process the item belongs to. Items with a step "
        "and no stage are the template applied to sales teams.",
    )
    template_item_id = fields.Many2one(
        "crm.stage.checklist.item",
        string="Copied From",
        ondelete="set null",
        readonly=True,
        index="btree_not_null",
    )
    guidance = fields.Text(translate=True, help="What the consultant does to complete the item.")
    required = fields.Boolean(
        default=True,
        help="Required items block the lead (or the order) until done; advisory items are "
        "shown and measured but do not block.",
    )
    clause = fields.Char(help="The regulation clause the item serves, e.g. R4.2.")
    check_domain = fields.Char(
        string="Automatic Check",
        help="A domain on the lead (or on the order for contract review items). When set, the "
        "item is ticked by itself whenever the record matches it, and cannot be ticked by hand.",
    )
    check_model = fields.Char(compute="_compute_check_model", help="The model the automatic check applies to.")
    is_automatic = fields.Boolean(compute="_compute_is_automatic", store=True)
    is_template = fields.Boolean(compute="_compute_is_template", store=True)

    @api.depends("scope")
    def _compute_check_model(self):
        for item in self:
            item.check_model = "sale.order" if item.scope == "contract_review" else "crm.lead"

    @api.depends("check_domain")
    def _compute_is_automatic(self):
        for item in self:
            item.is_automatic = bool(item.check_domain and item.check_domain.strip() not in ("", "[]"))

    @api.depends("stage_id", "scope")
    def _compute_is_template(self):
        for item in self:
            item.is_template = item.scope == "contract_review" or not item.stage_id

    @api.constrains("scope", "stage_id", "template_step")
    def _check_anchor(self):
        for item in self:
            if item.scope == "stage" and not item.stage_id and not item.template_step:
                raise ValidationError(
                    self.env._(
                        'Checklist item "%(item)s" needs a stage, or a regulation step to serve as template.',
                        item=item.name,
                    )
                )
            if item.scope == "contract_review" and item.stage_id:
                raise ValidationError(
                    self.env._('Contract review item "%(item)s" cannot belong to a lead stage.', item=item.name)
                )

    @api.constrains("check_domain", "scope")
    def _check_domain_valid(self):
        for item in self.filtered("is_automatic"):
            model = item.check_model
            try:
                domain = item._get_check_domain()
                self.env[model].search_count(domain, limit=1)
            except Exception as exc:
                raise ValidationError(
                    self.env._(
                        'The automatic check of "%(item)s" is not a valid domain on %(model)s: %(error)s',
                        item=item.name,
                        model=model,
                        error=exc,
                    )
                ) from exc

    def _get_check_domain(self):
        self.ensure_one()
        return safe_eval(self.check_domain or "[]", {"context": self.env.context, "uid": self.env.uid})

    def _matching(self, records):
        """The records among ``records`` for which this automatic item is done: one
        filtered_domain per item, whatever the number of records."""
        self.ensure_one()
        if not self.is_automatic or not records:
            return records.browse()
        return records.filtered_domain(self._get_check_domain())

    def _blocking_label(self):
        self.ensure_one()
        label = self.name
        if self.clause:
            label = f"{label} ({self.clause})"
        return label

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._regulation_check_vals(vals, create=True)
        items = super().create(vals_list)
        # Leads already in the stage get the new item on their checklist at once.
        items.filtered(lambda i: i.scope == "stage" and i.stage_id)._create_lines_for_current_leads()
        return items

    def write(self, vals):
        self._regulation_check_vals(vals)
        res = super().write(vals)
        if "stage_id" in vals:
            self.filtered(lambda i: i.scope == "stage" and i.stage_id)._create_lines_for_current_leads()
        return res

    def _create_lines_for_current_leads(self):
        if not self:
            return
        leads = self.env["crm.lead"].search(
            [("stage_id", "in", self.stage_id.ids), ("team_id.regulation_enabled", "=", True)]
        )
        leads._checklist_ensure_lines()
