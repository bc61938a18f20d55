#!/usr/bin/env bash
# The GitHub Action's install step: makes a feastops binary available and
# records its path as FEASTOPS_BIN in $GITHUB_ENV for the lint step.
#
# In order:
#   1. FEASTOPS_BIN already set (self-hosted runner, tests): use it as is.
#   2. A binary cached by an earlier run (actions/cache, same action ref).
#   3. The release asset feastops-v<version>-<target>.tar.gz from the action's
#      repository, verified against the sha256 pinned in action/checksums.txt
#      (an asset without a pinned checksum is never used).
#   4. Build from the action's own source with cargo (Rust 1.95).
set -euo pipefail

action_dir=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
env_file=${GITHUB_ENV:-/dev/null}
cache_dir=${FEASTOPS_CACHE_DIR:-$HOME/.cache/feastops-action}

if [ -n "${FEASTOPS_BIN:-}" ]; then
  echo "feastops: using FEASTOPS_BIN=$FEASTOPS_BIN"
  "$FEASTOPS_BIN" --version
  exit 0
fi

source_version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_dir/Cargo.toml" | head -n 1)
version=${FEASTOPS_VERSION:-}
[ -n "$version" ] || version=$source_version
version=${version#v}
bin_dir="$cache_dir/$version/bin"

use() {
  "$1" --version
  echo "FEASTOPS_BIN=$1" >> "$env_file"
  exit 0
}

if [ -x "$bin_dir/feastops" ]; then
  echo "feastops: cached $bin_dir/feastops"
  use "$bin_dir/feastops"
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
  Linux-aarch64) target=aarch64-unknown-linux-gnu ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  *) target= ;;
esac
asset="feastops-v$version-$target.tar.gz"
pinned=$(awk -v a="$asset" '$2 == a { print $1 }' "$action_dir/action/checksums.txt")
if [ "$version" != source ] && [ -n "$target" ] && [ -n "$pinned" ]; then
  repo=${FEASTOPS_ACTION_REPOSITORY:-feastops/feastops}
  url="https://github.com/$repo/releases/download/v$version/$asset"
  tmp=$(mktemp -d)
  echo "feastops: downloading $url"
  if curl --fail --location --silent --show-error --retry 3 -o "$tmp/$asset" "$url"; then
    actual=$(sha256sum "$tmp/$asset" | cut -d' ' -f1)
    if [ "$actual" != "$pinned" ]; then
      echo "::error title=feastops install::checksum mismatch for $asset: expected $pinned, got $actual"
      exit 2
    fi
    mkdir -p "$bin_dir"
    tar -xzf "$tmp/$asset" -C "$bin_dir" feastops
    use "$bin_dir/feastops"
  fi
  echo "feastops: download failed; building from source"
fi

echo "feastops: building $source_version from source with cargo"
toolchain=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' "$action_dir/Cargo.toml" | head -n 1)
if command -v rustup > /dev/null 2>&1; then
  rustup toolchain install "$toolchain" --profile minimal --no-self-update
  cargo "+$toolchain" install --locked --path "$action_dir" --root "$cache_dir/$version"
else
  cargo install --locked --path "$action_dir" --root "$cache_dir/$version"
fi
use "$bin_dir/feastops"
