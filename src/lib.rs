//! alliance-catalog: validate, list and publish a catalog of AI
//! safety, security and trust tools kept as YAML files.
//!
//! The pipeline, one way, with I/O only at the ends:
//!
//! 1. [`load`] finds the catalog and reads its files within limits;
//! 2. [`load::yaml`] parses YAML 1.2 with a position on every node;
//! 3. [`schema`] checks each document against the embedded JSON Schemas;
//!    [`stack`] reads the stacks users have (`pip freeze`, lock files,
//!    conda, SBOMs, virtual environments) into a [`model::Stack`];
//! 4. [`check`] decodes entries into [`model`] types and runs the rules,
//!    per entry and across entries, collecting [`diag::Diagnostic`]s;
//! 5. [`report`] builds the view model of each command's output; [`render`]
//!    (and [`diag::render`] for diagnostics) writes them, one module per format;
//!    [`site`] lays them out as a static web site.
//!
//! Modules depend one way only, each on lower layers:
//! [`source`], [`text`], [`suggest`], [`write`](mod@write) ← [`diag`] ← [`model`] ←
//! [`load`] ← [`schema`], [`stack`] ← [`check`] ← [`report`] ← [`render`] ← [`site`] ← the binary's
//! `cli`. `tests/cli/module_graph.rs` checks it.
//!
//! The library never prints; the binary in `main.rs` owns stdout, stderr and
//! the exit code.

pub mod check;
pub mod diag;
pub mod edit;
pub mod load;
pub mod migrate;
pub mod model;
pub mod purl;
pub mod refresh;
pub mod registry;
pub mod render;
pub mod report;
pub mod schema;
pub mod site;
pub mod source;
pub mod stack;
pub mod suggest;
pub mod text;
pub mod version;
pub mod write;
