# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    regulation_discount_limit = fields.Float(
        string="Discount Limit (%)",
        default=10.0,
        help="R4.6: a regulated order with a line discount above this needs a supervisor's approval "
        "before it is confirmed.",
    )

    # R9.1 attendance and daily rules
    regulation_attendance_grace = fields.Integer(
        string="Attendance Grace (minutes)",
        default=5,
        help="R9.1: lateness or early leave up to this many minutes is forgiven; beyond it, it counts in full.",
    )
    regulation_retroactive_leave = fields.Selection(
        [("warn", "Warn"), ("refuse", "Refuse unless a supervisor submits it")],
        string="Time Off Requested Late",
        default="warn",
        required=True,
        help="R9.1: time off is requested before it starts. Warn: a consultant may still submit a request "
        "that starts before today; it is marked retroactive and counted. Refuse: only a supervisor or a "
        "time off officer may submit it.",
    )
    regulation_alert_late = fields.Integer(
        string="Alert at Lateness",
        default=3,
        help="R9.1: the supervisor is alerted when a consultant is late this many times in a month (0: never).",
    )
    regulation_alert_early_leave = fields.Integer(
        string="Alert at Early Leaves",
        default=3,
        help="R9.1: the supervisor is alerted at this many early leaves in a month (0: never).",
    )
    regulation_alert_absence = fields.Integer(
        string="Alert at Absences",
        default=1,
        help="R9.1: the supervisor is alerted at this many unexcused absences in a month (0: never).",
    )
    regulation_alert_retroactive_leave = fields.Integer(
        string="Alert at Retroactive Time Off",
        default=2,
        help="R9.1: the supervisor is alerted at this many time off requests submitted after they started "
        "in a month (0: never).",
    )

    def _regulation_alert_thresholds(self):
        """{figure: threshold} of the company (R9.1 discipline alerts)."""
        self.ensure_one()
        return {
            "late": self.regulation_alert_late,
            "early_leave": self.regulation_alert_early_leave,
            "absence": self.regulation_alert_absence,
            "retroactive_leave": self.regulation_alert_retroactive_leave,
        }
