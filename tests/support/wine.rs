//! Running the `windows_amd64` release `.exe` on Linux under Wine (Debian's
//! `wine64`, Wine 8.0), for `packaging/tests/packaging/release.rs`.
//!
//! Wine 8.0 lacks `bcryptprimitives.dll`, where Rust's standard library
//! (1.78 and newer) takes its randomness on Windows 10 and newer
//! (`ProcessPrng`; every supported Windows has it). Without it the loader
//! refuses the `.exe` before `main`. So the test puts a stand-in next to the
//! `.exe` (Windows looks in the program's folder first): [`PROCESS_PRNG_C`],
//! built with zig for `x86_64-windows-gnu`, whose `ProcessPrng` asks Wine's
//! `BCryptGenRandom`. It is the test's, never shipped: on real Windows the
//! system's DLL is used.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The stand-in's source: `ProcessPrng` over `BCryptGenRandom`, in chunks of
/// at most 1 GiB (its length is a `ULONG`).
pub const PROCESS_PRNG_C: &str = r#"#include <windows.h>
#include <bcrypt.h>
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
    data += chunk;
    len -= chunk;
  }
  return TRUE;
}
"#;

/// Debian's `wine64` (on PATH, or where the package puts it), else `wine`;
/// missing, a loud failure.
pub fn wine() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|d| [d.join("wine64"), d.join("wine")])
        .chain([PathBuf::from("/usr/lib/wine/wine64")])
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "the windows_amd64 test runs the .exe under Wine: install it (Debian: apt-get \
                 install wine64). This test is never skipped."
            )
        })
}

/// `wine EXE` in a Wine prefix kept under target/ (making one takes a
/// while), quiet, without the Mono and Gecko installers it would offer,
/// with the stand-in DLL next to `exe`.
pub fn command(exe: &Path) -> Command {
    let folder = exe.parent().expect("the .exe's folder");
    std::fs::copy(process_prng_dll(), folder.join("bcryptprimitives.dll"))
        .expect("the stand-in DLL next to the .exe");
    let prefix = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wine-prefix");
    let mut cmd = Command::new(wine());
    cmd.arg(exe)
        .env("WINEPREFIX", prefix)
        .env("WINEDEBUG", "-all")
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
        .env_remove("DISPLAY");
    cmd
}

/// The stand-in `bcryptprimitives.dll`, built once per test run.
fn process_prng_dll() -> &'static Path {
    static DLL: OnceLock<PathBuf> = OnceLock::new();
    DLL.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wine-process-prng");
        std::fs::create_dir_all(&dir).unwrap();
        let source = dir.join("bcryptprimitives.c");
        std::fs::write(&source, PROCESS_PRNG_C).unwrap();
        let dll = dir.join("bcryptprimitives.dll");
        let out = zig_cc()
            .args(["-target", "x86_64-windows-gnu", "-shared", "-O2", "-o"])
            .arg(&dll)
            .arg(&source)
            .arg("-lbcrypt")
            .output()
            .expect("zig runs");
        assert!(
            out.status.success() && dll.is_file(),
            "cannot build the stand-in bcryptprimitives.dll:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dll
    })
}

/// `zig cc`: zig on PATH, else the one `scripts/release.sh` installs (PyPI's
/// ziglang in target/release-tools); neither, a loud failure.
fn zig_cc() -> Command {
    let path = std::env::var_os("PATH").unwrap_or_default();
    if let Some(zig) = std::env::split_paths(&path)
        .map(|d| d.join("zig"))
        .find(|p| p.is_file())
    {
        let mut cmd = Command::new(zig);
        cmd.arg("cc");
        return cmd;
    }
    let target = super::target_dir();
    let python = target.join("release-tools/bin/python3");
    assert!(
        python.is_file(),
        "the Wine test builds a DLL with zig: put zig on PATH, or run scripts/release.sh once \
         (it installs zig into {}). This test is never skipped.",
        target.join("release-tools").display()
    );
    let mut cmd = Command::new(python);
    cmd.args(["-m", "ziglang", "cc"]);
    cmd
}
