//! Small field checks shared by request types; each returns the defect as a [`FieldError`].

use crate::error::{ApiError, FieldError};

/// Collects field defects; `finish` turns any into one 400 problem listing them all.
#[derive(Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &str, message: impl Into<String>) -> &mut Self {
        self.0.push(FieldError::new(field, message));
        self
    }
    pub fn check(&mut self, ok: bool, field: &str, message: impl Into<String>) -> &mut Self {
        if !ok {
            self.add(field, message);
        }
        self
    }
    pub fn slug(&mut self, field: &str, value: &str) -> &mut Self {
        if let Some(why) = slug_defect(value) {
            self.add(field, why);
        }
        self
    }
    pub fn email(&mut self, field: &str, value: &str) -> &mut Self {
        if !is_email(value) {
            self.add(field, "must be an e-mail address like name@example.com");
        }
        self
    }
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) -> &mut Self {
        let n = value.trim().chars().count();
        if n < min {
            self.add(
                field,
                if min == 1 { "must not be empty".to_string() } else { format!("must be at least {min} characters") },
            );
        } else if n > max {
            self.add(field, format!("must be at most {max} characters"));
        }
        self
    }
    pub fn finish(&mut self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let errors = std::mem::take(&mut self.0);
        let message = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ");
        Err(ApiError::Validation { message, errors })
    }
}

/// Slugs are lowercase ASCII letters, digits and inner hyphens, 1–63 characters (URL-safe).
pub fn slug_defect(s: &str) -> Option<&'static str> {
    let ok_chars = s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if s.is_empty() || s.len() > 63 {
        Some("must be 1 to 63 characters")
    } else if !ok_chars {
        Some("may contain only lowercase letters, digits and hyphens")
    } else if s.starts_with('-') || s.ends_with('-') {
        Some("must not start or end with a hyphen")
    } else {
        None
    }
}

pub fn is_email(s: &str) -> bool {
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && !local.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && domain.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        }
        None => false,
    }
}

/// For PATCH fields where `null` means "clear it": absent → `None`, `null` → `Some(None)`,
/// a value → `Some(Some(v))` (use with `#[serde(default, deserialize_with = …)]`).
pub fn double_option<'de, T, D>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(de).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_emails() {
        assert!(slug_defect("acme-corp").is_none());
        assert!(slug_defect("Acme").is_some());
        assert!(slug_defect("-a").is_some());
        assert!(slug_defect("").is_some());
        assert!(is_email("a.b@example.co.uk"));
        assert!(!is_email("a@b"));
        assert!(!is_email("a b@example.com"));
        assert!(!is_email("@example.com"));
    }
}
