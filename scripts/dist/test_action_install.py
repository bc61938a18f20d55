"""The action's install step under a simulated runner (scripts/dist/runner.py).

Usage: python test_action_install.py WHEEL WORKDIR

WHEEL is a wheel built from this checkout (scripts/dist/check builds it).
A fake release is laid out under WORKDIR: the wheel in a find-links
directory (pip's own index options, PIP_NO_INDEX/PIP_FIND_LINKS, stand in
for PyPI) and the wheel's binary as a release archive served over file://
(FEASTOPS_RELEASE_BASE_URL stands in for GitHub releases). Its SHA256SUMS
is pinned into a copy of the action by the real scripts/release/pin-action.
Every scenario then runs the whole action: install, then lint on the
bundled example, whose change is breaking (exit 1, verdict fail).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from runner import run_action  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CARGO_VERSION = next(
    line.split('"')[1]
    for line in (ROOT / "Cargo.toml").read_text().splitlines()
    if line.startswith("version = ")
)
ASSET = f"feastops-v{CARGO_VERSION}-x86_64-unknown-linux-musl.tar.gz"
LINT_INPUTS = {"path": "feature_repo", "against": "production.lock.json"}

passed: list[str] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    if not ok:
        print(f"FAIL {name}\n{detail}", file=sys.stderr)
        print(f"dist: {len(passed)} passed, 1 failed")
        sys.exit(1)
    passed.append(name)
    print(f"ok   {name}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_release(wheel: Path, work: Path) -> tuple[Path, Path]:
    """wheels/ (find-links) and releases/v<version>/ (download base)."""
    wheels = work / "wheels"
    wheels.mkdir()
    shutil.copy(wheel, wheels)
    release = work / "releases" / f"v{CARGO_VERSION}"
    release.mkdir(parents=True)
    with zipfile.ZipFile(wheel) as z:
        member = next(n for n in z.namelist() if n.endswith(".data/scripts/feastops"))
        binary = work / "feastops"
        binary.write_bytes(z.read(member))
    binary.chmod(0o755)
    with tarfile.open(release / ASSET, "w:gz", compresslevel=1) as tar:
        tar.add(binary, arcname="feastops")
    binary.unlink()
    sums = work / "SHA256SUMS"
    sums.write_text(
        f"{sha256(wheels / wheel.name)}  {wheel.name}\n{sha256(release / ASSET)}  {ASSET}\n"
    )
    return wheels, release.parent


def action_copy(work: Path, sums: Path) -> Path:
    """This checkout's action, pinned to the fake release by pin-action."""
    action = work / "action-pinned"
    (action / "action").mkdir(parents=True)
    shutil.copy(ROOT / "action.yml", action)
    shutil.copy(ROOT / "Cargo.toml", action)
    for f in ("install.sh", "run.sh"):
        shutil.copy(ROOT / "action" / f, action / "action")
    out = subprocess.run(
        [ROOT / "scripts/release/pin-action", sums, action],
        capture_output=True,
        text=True,
    )
    check("pin-action pins the release", out.returncode == 0, out.stderr)
    req = (action / "action/requirements.txt").read_text()
    check(
        "requirements.txt pins the version and the wheel's hash",
        f"feastops=={CARGO_VERSION} \\" in req and f"--hash=sha256:{sha256(next((work / 'wheels').iterdir()))}" in req,
        req,
    )
    return action


def workspace(work: Path, name: str) -> Path:
    ws = work / name
    ws.mkdir()
    shutil.copytree(ROOT / "examples/feature_repo", ws / "feature_repo")
    shutil.copy(ROOT / "examples/production.lock.json", ws)
    return ws


def expect_lint_ran(name: str, job, cache: Path) -> None:
    log = job.log()
    check(f"{name}: install step succeeds", job.step("Install feastops").status == "success", log)
    check(
        f"{name}: lint runs on the example and fails on its breaking change",
        job.step("feastops lint").returncode == 1
        and job.outputs == {"verdict": "fail", "findings-count": "4"},
        f"{job.outputs}\n{log}",
    )
    check(
        f"{name}: FEASTOPS_BIN is the installed binary under the cache",
        job.env.get("FEASTOPS_BIN", "").startswith(str(cache)),
        str(job.env),
    )


def expect_nothing_ran(name: str, job, message: str, cache: Path | None) -> None:
    install = job.step("Install feastops")
    log = job.log()
    check(f"{name}: install step fails", install.status == "failure" and install.returncode == 2, log)
    check(f"{name}: says why", message in install.stdout, log)
    check(
        f"{name}: the lint step never runs",
        job.step("feastops lint").status == "skipped"
        and job.outputs == {"verdict": "", "findings-count": ""}
        and "FEASTOPS_BIN" not in job.env,
        log,
    )
    if cache is not None:
        left = [p for p in cache.rglob("feastops") if p.is_file()] if cache.exists() else []
        check(f"{name}: no binary is left in the cache", left == [], str(left))


