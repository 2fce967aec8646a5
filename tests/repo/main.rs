//! Static checks of the repository: the architecture (the layers point one
//! way), the generated `docs/` (rendered from the provider's schemas and
//! compared), the Markdown links, and the dev profile's list of build-only
//! crates. They read files and the provider's schemas in this process, and
//! run only `cargo metadata` and `rustc -vV` (for that list); they need no
//! `support`, so this binary does not compile it.
//!
//! Each file is a module named as the file was (`docs::...`). The docs are
//! regenerated with `UPDATE_DOCS=1 cargo test --test repo docs::`.

mod architecture;
mod build_profile;
mod docs;
mod links;
