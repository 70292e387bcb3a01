//! Identifiers as types of their own: a tool's id, a taxonomy term's id and
//! a platform's id are all short strings, but never interchangeable.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use super::raw::RawRequirement;
use crate::version::Requirement;

use serde::Serialize;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name($inner);

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.into())
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &*self.0 == other.as_str()
            }
        }
    };
}

id_type!(
    /// The id of a tool entry: lowercase kebab-case, equal to its file's stem.
    ToolId(Box<str>)
);
id_type!(
    /// The id of a term of a taxonomy vocabulary (a category, risk,
    /// lifecycle stage, modality or interface). Shared with the taxonomy's
    /// own copy, so that many entries naming a term cost one string.
    TermId(Arc<str>)
);
id_type!(
    /// The id of a platform that requirements name (`python`, `pytorch`).
    PlatformId(Arc<str>)
);

impl TermId {
    /// A term id sharing the text of `shared`.
    pub fn shared(shared: &Arc<str>) -> TermId {
        TermId(shared.clone())
    }
}

impl PlatformId {
    /// A platform id sharing the text of `shared`.
    pub fn shared(shared: &Arc<str>) -> PlatformId {
        PlatformId(shared.clone())
    }
}

/// Hands out shared copies of the ids a taxonomy defines, so that the
/// entries of a large catalog do not each hold their own, and of the
/// requirements entries state: one parsed copy of each (platform, schema
/// major version, text), however many releases state it.
#[derive(Debug, Default)]
pub struct Interner {
    known: HashMap<Box<str>, Arc<str>>,
    requirements: Mutex<HashMap<RequirementKey, Requirement>>,
}

/// What a parsed requirement depends on, besides the taxonomy (which is the
/// same for every entry an interner serves): the platform, the entry's
/// schema major version and the text or texts as written.
type RequirementKey = (PlatformId, u64, Texts);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Texts {
    One(Box<str>),
    Many(Box<[Box<str>]>),
}

impl Clone for Interner {
    fn clone(&self) -> Interner {
        Interner {
            known: self.known.clone(),
            requirements: Mutex::new(self.cached().clone()),
        }
    }
}

impl Interner {
    /// An interner knowing `ids`.
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Interner {
        Interner {
            known: ids
                .into_iter()
                .map(|id| (Box::from(id), Arc::from(id)))
                .collect(),
            requirements: Mutex::default(),
        }
    }

    /// A term id for `text`: the shared copy when known.
    pub fn term(&self, text: &str) -> TermId {
        self.known
            .get(text)
            .map_or_else(|| TermId::from(text), TermId::shared)
    }

    /// A platform id for `text`: the shared copy when known.
    pub fn platform(&self, text: &str) -> PlatformId {
        self.known
            .get(text)
            .map_or_else(|| PlatformId::from(text), PlatformId::shared)
    }

    /// The requirement `raw` on `platform` in an entry of schema major
    /// version `major`: a shared copy when the same was parsed before, else
    /// what `parse` makes of it (remembered when it parses).
    pub fn requirement(
        &self,
        platform: &PlatformId,
        major: u64,
        raw: &RawRequirement,
        parse: impl FnOnce() -> Option<Requirement>,
    ) -> Option<Requirement> {
        let texts = match raw {
            RawRequirement::One(text) => Texts::One(text.as_str().into()),
            RawRequirement::Many(items) => Texts::Many(
                items
                    .iter()
                    .map(|t| t.as_deref().map(Box::from))
                    .collect::<Option<_>>()?,
            ),
        };
        let key = (platform.clone(), major, texts);
        if let Some(known) = self.cached().get(&key) {
            return Some(known.clone());
        }
        let parsed = parse()?;
        self.cached().insert(key, parsed.clone());
        Some(parsed)
    }

    fn cached(&self) -> std::sync::MutexGuard<'_, HashMap<RequirementKey, Requirement>> {
        // The map is only ever inserted into whole; a panic elsewhere
        // cannot leave it half-written.
        self.requirements
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_compare_with_text_and_serialize_as_text() {
        let id = ToolId::from("garak");
        assert_eq!(id, "garak");
        assert_eq!(serde_json::to_string(&id).expect("json"), "\"garak\"");
        let interner = Interner::new(["guardrail"]);
        let a = interner.term("guardrail");
        let b = interner.term("guardrail");
        assert!(Arc::ptr_eq(&a.0, &b.0), "known ids are shared");
        assert_eq!(interner.term("other"), "other");
    }
}
