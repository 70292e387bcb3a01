//! The entry's id: equal to its file name, and a name every system can
//! check out.

use std::fmt;

use super::{Context, Emit};
use crate::model::RawEntry;
use crate::schema::shown;

/// The id and the file name differ.
struct IdMismatch<'a> {
    id: &'a str,
    stem: &'a str,
}

impl fmt::Display for IdMismatch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the id `{}` differs from the file name `{}`; rename the file to `{}.yaml` or change the id",
            self.id,
            shown(self.stem),
            self.id
        )
    }
}

/// The id is a Windows device name.
struct ReservedName<'a> {
    id: &'a str,
}

impl fmt::Display for ReservedName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the id `{0}` is a device name on Windows, where `{0}.yaml` cannot be checked out; choose another id, e.g. `{0}-tool`",
            self.id
        )
    }
}

crate::message_code!(IdMismatch<'a> => IdMismatch, ReservedName<'a> => ReservedName);

/// Whether `name` (a file stem) is a device name Windows reserves, in any
/// case: `con`, `prn`, `aux`, `nul`, `com1`–`com9`, `lpt1`–`lpt9`.
pub fn is_reserved_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "con" | "prn" | "aux" | "nul" => true,
        _ => {
            let b = lower.as_bytes();
            b.len() == 4
                && (lower.starts_with("com") || lower.starts_with("lpt"))
                && (b'1'..=b'9').contains(&b[3])
        }
    }
}

/// `id-mismatch` and `reserved-name`.
pub fn check(entry: &RawEntry, ctx: &Context<'_>, out: &mut Emit<'_>) {
    let Some(id) = entry.id.as_deref() else {
        return;
    };
    if id != ctx.stem {
        out.value("/id", &IdMismatch { id, stem: ctx.stem });
    }
    if is_reserved_name(id) {
        out.value("/id", &ReservedName { id });
    }
}

#[cfg(test)]
mod tests {
    use super::is_reserved_name;

    #[test]
    fn windows_device_names_are_reserved() {
        for name in [
            "con", "CON", "nul", "aux", "prn", "com1", "COM9", "lpt1", "lpt9",
        ] {
            assert!(is_reserved_name(name), "{name}");
        }
        for name in [
            "com0",
            "com10",
            "console",
            "nullify",
            "lpt",
            "auxiliary",
            "c0n",
        ] {
            assert!(!is_reserved_name(name), "{name}");
        }
    }
}
