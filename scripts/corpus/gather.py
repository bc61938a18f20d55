"""Materializes the corpus of real Feast feature repos and applies each with
the real feast, so tests/corpus.rs can compare feastops' static reading with
the registry feast wrote.

Run through scripts/corpus/gather (which picks the interpreter of the feast
venv). For every entry of scripts/corpus/repos.toml it writes

    target/corpus/<name>/repo/          the feature repo as a user has it
    target/corpus/<name>/init/          where `feast init` ran (templates)
    target/corpus/<name>/applied_in     the directory feast applied the repo in (`feast -c repo -f apply.yaml`)
    target/corpus/<name>/registry.db    what `feast apply` wrote
    target/corpus/<name>/status         `applied`, `feast-failed: <reason>`,
                                        `absent: <reason>` or `duplicate-of: <name>`
    target/corpus/<name>/source         where the files came from

Nothing fetched from GitHub is ever committed: only the pinned list is.
GitHub entries are read from local snapshots (git directories under
$FEASTOPS_MIRROR, default /work/.mirror/<owner>+<name>/repo); an entry whose
snapshot is not on this machine is recorded as `absent` and skipped.
PyPI entries (feast wheels' `feast init` templates, the feast sdist) are
downloaded with pip into target/corpus/.cache/.

Each entry is cached under a key (entry, this script, feast version); a
second run only redoes entries whose key changed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# Files a feature repo consists of; anything else (notebooks, images, docs)
# is left out. Data files larger than MAX_DATA are left out too.
KEEP_SUFFIXES = {".py", ".yaml", ".yml", ".parquet", ".csv", ".json", ".txt", ".sql"}
KEEP_NAMES = {".feastignore"}
MAX_DATA = 8 * 1024 * 1024
APPLY_TIMEOUT = 300
# The main libraries of feast's extras for the sources most repos use
# (aws, gcp, postgres, snowflake): repos import those source classes, and
# feast cannot apply them without. Installed into a venv layered on the
# feast venv (a .pth file), so feast itself is not reinstalled. Spark, Ray,
# torch and Couchbase are left out (hundreds of MB); repos needing them are
# recorded as `feast-failed`. Pinned to what an unpinned resolution gave on
# 2026-11-29 (pinning them to the feast venv's own versions sends pip's
# resolver into minutes of backtracking), so CI applies the corpus with the
# same libraries every time.
EXTRAS = [
    "boto3==1.44.8", "psycopg[binary,pool]==3.3.9", "psycopg-pool==3.3.3",
    "google-api-core==2.44.0", "google-cloud-bigquery==3.47.0",
    "google-cloud-storage==3.17.1", "google-cloud-datastore==2.27.0",
    "snowflake-connector-python==5.2.0",
]
# Bump when materialization or apply changes: every entry is redone.
FORMAT = "4"


def log(msg: str) -> None:
    print(f"gather: {msg}", file=sys.stderr, flush=True)


def script_hash() -> str:
    h = hashlib.sha256(FORMAT.encode())
    for f in sorted(HERE.iterdir()):
        if f.is_file() and f.name != "repos.toml":
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def extras_venv(feast_python: str, dest: Path) -> str:
    """The interpreter of a venv that sees the feast venv's packages plus
    EXTRAS; made once (a stamp names what it holds)."""
    stamp = dest / "extras.txt"
    want = "\n".join(EXTRAS)
    py = dest / "bin" / "python"
    if stamp.exists() and stamp.read_text() == want and py.exists():
        return str(py)
    log(f"installing the feast extras' libraries into {dest}")
    shutil.rmtree(dest, ignore_errors=True)
    subprocess.run([feast_python, "-m", "venv", str(dest)], check=True)
    site = subprocess.run(
        [feast_python, "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    inner = subprocess.run(
        [str(py), "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    Path(inner, "feast-venv.pth").write_text(site + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", *EXTRAS], check=True)
    stamp.write_text(want)
    return str(py)


def feast_version(python: str) -> str:
    out = subprocess.run(
        [python, "-c", "import importlib.metadata as m; print(m.version('feast'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


# --- the list ---------------------------------------------------------------


def load_entries(path: Path) -> list[dict]:
    data = tomllib.loads(path.read_text())
    entries: list[dict] = []
    for t in data.get("templates", []):
        for name in t["names"]:
            entries.append(
                {
                    "name": f"feast-{t['version']}-{name}",
                    "kind": "feast-wheel",
                    "version": t["version"],
                    "template": name,
                    "note": t.get("note", "`feast init -t` template shipped in the feast wheel"),
                }
            )
    for r in data.get("repo", []):
        entries.append(dict(r))
    names = [e["name"] for e in entries]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SystemExit(f"gather: duplicate names in {path}: {sorted(dupes)}")
    for e in entries:
        if e["kind"] not in ("feast-wheel", "feast-sdist", "github"):
            raise SystemExit(f"gather: {e['name']}: unknown kind {e['kind']}")
        if e["kind"] == "github" and len(e.get("commit", "")) != 40:
            raise SystemExit(f"gather: {e['name']}: commit must be 40 hex digits")
    return entries


def entry_key(e: dict, feast: str) -> str:
    """An entry is redone when it, FORMAT or the feast version changes."""
    blob = json.dumps(e, sort_keys=True) + FORMAT + feast
    return hashlib.sha256(blob.encode()).hexdigest()


# --- PyPI -------------------------------------------------------------------


class Pypi:
    def __init__(self, python: str, cache: Path, installed: str):
        self.python = python
        self.cache = cache
        self.installed = installed

    def _download(self, spec: str, binary: bool) -> Path:
        dest = self.cache / "pypi"
        dest.mkdir(parents=True, exist_ok=True)
        name, version = spec.split("==")
        pattern = f"{name}-{version}-*.whl" if binary else f"{name}-{version}.tar.gz"
        found = sorted(dest.glob(pattern))
        if not found:
            args = [self.python, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(dest)]
            args += ["--only-binary=:all:"] if binary else ["--no-binary=:all:"]
            log(f"pip download {spec} ({'wheel' if binary else 'sdist'})")
            subprocess.run(args + [spec], check=True, stdout=subprocess.DEVNULL)
            found = sorted(dest.glob(pattern))
        if not found:
            raise RuntimeError(f"pip download {spec}: no {pattern} in {dest}")
        return found[0]

    def templates(self, version: str) -> Path:
        """The `feast/templates` directory of feast==version."""
        if version == self.installed and getattr(self, "_installed_templates", None):
            return self._installed_templates
        if version == self.installed:
            out = subprocess.run(
                [self.python, "-c", "import feast, os; print(os.path.dirname(feast.__file__))"],
                capture_output=True,
                text=True,
                check=True,
            )
            self._installed_templates = Path(out.stdout.strip()) / "templates"
            return self._installed_templates
        root = self.cache / f"feast-{version}-wheel"
        if not (root / "feast" / "templates").is_dir():
            wheel = self._download(f"feast=={version}", binary=True)
            tmp = Path(tempfile.mkdtemp(dir=self.cache))
            with zipfile.ZipFile(wheel) as z:
                for m in z.namelist():
                    if m.startswith("feast/templates/"):
                        z.extract(m, tmp)
            shutil.rmtree(root, ignore_errors=True)
            tmp.rename(root)
        return root / "feast" / "templates"

    def sdist(self, version: str) -> Path:
        root = self.cache / f"feast-{version}-sdist"
        if not root.is_dir():
            archive = self._download(f"feast=={version}", binary=False)
            tmp = Path(tempfile.mkdtemp(dir=self.cache))
            with tarfile.open(archive) as t:
                t.extractall(tmp, filter="data")
            shutil.rmtree(root, ignore_errors=True)
            (tmp / f"feast-{version}").rename(root)
            shutil.rmtree(tmp)
        return root


# --- materializing ----------------------------------------------------------


def keep_name(path: Path) -> bool:
    return path.name in KEEP_NAMES or path.suffix in KEEP_SUFFIXES


def keep(path: Path) -> bool:
    if not keep_name(path):
        return False
    return path.suffix in (".py", ".yaml", ".yml", "") or path.stat().st_size <= MAX_DATA


def copy_repo(src: Path, dest: Path) -> None:
    for f in sorted(src.rglob("*")):
        rel = f.relative_to(src)
        if any(p in (".git", "__pycache__", ".ipynb_checkpoints") for p in rel.parts):
            continue
        if f.is_file() and keep(f):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, dest / rel)


# Run inside the feast venv: a template's bootstrap() as `feast init` runs
# it, with click's prompts answered by their defaults (or "corpus") and
# every "upload example data?" confirmation declined, so nothing is
# contacted.
BOOTSTRAP = r"""
import importlib.util, sys, click
def prompt(text, default=None, *a, **k):
    return default if default is not None else "corpus"
