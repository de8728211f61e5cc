"""The repository's own docs: the regulation page lists every clause the addon ships, and
nothing in the repository points outside it."""

import re
import subprocess

from conftest import REPO
from test_traceability_data import shipped_clauses

REGULATION_DOC = REPO / "docs" / "regulation.md"
# Paths a clone of this repository does not have: a checkout beside it, or this machine.
OUTSIDE = re.compile(r"\.\./shared|/work/|REGULATION\.md|DESIGN\.md|STYLE\.md|DESIGN principle|DESIGN \"")


def doc_clause_codes(text):
    return set(re.findall(r"^### (R\d+\.\d+) ", text, flags=re.M))


def test_regulation_doc_lists_every_shipped_clause(addon_dir):
    shipped = set(shipped_clauses(addon_dir))
    documented = doc_clause_codes(REGULATION_DOC.read_text(encoding="utf-8"))
    assert shipped, "no clause found in the shipped data"
    assert documented == shipped, (
        f"docs/regulation.md: missing {sorted(shipped - documented)}, unknown {sorted(documented - shipped)}"
    )


def test_doc_clause_codes_detects_a_missing_clause():
    text = "## R4\n\n### R4.1 Reception\n\ntext\n\n### R4.2 Needs analysis\n"
    assert doc_clause_codes(text) == {"R4.1", "R4.2"}
    assert doc_clause_codes(text.replace("### R4.2", "R4.2")) == {"R4.1"}


def test_nothing_refers_outside_the_repository():
    files = subprocess.run(
        ["git", "ls-files", "--", ":!*.po", ":!*.pot", ":!tests/test_docs.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    hits = []
    for name in files:
        path = REPO / name
        if path.suffix not in {".md", ".py", ".xml", ".rst", ".txt", ".toml", ".cfg", ""} or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                hits.append(f"{name}:{number}: {line.strip()}")
    assert not hits, "lines pointing outside the repository:\n" + "\n".join(hits)


def test_muted_loggers_of_the_addon_exist(addon_dir):
    """A test that mutes one of the addon's loggers names a module that exists and logs: after a
    file is split or moved, a stale name would let the log lines through and fail the install
    check."""
    pattern = re.compile(r"odoo\.addons\.sales_consultant_regulation\.([\w.]+)")
    stale = []
    for path in sorted((addon_dir / "tests").glob("test_*.py")):
        for name in pattern.findall(path.read_text(encoding="utf-8")):
            module = addon_dir.joinpath(*name.split("."))
            source = module.with_suffix(".py")
            if not (source.is_file() and "_logger." in source.read_text(encoding="utf-8")) and not module.is_dir():
                stale.append(f"{path.name}: {name}")
    assert not stale, f"loggers of modules that do not exist: {stale}"
