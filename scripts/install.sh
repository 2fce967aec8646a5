#!/usr/bin/env bash
# Builds the provider for this machine and installs it into Terraform's implied
# local mirror, so that a configuration with only
#   required_providers { writer = { source = "writer/writer" } }
# runs `terraform init` with no CLI configuration at all:
#   ~/.terraform.d/plugins/registry.terraform.io/writer/writer/${VERSION}/${OS}_${ARCH}/
# It installs the same binary as the release zip (scripts/release.sh for this
# platform only), or with `--from DIR` the zip scripts/release.sh already
# wrote into DIR. Prints what it did and how to undo it.
#
# Environment: HOME (where ~/.terraform.d is), CARGO_TARGET_DIR.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() { echo "install.sh: $*" >&2; exit 1; }
from=
if [ "${1:-}" = "--from" ] && [ $# -eq 2 ]; then from=$2; shift 2; fi
[ $# -eq 0 ] || die "usage: scripts/install.sh [--from RELEASE_DIR] (the version is Cargo.toml's; HOME says where to install)"
[ -n "${HOME:-}" ] || die "HOME is not set"

version=$("$root/scripts/version.sh")
platform=$("$root/scripts/platform.sh")

if [ -n "$from" ]; then
  work=$(cd "$from" && pwd)
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/writer-install.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  RELEASE_PLATFORMS=$platform "$root/scripts/release.sh" "$work"
fi
[ -f "$work/terraform-provider-writer_${version}_${platform}.zip" ] ||
  die "no terraform-provider-writer_${version}_${platform}.zip in $work"

base=$HOME/.terraform.d/plugins/registry.terraform.io/writer/writer
dir=$base/$version/$platform
binary=terraform-provider-writer_v$version
mkdir -p "$dir"
rm -f "$dir/$binary"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' \
  "$work/terraform-provider-writer_${version}_${platform}.zip" "$binary" "$dir"
chmod 755 "$dir/$binary"

cat <<EOF
Installed terraform-provider-writer $version for $platform:
  $dir/$binary
Terraform finds it there with no CLI configuration (its implied local mirror), for:
  terraform { required_providers { writer = { source = "writer/writer", version = "$version" } } }
Run \`terraform init\` again in configurations that used another copy
(\`terraform init -upgrade\` if their .terraform.lock.hcl pins another one).
To undo:
  rm -rf "$base/$version"
EOF
