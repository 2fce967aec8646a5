#!/usr/bin/env bash
# Release artefacts, shaped as the Terraform registry and `terraform providers
# mirror` expect them:
#   terraform-provider-writer_${VERSION}_${OS}_${ARCH}.zip  (one file: terraform-provider-writer_v${VERSION},
#                                                           on windows terraform-provider-writer_v${VERSION}.exe)
#   terraform-provider-writer_${VERSION}_manifest.json      (protocol version 6.0)
#   terraform-provider-writer_${VERSION}_SHA256SUMS         (over the zips and the manifest)
#   terraform-provider-writer_${VERSION}_SHA256SUMS.sig     (detached GPG signature, when GPG_FINGERPRINT is set)
#
# Usage: scripts/release.sh [--install-tools] [--checksums-only] OUT_DIR
#   --checksums-only  build nothing: write the manifest, SHA256SUMS (and .sig) over
#                     the zips already in OUT_DIR (the release workflow gathers the
#                     linux and darwin zips first).
#   --install-tools   install what the requested platforms need and this machine
#                     lacks (scripts/tools.sh): nasm (windows_amd64), python3-venv
#                     and gnupg with apt-get as root (or sudo without a password);
#                     cargo-zigbuild and zig with pip into a virtualenv under the
#                     target directory; the rust targets with rustup.
#
# Before building anything it checks every tool the requested platforms need
# (python3, cargo-zigbuild and zig, the rust targets, nasm for windows_amd64,
# gpg when signing) and, without --install-tools, fails naming each missing
# one with how to install it.
#
# Platforms (RELEASE_PLATFORMS, space separated; the default is the host's family):
#   linux_amd64 linux_arm64    static musl binaries, built on Linux with cargo-zigbuild
#   windows_amd64              x86_64-pc-windows-gnu, built on Linux with cargo-zigbuild
#                              (aws-lc-sys assembles its Windows code with nasm: on PATH)
#   windows_arm64              aarch64-pc-windows-gnullvm, likewise; it builds (a PE32+ Aarch64
#                              .exe), but nothing here can run it, so it is not in the default
#   darwin_amd64 darwin_arm64  built on macOS only (linking needs the macOS SDK)
# The default on Linux is linux_amd64 linux_arm64 windows_amd64.
#
# Environment: GPG_FINGERPRINT (the signing key), GPG_PASSPHRASE (if the key has
# one), CARGO_TARGET_DIR. The version is Cargo.toml's, nowhere else.
set -euo pipefail

NAME=terraform-provider-writer

die() { echo "release.sh: $*" >&2; exit 1; }

usage="usage: scripts/release.sh [--install-tools] [--checksums-only] OUT_DIR"
checksums_only=false
install_tools=false
while [ $# -gt 0 ]; do
  case "$1" in
    --checksums-only) checksums_only=true; shift ;;
    --install-tools) install_tools=true; shift ;;
    -*) die "$usage" ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || die "$usage"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
tools_who=release.sh
# shellcheck source=scripts/tools.sh
. "$root/scripts/tools.sh"
mkdir -p "$1"
out=$(cd "$1" && pwd)
version=$("$root/scripts/version.sh")
prefix="${NAME}_${version}"

rust_target() {
  case "$1" in
    linux_amd64) echo x86_64-unknown-linux-musl ;;
    linux_arm64) echo aarch64-unknown-linux-musl ;;
    darwin_amd64) echo x86_64-apple-darwin ;;
    darwin_arm64) echo aarch64-apple-darwin ;;
    windows_amd64) echo x86_64-pc-windows-gnu ;;
    windows_arm64) echo aarch64-pc-windows-gnullvm ;;
    *) die "unknown platform $1 (known: linux_amd64 linux_arm64 windows_amd64 windows_arm64 darwin_amd64 darwin_arm64)" ;;
  esac
}

# The executable's name inside the zip and in the build's output.
exe_suffix() {
  case "$1" in
    windows_*) echo .exe ;;
    *) echo "" ;;
  esac
}

build() {
  local triples=() p
  for p in "$@"; do triples+=(--target "$(rust_target "$p")"); done
  case "$1" in
    linux_* | windows_*)
      zig_tools_on_path
      (cd "$root" && cargo zigbuild --locked --profile dist --bin "$NAME" "${triples[@]}")
      ;;
    darwin_*)
      (cd "$root" && cargo build --locked --profile dist --bin "$NAME" "${triples[@]}")
      ;;
  esac
}

