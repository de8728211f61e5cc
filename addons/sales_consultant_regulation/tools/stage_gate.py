# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The stage gate's arithmetic (R4.1-R4.6), free of the ORM so it is tested without Odoo.

A pipeline is the ordered list of the stage ids a lead's team sees. Moving a lead forward passes
every stage from the one it leaves up to (not including) the one it enters; a won stage is
entered only after every ordinary stage before it was passed. Moving backwards, or sideways
into the same stage, passes nothing.
"""


def passed_stages(pipeline, old_stage, new_stage, won_stages=()):
    """Ids of the stages a lead passes when it moves from old_stage to new_stage.

    :param pipeline: stage ids in pipeline order (sequence, name, id)
    :param old_stage: id of the stage the lead leaves, or None for a new lead (which
        passes every stage before the one it is created in)
    :param new_stage: id of the stage the lead enters
    :param won_stages: ids of won stages; they are never passed, only entered
    """
    won_stages = set(won_stages)
    if new_stage not in pipeline:
        return []
    new_pos = pipeline.index(new_stage)
    if old_stage is None:
        old_pos = 0
    elif old_stage in pipeline:
        old_pos = pipeline.index(old_stage)
    else:
        # A stage outside the team's pipeline: treat the move as starting at the beginning.
        old_pos = 0
    if new_pos <= old_pos:
        return []
    return [stage for stage in pipeline[old_pos:new_pos] if stage not in won_stages]


def progress(done, total):
    """Percent of items done, 100 when there is nothing to do."""
    if not total:
        return 100.0
    return round(100.0 * min(done, total) / total, 1)


def exceeds_limit(discounts, limit):
    """The largest discount of an order when it is above the limit, else None (R4.6)."""
    top = max(discounts, default=0.0)
    return top if top > limit else None
