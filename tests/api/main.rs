//! The Writer API from both ends, over real HTTP on loopback: the client
//! against the emulator, a scripted proxy and hostile fake Writers
//! (`client_*`), the emulator's API, faults, binary and limits
//! (`emulator_*`), Writer's own Python SDK against the emulator binary
//! (`writer_sdk`), and the SDK and the client against a Writer that follows
//! only the published documentation (`published_writer`, on
//! `tests/published_writer/writer.py`). Neither `terraform` nor the provider
//! binary is involved.
//!
//! One binary because these share `support`'s emulator, proxy, fake Writer
//! and log capture, compiled once. Each file is a module named as the file
//! was (`client_retry::...`); run one with `cargo test --test api client_retry::`.
//!
//! The tests run in parallel threads of one process, so what is
//! process-wide is handled once or kept out of the process:
//! - the open-files limit, raised for the thousand-connection test, is
//!   raised once (`emulator_stress::allow_open_files`, a `OnceLock`) and
//!   only ever up, which the other tests do not mind;
//! - log captures are per thread (`support::capture`: `set_default`, not a
//!   global subscriber);
//! - the bounded-memory test of the client reads this process's peak memory,
//!   which other tests would raise: it runs itself again in a child process
//!   of its own (`client_stalled::in_a_process_of_its_own`).

#[path = "../support/mod.rs"]
mod support;

mod client_api;
mod client_faults;
mod client_hostile;
mod client_kg_download;
mod client_kg_emulator;
mod client_kg_hostile;
mod client_kg_null_lists;
mod client_retry;
mod client_stalled;
mod client_unusable_ids;
mod emulator_api;
mod emulator_bin;
mod emulator_faults;
mod emulator_kg;
mod emulator_leftovers;
mod emulator_lock;
mod emulator_not_found;
mod emulator_stress;
mod emulator_upload_faults;
mod published_writer;
mod writer_sdk;
