#!/usr/bin/env bash
# Release artefacts, shaped as the Terraform registry and `terraform providers
# mirror` expect them:
#   terraform-provider-writer_${VERSION}_${OS}_${ARCH}.zip  (one file: terraform-provider-writer_v${VERSION},
#                                                           on windows terraform-provider-writer_v${VERSION}.exe)
#   terraform-provider-writer_${VERSION}_manifest.json      (protocol version 6.0)
#   terraform-provider-writer_${VERSION}_SHA256SUMS         (over the zips and the manifest)
#   terraform-provider-writer_${VERSION}_SHA256SUMS.sig     (detached GPG signature, when GPG_FINGERPRINT is set)
#
# Usage: scripts/release.sh [--checksums-only] OUT_DIR
#   --checksums-only  build nothing: write the manifest, SHA256SUMS (and .sig) over
#                     the zips already in OUT_DIR (the release workflow gathers the
#                     linux and darwin zips first).
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
# On Linux it installs what it lacks: the rust musl targets (rustup) and
# cargo-zigbuild + zig (PyPI) into a virtualenv under the target directory.
set -euo pipefail

CARGO_ZIGBUILD_VERSION=0.24.1
ZIGLANG_VERSION=0.17.1
NAME=terraform-provider-writer

die() { echo "release.sh: $*" >&2; exit 1; }

checksums_only=false
if [ "${1:-}" = "--checksums-only" ]; then checksums_only=true; shift; fi
[ $# -eq 1 ] || die "usage: scripts/release.sh [--checksums-only] OUT_DIR"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
version=$("$root/scripts/version.sh")
prefix="${NAME}_${version}"

command -v python3 >/dev/null || die "needs python3 (it writes the zips and the manifest)"

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

# cargo-zigbuild and zig: from PATH, else pinned versions in a virtualenv.
zig_tools() {
  if command -v cargo-zigbuild >/dev/null && command -v zig >/dev/null; then return; fi
  local venv=$target_dir/release-tools
  if [ ! -x "$venv/bin/cargo-zigbuild" ]; then
    echo "release.sh: installing cargo-zigbuild $CARGO_ZIGBUILD_VERSION and ziglang $ZIGLANG_VERSION into $venv" >&2
    python3 -m venv "$venv" || die "cannot make a virtualenv: install python3-venv, or put cargo-zigbuild and zig on PATH"
    "$venv/bin/pip" install --quiet "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION" "ziglang==$ZIGLANG_VERSION" ||
      die "cannot install cargo-zigbuild and ziglang from PyPI; put cargo-zigbuild and zig on PATH instead"
  fi
  # cargo-zigbuild runs `python3 -m ziglang` when there is no zig on PATH.
  export PATH="$venv/bin:$PATH"
}

build() {
  local triples=() p t
  for p in "$@"; do
    t=$(rust_target "$p")
    triples+=(--target "$t")
    if command -v rustup >/dev/null; then
      rustup target list --installed | grep -qx "$t" || rustup target add "$t" >&2 ||
        die "cannot add the rust target $t (rustup target add $t)"
    fi
  done
  case "$1" in
    linux_* | windows_*)
      [ "$(uname -s)" = Linux ] || die "linux and windows platforms are built on Linux"
      case " $* " in
        *" windows_amd64 "*) command -v nasm >/dev/null ||
          die "windows_amd64 needs nasm on PATH (aws-lc-sys assembles with it; Debian: apt-get install nasm)" ;;
      esac
      zig_tools
      (cd "$root" && cargo zigbuild --locked --profile dist --bin "$NAME" "${triples[@]}")
      ;;
    darwin_*)
      [ "$(uname -s)" = Darwin ] || die "darwin platforms are built on macOS (linking needs the macOS SDK)"
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
  zig=() darwin=()
  for p in "${platforms[@]}"; do
    case "$p" in linux_* | windows_*) zig+=("$p") ;; darwin_*) darwin+=("$p") ;; *) rust_target "$p" >/dev/null ;; esac
  done
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
  command -v gpg >/dev/null || die "GPG_FINGERPRINT is set but gpg is not on PATH"
  gpg_args=(--batch --yes --local-user "$GPG_FINGERPRINT" --detach-sign --output "$out/${prefix}_SHA256SUMS.sig")
  if [ -n "${GPG_PASSPHRASE:-}" ]; then
    gpg "${gpg_args[@]}" --pinentry-mode loopback --passphrase-fd 0 "$out/${prefix}_SHA256SUMS" <<<"$GPG_PASSPHRASE"
  else
    gpg "${gpg_args[@]}" "$out/${prefix}_SHA256SUMS"
  fi
  echo "release.sh: signed with $GPG_FINGERPRINT" >&2
fi
echo "release.sh: version $version in $out" >&2
