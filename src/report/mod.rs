//! Pure view models built from a checked catalog: filters and listings.

pub mod compat;
pub mod coverage;
pub mod diff;
pub mod export;
pub mod list;
pub mod review;

pub use list::{Filter, SortKey, ToolSummary};
