"""Static checks of an Odoo addon that need no Odoo: XML, manifest, access CSV and .po files.

Each check returns a list of problems (empty when clean), so that setup/test can report them
and the plain tests can prove each check catches what it is meant to catch.
"""

import ast
import csv
import hashlib
import re
from pathlib import Path

PRE_18 = [
    (re.compile(r"<tree[\s>/]"), "<tree> (use <list>)"),
    (re.compile(r"\battrs\s*="), "attrs= (use invisible=/readonly=/required= expressions)"),
    (re.compile(r"\bstates\s*="), "states= (use an invisible= expression)"),
    (re.compile(r"""view_mode["']?\s*>?[^<]*\btree\b"""), "view_mode with tree (use list)"),
]

MANIFEST_REQUIRED = ("name", "version", "license", "depends", "author", "installable")


def _rel(path, root):
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)


def check_xml(addon):
    """Every XML file parses and uses no pre-18 view constructs."""
    from lxml import etree  # a test tool: setup/test says how to install it when missing

    problems = []
    for path in sorted(Path(addon).rglob("*.xml")):
        text = path.read_text(encoding="utf-8")
        try:
            etree.fromstring(text.encode("utf-8"))
        except etree.XMLSyntaxError as exc:
            problems.append(f"{_rel(path, addon)}: not well-formed: {exc}")
            continue
        # Comments may mention the old syntax; the markup may not.
        stripped = re.sub(r"<!--.*?-->", "", text, flags=re.S)
        for lineno, line in enumerate(stripped.splitlines(), 1):
            for pattern, label in PRE_18:
                if pattern.search(line):
                    problems.append(f"{_rel(path, addon)}:{lineno}: pre-18 construct {label}")
    return problems


def read_manifest(addon):
    return ast.literal_eval((Path(addon) / "__manifest__.py").read_text(encoding="utf-8"))


def check_manifest(addon):
    """Keys, version, and that data files listed exist and existing data files are listed."""
    addon = Path(addon)
    problems = []
    try:
        manifest = read_manifest(addon)
    except (OSError, SyntaxError, ValueError) as exc:
        return [f"__manifest__.py unreadable: {exc}"]
    for key in MANIFEST_REQUIRED:
        if key not in manifest:
            problems.append(f"__manifest__.py: missing key {key!r}")
    if "description" in manifest:
        problems.append("__manifest__.py: has a 'description' key (use readme/DESCRIPTION.md)")
    if not re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", str(manifest.get("version", ""))):
        problems.append(f"__manifest__.py: version {manifest.get('version')!r} is not 18.0.x.y.z")
    listed = []
    for key in ("data", "demo"):
        for rel in manifest.get(key, []):
            listed.append(rel)
            if not (addon / rel).is_file():
                problems.append(f"__manifest__.py: {key} file {rel} does not exist")
    if len(listed) != len(set(listed)):
        problems.append("__manifest__.py: a data or demo file is listed twice")
    for folder in ("data", "demo", "security", "views", "wizards", "report"):
        for path in sorted((addon / folder).glob("*")):
            if path.suffix in (".xml", ".csv") and _rel(path, addon) not in listed:
                problems.append(f"{_rel(path, addon)}: not listed in the manifest")
    return problems


def declared_models(addon):
    """Model names the addon declares with _name (new models), abstract ones left out:
    they have no table and take no access rows. A class whose _inherit names its own _name
    (``_name = "crm.lead"; _inherit = ["crm.lead", "a.mixin"]``) extends a model, it does not
    declare one."""
    names = set()
    for path in Path(addon).rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(base) for base in node.bases}
            if bases & {"models.AbstractModel", "AbstractModel"}:
                continue
            attrs = {}
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                    try:
                        attrs[stmt.targets[0].id] = ast.literal_eval(stmt.value)
                    except ValueError:
                        continue
            name = attrs.get("_name")
            if not isinstance(name, str):
                continue
            inherit = attrs.get("_inherit") or []
            inherit = [inherit] if isinstance(inherit, str) else list(inherit)
            if name not in inherit:
                names.add(name)
    return names


def declared_xmlids(addon):
    from lxml import etree  # a test tool: setup/test says how to install it when missing

    ids = set()
    for path in Path(addon).rglob("*.xml"):
        try:
            root = etree.parse(str(path)).getroot()
        except etree.XMLSyntaxError:
            continue
        for node in root.iter("record", "menuitem", "template"):
            if node.get("id"):
                ids.add(node.get("id"))
    return ids


