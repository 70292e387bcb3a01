//! Pure view models built from a checked catalog: filters and listings.

pub mod compat;
pub mod diff;
pub mod export;
pub mod list;

pub use list::{Filter, SortKey, ToolSummary};
