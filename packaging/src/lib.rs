//! Nothing to link: this package exists for its tests
//! (`tests/packaging/main.rs`), the packaging checks that
//! `scripts/packaging-check` runs after `scripts/release.sh`. They are a
//! package of their own so that the root's `cargo test` neither builds nor
//! runs them: they need zig, nasm, Wine, qemu-user and gpg, which a newcomer's
//! machine does not have and `cargo test` must not ask for.