def check_access_csv(addon, module):
    """ir.model.access.csv: header, unique ids, rows for every new model, known groups."""
    addon = Path(addon)
    path = addon / "security" / "ir.model.access.csv"
    if not path.is_file():
        return ["security/ir.model.access.csv is missing"]
    problems = []
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = ["id", "name", "model_id:id", "group_id:id", "perm_read", "perm_write", "perm_create", "perm_unlink"]
    if not rows or rows[0] != header:
        return [f"ir.model.access.csv: header must be {','.join(header)}"]
    models = declared_models(addon)
    xmlids = declared_xmlids(addon)
    seen, covered = set(), set()
    for lineno, row in enumerate(rows[1:], 2):
        if len(row) != len(header):
            problems.append(f"ir.model.access.csv:{lineno}: {len(row)} columns, expected {len(header)}")
            continue
        xid, _name, model_ref, group_ref, *perms = row
        if xid in seen:
            problems.append(f"ir.model.access.csv:{lineno}: duplicate id {xid}")
        seen.add(xid)
        if any(p not in ("0", "1") for p in perms):
            problems.append(f"ir.model.access.csv:{lineno}: permissions must be 0 or 1")
        model_local = model_ref.split(".", 1)[1] if "." in model_ref else model_ref
        if not model_local.startswith("model_"):
            problems.append(f"ir.model.access.csv:{lineno}: model id {model_ref} is not a model_ xml id")
        covered.add(model_local[len("model_") :])
        if "." not in model_ref or model_ref.startswith(module + "."):
            if model_local[len("model_") :] not in {m.replace(".", "_") for m in models}:
                problems.append(f"ir.model.access.csv:{lineno}: {model_ref} is not a model this addon declares")
        if group_ref and ("." not in group_ref or group_ref.startswith(module + ".")):
            if group_ref.split(".")[-1] not in xmlids:
                problems.append(f"ir.model.access.csv:{lineno}: group {group_ref} is not defined in this addon")
    for model in sorted(models):
        if model.replace(".", "_") not in covered:
            problems.append(f"ir.model.access.csv: no access row for model {model}")
    return problems


def check_po(addon):
    """Every .po/.pot parses, defines each message once (gettext refuses a duplicate; two
    merged branches adding the same term make one), and placeholders in translations match
    their source."""
    import polib

    problems = []
    i18n = Path(addon) / "i18n"
    files = sorted(i18n.glob("*.po")) + sorted(i18n.glob("*.pot"))
    placeholder = re.compile(r"%\([\w]+\)[sd]|%[sd]|\{[\w]*\}")
    for path in files:
        try:
            catalog = polib.pofile(str(path))
        except (OSError, ValueError) as exc:
            problems.append(f"{_rel(path, addon)}: does not parse: {exc}")
            continue
        seen = set()
        for entry in catalog:
            key = (entry.msgctxt, entry.msgid)
            if key in seen:
                problems.append(f"{_rel(path, addon)}: {entry.msgid[:60]!r} is defined twice")
            seen.add(key)
            if entry.msgstr and sorted(placeholder.findall(entry.msgid)) != sorted(placeholder.findall(entry.msgstr)):
                problems.append(f"{_rel(path, addon)}: placeholders differ in translation of {entry.msgid[:60]!r}")
    return problems


