//! The domain model: entries, the taxonomy and the settings, as typed values.

pub mod entry;
pub mod framework;
pub mod ids;
pub mod raw;
pub mod settings;
pub mod stack;
pub mod taxonomy;

pub use entry::{Entry, License, Maintainer, Release, Requirement, Requires, Status, Vetting};
pub use framework::{Framework, Frameworks, ItemRef, Mapping, Relation, ToolMapping};
pub use ids::{Interner, PlatformId, TermId, ToolId};
pub use raw::RawEntry;
pub use settings::{Settings, SettingsError};
pub use stack::{Stack, StackError, StackVersion};
pub use taxonomy::{Taxonomy, Term, Vocabulary};
