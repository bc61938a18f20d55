"""A simulated GitHub Actions runner for this repository's composite action.

It runs the steps of action.yml the way the runner does for a cold cache:
inputs get their defaults, `${{ }}` expressions in `env:` are evaluated
from the inputs and the github/runner contexts, each `run:` step gets its
own GITHUB_OUTPUT file, lines appended to GITHUB_ENV reach the later steps,
the first failing step stops the job (later steps are "skipped"), and the
action's outputs are read from the step outputs. `uses:` steps are not run:
the only one is actions/cache, which on a cold runner restores nothing.

A `${{ }}` inside a `run:` script is refused: the action passes inputs only
through `env:`, and the runner would paste such a value into the script.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class StepResult:
    name: str
    status: str  # success | failure | skipped | not-run (uses:)
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""


@dataclass
class JobResult:
    steps: list[StepResult]
    outputs: dict[str, str]
    env: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(s.status == "failure" for s in self.steps)

    def step(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.name == name)

    def log(self) -> str:
        return "\n".join(
            f"--- {s.name}: {s.status} ({s.returncode})\n{s.stdout}{s.stderr}"
            for s in self.steps
        )


def _parse_kv_file(path: Path) -> dict[str, str]:
    """GITHUB_ENV / GITHUB_OUTPUT: NAME=value lines (and NAME<<EOF blocks)."""
    values: dict[str, str] = {}
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and "=" not in line.split("<<", 1)[0]:
            name, delim = line.split("<<", 1)
            body = []
            i += 1
            while lines[i] != delim:
                body.append(lines[i])
                i += 1
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        i += 1
    return values


def run_action(
    action_dir: Path,
    inputs: dict[str, str],
    workspace: Path,
    extra_env: dict[str, str] | None = None,
    action_repository: str = "feastops/feastops",
) -> JobResult:
    spec = yaml.safe_load((action_dir / "action.yml").read_text())
    declared = spec.get("inputs", {})
    unknown = set(inputs) - set(declared)
    if unknown:
        raise ValueError(f"inputs not declared in action.yml: {sorted(unknown)}")
    values = {k: str(v.get("default", "")) for k, v in declared.items()}
    values.update(inputs)
    for name, meta in declared.items():
        if meta.get("required") and not values.get(name):
            raise ValueError(f"required input {name!r} is empty")

    step_outputs: dict[str, dict[str, str]] = {}
    context = {
        "inputs": values,
        "github": {
            "action_repository": action_repository,
            "action_ref": "v0-test",
            "sha": "0" * 40,
        },
        "runner": {"os": "Linux", "arch": "X64"},
        "steps": step_outputs,
    }

    def evaluate(expr: str) -> str:
        value: object = context
        for part in expr.split("."):
            if not isinstance(value, dict) or part not in value:
                raise ValueError(f"expression the simulator cannot evaluate: {expr!r}")
            value = value[part]
        return str(value)

    def substitute(text: str) -> str:
        # `a || b`: the only operator action.yml uses (in the cache key).
        def one(m: re.Match[str]) -> str:
            for alt in m.group(1).split("||"):
                v = evaluate(alt.strip())
                if v:
                    return v
            return ""

        return EXPR.sub(one, text)

    tmp = Path(tempfile.mkdtemp(prefix="runner-", dir=workspace))
    env_file = tmp / "github_env"
    env_file.write_text("")
    summary = tmp / "step_summary.md"
    summary.write_text("")
    job_env: dict[str, str] = {}
    results: list[StepResult] = []
    failed = False
    for i, step in enumerate(spec["runs"]["steps"]):
        name = step.get("name", f"step {i}")
        if failed:
            results.append(StepResult(name, "skipped"))
            continue
        if "uses" in step:
            results.append(StepResult(name, "not-run"))
            continue
        script = step["run"]
        if EXPR.search(script):
            raise ValueError(f"step {name!r}: `${{{{ }}}}` inside run: {script!r}")
        output_file = tmp / f"output_{i}"
        output_file.write_text("")
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", str(tmp)),
            "LANG": "C.UTF-8",
            **(extra_env or {}),
            **job_env,
            "GITHUB_ACTION_PATH": str(action_dir),
            "GITHUB_ENV": str(env_file),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_WORKSPACE": str(workspace),
            "RUNNER_TEMP": str(tmp),
        }
        env.update({k: substitute(str(v)) for k, v in step.get("env", {}).items()})
        assert step.get("shell") == "bash", f"step {name!r}: shell must be bash"
        proc = subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
        )
        status = "success" if proc.returncode == 0 else "failure"
        results.append(StepResult(name, status, proc.returncode, proc.stdout, proc.stderr))
        if "id" in step:
            step_outputs[step["id"]] = {"outputs": _parse_kv_file(output_file)}
        job_env = _parse_kv_file(env_file)
        failed = proc.returncode != 0

    outputs = {}
    for name, meta in spec.get("outputs", {}).items():
        try:
            outputs[name] = substitute(meta["value"])
        except ValueError:
            outputs[name] = ""  # the step that sets it did not run
    return JobResult(results, outputs, job_env)
