//! alliance-catalog: validate, list and publish a catalog of AI
//! safety, security and trust tools kept as YAML files.
//!
//! The pipeline, one way, with I/O only at the ends:
//!
//! 1. [`load`] finds the catalog and reads its files within limits;
//! 2. [`load::yaml`] parses YAML 1.2 with a position on every node;
//! 3. [`schema`] checks each document against the embedded JSON Schemas;
//! 4. [`check`] decodes entries into [`model`] types and runs the rules,
//!    per entry and across entries, collecting [`diag::Diagnostic`]s;
//! 5. [`report`] builds the view model of each command's output; [`render`]
//!    (and [`diag::render`] for diagnostics) writes them, one module per format.
//!
//! Modules depend one way only, each on lower layers:
//! [`source`], [`text`], [`suggest`], [`write`](mod@write) ← [`diag`] ← [`model`] ←
//! [`load`] ← [`schema`] ← [`check`] ← [`report`] ← [`render`] ← the binary's
//! `cli`. `tests/cli/module_graph.rs` checks it.
//!
//! The library never prints; the binary in `main.rs` owns stdout, stderr and
//! the exit code.

pub mod check;
pub mod diag;
pub mod load;
pub mod model;
pub mod purl;
pub mod registry;
pub mod render;
pub mod report;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod text;
pub mod write;
