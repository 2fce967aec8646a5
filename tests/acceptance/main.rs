//! The acceptance tests: everything that drives the real `terraform` (the one
//! on PATH, 1.11, and Terraform 1.15) against the real provider binary,
//! installed from a filesystem mirror, with the emulator or a hostile fake
//! Writer behind it; also the CI drift recipe and the examples users copy,
//! which run `terraform` the same way.
//!
//! One test binary, not one per file: they all need the same parts of
//! `support` (the Terraform working directories, the mirror holding the
//! provider binary, the emulator as a process), which are built once here
//! and set up once per run (the mirror and Terraform 1.15 are `OnceLock`s of
//! `support::terraform`). Each file is a module named as the file was, so a
//! test is `acceptance_lifecycle::...`; run one file's tests with
//! `cargo test --test acceptance acceptance_lifecycle::`.
//!
//! Each test works in its own temporary directories and its own emulator
//! process, and changes nothing of this process (no environment variables,
//! no current directory), so they run in parallel threads of one process.

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

mod acceptance_functions;
mod acceptance_hostile;
mod acceptance_interrupt;
mod acceptance_kg_agent;
mod acceptance_kg_file;
mod acceptance_kg_file_import;
mod acceptance_kg_file_query;
mod acceptance_kg_graph;
mod acceptance_kg_guide;
mod acceptance_kg_heldout;
mod acceptance_kg_query;
mod acceptance_kg_state;
mod acceptance_kg_upload;
mod acceptance_lifecycle;
mod acceptance_limits;
mod acceptance_localhost;
mod acceptance_mirror;
mod acceptance_optional_secret;
mod acceptance_query;
mod acceptance_schema_cache;
mod acceptance_sharepoint;
mod acceptance_stalled;
mod acceptance_state_reading;
mod acceptance_trust;
mod acceptance_validate;
mod acceptance_words;
mod ci_drift_recipe;
mod examples;
