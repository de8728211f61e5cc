# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R6.4 honours of a closed period: the Sales Champion and the Best Sales Consultant, granted once
and announced."""

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import format_date

from ..tools import appraisal_scores
from .base import workflow_step


class SaleAppraisalPeriod(models.Model):
    _inherit = "sale.appraisal.period"

    honours_granted = fields.Boolean(string="Honours Announced", readonly=True, copy=False)

    champion_user_id = fields.Many2one("res.users", string="Sales Champion", readonly=True, copy=False)

    best_user_id = fields.Many2one("res.users", string="Best Sales Consultant", readonly=True, copy=False)

    honour_badge_user_ids = fields.Many2many(
        "gamification.badge.user", string="Honours Granted", readonly=True, copy=False
    )

    @workflow_step
    def _check_all_approved(self):
        for period in self:
            appraisals = period.appraisal_ids.sudo()
            if appraisals and all(a.state == "approved" for a in appraisals) and not period.honours_granted:
                period._grant_honours()

    @workflow_step
    def _grant_honours(self):
        """Grant the Sales Champion (highest sales amount) and the Best Sales Consultant (highest
        total score) badges of the period, once, and announce them to the company (R6.4)."""
        self.ensure_one()
        if self.honours_granted:
            return
        appraisals = self.appraisal_ids.sudo()
        by_user = {a.user_id.id: a for a in appraisals}
        champion = appraisal_scores.winner([(a.user_id.id, a.amount, a.total_score) for a in appraisals])
        best = appraisal_scores.winner([(a.user_id.id, a.total_score, a.amount) for a in appraisals])
        company = self.company_id
        titles = [
            (
                champion,
                company.appraisal_champion_badge_id
                or self.env.ref("sales_consultant_regulation.badge_sales_champion", raise_if_not_found=False),
                "champion_user_id",
            ),
            (
                best,
                company.appraisal_best_badge_id
                or self.env.ref("sales_consultant_regulation.badge_best_consultant", raise_if_not_found=False),
                "best_user_id",
            ),
        ]
        BadgeUser = self.env["gamification.badge.user"].sudo()  # granted by the regulation, not by a user
        badge_users = BadgeUser
        vals = {"honours_granted": True}
        lines = []
        for user_id, badge, field in titles:
            if not user_id or not badge:
                continue
            appraisal = by_user[user_id]
            badge_user = BadgeUser.create(
                {
                    "user_id": user_id,
                    "badge_id": badge.id,
                    "sender_id": self.env.uid,
                    "comment": self.env._("%(title)s of %(period)s", title=badge.name, period=self.name),
                }
            )
            badge_users |= badge_user
            vals[field] = user_id
            amount, score = format(appraisal.amount, ",.0f"), format(appraisal.total_score, ".1f")
            lines.append(
                self.env._(
                    "%(title)s: %(user)s (sales %(amount)s, score %(score)s)",
                    title=badge.name,
                    user=appraisal.user_id.name,
                    amount=amount,
                    score=score,
                )
            )
        vals["honour_badge_user_ids"] = [fields.Command.set(badge_users.ids)]
        # sudo: the honours are the system's record of the period
        self.sudo().write(vals)
        badge_users._send_badge()
        if lines:
            self._announce_honours(lines)

    def _announce_honours(self, lines):
        """Post the honours on the period and in the company's announcement channel (R6.4)."""
        self.ensure_one()
        dates = format_date(self.env, self.date_from) + " - " + format_date(self.env, self.date_to)
        title = self.env._(
            "Honours of %(period)s (%(dates)s)",
            period=self.name,
            dates=dates,
        )
        body = Markup("<p><b>%s</b></p><ul>%s</ul>") % (
            title,
            Markup("").join(Markup("<li>%s</li>") % line for line in lines),
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_comment")
        channel = self.company_id.appraisal_channel_id
        if channel:
            # sudo: the announcement is the company's, posted whatever the approver's channels
            channel.sudo().message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_comment")
