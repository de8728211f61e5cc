# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        # R9.3: Odoo deletes a done activity unless its type keeps done ones. An overdue activity
        # of a regulated consultant is archived instead, so "finished late" stays countable
        # (date_done after date_deadline), exactly as for the types that keep done activities.
        late = self._regulation_late_to_keep()
        activities = self.with_context(regulation_keep_activity_ids=late.ids) if late else self
        return super(MailActivity, activities)._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _regulation_late_to_keep(self):
        overdue = self.filtered(lambda a: a.state == "overdue" and a.user_id and not a.activity_type_id.keep_done)
        if not overdue:
            return overdue
        Employee = self.env["hr.employee"]
        # sudo: deciding the scope reads the assignees' employees and team memberships
        regulated_users = (
            Employee.sudo().search([("user_id", "in", overdue.user_id.ids), *Employee._regulation_attendance_domain()])
        ).user_id
        return overdue.filtered(lambda a: a.user_id in regulated_users)

    def unlink(self):
        keep_ids = set(self.env.context.get("regulation_keep_activity_ids") or ())
        keep = self.filtered(lambda a: a.id in keep_ids and a.active)
        if keep:
            # sudo: the assignee marked the activity done (_action_done checked it); archiving
            # only keeps its trace for the R9.3 figures
            keep.sudo().action_archive()
        return super(MailActivity, self - keep).unlink()
