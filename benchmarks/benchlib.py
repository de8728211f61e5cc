"""What the benchmark scripts share: their command line, an environment whose work is rolled
back, and the two measures (queries and seconds) they print against their baselines."""

import argparse
import logging
import statistics
import time

import odoo
import odoo.sql_db
import odoo.tools
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

# Chatter tracking and creation notes are left out of the data the benchmarks build.
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


def parser(doc):
    """An argument parser with the options every benchmark takes (-c, -d)."""
    result = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    result.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    result.add_argument("-d", "--database", required=True, help="database with the addon installed")
    return result


def run_rolled_back(args, function, context=QUIET):
    """Call ``function(env)`` as the superuser in one transaction, rolled back at the end:
    a benchmark leaves the database as it found it."""
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    logging.getLogger("odoo").setLevel(logging.WARNING)
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, dict(context))
        try:
            return function(env)
        finally:
            cr.rollback()
            print("rolled back")


def two_sizes(size):
    """A tenth of ``size`` and ``size``: how a measure grows from one to the other."""
    return [max(size // 10, 1), size]


def queries():
    return odoo.sql_db.sql_counter


def measure(env, function):
    """(queries, seconds, result) of one call, caches emptied before and writes flushed after."""
    env.flush_all()
    env.invalidate_all()
    q0, t0 = queries(), time.perf_counter()
    result = function()
    env.flush_all()
    return queries() - q0, time.perf_counter() - t0, result


def timed(env, function, repeat):
    """(best seconds, median seconds, queries of the last run) of ``repeat`` calls."""
    times = []
    count = 0
    for _index in range(repeat):
        env.invalidate_all()
        q0, t0 = queries(), time.perf_counter()
        function()
        times.append(time.perf_counter() - t0)
        count = queries() - q0
    return min(times), statistics.median(times), count
