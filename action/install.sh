#!/usr/bin/env bash
# The GitHub Action's install step: makes a feastops binary available and
# records its path as FEASTOPS_BIN in $GITHUB_ENV for the lint step. It
# installs a published release and never compiles, unless `version: source`
# asks for a build from the action's own source.
#
# In order:
#   1. FEASTOPS_BIN already set (self-hosted runner with feastops): use it.
#   2. `version: source`: cargo install from the action's source (Rust
#      version of Cargo.toml's rust-version).
#   3. A binary cached by an earlier run (actions/cache, same action ref).
#   4. `install-from: pypi` (the default where python3 exists): the wheel
#      from PyPI with `pip --require-hashes`, against the hashes pinned in
#      action/requirements.txt.
#      `install-from: release` (the default without python3): the release
#      asset, verified against the sha256 pinned in action/checksums.txt.
# Both pin files are written at release time by scripts/release/pin-action;
# a version that is not pinned there is refused, never fetched unverified.
#
# Environment: FEASTOPS_VERSION, FEASTOPS_INSTALL_FROM (the inputs),
# FEASTOPS_ACTION_REPOSITORY; FEASTOPS_CACHE_DIR, FEASTOPS_RELEASE_BASE_URL
# and FEASTOPS_CARGO_PROFILE let tests run it without GitHub.
set -euo pipefail

action_dir=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
env_file=${GITHUB_ENV:-/dev/null}
cache_dir=${FEASTOPS_CACHE_DIR:-$HOME/.cache/feastops-action}
requirements=$action_dir/action/requirements.txt
checksums=$action_dir/action/checksums.txt

sha256() {
  if command -v sha256sum > /dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1
}

fail() {
  echo "::error title=feastops install::$1"
  exit 2
}

use() {
  "$1" --version
  echo "FEASTOPS_BIN=$1" >> "$env_file"
  exit 0
}

if [ -n "${FEASTOPS_BIN:-}" ]; then
  echo "feastops: using FEASTOPS_BIN=$FEASTOPS_BIN"
  "$FEASTOPS_BIN" --version
  exit 0
fi

exe=
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64) target=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) target=x86_64-pc-windows-msvc exe=.exe ;;
  *) target= ;;
esac

version=${FEASTOPS_VERSION:-}
version=${version#v}

if [ "$version" = source ]; then
  # Keyed by the action's commit through the actions/cache key.
  root="$cache_dir/source"
  if [ -x "$root/bin/feastops$exe" ]; then
    echo "feastops: cached source build $root/bin/feastops$exe"
    use "$root/bin/feastops$exe"
  fi
  toolchain=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' "$action_dir/Cargo.toml" | head -n 1)
  echo "feastops: building from the action's source with cargo (Rust $toolchain); this takes minutes"
  cargo_args=(install --locked --path "$action_dir" --root "$root")
  [ -n "${FEASTOPS_CARGO_PROFILE:-}" ] && cargo_args+=(--profile "$FEASTOPS_CARGO_PROFILE")
  if command -v rustup > /dev/null 2>&1; then
    rustup toolchain install "$toolchain" --profile minimal --no-self-update
    cargo "+$toolchain" "${cargo_args[@]}"
  else
    cargo "${cargo_args[@]}"
  fi
  use "$root/bin/feastops$exe"
fi

# The release this action pins: the `feastops==X` line of requirements.txt.
pinned_version=$(sed -n 's/^feastops==\([^ \\]*\).*$/\1/p' "$requirements" 2> /dev/null | head -n 1)
[ -n "$version" ] || version=$pinned_version
[ -n "$version" ] || fail "this action ref pins no feastops release yet (action/requirements.txt is empty); use an action ref from a release, or set version: source to build from source"
if [ "$version" != "$pinned_version" ]; then
  fail "feastops $version is not pinned by this action ref (it pins ${pinned_version:-nothing}); use the action ref of release v$version, leave version empty, or set version: source"
fi

bin_dir="$cache_dir/$version/bin"
if [ -x "$bin_dir/feastops$exe" ]; then
  echo "feastops: cached $bin_dir/feastops$exe"
  use "$bin_dir/feastops$exe"
fi

from=${FEASTOPS_INSTALL_FROM:-}
if [ -z "$from" ]; then
  if command -v python3 > /dev/null 2>&1; then from=pypi; else from=release; fi
fi

tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/feastops-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

case "$from" in
  pypi)
    command -v python3 > /dev/null 2>&1 || fail "install-from: pypi needs python3 on the runner; use install-from: release"
    echo "feastops: pip install feastops==$version (hashes pinned in action/requirements.txt)"
    # --only-binary: a missing wheel for this platform is an error, never a
    # silent sdist build; --require-hashes: a replaced file is an error.
    pip_args=(install --quiet --disable-pip-version-check --no-deps
      --only-binary=:all: --require-hashes -r "$requirements")
    if python3 -m pip --version > /dev/null 2>&1; then
      # --target: no venv to create (seconds saved), and the runner's
      # Python is left alone (pip skips PEP 668's check for --target).
      PIP_ROOT_USER_ACTION=ignore python3 -m pip "${pip_args[@]}" --target "$tmp/site" \
        || fail "pip could not install the pinned feastops $version wheel (see above)"
      venv_bin=$tmp/site/bin
    else
      python3 -m venv "$tmp/venv" || fail "python3 has neither pip nor venv; use install-from: release"
      venv_bin=$tmp/venv/bin
      [ -d "$venv_bin" ] || venv_bin=$tmp/venv/Scripts
      "$venv_bin/python" -m pip "${pip_args[@]}" \
        || fail "pip could not install the pinned feastops $version wheel (see above)"
    fi
    [ -d "$venv_bin" ] || venv_bin=${venv_bin%/bin}/Scripts
    mkdir -p "$bin_dir"
    cp "$venv_bin/feastops$exe" "$bin_dir/feastops$exe"
    use "$bin_dir/feastops$exe"
    ;;
  release)
    [ -n "$target" ] || fail "no release binary for $(uname -s)-$(uname -m); use install-from: pypi or version: source"
    if [ -n "$exe" ]; then asset="feastops-v$version-$target.zip"; else asset="feastops-v$version-$target.tar.gz"; fi
    pinned=$(awk -v a="$asset" '$2 == a { print $1 }' "$checksums")
    [ -n "$pinned" ] || fail "no sha256 pinned for $asset in action/checksums.txt; use install-from: pypi or version: source"
    repo=${FEASTOPS_ACTION_REPOSITORY:-feastops/feastops}
    base=${FEASTOPS_RELEASE_BASE_URL:-https://github.com/$repo/releases/download}
    url="$base/v$version/$asset"
    echo "feastops: downloading $url"
    curl --fail --location --silent --show-error --retry 3 -o "$tmp/$asset" "$url" \
      || fail "could not download $url"
    actual=$(sha256 "$tmp/$asset")
    [ "$actual" = "$pinned" ] || fail "checksum mismatch for $asset: expected $pinned, got $actual; nothing was installed"
    mkdir -p "$tmp/unpacked"
    if [ -n "$exe" ]; then
      unzip -q "$tmp/$asset" "feastops$exe" -d "$tmp/unpacked"
    else
      tar -xzf "$tmp/$asset" -C "$tmp/unpacked" feastops
    fi
    mkdir -p "$bin_dir"
    mv "$tmp/unpacked/feastops$exe" "$bin_dir/feastops$exe"
    use "$bin_dir/feastops$exe"
    ;;
  *)
    fail "install-from must be pypi or release, not '$from'"
    ;;
esac
