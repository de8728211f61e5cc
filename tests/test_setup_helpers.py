"""setup/ helpers that need no Odoo: demo logins come from the demo data, the log scan."""

import importlib.machinery
import importlib.util
from pathlib import Path

import scrlib


def _load_test_script():
    path = Path(scrlib.__file__).with_name("test")
    loader = importlib.machinery.SourceFileLoader("scr_setup_test", str(path))
    spec = importlib.util.spec_from_loader("scr_setup_test", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_demo_logins_come_from_demo_data():
    rows = scrlib.demo_logins()
    logins = {login: group for login, _pwd, _name, group in rows}
    assert logins["manager.chang"] == "group_regulation_manager"
    assert logins["supervisor.lin"] == "group_supervisor"
    assert sorted(k for k, v in logins.items() if v == "group_consultant") == [
        "consultant.chen",
        "consultant.huang",
        "consultant.wang",
    ]
    assert all(pwd for _login, pwd, _name, _group in rows)


def test_log_scan_flags_errors_and_addon_warnings_only():
    setup_test = _load_test_script()
    log = "\n".join(
        [
            "2026-11-29 02:00:00,000 1 INFO db odoo.modules.loading: loading 1 modules...",
            "2026-11-29 02:00:00,000 1 WARNING db odoo.addons.base.models.ir_model: unrelated core warning",
            "2026-11-29 02:00:00,000 1 WARNING db odoo.fields: Field sale.incentive.plan.x: unknown parameter",
            "2026-11-29 02:00:00,000 1 ERROR db odoo.sql_db: bad query",
            "2026-11-29 02:00:00,000 1 WARNING db odoo.addons.sales_consultant_regulation.models: x",
        ]
    )
    bad = setup_test.scan_log(log)
    assert len(bad) == 3
    assert "unrelated core warning" not in "\n".join(bad)


def test_quote_refuses_odd_database_names():
    assert scrlib._quote("scr_test_1") == "scr_test_1"
    try:
        scrlib._quote("x'; drop")
    except scrlib.SetupError as exc:
        assert "unusual database name" in str(exc)
    else:
        raise AssertionError("an odd name was accepted")
