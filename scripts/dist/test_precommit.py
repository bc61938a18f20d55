"""The pre-commit hooks, run by the real pre-commit on a scratch repository.

Usage: python test_precommit.py WHEEL VENV_BIN WORKDIR

WHEEL is a wheel built from this checkout; VENV_BIN the bin directory of a
venv it was installed into (feastops on PATH, for the system hook). pip's
own options stand in for PyPI: PIP_NO_INDEX with PIP_FIND_LINKS at the
wheel, and no build isolation (the hook package builds with the setuptools
virtualenv seeds), so nothing is downloaded. The scratch repository holds
the bundled example as feast/ and its baseline production.lock.json.
Prints how long the runs took (information, not a check).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "Cargo.toml").read_text())["package"]["version"]
passed: list[str] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    if not ok:
        print(f"FAIL {name}\n{detail}", file=sys.stderr)
        print(f"dist: {len(passed)} passed, 1 failed")
        sys.exit(1)
    passed.append(name)
    print(f"ok   {name}")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout.strip()


def hook_repo(path: Path, files: dict[str, Path]) -> str:
    path.mkdir(parents=True)
    for name, src in files.items():
        shutil.copy(src, path / name)
    git(path, "init", "-q")
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "hooks")
    return git(path, "rev-parse", "HEAD")


def main() -> None:
    wheel, venv_bin, work = (Path(a).resolve() for a in sys.argv[1:4])
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)

    mirror = tomllib.loads((ROOT / "pre-commit/pyproject.toml").read_text())["project"]
    check(
        "pre-commit/pyproject.toml: version and feastops pin equal Cargo.toml's",
        mirror["version"] == VERSION and mirror["dependencies"] == [f"feastops=={VERSION}"],
        f"{mirror['version']} {mirror['dependencies']} vs {VERSION}",
    )

    mirror_rev = hook_repo(work / "mirror", {
        ".pre-commit-hooks.yaml": ROOT / "pre-commit/.pre-commit-hooks.yaml",
        "pyproject.toml": ROOT / "pre-commit/pyproject.toml",
        "README.md": ROOT / "pre-commit/README.md",
    })
    main_rev = hook_repo(work / "main", {".pre-commit-hooks.yaml": ROOT / ".pre-commit-hooks.yaml"})

    user = work / "user"
    shutil.copytree(ROOT / "examples/feature_repo", user / "feast")
    shutil.copy(ROOT / "examples/production.lock.json", user)
    (user / ".pre-commit-config.yaml").write_text(f"""repos:
  - repo: {work / 'mirror'}
    rev: {mirror_rev}
    hooks:
      - id: feastops-lint
        args: [--against=production.lock.json, --proposed=feast]
      - id: feastops-lint
        alias: unchanged
        name: feastops lint (against itself)
        args: [--against=feast, --proposed=feast]
  - repo: {work / 'main'}
    rev: {main_rev}
    hooks:
      - id: feastops-lint-system
        args: [--against=production.lock.json, --proposed=feast]
""")
    git(user, "init", "-q")
    git(user, "add", ".")

    wheels = work / "wheels"
    wheels.mkdir()
    shutil.copy(wheel, wheels)
    env = {
        "HOME": str(work),
        "PATH": os.pathsep.join([str(venv_bin), "/usr/local/bin", "/usr/bin", "/bin"]),
        "PRE_COMMIT_HOME": str(work / "pre-commit-home"),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "PIP_NO_BUILD_ISOLATION": "0",  # pip reads "0" as: no isolation
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "LANG": "C.UTF-8",
    }
    pre_commit = [sys.executable, "-m", "pre_commit"]

    def run(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
        start = time.monotonic()
        out = subprocess.run([*pre_commit, "run", *args], cwd=user, env=env, capture_output=True, text=True)
        return out, time.monotonic() - start

    out, first = run("feastops-lint", "--all-files")
    log = out.stdout + out.stderr
    check("wheel hook: first run installs feastops from the wheel and fails the commit", out.returncode == 1, log)
    check("wheel hook: prints the example's findings", "error[FO105 feature-inserted]" in log and "FAIL: 2 error(s)" in log, log)
    env_dirs = list((work / "pre-commit-home").glob("repo*/py_env-*/bin/feastops"))
    check("wheel hook: feastops sits in pre-commit's hook environment", len(env_dirs) == 1, str(env_dirs))
    out, later = run("feastops-lint", "--all-files")
    check("wheel hook: a later run fails the same way", out.returncode == 1 and "FO105" in out.stdout, out.stdout + out.stderr)
    out, _ = run("unchanged", "--all-files")
    check("wheel hook: no change passes", out.returncode == 0 and "Passed" in out.stdout, out.stdout + out.stderr)
    out, system = run("feastops-lint-system", "--all-files")
    log = out.stdout + out.stderr
    check("system hook: runs the feastops on PATH", out.returncode == 1 and "error[FO105 feature-inserted]" in log, log)

    shutil.rmtree(work)
    print(f"pre-commit timings: first run {first:.1f} s (installs the hook), later run {later:.2f} s, system hook {system:.2f} s")
    print(f"dist: {len(passed)} passed, 0 failed")


if __name__ == "__main__":
    main()
