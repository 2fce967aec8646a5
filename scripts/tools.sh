# The tools scripts/release.sh and scripts/packaging-check need, checked
# before anything is built; every missing one is named with how to get it.
# With --install-tools the scripts install them where that is allowed:
#   Debian packages   apt-get, as root (or through sudo that asks no password)
#   cargo-zigbuild, zig  pip, into a virtualenv under the target directory
#                     (target/release-tools), pinned below
#   rust targets      rustup target add
# Terraform itself (>= 1.11, on PATH) is never installed here: it is the
# README's prerequisite for every command.
#
# Sourced, not run. The caller sets `tools_who` (its name, for messages) and
# `target_dir`, writes a function that calls the need_* checks below, and
# calls `tools_require THAT_FUNCTION INSTALL` (INSTALL: true or false).

CARGO_ZIGBUILD_VERSION=0.24.1
ZIGLANG_VERSION=0.17.1

tools_reset() {
  tools_missing=() # one line each: the tool, what it is for, how to get it
  tools_apt=()     # Debian packages that would provide what is missing
  tools_rust=()    # rust targets to add
  tools_zig=false  # cargo-zigbuild and zig to install into target/release-tools
}

# need_command COMMAND PACKAGE WHY: COMMAND on PATH, from Debian's PACKAGE.
need_command() {
  command -v "$1" >/dev/null && return 0
  tools_apt+=("$2")
  tools_missing+=("$1 ($3): Debian: apt-get install $2")
}

# need_one_of "COMMAND..." PACKAGE WHY: any of the commands (or paths).
need_one_of() {
  local c
  for c in $1; do
    if command -v "$c" >/dev/null || [ -x "$c" ]; then return 0; fi
  done
  tools_apt+=("$2")
  tools_missing+=("${1%% *} ($3): Debian: apt-get install $2")
}

# python3 with venv and pip (Debian splits them out of python3).
need_python_venv() {
  if command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null; then return 0; fi
  tools_apt+=(python3 python3-venv)
  tools_missing+=("python3 with venv ($1): Debian: apt-get install python3 python3-venv")
}

# need_rust_target TRIPLE: the rust standard library for TRIPLE.
need_rust_target() {
  if ! command -v rustup >/dev/null; then
    # Without rustup, a toolchain has the targets it was installed with.
    rustc --print target-libdir --target "$1" >/dev/null 2>&1 &&
      [ -d "$(rustc --print target-libdir --target "$1")" ] && return 0
    tools_missing+=("rust target $1: install Rust with rustup (https://rustup.rs), then rustup target add $1")
    return 0
  fi
  rustup target list --installed 2>/dev/null | grep -qx "$1" && return 0
  tools_rust+=("$1")
  tools_missing+=("rust target $1 (the cross build): rustup target add $1")
}

# cargo-zigbuild and zig: both on PATH, else the pinned ones in
# target/release-tools (the zig there is PyPI's ziglang: `python3 -m ziglang`).
need_zig_tools() {
  command -v cargo-zigbuild >/dev/null && command -v zig >/dev/null && return 0
  local venv=$target_dir/release-tools
  [ -x "$venv/bin/cargo-zigbuild" ] && "$venv/bin/python3" -c 'import ziglang' 2>/dev/null && return 0
  tools_zig=true
  tools_missing+=("cargo-zigbuild $CARGO_ZIGBUILD_VERSION and zig (ziglang $ZIGLANG_VERSION) (the cross builds): pip install cargo-zigbuild==$CARGO_ZIGBUILD_VERSION ziglang==$ZIGLANG_VERSION into a virtualenv at $venv (what --install-tools does), or put cargo-zigbuild and zig on PATH")
}

# PATH for the cross builds: the virtualenv's cargo-zigbuild (which runs
# `python3 -m ziglang` when there is no zig on PATH).
zig_tools_on_path() {
  if command -v cargo-zigbuild >/dev/null && command -v zig >/dev/null; then return 0; fi
  export PATH="$target_dir/release-tools/bin:$PATH"
}

tools_install() {
  if [ ${#tools_apt[@]} -gt 0 ]; then
    local sudo=() packages
    read -r -a packages <<<"$(printf '%s\n' "${tools_apt[@]}" | sort -u | tr '\n' ' ')"
    if [ "$(id -u)" != 0 ]; then
      if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo=(sudo)
      else
        echo "$tools_who: installing ${packages[*]} needs root (apt-get): run as root, or install them yourself" >&2
        return 1
      fi
    fi
    command -v apt-get >/dev/null || {
      echo "$tools_who: no apt-get here: install ${packages[*]} with this system's package manager" >&2
      return 1
    }
    echo "$tools_who: apt-get install ${packages[*]}" >&2
    # apt-get's progress is not shown; its errors are.
    "${sudo[@]}" apt-get update -qq >/dev/null &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null ||
      { echo "$tools_who: apt-get install ${packages[*]} failed" >&2; return 1; }
  fi
  if [ ${#tools_rust[@]} -gt 0 ]; then
    echo "$tools_who: rustup target add ${tools_rust[*]}" >&2
    rustup target add "${tools_rust[@]}" >&2 || { echo "$tools_who: rustup target add ${tools_rust[*]} failed" >&2; return 1; }
  fi
  if $tools_zig; then
    local venv=$target_dir/release-tools
    echo "$tools_who: installing cargo-zigbuild $CARGO_ZIGBUILD_VERSION and ziglang $ZIGLANG_VERSION into $venv (pip)" >&2
    python3 -m venv "$venv" >&2 &&
      "$venv/bin/pip" install --quiet "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION" "ziglang==$ZIGLANG_VERSION" >&2 ||
      { echo "$tools_who: cannot install cargo-zigbuild and ziglang from PyPI into $venv" >&2; return 1; }
  fi
}

# tools_require CHECKS INSTALL: runs the function CHECKS (need_* calls); when
# something is missing, installs it if INSTALL is true and checks again; then
# fails naming everything still missing.
tools_require() {
  local checks=$1 install=$2
  tools_reset
  "$checks"
  if [ ${#tools_missing[@]} -gt 0 ] && $install; then
    tools_install || true
    tools_reset
    "$checks"
  fi
  [ ${#tools_missing[@]} -eq 0 ] && return 0
  {
    echo "$tools_who: missing, so nothing was built:"
    printf '  - %s\n' "${tools_missing[@]}"
    if $install; then
      echo "(--install-tools could not install them: see above)"
    else
      echo "Install them, or run again with --install-tools (Debian packages: as root, or with sudo)."
    fi
  } >&2
  exit 1
}
