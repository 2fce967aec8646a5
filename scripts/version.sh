#!/usr/bin/env bash
# Prints the provider's version: the `version` of Cargo.toml's [package], the
# one source of truth for the binary, the scripts, the tests and the releases.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(awk '/^\[/ { in_package = ($0 == "[package]") }
  in_package && /^version *=/ { gsub(/.*= *"|".*/, ""); print; exit }' "$root/Cargo.toml")
[ -n "$version" ] || { echo "version.sh: no version in $root/Cargo.toml [package]" >&2; exit 1; }
echo "$version"
