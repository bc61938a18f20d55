"""End-to-end timing: `feastops lint REPO --against LOCK` vs `feast plan`.

Usage: python3 scripts/bench/repo_vs_feast.py [VIEWS FILES]   (default 500 50)
Needs target/release/feastops (cargo build --release) and feast (env FEAST,
default .venv-feast/bin/feast). Prints medians and the ratio. Parse time alone
is measured by the criterion bench: cargo bench --bench parse_repo.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FEASTOPS = ROOT / "target" / "release" / "feastops"
FEAST = os.environ.get("FEAST", str(ROOT / ".venv-feast" / "bin" / "feast"))


def timed(cmd, cwd=None, runs=15, ok=(0,)):
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, cwd=cwd, capture_output=True)
        samples.append(time.perf_counter() - t)
        if r.returncode not in ok:
            sys.exit(f"{' '.join(map(str, cmd))} exited {r.returncode}:\n{r.stderr.decode()[-2000:]}")
    return statistics.median(samples) * 1000


def main() -> None:
    views, files = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) > 2 else (500, 50)
    if not FEASTOPS.exists():
        sys.exit("build first: cargo build --release")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        subprocess.run([sys.executable, str(ROOT / "scripts/bench/gen_repo.py"), str(repo), str(views), str(files)], check=True)
        lock = Path(tmp) / "lock.json"
        subprocess.run([FEASTOPS, "snapshot", "--from", repo, "-o", lock], check=True)
        snap = timed([FEASTOPS, "snapshot", "--from", repo, "-o", os.devnull])
        lint = timed([FEASTOPS, "lint", repo, "--against", lock])
        (repo / "data").mkdir()
        plan = timed([FEAST, "plan", "--skip-source-validation"], cwd=repo, runs=3)
        print(f"repo: {views} views x 20 features in {files} files")
        print(f"feastops snapshot (read repo, write lock) median {snap:.1f} ms")
        print(f"feastops lint REPO --against LOCK       median {lint:.1f} ms")
        print(f"feast plan --skip-source-validation     median {plan:.0f} ms")
        print(f"ratio feast plan / feastops lint: {plan / lint:.0f}x")
        shutil.rmtree(repo, ignore_errors=True)


if __name__ == "__main__":
    main()
