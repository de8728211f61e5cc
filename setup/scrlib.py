"""Shared helpers of setup/demo and setup/test.

They work with an Odoo 18 that is already on the machine (an importable ``odoo`` package in
this Python, or a source tree named by ``ODOO_SRC``) and a PostgreSQL server: the one the usual
``PG*`` variables or the local socket reach, or else a private cluster under ``.local/`` of this
checkout. Nothing here downloads or installs Odoo.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = REPO / "addons"
ADDON = "sales_consultant_regulation"
LOCAL = REPO / ".local"

ODOO_HELP = (
    "Point the setup at an Odoo 18 in one of two ways:\n"
    "  - make `odoo` importable by this Python ({python}), e.g. install Odoo 18 and its\n"
    "    requirements.txt into it, or\n"
    "  - set ODOO_SRC=/path/to/odoo-18 (the source tree holding odoo-bin and odoo/) and\n"
    "    install that tree's requirements.txt into this Python.\n"
    "PostgreSQL is found from the PG* variables or the local socket; when none answers a\n"
    "private cluster is started under .local/ (needs PostgreSQL's initdb and pg_ctl)."
)


class SetupError(Exception):
    """An expected failure, reported as one clear message and no traceback."""


def say(msg=""):
    print(msg, flush=True)


# --------------------------------------------------------------------------- Odoo


def find_odoo():
    """Return how to run Odoo 18 here, or raise SetupError saying why not.

    The probe runs in a child process so that a broken Odoo environment cannot break the
    caller, and so that the same interpreter and path are used as for the real runs.
    """
    env = dict(os.environ)
    src = os.environ.get("ODOO_SRC")
    if src:
        src_path = Path(src).expanduser().resolve()
        if not (src_path / "odoo" / "release.py").is_file():
            raise SetupError(
                f"ODOO_SRC={src} is not an Odoo source tree (no odoo/release.py there).\n"
                + ODOO_HELP.format(python=sys.executable)
            )
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src_path), env.get("PYTHONPATH")]))
    probe = (
        "import json, os, odoo, odoo.release as r; import odoo.tools, odoo.modules; "
        "print(json.dumps({'version': r.version, 'major': r.version_info[0], "
        "'path': os.path.dirname(odoo.__file__)}))"
    )
    try:
        res = subprocess.run(
            [sys.executable, "-c", probe],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SetupError("importing odoo took more than 5 minutes") from exc
    if res.returncode != 0:
        last = (res.stderr.strip().splitlines() or ["no output"])[-1]
        where = f"ODOO_SRC={src}" if src else f"this Python ({sys.executable})"
        raise SetupError(f"no usable Odoo 18 in {where}: {last}\n" + ODOO_HELP.format(python=sys.executable))
    info = json.loads(res.stdout.strip().splitlines()[-1])
    if info["major"] != 18:
        raise SetupError(
            f"found Odoo {info['version']} at {info['path']}, but this addon needs Odoo 18.\n"
            + ODOO_HELP.format(python=sys.executable)
        )
    info["env"] = env
    # Only the current core addons; an ODOO_SRC checkout may hold an older top-level addons/.
    info["addons_path"] = ",".join([os.path.join(info["path"], "addons"), str(ADDONS)])
    info["cmd"] = [sys.executable, "-m", "odoo"]
    return info


# --------------------------------------------------------------------------- PostgreSQL


def _pg_bin(name):
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if candidates:
        return str(candidates[0])
    raise SetupError(
        f"no PostgreSQL server answers and `{name}` is not installed, so no private cluster "
        "can be started: install PostgreSQL (e.g. the postgresql package), or set PGHOST, "
        "PGPORT, PGUSER and PGPASSWORD for a server where that user may create databases."
    )


def _psql(params, sql, dbname="postgres"):
    """Run one query with psql; return (ok, output)."""
    env = dict(os.environ)
    env.update(
        {k: str(v) for k, v in params.items() if v not in (None, "")},
    )
    try:
        res = subprocess.run(
            [_pg_bin("psql"), "-X", "-q", "-t", "-A", "-d", dbname, "-c", sql],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False, "psql timed out"
    return res.returncode == 0, (res.stdout if res.returncode == 0 else res.stderr).strip()


def _free_port(start):
    for port in range(start, start + 200):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SetupError(f"no free TCP port from {start} to {start + 199}")


class Postgres:
    """Connection parameters (as PG* variables) and, for a private cluster, its control."""

    def __init__(self, params, private_dir=None, started_here=False):
        self.params = params
        self.private_dir = private_dir
        self.started_here = started_here

    def query(self, sql, dbname="postgres"):
        return _psql(self.params, sql, dbname)

    def odoo_options(self):
        p = self.params
        opts = {
            "db_host": p.get("PGHOST") or "False",
            "db_port": p.get("PGPORT") or "False",
            "db_user": p.get("PGUSER") or "False",
            "db_password": p.get("PGPASSWORD") or "False",
        }
        return opts

    def database_exists(self, name):
        ok, out = self.query(f"SELECT 1 FROM pg_database WHERE datname = '{_quote(name)}'")
        return ok and out.strip() == "1"

    def drop_database(self, name):
        self.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{_quote(name)}' AND pid <> pg_backend_pid()"
        )
        ok, out = self.query(f'DROP DATABASE IF EXISTS "{_quote(name)}"')
        if not ok:
            raise SetupError(f"could not drop database {name}: {out}")

    def stop(self):
        if self.private_dir and self.started_here:
            _as_pg_user(
                [_pg_bin("pg_ctl"), "-D", str(self.private_dir / "data"), "-m", "fast", "stop"],
                self.private_dir,
            )


def _quote(name):
    if not all(c.isalnum() or c in "_-." for c in name):
        raise SetupError(f"refusing an unusual database name: {name!r}")
    return name


def _usable(params):
    """A server answers with these parameters, as a user that may create databases."""
    user = params.get("PGUSER") or os.environ.get("USER") or ""
    if user == "postgres":
        return False, "its user is 'postgres', which Odoo refuses to use"
    ok, out = _psql(params, "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")
    if not ok:
        return False, out.splitlines()[0].strip() if out else "no answer"
    if out.strip() != "t":
        return False, "its user may not create databases"
    return True, ""


def _pg_user():
    """The unprivileged system user a private cluster runs as when we are root."""
    if os.geteuid() != 0:
        return None
    import pwd

    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise SetupError("running as root, and no 'postgres' or 'nobody' user to run PostgreSQL as")


def _as_pg_user(cmd, cwd):
    user = _pg_user()
    if user is not None:
        runner = shutil.which("runuser")
        if runner:
            cmd = [runner, "-u", user.pw_name, "--", *cmd]
        else:
            cmd = ["su", user.pw_name, "-s", "/bin/sh", "-c", " ".join(cmd)]
    return subprocess.run(cmd, cwd=str(cwd), capture_output=True, text=True, check=False)


def _private_dir():
    """Under the checkout's git-ignored .local/, or /tmp when the PostgreSQL user cannot
    reach the checkout (a private home, say)."""
    preferred = LOCAL / "postgres"
    user = _pg_user()
    if user is None:
        return preferred
    probe = _as_pg_user(["test", "-x", str(REPO)], "/")
    if probe.returncode == 0:
        return preferred
    import hashlib

    tag = hashlib.sha1(str(REPO).encode()).hexdigest()[:10]
    return Path("/tmp") / f"scr-postgres-{tag}"


def ensure_postgres():
    """Find a server, or start the private cluster; return a Postgres."""
    env_params = {k: os.environ[k] for k in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD") if k in os.environ}
    ok, why = _usable(env_params)
    if ok:
        say(f"PostgreSQL: using the server the PG* variables / local socket reach ({env_params or 'defaults'})")
        return Postgres(env_params)
    say(f"PostgreSQL: the PG* variables / local socket reach no usable server ({why}); using a private cluster")
    base = _private_dir()
    data = base / "data"
    port_file = base / "port"
    user = _pg_user()
    if not (data / "PG_VERSION").is_file():
        base.mkdir(parents=True, exist_ok=True)
        if user is not None:
            os.chown(base, user.pw_uid, user.pw_gid)
            os.chmod(base, 0o700)
        res = _as_pg_user(
            [_pg_bin("initdb"), "-D", str(data), "-U", "odoo", "--auth=trust", "-E", "UTF8", "--locale=C"],
            base,
        )
        if res.returncode != 0:
            raise SetupError(f"initdb failed in {data}:\n{res.stderr.strip() or res.stdout.strip()}")
        say(f"PostgreSQL: initialised a private cluster in {data}")
    params = {
        "PGHOST": "127.0.0.1",
        "PGUSER": "odoo",
        "PGPORT": port_file.read_text().strip() if port_file.is_file() else "",
    }
    if params["PGPORT"] and _usable(params)[0]:
        say(f"PostgreSQL: private cluster already running on port {params['PGPORT']}")
        return Postgres(params, base, started_here=False)
    port = _free_port(54330)
    params["PGPORT"] = str(port)
    log = base / "postgres.log"
    res = _as_pg_user(
        [
            _pg_bin("pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-t",
            "120",
            "-o",
            f"-p {port} -c listen_addresses=127.0.0.1 -k {base}",
            "start",
        ],
        base,
    )
    if res.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise SetupError(f"could not start the private cluster:\n{res.stderr.strip()}\n{tail}")
    port_file.write_text(str(port))
    if user is not None:
        os.chown(port_file, user.pw_uid, user.pw_gid)
    ok, why = _usable(params)
    if not ok:
        raise SetupError(f"the private cluster started but does not answer: {why}")
    say(f"PostgreSQL: started a private cluster on 127.0.0.1:{port} ({data})")
    return Postgres(params, base, started_here=True)


# --------------------------------------------------------------------------- Odoo runs


def write_config(odoo, pg, name, http_port=None, extra=None):
    LOCAL.mkdir(exist_ok=True)
    conf = LOCAL / f"{name}.conf"
    opts = {
        "addons_path": odoo["addons_path"],
        "data_dir": str(LOCAL / "filestore"),
        "http_interface": "127.0.0.1",
        "http_port": str(http_port or 8069),
        "admin_passwd": "scr-local-admin",
        "list_db": "False",
        "max_cron_threads": "0",
        **pg.odoo_options(),
        **(extra or {}),
    }
    conf.write_text("[options]\n" + "".join(f"{k} = {v}\n" for k, v in opts.items()))
    return conf


def run_odoo(odoo, args, log_path, timeout=3600):
    """Run Odoo to completion, its log going to log_path; return the exit code."""
    with open(log_path, "w") as log:
        try:
            res = subprocess.run(
                odoo["cmd"] + args,
                env=odoo["env"],
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
                cwd=str(REPO),
            )
        except subprocess.TimeoutExpired:
            return -1
    return res.returncode


def installed_state(pg, db):
    if not pg.database_exists(db):
        return None
    ok, out = pg.query(f"SELECT state FROM ir_module_module WHERE name = '{ADDON}'", dbname=db)
    return out.strip() if ok else None


def wait_http(url, seconds=180, proc=None):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    return False


def json_rpc(url, params):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": 1}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read().decode())


def stop_pid_file(pid_file):
    if not pid_file.is_file():
        return
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(30):
            time.sleep(0.5)
            os.kill(pid, 0)
        os.kill(pid, signal.SIGKILL)
    except (ValueError, ProcessLookupError, PermissionError):
        pass
    pid_file.unlink(missing_ok=True)


def demo_logins():
    """(login, password, name, group) of the demo users, read from the demo data itself."""
    from xml.etree import ElementTree as ET

    path = ADDONS / ADDON / "demo" / "sales_consultant_regulation_demo.xml"
    rows = []
    for rec in ET.parse(path).getroot().iter("record"):
        if rec.get("model") != "res.users":
            continue
        fields = {f.get("name"): f for f in rec.iter("field")}
        if "login" not in fields or "password" not in fields:
            continue
        groups = fields.get("groups_id")
        group = ""
        if groups is not None:
            group = groups.get("eval", "").split("ref('")[-1].split("'")[0]
        rows.append((fields["login"].text, fields["password"].text, fields["name"].text, group))
    return rows