# A zip holding one executable entry, with a fixed date so equal binaries give equal zips.
pack() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys, zipfile
binary, entry, zip_path = sys.argv[1:]
info = zipfile.ZipInfo(entry, date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = 0o100755 << 16  # a regular file, executable: Terraform keeps the mode
info.create_system = 3  # unix, so the mode is read
info.compress_type = zipfile.ZIP_DEFLATED
with open(binary, "rb") as f, zipfile.ZipFile(zip_path, "w") as z:
    z.writestr(info, f.read(), compresslevel=9)
PY
}

platforms=() zig=() darwin=()
if ! $checksums_only; then
  if [ -n "${RELEASE_PLATFORMS:-}" ]; then
    read -r -a platforms <<<"$RELEASE_PLATFORMS"
  else
    case "$(uname -s)" in
      Linux) platforms=(linux_amd64 linux_arm64 windows_amd64) ;;
      Darwin) platforms=(darwin_amd64 darwin_arm64) ;;
      *) die "builds on Linux (linux_amd64, linux_arm64) or macOS (darwin_*) only" ;;
    esac
  fi
  for p in "${platforms[@]}"; do
    case "$p" in linux_* | windows_*) zig+=("$p") ;; darwin_*) darwin+=("$p") ;; *) rust_target "$p" >/dev/null ;; esac
  done
  [ ${#zig[@]} -eq 0 ] || [ "$(uname -s)" = Linux ] || die "linux and windows platforms are built on Linux"
  [ ${#darwin[@]} -eq 0 ] || [ "$(uname -s)" = Darwin ] || die "darwin platforms are built on macOS (linking needs the macOS SDK)"
fi

# Every tool the requested platforms need, before anything is built.
release_tools() {
  need_command python3 python3 "it writes the zips and the manifest"
  if [ -n "${GPG_FINGERPRINT:-}" ]; then need_command gpg gnupg "it signs SHA256SUMS: GPG_FINGERPRINT is set"; fi
  local p
  for p in "${platforms[@]}"; do need_rust_target "$(rust_target "$p")"; done
  if [ ${#zig[@]} -gt 0 ]; then
    need_zig_tools
    if $tools_zig; then need_python_venv "a virtualenv for cargo-zigbuild and zig"; fi
  fi
  case " ${platforms[*]} " in
    *" windows_amd64 "*) need_command nasm nasm "windows_amd64: aws-lc-sys assembles its Windows code with it" ;;
  esac
}
tools_require release_tools "$install_tools"

if ! $checksums_only; then
  [ ${#zig[@]} -eq 0 ] || build "${zig[@]}"
  [ ${#darwin[@]} -eq 0 ] || build "${darwin[@]}"
  for p in "${platforms[@]}"; do
    exe=$(exe_suffix "$p")
    binary=$target_dir/$(rust_target "$p")/dist/$NAME$exe
    [ -f "$binary" ] || die "the build did not produce $binary"
    rm -f "$out/${prefix}_${p}.zip"
    pack "$binary" "${NAME}_v${version}$exe" "$out/${prefix}_${p}.zip"
    echo "release.sh: $out/${prefix}_${p}.zip" >&2
  done
fi

ls "$out/${prefix}"_*_*.zip >/dev/null 2>&1 || die "no ${prefix}_OS_ARCH.zip in $out"
printf '{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}\n' >"$out/${prefix}_manifest.json"
(
  cd "$out"
  if command -v sha256sum >/dev/null; then sum=(sha256sum); else sum=(shasum -a 256); fi
  "${sum[@]}" "${prefix}"_*_*.zip "${prefix}_manifest.json" >"${prefix}_SHA256SUMS"
)
rm -f "$out/${prefix}_SHA256SUMS.sig"
if [ -n "${GPG_FINGERPRINT:-}" ]; then
  gpg_args=(--batch --yes --local-user "$GPG_FINGERPRINT" --detach-sign --output "$out/${prefix}_SHA256SUMS.sig")
  if [ -n "${GPG_PASSPHRASE:-}" ]; then
    gpg "${gpg_args[@]}" --pinentry-mode loopback --passphrase-fd 0 "$out/${prefix}_SHA256SUMS" <<<"$GPG_PASSPHRASE"
  else
    gpg "${gpg_args[@]}" "$out/${prefix}_SHA256SUMS"
  fi
  echo "release.sh: signed with $GPG_FINGERPRINT" >&2
fi
echo "release.sh: version $version in $out" >&2
