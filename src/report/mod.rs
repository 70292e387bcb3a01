//! Pure view models built from a checked catalog, one per command output:
//! listings, one tool, compatibility, the requirement matrix, reviews,
//! coverage, diffs, the index and the export. [`crate::render`] writes them.

pub mod compat;
pub mod coverage;
pub mod diff;
pub mod export;
pub mod index;
pub mod list;
pub mod matrix;
pub mod review;
pub mod show;
pub mod sssom;
pub mod vocabulary;

pub use list::{Filter, Listing, SortKey, ToolSummary};
