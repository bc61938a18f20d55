#!/usr/bin/env bash
# The GitHub Action's lint step. Inputs arrive as FEASTOPS_INPUT_* environment
# variables (action.yml never interpolates them into a script), are passed to
# feastops as single `--flag=value` arguments, and are never evaluated.
#
# Writes: annotations (stdout), the job summary ($GITHUB_STEP_SUMMARY),
# `verdict` (pass | fail | error) and `findings-count` ($GITHUB_OUTPUT), and
# the SARIF file when `sarif-file` is set. Exit code is feastops's: 0 pass,
# 1 findings at or above fail-on, 2 could not compare (never a pass).
set -euo pipefail

bin=${FEASTOPS_BIN:-feastops}
summary_file=${GITHUB_STEP_SUMMARY:-/dev/null}
output_file=${GITHUB_OUTPUT:-/dev/null}

# Workflow-command escaping (GitHub's escapeData).
escape() {
  local s=${1//'%'/'%25'}
  s=${s//$'\r'/'%0D'}
  printf '%s' "${s//$'\n'/'%0A'}"
}

# Could not compare: say so everywhere a reader looks, fail the step.
give_up() {
  local reason=$1
  echo "::error title=feastops could not compare the schemas::$(escape "$reason")"
  {
    echo "### ⛔ feastops could not compare the schemas"
    echo
    echo "There is no verdict: a schema could not be read, so nothing was checked."
    echo
    echo '```text'
    printf '%s\n' "$reason"
    echo '```'
  } >> "$summary_file"
  {
    echo "verdict=error"
    echo "findings-count="
  } >> "$output_file"
  exit 2
}

[ -n "${FEASTOPS_INPUT_AGAINST:-}" ] || give_up "input 'against' is empty: name the baseline schema (a registry, lock file or feature repo)"
[ -n "${FEASTOPS_INPUT_PATH:-}" ] || give_up "input 'path' is empty: name the proposed schema (a feature repo directory, lock file or registry)"
command -v "$bin" > /dev/null 2>&1 || give_up "feastops binary not found: $bin"

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/feastops.XXXXXX")
trap 'rm -rf "$work"' EXIT

args=(lint "--against=$FEASTOPS_INPUT_AGAINST" "--proposed=$FEASTOPS_INPUT_PATH")
[ -n "${FEASTOPS_INPUT_FAIL_ON:-}" ] && args+=("--fail-on=$FEASTOPS_INPUT_FAIL_ON")
[ -n "${FEASTOPS_INPUT_MODE:-}" ] && args+=("--mode=$FEASTOPS_INPUT_MODE")
[ -n "${FEASTOPS_INPUT_CONFIG:-}" ] && args+=("--config=$FEASTOPS_INPUT_CONFIG")
[ -n "${FEASTOPS_INPUT_PROJECT:-}" ] && args+=("--project=$FEASTOPS_INPUT_PROJECT")
[ -n "${FEASTOPS_INPUT_REPO_DIR:-}" ] && args+=("--repo-dir=$FEASTOPS_INPUT_REPO_DIR")
args+=("--format=json=$work/report.json" "--format=markdown=$work/summary.md")
[ -n "${FEASTOPS_INPUT_SARIF_FILE:-}" ] && args+=("--format=sarif=$FEASTOPS_INPUT_SARIF_FILE")
if [ "${FEASTOPS_INPUT_ANNOTATIONS:-true}" = "true" ]; then
  args+=("--format=github")
else
  args+=("--format=text")
fi

status=0
"$bin" "${args[@]}" 2> "$work/stderr" || status=$?
cat "$work/stderr" >&2

if [ "$status" -ge 2 ]; then
  give_up "$(cat "$work/stderr")"
fi
# json contract v1, pretty-printed: one `"rule":` line per finding.
count=$(grep -c '^      "rule": ' "$work/report.json" || true)
if [ "$status" -eq 0 ]; then verdict=pass; else verdict=fail; fi
if [ "${FEASTOPS_INPUT_SUMMARY:-true}" = "true" ]; then
  cat "$work/summary.md" >> "$summary_file"
fi
{
  echo "verdict=$verdict"
  echo "findings-count=$count"
} >> "$output_file"
exit "$status"
