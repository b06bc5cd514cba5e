//! Request validation. Field rules are declared on the request types with `garde`
//! (`#[derive(garde::Validate)]`, `#[garde(custom(validate::text(1, 200)))]`, …); rules that need
//! the database or look at several fields at once use [`Checks`]. Both report the same way: one
//! 400 problem listing every defect by field, in our words.

use crate::error::{ApiError, FieldError};

/// Collects field defects; `finish` turns any into one 400 problem listing them all.
#[derive(Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }
    /// Starts with the declared field rules of `value` (a `garde::Validate` request type).
    pub fn of<T: garde::Validate<Context = ()>>(value: &T) -> Self {
        let mut c = Self::default();
        if let Err(report) = value.validate() {
            for (path, e) in report.into_inner() {
                c.add(&path.to_string(), e.message());
            }
        }
        c
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
            self.add(field, EMAIL_DEFECT);
        }
        self
    }
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) -> &mut Self {
        if let Some(why) = text_defect(value, min, max) {
            self.add(field, why);
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

/// The declared field rules of `value`, as one 400 problem when any fails.
pub fn fields<T: garde::Validate<Context = ()>>(value: &T) -> Result<(), ApiError> {
    Checks::of(value).finish()
}

const EMAIL_DEFECT: &str = "must be an e-mail address like name@example.com";

/// Text of `min`..=`max` characters once trimmed.
fn text_defect(value: &str, min: usize, max: usize) -> Option<String> {
    let n = value.trim().chars().count();
    if n < min {
        Some(if min == 1 { "must not be empty".to_string() } else { format!("must be at least {min} characters") })
    } else if n > max {
        Some(format!("must be at most {max} characters"))
    } else {
        None
    }
}

/// garde rule: text of `min`..=`max` characters once trimmed.
pub fn text(min: usize, max: usize) -> impl FnOnce(&str, &()) -> garde::Result {
    move |v, _| text_defect(v, min, max).map_or(Ok(()), |why| Err(garde::Error::new(why)))
}

/// garde rule: [`text`] when present.
pub fn opt_text(min: usize, max: usize) -> impl FnOnce(&Option<String>, &()) -> garde::Result {
    move |v, ctx| v.as_deref().map_or(Ok(()), |v| text(min, max)(v, ctx))
}

/// garde rule: a list with `min`..=`max` items.
pub fn items<T>(min: usize, max: usize, why: &'static str) -> impl FnOnce(&[T], &()) -> garde::Result {
    move |v, _| if (min..=max).contains(&v.len()) { Ok(()) } else { Err(garde::Error::new(why)) }
}

/// garde rule: every item text of `min`..=`max` characters once trimmed.
pub fn each_text(min: usize, max: usize, why: &'static str) -> impl FnOnce(&[String], &()) -> garde::Result {
    move |v, _| {
        if v.iter().all(|x| text_defect(x, min, max).is_none()) {
            Ok(())
        } else {
            Err(garde::Error::new(why))
        }
    }
}

/// garde rule: a slug (see [`slug_defect`]).
pub fn slug(v: &str, _: &()) -> garde::Result {
    slug_defect(v).map_or(Ok(()), |why| Err(garde::Error::new(why)))
}

/// garde rule: an e-mail address (surrounding spaces ignored).
pub fn email(v: &str, _: &()) -> garde::Result {
    if is_email(v.trim()) {
        Ok(())
    } else {
        Err(garde::Error::new(EMAIL_DEFECT))
    }
}

/// garde rule: the password policy ([`crate::password::check_policy`]).
pub fn password(v: &str, _: &()) -> garde::Result {
    crate::password::check_policy(v).map_or(Ok(()), |why| Err(garde::Error::new(why)))
}

/// garde rule: [`password`] when present.
pub fn opt_password(v: &Option<String>, ctx: &()) -> garde::Result {
    v.as_deref().map_or(Ok(()), |v| password(v, ctx))
}

/// garde rule: [`email`] when present and not blank.
pub fn opt_email(v: &Option<String>, ctx: &()) -> garde::Result {
    match v.as_deref().map(str::trim) {
        Some(e) if !e.is_empty() => email(e, ctx),
        _ => Ok(()),
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
