//! A finding before it is located: what every stage (reading, parsing, the
//! schema, the rules) produces. The checker turns it into a
//! [`Diagnostic`](super::Diagnostic) by resolving `at` against the file's
//! tree.

use std::fmt;

use super::{Code, Span};

/// Where a finding points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// A known span of the file.
    Span(Span),
    /// The value at a JSON pointer into the document.
    Value(String),
    /// The key `key` of the mapping at a JSON pointer.
    Key(String, String),
}

/// One problem, with its code and wording, not yet tied to a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The code.
    pub code: Code,
    /// Where.
    pub at: At,
    /// What is wrong and what to do.
    pub message: String,
}

impl Finding {
    /// A finding from a message type, which knows its code.
    pub fn of(at: At, message: &dyn Message) -> Finding {
        Finding {
            code: message.code(),
            at,
            message: message.to_string(),
        }
    }
}

/// The wording of one kind of diagnostic: one type per diagnostic, whose
/// `Display` is the message and which names its code.
pub trait Message: fmt::Display {
    /// The code this message is reported under.
    fn code(&self) -> Code;
}

/// Declares that a message type is reported under one fixed code.
#[macro_export]
macro_rules! message_code {
    ($($ty:ident $(<$lt:lifetime>)? => $code:ident),* $(,)?) => {
        $(impl $(<$lt>)? $crate::diag::Message for $ty $(<$lt>)? {
            fn code(&self) -> $crate::diag::Code {
                $crate::diag::Code::$code
            }
        })*
    };
}
