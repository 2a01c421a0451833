//! Whom a request is about: one profile by PKey, or every profile with an email.

use crate::Result;
use crate::email::Email;
use crate::pkey::PKey;

/// The profile(s) a request names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// One profile.
    PKey(PKey),
    /// Every profile with this email (ACS matches it exactly).
    Email(Email),
}

/// How to read an argument that may be a PKey or an email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    /// Decide from its shape (see [`looks_like_email`]).
    Guess,
    /// It is a PKey.
    PKey,
    /// It is an email.
    Email,
}

impl Subject {
    /// Reads `value` as `kind` says, validating it with the core's rules.
    pub fn parse(value: &str, kind: SubjectKind) -> Result<Subject> {
        let as_email = match kind {
            SubjectKind::PKey => false,
            SubjectKind::Email => true,
            SubjectKind::Guess => looks_like_email(value),
        };
        if as_email {
            Email::new(value).map(Subject::Email)
        } else {
            PKey::new(value).map(Subject::PKey)
        }
    }
}

/// Whether an argument is meant as an email: text before the last `@`, a dot after it with
/// text on both sides, and no leading `@`.
///
/// Emails are also valid PKeys (PKeys are opaque), so the shape decides. ACS's own PKeys start
/// with `@` (`@Zk3q9Lw2TfR0`), which is why a leading `@` always means a PKey.
pub fn looks_like_email(value: &str) -> bool {
    if value.starts_with('@') {
        return false;
    }
    match value.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain
                    .split_once('.')
                    .is_some_and(|(name, rest)| !name.is_empty() && !rest.is_empty())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shape_decides_between_email_and_pkey() {
        for email in ["ana@example.com", "a.b+c@mail.example.org", "x@y.z"] {
            assert!(looks_like_email(email), "{email}");
        }
        for pkey in [
            "@Zk3q9Lw2TfR0",
            "@abc.def",
            "ana@localhost",
            "ana@.com",
            "ana@com.",
            "plain",
        ] {
            assert!(!looks_like_email(pkey), "{pkey}");
        }
    }

    #[test]
    fn forcing_a_kind_overrides_the_shape() {
        assert_eq!(
            Subject::parse("ana@example.com", SubjectKind::PKey).unwrap(),
            Subject::PKey(PKey::new("ana@example.com").unwrap())
        );
        assert_eq!(
            Subject::parse("ana@localhost", SubjectKind::Email).unwrap(),
            Subject::Email(Email::new("ana@localhost").unwrap())
        );
        assert!(Subject::parse("../admin", SubjectKind::Guess).is_err());
    }
}
