"""Plain tests: they import the project's pure modules by path and need no Odoo."""

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDON = REPO / "addons" / "sales_consultant_regulation"
sys.path.insert(0, str(REPO / "setup"))


def load_pure(relpath):
    """Import one of the addon's pure modules (no odoo import) by its path."""
    path = ADDON / relpath
    name = "scr_pure_" + path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def addon_dir():
    return ADDON