click.prompt = prompt
click.confirm = lambda *a, **k: False
spec = importlib.util.spec_from_file_location("bootstrap", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
m.bootstrap()
"""


def init_template(python: str, templates: Path, template: str, project: str, dest: Path) -> str:
    """What `feast init -t TEMPLATE PROJECT` leaves in PROJECT/feature_repo."""
    src = templates / template
    if not (src / "feature_repo").is_dir():
        raise RuntimeError(f"template {template} has no feature_repo/")
    # Where `feast init` ran stays: older templates' bootstrap() writes the
    # data's absolute path into the definitions.
    init = dest.parent / "init"
    shutil.rmtree(init, ignore_errors=True)
    target = init / project
    shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__"))
    for g in target.rglob("gitignore"):
        g.rename(g.with_name(".gitignore"))
    boot = target / "bootstrap.py"
    note = "feast init (template copied, bootstrap() run)"
    if boot.exists():
        r = subprocess.run(
            [python, "-c", BOOTSTRAP, str(boot)],
            cwd=target,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=APPLY_TIMEOUT,
            env=feast_env(),
        )
        if r.returncode != 0:
            last = (r.stderr.strip().splitlines() or ["?"])[-1]
            note = f"feast init: bootstrap() failed ({last[:200]}); template copied as is"
    else:
        note = "feast init (template copied; it has no bootstrap)"
    fsy = target / "feature_repo" / "feature_store.yaml"
    if fsy.exists():
        fsy.write_text(fsy.read_text().replace("project: my_project", f"project: {project}"))
    copy_repo(target / "feature_repo", dest)
    return note


def mirror_dir(owner_repo: str) -> Path:
    base = Path(os.environ.get("FEASTOPS_MIRROR", "/work/.mirror"))
    return base / owner_repo.replace("/", "+") / "repo"


def git(gitdir: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["git", f"--git-dir={gitdir}", *args], **kw)


def from_github(e: dict, dest: Path) -> str | None:
    """Extracts the entry's files; returns a reason when the snapshot is absent."""
    gitdir = mirror_dir(e["repo"])
    if not gitdir.is_dir():
        return f"no local snapshot of {e['repo']} ({gitdir})"
    commit = e["commit"]
    if git(gitdir, "cat-file", "-e", f"{commit}^{{commit}}", capture_output=True).returncode != 0:
        return f"snapshot of {e['repo']} lacks commit {commit}"
    paths = e.get("files") or ([e["path"]] if e.get("path") else [])
    with tempfile.TemporaryDirectory() as tmp:
        archive = git(gitdir, "archive", "--format=tar", commit, "--", *paths, capture_output=True)
        if archive.returncode == 0:
            with tarfile.open(fileobj=_bytes(archive.stdout)) as t:
                t.extractall(tmp, filter="data")
        else:
            # Snapshots lack files of 4 MiB and more (and LFS content), which
            # makes `git archive` fail: take the files one by one instead.
            extract_blobs(gitdir, commit, paths, Path(tmp))
        if "files" in e:
            # Single definition files (Feast's own test suite): flat in the repo.
            for p in paths:
                f = Path(tmp) / p
                dest.mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, dest / f.name)
        else:
            copy_repo(Path(tmp) / e.get("path", ""), dest)
    return None


