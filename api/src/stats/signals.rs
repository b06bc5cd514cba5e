//! Credential-sharing signals: tokens used from too many addresses, or far above their usual
//! volume, in the last 24 hours (from the hourly per-address rollup), cached a minute per
//! organisation.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime, Timelike, Utc};
use diesel::prelude::*;

use super::model::*;
use super::service::SharingThresholds;
use crate::db::aggregate::sum_i64;
use crate::db::{schema::*, DbConnection};
use crate::error::ApiResult;
use crate::time::utc;

struct IpRow {
    actor_id: String,
    actor_name: Option<String>,
    ip: String,
    events: i64,
    downloads: i64,
    first_at: NaiveDateTime,
    last_at: NaiveDateTime,
}

/// Tokens used from too many addresses, or far above their usual volume, in the last 24 hours.
pub fn sharing_signals(conn: &mut DbConnection, org_id: &str, th: SharingThresholds) -> ApiResult<Vec<SharingSignal>> {
    let now = Utc::now().naive_utc();
    let since = now - Duration::hours(24);
    // The last 24 hourly buckets (the current, partial hour included) of the per-address rollup.
    let from_hour = since.date().and_hms_opt(since.time().hour(), 0, 0).unwrap_or(since) + Duration::hours(1);
    #[allow(clippy::type_complexity)]
    let grouped: Vec<(String, String, i64, i64, Option<NaiveDateTime>, Option<NaiveDateTime>)> =
        audit_hourly_ips::table
            .filter(audit_hourly_ips::org_id.eq(org_id))
            .filter(audit_hourly_ips::hour.ge(from_hour))
            .group_by((audit_hourly_ips::actor_id, audit_hourly_ips::ip))
            .select((
                audit_hourly_ips::actor_id,
                audit_hourly_ips::ip,
                sum_i64(audit_hourly_ips::events),
                sum_i64(audit_hourly_ips::downloads),
                diesel::dsl::min(audit_hourly_ips::first_at),
                diesel::dsl::max(audit_hourly_ips::last_at),
            ))
            .load(conn)?;
    let ids: Vec<String> = grouped.iter().map(|r| r.0.clone()).collect();
    let names: HashMap<String, String> = access_tokens::table
        .filter(access_tokens::id.eq_any(&ids))
        .select((access_tokens::id, access_tokens::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut rows: Vec<IpRow> = grouped
        .into_iter()
        .map(|(actor_id, ip, events, downloads, first_at, last_at)| IpRow {
            actor_name: names.get(&actor_id).cloned(),
            actor_id,
            ip,
            events,
            downloads,
            first_at: first_at.unwrap_or(from_hour),
            last_at: last_at.unwrap_or(from_hour),
        })
        .collect();
    rows.sort_by(|a, b| (&a.actor_id, b.events).cmp(&(&b.actor_id, a.events)));
    let mut per_token: Vec<(String, Option<String>, Vec<IpRow>)> = Vec::new();
    for r in rows {
        match per_token.last_mut() {
            Some((id, _, v)) if *id == r.actor_id => v.push(r),
            _ => per_token.push((r.actor_id.clone(), r.actor_name.clone(), vec![r])),
        }
    }
    // Usual volume: average daily downloads over the 30 days before the last 24 hours.
    let base_from = (since - Duration::days(30)).date();
    let base_to = since.date() - Duration::days(1);
    let baseline: HashMap<String, i64> = audit_daily_actors::table
        .filter(audit_daily_actors::org_id.eq(org_id))
        .filter(audit_daily_actors::day.between(base_from, base_to))
        .group_by(audit_daily_actors::actor_id)
        .select((audit_daily_actors::actor_id, sum_i64(audit_daily_actors::downloads)))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let mut signals = Vec::new();
    for (token_id, name, ips) in per_token {
        let downloads: i64 = ips.iter().map(|r| r.downloads).sum();
        let usual = baseline.get(&token_id).copied().unwrap_or(0) as f64 / 30.0;
        let evidence: Vec<IpEvidence> = ips
            .iter()
            .map(|r| IpEvidence {
                ip: r.ip.clone(),
                events: r.events,
                first_at: utc(r.first_at),
                last_at: utc(r.last_at),
            })
            .collect();
        let distinct = ips.len() as i64;
        if distinct > th.max_ips {
            signals.push(SharingSignal {
                token_id: token_id.clone(),
                token_name: name.clone(),
                kind: "many_ips".into(),
                description: format!(
                    "used from {distinct} different addresses in the last 24 hours (threshold {})",
                    th.max_ips
                ),
                ips: evidence.clone(),
                downloads_last_24h: downloads,
                usual_daily_downloads: usual,
            });
        }
        // A token without a download in the baseline window has no usual volume to exceed: a new
        // customer's first busy day is not a sign of sharing (too many addresses still is).
        let has_history = baseline.get(&token_id).is_some_and(|n| *n > 0);
        if has_history && downloads >= th.min_downloads && downloads as f64 > th.volume_factor * usual.max(1.0) {
            signals.push(SharingSignal {
                token_id,
                token_name: name,
                kind: "volume_spike".into(),
                description: format!(
                    "{downloads} downloads in the last 24 hours, {:.1}× its usual {usual:.1} per day (threshold {}×)",
                    downloads as f64 / usual.max(1.0),
                    th.volume_factor
                ),
                ips: evidence,
                downloads_last_24h: downloads,
                usual_daily_downloads: usual,
            });
        }
    }
    Ok(signals)
}

/// Sharing signals per organisation, recomputed at most once a minute: they describe 24-hour
/// windows, so a minute of staleness changes nothing, and the statistics page stays cheap however
/// often it is opened.
pub struct SignalCache {
    entries: moka::sync::Cache<String, Vec<SharingSignal>>,
}

impl Default for SignalCache {
    fn default() -> Self {
        Self {
            entries: moka::sync::Cache::builder()
                .time_to_live(std::time::Duration::from_secs(60))
                .max_capacity(10_000)
                .build(),
        }
    }
}

impl SignalCache {
    pub fn get_or_compute(
        &self,
        conn: &mut DbConnection,
        org_id: &str,
        th: SharingThresholds,
    ) -> ApiResult<Vec<SharingSignal>> {
        if let Some(signals) = self.entries.get(org_id) {
            return Ok(signals);
        }
        let signals = sharing_signals(conn, org_id, th)?;
        self.entries.insert(org_id.to_string(), signals.clone());
        Ok(signals)
    }
}