def check_translatable_calls(addon):
    """Translated calls (_(), env._(), _lt()) take a literal text and no f-string anywhere in
    their arguments: Odoo's term extraction (babel) evaluates their string tokens and fails on
    them, leaving the text untranslatable."""
    problems = []
    for path in sorted(Path(addon).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name not in ("_", "_lt"):
                continue
            where = f"{_rel(path, addon)}:{node.lineno}"
            if not node.args or not (isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                problems.append(f"{where}: the text of a translated call must be a literal string")
            values = list(node.args) + [kw.value for kw in node.keywords]
            if any(isinstance(sub, ast.JoinedStr) for value in values for sub in ast.walk(value)):
                problems.append(f"{where}: f-string in a translated call (format the value before the call)")
    return problems


def readme_source_digest(addon):
    """The digest oca-gen-addon-readme writes into README.rst: sha256 over the names and
    contents of the manifest and of readme/ (its files sorted, hidden ones left out)."""
    addon = Path(addon)
    digest = hashlib.sha256()
    paths = [addon / "__manifest__.py"] + sorted(
        (p for p in (addon / "readme").rglob("*") if p.is_file() and not p.name.startswith(".")),
        key=lambda p: p.relative_to(addon).parts,
    )
    for path in paths:
        digest.update(str(path.relative_to(addon)).encode("utf-8"))
        digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()


def check_readme_rst(addon):
    """README.rst is the one oca-gen-addon-readme generates from the current fragments."""
    readme = Path(addon) / "README.rst"
    if not readme.is_file():
        return ["README.rst is missing: generate it with oca-gen-addon-readme"]
    found = re.search(r"!! source digest: (sha256:\w+)", readme.read_text(encoding="utf-8"))
    if not found:
        return ["README.rst was not generated by oca-gen-addon-readme (no source digest)"]
    if found.group(1) != readme_source_digest(addon):
        return [
            "README.rst is older than readme/ or the manifest: regenerate it with oca-gen-addon-readme "
            "(see the README's Documentation section)"
        ]
    return []


# Translatable fields of the core models the addon's data and demo files fill (Odoo 18's
# ``translate=True`` fields); the addon's own are read from its models' source.
CORE_TRANSLATABLE = {
    "crm.stage": {"name"},
    "crm.team": {"name"},
    "gamification.badge": {"name", "description"},
    "hr.department": {"name"},
    "ir.actions.act_window": {"name", "help"},
    "ir.actions.report": {"name", "help"},
    "ir.actions.server": {"name", "help"},
    "ir.module.category": {"name", "description"},
    "ir.ui.menu": {"name"},
    "mail.activity.type": {"name", "summary", "default_note"},
    "mail.template": {"name", "subject", "body_html", "description"},
    "product.template": {"name", "description", "description_sale", "description_purchase"},
    "res.groups": {"name", "comment"},
    "survey.survey": {"title", "description", "description_done"},
    "survey.question": {"title", "description", "question_placeholder", "comments_message", "constr_error_msg"},
    "survey.question.answer": {"value"},
}
CHECKED_LANGS = ("zh_TW", "zh_CN")


def translatable_fields(addon):
    """{model: {field}}: CORE_TRANSLATABLE and the addon's own ``translate=True`` fields."""
    found = {model: set(names) for model, names in CORE_TRANSLATABLE.items()}
    for path in Path(addon).rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            model = None
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
                    if any(isinstance(t, ast.Name) and t.id == "_name" for t in stmt.targets):
                        model = stmt.value.value
                    elif model is None and any(isinstance(t, ast.Name) and t.id == "_inherit" for t in stmt.targets):
                        model = stmt.value.value
            if not isinstance(model, str):
                continue
            for stmt in node.body:
                if not (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call)):
                    continue
                translate = [kw for kw in stmt.value.keywords if kw.arg == "translate"]
                if translate and not (isinstance(translate[0].value, ast.Constant) and not translate[0].value.value):
                    for target in stmt.targets:
                        if isinstance(target, ast.Name):
                            found.setdefault(model, set()).add(target.id)
    return found


def _data_files(addon):
    manifest = read_manifest(addon)
    return [name for key in ("data", "demo") for name in manifest.get(key, []) if name.endswith(".xml")]


def user_visible_strings(addon, module):
    """(file, xmlid, model, field) of every text of the data and demo XML files that a user
    sees by name: the translatable fields of their records, menu names and action names."""
    from lxml import etree  # a test tool: setup/test says how to install it when missing

    fields = translatable_fields(addon)
    strings = []
    for name in _data_files(addon):
        path = Path(addon) / name
        root = etree.parse(str(path)).getroot()
        for node in root.iter("record", "menuitem"):
            xmlid = node.get("id")
            if not xmlid:
                continue
            xmlid = xmlid if "." in xmlid else f"{module}.{xmlid}"
            if node.tag == "menuitem":
                if node.get("name"):
                    strings.append((name, xmlid, "ir.ui.menu", "name"))
                continue
            model = node.get("model")
            for field in node.iterchildren("field"):
                fname = field.get("name")
                if fname not in fields.get(model, ()) or field.get("eval") or field.get("ref") or field.get("search"):
                    continue
                has_text = (field.text or "").strip() or len(field)
                if has_text:
                    strings.append((name, xmlid, model, fname))
    return strings


def check_data_translations(addon, module):
    """Every user-visible text of the data and demo files has a non-empty translation in
    zh_TW and zh_CN (an entry whose occurrence names the record and field)."""
    import polib

    problems = []
    i18n = Path(addon) / "i18n"
    catalogs = {}
    for lang in CHECKED_LANGS:
        path = i18n / f"{lang}.po"
        if not path.exists():
            problems.append(f"i18n/{lang}.po is missing")
            continue
        translated = {}
        for entry in polib.pofile(str(path)):
            for occurrence, _line in entry.occurrences:
                translated.setdefault(occurrence, []).append(bool(entry.msgstr.strip()) and not entry.obsolete)
        catalogs[lang] = translated
    for name, xmlid, model, fname in user_visible_strings(addon, module):
        # a whole value is exported as model:, the terms of an html/xml value as model_terms:
        occurrences = [f"{kind}:{model},{fname}:{xmlid}" for kind in ("model", "model_terms")]
        occurrence = occurrences[0]
        for lang, translated in catalogs.items():
            found = [ok for key in occurrences for ok in translated.get(key, [])]
            if not found:
                problems.append(f"{name}: {xmlid} {model}.{fname} has no {lang} entry ({occurrence})")
            elif not all(found):
                problems.append(f"{name}: {xmlid} {model}.{fname} has an empty {lang} translation")
    return problems


ALL_CHECKS = {
    "XML well-formed and Odoo 18 syntax": lambda addon, module: check_xml(addon),
    "manifest consistency": lambda addon, module: check_manifest(addon),
    "access CSV consistency": check_access_csv,
    ".po files parse": lambda addon, module: check_po(addon),
    "translated calls extractable": lambda addon, module: check_translatable_calls(addon),
    "README.rst generated from readme/": lambda addon, module: check_readme_rst(addon),
    "data and demo texts translated (zh_TW, zh_CN)": check_data_translations,
}