def extract_blobs(gitdir: Path, commit: str, paths: list[str], dest: Path) -> None:
    ls = git(gitdir, "ls-tree", "-r", "-z", commit, "--", *paths, capture_output=True, check=True)
    for item in ls.stdout.decode().split("\0"):
        if not item:
            continue
        meta, path = item.split("\t", 1)
        _mode, kind, sha = meta.split()
        if kind != "blob" or not keep_name(Path(path)):
            continue
        blob = git(gitdir, "cat-file", "blob", sha, capture_output=True)
        if blob.returncode != 0:
            log(f"{path}: not in the snapshot; left out")
            continue
        (dest / path).parent.mkdir(parents=True, exist_ok=True)
        (dest / path).write_bytes(blob.stdout)


def _bytes(b: bytes):
    import io

    return io.BytesIO(b)


DRIVER_DATA = r"""
import sys
from datetime import datetime, timedelta
from feast.driver_test_data import create_driver_hourly_stats_df
end = datetime(2024, 1, 1)
df = create_driver_hourly_stats_df([1001, 1002, 1003, 1004, 1005], end - timedelta(days=15), end)
for p in sys.argv[1:]:
    df.to_parquet(path=p, allow_truncated_timestamps=True)
"""


def finish_repo(python: str, e: dict, dest: Path) -> None:
    """What Feast's own test suite does around its example repos: replace
    placeholders, generate the driver data they read, write a
    feature_store.yaml when the entry has none."""
    repl = e.get("replace") or {}
    if repl:
        for f in dest.rglob("*.py"):
            s = f.read_text()
            for k, v in repl.items():
                s = s.replace(k, v)
            f.write_text(s)
    data = [str(dest / p) for p in e.get("driver_data", [])]
    if data:
        for p in data:
            Path(p).parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([python, "-c", DRIVER_DATA, *data], check=True, env=feast_env(), capture_output=True)
    if not (dest / "feature_store.yaml").exists():
        project = e.get("project") or e["name"].replace("-", "_")
        (dest / "feature_store.yaml").write_text(
            f"project: {project}\nregistry: data/registry.db\nprovider: local\n"
            "online_store:\n    type: sqlite\n    path: data/online_store.db\n"
            "entity_key_serialization_version: 3\n"
        )


