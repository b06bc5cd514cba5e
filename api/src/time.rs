//! Time on the floor: every timestamp is UTC, stored naive (both backends' `TIMESTAMP`).

use chrono::{DateTime, NaiveDateTime, Utc};

/// The stored form of a stored instant, as UTC.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// Now, in the stored form.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}