def main() -> None:
    wheel, work = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    wheels, releases = make_release(wheel, work)
    action = action_copy(work, work / "SHA256SUMS")
    pip_env = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels)}

    # 1. The wheel, pip --require-hashes.
    cache = work / "cache-pypi"
    job = run_action(
        action, {**LINT_INPUTS, "install-from": "pypi"}, workspace(work, "ws-pypi"),
        {**pip_env, "FEASTOPS_CACHE_DIR": str(cache)},
    )
    expect_lint_ran("wheel", job, cache)
    check("wheel: installed with --require-hashes", "hashes pinned" in job.step("Install feastops").stdout, job.log())

    # 1b. A wheel whose hash differs from the pin is refused by pip.
    tampered_wheels = work / "wheels-tampered"
    tampered_wheels.mkdir()
    bad = tampered_wheels / wheel.name
    shutil.copy(wheel, bad)
    with zipfile.ZipFile(bad, "a") as z:
        z.writestr("feastops-extra.txt", "not the released wheel")
    cache = work / "cache-pypi-tampered"
    job = run_action(
        action, {**LINT_INPUTS, "install-from": "pypi"}, workspace(work, "ws-pypi-tampered"),
        {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(tampered_wheels), "FEASTOPS_CACHE_DIR": str(cache)},
    )
    expect_nothing_ran("tampered wheel", job, "pip could not install the pinned feastops", cache)
    check("tampered wheel: pip names the hash mismatch", "THESE PACKAGES DO NOT MATCH THE HASHES" in job.step("Install feastops").stderr, job.log())

    # 2. The release archive with its pinned checksum.
    release_env = {"FEASTOPS_RELEASE_BASE_URL": releases.as_uri()}
    cache = work / "cache-release"
    job = run_action(
        action, {**LINT_INPUTS, "install-from": "release"}, workspace(work, "ws-release"),
        {**release_env, "FEASTOPS_CACHE_DIR": str(cache)},
    )
    expect_lint_ran("release archive", job, cache)

    # 2b. The same cache on the next run: no download.
    job = run_action(
        action, {**LINT_INPUTS, "install-from": "release"}, workspace(work, "ws-release-cached"),
        {"FEASTOPS_RELEASE_BASE_URL": "file:///nonexistent", "FEASTOPS_CACHE_DIR": str(cache)},
    )
    expect_lint_ran("cached binary", job, cache)

    # 3. A replaced archive: checksum mismatch, nothing installed, nothing runs.
    archive = releases / f"v{CARGO_VERSION}" / ASSET
    with archive.open("ab") as f:
        f.write(b"\0")
    cache = work / "cache-tampered"
    job = run_action(
        action, {**LINT_INPUTS, "install-from": "release"}, workspace(work, "ws-tampered"),
        {**release_env, "FEASTOPS_CACHE_DIR": str(cache)},
    )
    expect_nothing_ran("tampered archive", job, f"checksum mismatch for {ASSET}", cache)

    # 4. A version this action ref does not pin is refused, not fetched.
    job = run_action(
        action, {**LINT_INPUTS, "version": "9.9.9"}, workspace(work, "ws-unpinned"),
        {**pip_env, "FEASTOPS_CACHE_DIR": str(work / "cache-unpinned")},
    )
    expect_nothing_ran("unpinned version", job, "feastops 9.9.9 is not pinned by this action ref", None)

    # 5. The action as committed pins no release yet: it says what to do.
    if "feastops==" not in (ROOT / "action/requirements.txt").read_text():
        job = run_action(
            ROOT, LINT_INPUTS, workspace(work, "ws-nopin"),
            {**pip_env, "FEASTOPS_CACHE_DIR": str(work / "cache-nopin")},
        )
        expect_nothing_ran("no pinned release", job, "set version: source", None)

    # 6. version: source builds this checkout with cargo. The dev profile and
    # this checkout's target/ keep it to a link; a PATH without rustup takes
    # the plain `cargo install` branch (no toolchain download here).
    tools = work / "toolbin"
    tools.mkdir()
    cargo_bin = Path(shutil.which("cargo")).parent
    for tool in ("cargo", "rustc"):
        (tools / tool).symlink_to(cargo_bin / tool)
    path = ":".join([str(tools)] + [p for p in os.environ["PATH"].split(":") if Path(p) != cargo_bin])
    cache = work / "cache-source"
    job = run_action(
        ROOT, {**LINT_INPUTS, "version": "source"}, workspace(work, "ws-source"),
        {
            "FEASTOPS_CACHE_DIR": str(cache),
            "FEASTOPS_CARGO_PROFILE": "dev",
            "CARGO_TARGET_DIR": str(ROOT / "target"),
            "RUSTUP_HOME": os.environ.get("RUSTUP_HOME", str(Path.home() / ".rustup")),
            "CARGO_HOME": os.environ.get("CARGO_HOME", str(Path.home() / ".cargo")),
            "PATH": path,
        },
    )
    expect_lint_ran("version: source", job, cache)
    check("version: source: built with cargo", "building from the action's source" in job.step("Install feastops").stdout, job.log())

    shutil.rmtree(work)  # binaries of every scenario: about 1 GB
    print(f"dist: {len(passed)} passed, 0 failed")


if __name__ == "__main__":
    main()