def tree_hash(d: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(d.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".yaml", ".yml"):
            h.update(str(f.relative_to(d)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


# --- applying ---------------------------------------------------------------


def feast_env() -> dict:
    env = dict(os.environ)
    env.update(FEAST_USAGE="False", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
    return env


def apply_config(original: str, work: Path) -> str:
    """The feature_store.yaml feast applies with: the repo's project, a local
    file registry, sqlite online store, file offline store (as --via-feast
    does), so no infrastructure is needed or touched. It is passed with
    `feast -f`, so the repo's own feature_store.yaml stays in place for
    definitions that read it."""
    import re

    import yaml  # in the feast venv

    try:
        cfg = yaml.safe_load(original) or {}
    except yaml.YAMLError:
        cfg = {}
    if not isinstance(cfg, dict):
        cfg = {}
    project = cfg.get("project")
    if project is None:
        # Unfilled template placeholders (`%AWS_REGION%`) make the YAML
        # invalid; feast would fail on it too, so the project line is enough.
        m = re.search(r"^project:\s*(\S+)", original, re.M)
        if not m:
            raise RuntimeError("feature_store.yaml has no project")
        project = m.group(1)
    out = {
        "project": project,
        "provider": "local",
        "registry": str(work / "registry.db"),
        "online_store": {"type": "sqlite", "path": str(work / "online.db")},
        "offline_store": {"type": "file"},
        "entity_key_serialization_version": cfg.get("entity_key_serialization_version", 3),
    }
    return yaml.safe_dump(out, sort_keys=False)


def one_line(text: str) -> str:
    """The line of feast's output that says why it failed, with the frame
    that raised it when the exception says little by itself."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for i in range(len(lines) - 1, -1, -1):
        l = lines[i]
        if any(w in l for w in ("Error", "Exception", "Missing dependency", "No module", "Install with")):
            if len(l) < 40:
                frame = next((f for f in reversed(lines[:i]) if f.startswith('File "')), None)
                if frame:
                    # File "/x/y/redshift.py", line 12, in f -> redshift.py:12 in f
                    parts = frame.split('"')
                    where = os.path.basename(parts[1]) + parts[2].replace(", line ", ":").replace(", in ", " in ")
                    l = f"{l} (raised at {where.strip()})"
            return l[:300]
    for l in reversed(lines):
        if not l.startswith(("at ", "File ", "^", "~", "warnings.warn")) and "Warning" not in l:
            return l[:300]
    return "no output"


def apply(feast: str, work: Path) -> str:
    """`feast apply` of work/repo where it is, as `feastops --via-feast`
    runs it (`feast -c repo -f apply.yaml`): paths the repo builds from
    `__file__` are then the ones the static reader computes. `feast` is the
    interpreter that runs it. The directory is recorded in `applied_in`, so
    the test can still compare a corpus that was moved."""
    repo = work / "repo"
    for f in ("registry.db", "online.db", "apply.yaml", "applied_in"):
        (work / f).unlink(missing_ok=True)
    fsy = repo / "feature_store.yaml"
    if not fsy.exists():
        return "feast-failed: no feature_store.yaml"
    try:
        (work / "apply.yaml").write_text(apply_config(fsy.read_text(), work))
    except RuntimeError as err:
        return f"feast-failed: {err}"
    (work / "applied_in").write_text(str(repo.resolve()))
    try:
        r = subprocess.run(
            [feast, "-m", "feast.cli.cli", "-c", str(repo), "-f", str(work / "apply.yaml"), "apply",
             "--skip-source-validation"],
            cwd=repo,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=APPLY_TIMEOUT,
            env=feast_env(),
        )
    except subprocess.TimeoutExpired:
        return f"feast-failed: feast apply timed out after {APPLY_TIMEOUT}s"
    (work / "apply.log").write_text(r.stdout + "\n--- stderr\n" + r.stderr)
    if r.returncode != 0:
        return f"feast-failed: {one_line(r.stderr + chr(10) + r.stdout)}"
    if not (work / "registry.db").exists():
        return "feast-failed: feast apply wrote no registry"
    return "applied"


# --- driver -----------------------------------------------------------------


def gather_one(e: dict, ctx: dict) -> tuple[str, str]:
    work: Path = ctx["out"] / e["name"]
    key = entry_key(e, ctx["feast_version"])
    keyfile = work / "key"
    if keyfile.exists() and keyfile.read_text() == key and (work / "status").exists():
        return e["name"], (work / "status").read_text().strip()
    shutil.rmtree(work, ignore_errors=True)
    repo = work / "repo"
    repo.mkdir(parents=True)
    py = ctx["python"]
    if e["name"] in ctx["same_template"]:
        # Not materialized nor applied: the same template files as a newer
        # feast's, measured there.
        (work / "source").write_text(f"PyPI feast=={e['version']} wheel, feast/templates/{e['template']}\n")
        status = f"duplicate-of: {ctx['same_template'][e['name']]}"
        (work / "status").write_text(status + "\n")
        keyfile.write_text(key)
        return e["name"], status
    try:
        if e["kind"] == "feast-wheel":
            source = f"PyPI feast=={e['version']} wheel, feast/templates/{e['template']}"
            how = init_template(py, ctx["pypi"].templates(e["version"]), e["template"],
                                f"corpus_{e['template']}", repo)
            source += f"; {how}"
        elif e["kind"] == "feast-sdist":
            source = f"PyPI feast=={e['version']} sdist, {e['path']}"
            copy_repo(ctx["pypi"].sdist(e["version"]) / e["path"], repo)
        else:
            where = ", ".join(e["files"]) if "files" in e else (e.get("path") or ".")
            source = f"github.com/{e['repo']} @ {e['commit']}, {where}"
            absent = from_github(e, repo)
            if absent:
                shutil.rmtree(repo)
                status = f"absent: {absent}"
                (work / "status").write_text(status + "\n")
                (work / "source").write_text(source + "\n")
                # Not cached: the snapshot may arrive later.
                return e["name"], status
        finish_repo(py, e, repo)
        (work / "source").write_text(source + "\n" + (e.get("note", "") + "\n"))
        (work / "tree").write_text(tree_hash(repo) + "\n")
        status = apply(ctx["feast"], work)
    except Exception as err:  # noqa: BLE001 - one bad entry must not stop the rest
        status = f"feast-failed: gathering failed: {one_line(str(err))}"
    (work / "status").write_text(status + "\n")
    keyfile.write_text(key)
    return e["name"], status


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", default=str(HERE / "repos.toml"))
    ap.add_argument("--out", default=str(ROOT / "target" / "corpus"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--pypi-only", action="store_true", help="skip the GitHub entries")
    ap.add_argument("only", nargs="*", help="entry names (default: all)")
    args = ap.parse_args()

    venv = Path(os.environ.get("FEASTOPS_VENV", ROOT / ".venv-feast"))
    python = str(venv / "bin" / "python")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    feast = extras_venv(python, out / ".venv-extras")
    entries = load_entries(Path(args.list))
    if args.pypi_only:
        entries = [e for e in entries if e["kind"] != "github"]
    if args.only:
        entries = [e for e in entries if e["name"] in args.only]

    installed = feast_version(python)
    scripts = script_hash()
    list_hash = hashlib.sha256(Path(args.list).read_bytes() + scripts.encode() + installed.encode()).hexdigest()
    stamp = out / ".stamp"
    absent_before = any((out / e["name"] / "status").exists()
                        and (out / e["name"] / "status").read_text().startswith("absent")
                        for e in entries)
    if not args.only and not args.pypi_only and stamp.exists() and stamp.read_text() == list_hash and not absent_before:
        log(f"up to date ({len(entries)} entries, {out})")
        summary(out, entries)
        return

    ctx = {
        "out": out,
        "python": python,
        "feast": feast,
        "feast_version": installed,
        "scripts": scripts,
        "pypi": Pypi(python, out / ".cache", installed),
    }
    # Downloads first, one at a time, so parallel entries never race on them.
    for v in sorted({e["version"] for e in entries if e["kind"] == "feast-wheel"}):
        ctx["pypi"].templates(v)
    for v in sorted({e["version"] for e in entries if e["kind"] == "feast-sdist"}):
        ctx["pypi"].sdist(v)
    ctx["same_template"] = same_templates(ctx["pypi"], entries)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for name, status in pool.map(lambda e: gather_one(e, ctx), entries):
            log(f"{name}: {status}")
    mark_duplicates(out, entries)
    # The test reads the list of names it should find from here.
    (out / "entries.json").write_text(json.dumps(
        [{"name": e["name"], "kind": e["kind"], "pypi": e["kind"] != "github"} for e in load_entries(Path(args.list))],
        indent=1))
    if not args.only and not args.pypi_only:
        stamp.write_text(list_hash)
    summary(out, entries)


def mark_duplicates(out: Path, entries: list[dict]) -> None:
    """A repo identical to another one (same .py/.yaml after materializing:
    an older template unchanged in a newer feast, a fork) is measured once;
    the later copies become `duplicate-of`. Templates are taken newest
    first, so old copies point at the current one."""
    seen: dict[str, str] = {}
    wheels = sorted((e for e in entries if e["kind"] == "feast-wheel"),
                    key=lambda e: _version_key(e["version"]), reverse=True)
    for e in wheels + [e for e in entries if e["kind"] != "feast-wheel"]:
        work = out / e["name"]
        tree, status = work / "tree", work / "status"
        if not tree.exists() or not status.exists():
            continue
        h = tree.read_text().strip()
        if h in seen and seen[h] != e["name"]:
            status.write_text(f"duplicate-of: {seen[h]}\n")
        seen.setdefault(h, e["name"])


def same_templates(pypi: Pypi, entries: list[dict]) -> dict[str, str]:
    """Template entries whose files (feature_repo/ and bootstrap.py) are
    byte for byte those of a newer feast's template: name -> newer name."""
    wheels = sorted((e for e in entries if e["kind"] == "feast-wheel"),
                    key=lambda e: _version_key(e["version"]), reverse=True)
    first: dict[str, str] = {}
    same: dict[str, str] = {}
    for e in wheels:
        src = pypi.templates(e["version"]) / e["template"]
        h = hashlib.sha256(e["template"].encode())
        for f in sorted(src.rglob("*")):
            rel = f.relative_to(src)
            if f.is_file() and "__pycache__" not in rel.parts and (
                rel.parts[0] == "feature_repo" or f.name == "bootstrap.py"
            ):
                h.update(str(rel).encode())
                h.update(f.read_bytes())
        d = h.hexdigest()
        if d in first:
            same[e["name"]] = first[d]
        else:
            first[d] = e["name"]
    return same


def _version_key(v: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in v.split("."))


def summary(out: Path, entries: list[dict]) -> None:
    counts: dict[str, int] = {}
    lines = []
    for e in entries:
        s = (out / e["name"] / "status")
        status = s.read_text().strip() if s.exists() else "not gathered"
        kind = status.split(":")[0]
        part = "pypi" if e["kind"] != "github" else "github"
        counts[f"{part} {kind}"] = counts.get(f"{part} {kind}", 0) + 1
        lines.append(f"  {e['name']:<58} {status}")
    print("\n".join(lines))
    print("gather: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
