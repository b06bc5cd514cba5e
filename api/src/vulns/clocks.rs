//! The response clocks, counted from awareness: customers notified (48 h by default), critical
//! vulnerabilities addressed (15 business days), and for actively exploited ones the CRA Art.
//! 14(2) reports — early warning 24 h, notification 72 h, final report 14 days after the first
//! published fix. Admins are e-mailed before a deadline passes.

use chrono::{Datelike, Duration, NaiveDateTime, Weekday};
use diesel::prelude::*;

use super::model::*;
use super::store::{self, Report, Vulnerability};
use crate::db::{schema::*, DbConnection};
use crate::error::ApiResult;
use crate::notify::{targeting, EventType};
use crate::portal::settings::{self, Portal};
use crate::time::{now, utc};

/// `start` plus `days` business days (Monday to Friday; public holidays are not known here).
pub fn add_business_days(start: NaiveDateTime, days: i32) -> NaiveDateTime {
    let mut t = start;
    let mut left = days;
    while left > 0 {
        t += Duration::days(1);
        if !matches!(t.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    t
}

fn clock(
    name: &str,
    label: String,
    due: Option<NaiveDateTime>,
    done: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> Clock {
    let state = match (due, done) {
        (None, Some(_)) => ClockState::Met,
        (None, None) => ClockState::Pending,
        (Some(d), Some(x)) if x <= d => ClockState::Met,
        (Some(_), Some(_)) => ClockState::Missed,
        (Some(d), None) if at > d => ClockState::Overdue,
        (Some(_), None) => ClockState::Due,
    };
    Clock {
        name: name.into(),
        label,
        due_at: due.map(utc),
        done_at: done.map(utc),
        state,
        due_in_seconds: match (due, done) {
            (Some(d), None) => Some((d - at).num_seconds()),
            _ => None,
        },
    }
}

/// The clocks of a vulnerability under the organisation's settings.
pub fn of(v: &Vulnerability, reports: &[Report], portal: &Portal, at: NaiveDateTime) -> Vec<Clock> {
    let report = |k: ReportKind| reports.iter().find(|r| r.kind == k).map(|r| r.submitted_at);
    let mut out = vec![clock(
        "customers_notified",
        format!("Customers notified within {} h", portal.notify_within_hours),
        Some(v.aware_at + Duration::hours(portal.notify_within_hours as i64)),
        v.first_notified_at,
        at,
    )];
    if v.severity == Severity::Critical {
        out.push(clock(
            "critical_addressed",
            format!("Critical vulnerability addressed within {} business days", portal.critical_fix_business_days),
            Some(add_business_days(v.aware_at, portal.critical_fix_business_days)),
            v.first_fixed_published_at,
            at,
        ));
    }
    if v.actively_exploited {
        out.push(clock(
            "early_warning",
            "Early warning to the CSIRT and ENISA within 24 h (CRA Art. 14(2)(a))".into(),
            Some(v.aware_at + Duration::hours(24)),
            report(ReportKind::EarlyWarning),
            at,
        ));
        out.push(clock(
            "notification",
            "Vulnerability notification within 72 h (CRA Art. 14(2)(b))".into(),
            Some(v.aware_at + Duration::hours(72)),
            report(ReportKind::Notification),
            at,
        ));
        out.push(clock(
            "final_report",
            "Final report within 14 days of a corrective measure (CRA Art. 14(2)(c))".into(),
            v.first_fixed_published_at.map(|f| f + Duration::days(14)),
            report(ReportKind::FinalReport),
            at,
        ));
    }
    // A closed vulnerability's running clocks stop; a missed deadline stays visible as overdue.
    if v.closed_at.is_some() {
        for c in out.iter_mut().filter(|c| c.state == ClockState::Due) {
            c.state = ClockState::Pending;
            c.due_in_seconds = None;
        }
    }
    out
}

/// E-mails the organisation's admins about clocks whose deadline is within `hours` (or passed),
/// once per clock. Returns how many reminders were queued.
pub fn remind_tick(conn: &mut DbConnection, hours: i64) -> ApiResult<usize> {
    let at = now();
    let open: Vec<Vulnerability> = vulnerabilities::table
        .filter(vulnerabilities::closed_at.is_null())
        .select(Vulnerability::as_select())
        .load(conn)?;
    let mut queued = 0;
    for v in open {
        let Some(portal) = settings::find(conn, &v.org_id)? else { continue };
        let reports = store::reports(conn, &v)?;
        let reminded: Vec<String> = v.reminded.split_whitespace().map(str::to_string).collect();
        let mut now_reminded = reminded.clone();
        let mut texts = Vec::new();
        for c in of(&v, &reports, &portal, at) {
            let Some(left) = c.due_in_seconds else { continue };
            // One reminder while it is due soon, one more once it is overdue.
            let marker = format!("{}:{}", c.name, if left < 0 { "overdue" } else { "due" });
            if left > hours * 3600
                || reminded.contains(&marker)
                || (left >= 0 && reminded.contains(&format!("{}:overdue", c.name)))
            {
                continue;
            }
            let when = c.due_at.map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default();
            let summary = if left < 0 {
                format!("{} — {}: OVERDUE since {when}. {}", v.vuln_id, c.label, v.title)
            } else {
                format!("{} — {}: due {when} (in {} h). {}", v.vuln_id, c.label, left / 3600, v.title)
            };
            texts.push(summary);
            now_reminded.push(marker);
        }
        if texts.is_empty() {
            continue;
        }
        // Queued only by the replica whose marker update wins.
        let won = diesel::update(vulnerabilities::table.find(&v.id).filter(vulnerabilities::reminded.eq(&v.reminded)))
            .set(vulnerabilities::reminded.eq(now_reminded.join(" ")))
            .execute(conn)?;
        if won == 1 {
            for summary in texts {
                queued += targeting::to_admins(conn, &portal, EventType::VulnerabilityDeadline, summary, Some(&v.id))?;
            }
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_days_skip_weekends() {
        let fri = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).and_then(|d| d.and_hms_opt(10, 0, 0));
        let Some(fri) = fri else { return };
        assert_eq!(add_business_days(fri, 1).weekday(), Weekday::Mon);
        assert_eq!((add_business_days(fri, 15) - fri).num_days(), 21);
    }
}
