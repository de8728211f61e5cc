# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R8.4 training figures that need no ORM."""


def rate(part, whole):
    """``part`` out of ``whole`` in percent, 0 when there is nothing to count."""
    return 100.0 * part / whole if whole else 0.0


def passed(score, pass_mark, attended=True):
    """An attendee passes with a score at or above the pass mark; an absent one does not."""
    return bool(attended) and score is not None and score >= pass_mark
