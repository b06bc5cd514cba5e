//! Statistics queries. Everything comes from rollups maintained with every event: per action,
//! per product, per actor (daily), per token and address (hourly, for the sharing signals), and
//! the full `audit_daily` for per-token detail. No query reads the raw log.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use diesel::prelude::*;

use super::model::*;
use super::signals::SignalCache;
use crate::audit::query::AuditRow;
use crate::db::aggregate::sum_i64;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::time::utc;

/// Thresholds for the credential-sharing signals.
#[derive(Debug, Clone, Copy)]
pub struct SharingThresholds {
    /// More distinct client addresses than this within 24 h is a signal.
    pub max_ips: i64,
    /// More downloads in 24 h than this factor × the usual daily volume is a signal…
    pub volume_factor: f64,
    /// …when at least this many downloads happened.
    pub min_downloads: i64,
}

/// Every customer download action (`portal.sbom.download`, …), as a LIKE pattern.
const DOWNLOAD_ACTIONS: &str = "portal.%.download";
const SUCCESS: &str = "success";

pub fn resolve_range(q: &StatsQuery) -> ApiResult<(NaiveDate, NaiveDate)> {
    let today = Utc::now().date_naive();
    let to = q.to.unwrap_or(today);
    let from = q.from.unwrap_or(to - Duration::days(29));
    if from > to {
        return Err(ApiError::validation("from", "must not be after to"));
    }
    if (to - from).num_days() > 3 * 366 {
        return Err(ApiError::validation("from", "the range may span at most three years"));
    }
    Ok((from, to))
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

struct KeyCount {
    key: String,
    n: i64,
}

fn by_action(
    conn: &mut DbConnection,
    org_id: &str,
    actor: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<DownloadCounts> {
    // Organisation-wide from the per-action rollup; one token from the full rollup (actor index).
    let rows: Vec<(String, i64)> = match actor {
        Some(actor) => audit_daily::table
            .filter(audit_daily::org_id.eq(org_id))
            .filter(audit_daily::day.between(from, to))
            .filter(audit_daily::action.like(DOWNLOAD_ACTIONS))
            .filter(audit_daily::outcome.eq(SUCCESS))
            .filter(audit_daily::actor_id.eq(actor))
            .group_by(audit_daily::action)
            .select((audit_daily::action, sum_i64(audit_daily::events)))
            .load(conn)?,
        None => audit_daily_actions::table
            .filter(audit_daily_actions::org_id.eq(org_id))
            .filter(audit_daily_actions::day.between(from, to))
            .filter(audit_daily_actions::action.like(DOWNLOAD_ACTIONS))
            .filter(audit_daily_actions::outcome.eq(SUCCESS))
            .group_by(audit_daily_actions::action)
            .select((audit_daily_actions::action, sum_i64(audit_daily_actions::events)))
            .load(conn)?,
    };
    let rows = rows.into_iter().map(|(key, n)| KeyCount { key, n });
    let mut c = DownloadCounts::default();
    for r in rows {
        match r.key.as_str() {
            "portal.sbom.download" => c.sbom += r.n,
            "portal.vex.download" => c.vex += r.n,
            "portal.advisory.download" => c.advisory += r.n,
            "portal.document.download" => c.document += r.n,
            _ => {}
        }
        c.total += r.n;
    }
    Ok(c)
}

fn top_products(
    conn: &mut DbConnection,
    org_id: &str,
    actor: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> ApiResult<Vec<ProductDownloads>> {
    let rows: Vec<(String, i64)> = match actor {
        Some(actor) => audit_daily::table
            .filter(audit_daily::org_id.eq(org_id))
            .filter(audit_daily::day.between(from, to))
            .filter(audit_daily::action.like(DOWNLOAD_ACTIONS))
            .filter(audit_daily::outcome.eq(SUCCESS))
            .filter(audit_daily::product_id.ne(""))
            .filter(audit_daily::actor_id.eq(actor))
            .group_by(audit_daily::product_id)
            .select((audit_daily::product_id, sum_i64(audit_daily::events)))
            .order((sum_i64(audit_daily::events).desc(), audit_daily::product_id.asc()))
            .limit(limit)
            .load(conn)?,
        None => audit_daily_products::table
            .filter(audit_daily_products::org_id.eq(org_id))
            .filter(audit_daily_products::day.between(from, to))
            .group_by(audit_daily_products::product_id)
            .select((audit_daily_products::product_id, sum_i64(audit_daily_products::downloads)))
            .order((sum_i64(audit_daily_products::downloads).desc(), audit_daily_products::product_id.asc()))
            .limit(limit)
            .load(conn)?,
    };
    let rows: Vec<KeyCount> = rows.into_iter().map(|(key, n)| KeyCount { key, n }).collect();
    let ids: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    let names: HashMap<String, (String, String)> = products::table
        .filter(products::id.eq_any(&ids))
        .select((products::id, products::slug, products::name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, slug, name)| (id, (slug, name)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = names.get(&r.key);
            ProductDownloads {
                product_slug: n.map(|x| x.0.clone()),
                product_name: n.map(|x| x.1.clone()),
                product_id: r.key,
                downloads: r.n,
            }
        })
        .collect())
}

fn trend(
    conn: &mut DbConnection,
    org_id: &str,
    actor: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<(String, Vec<TrendPoint>)> {
    let rows: Vec<(NaiveDate, i64)> = match actor {
        Some(actor) => audit_daily_actors::table
            .filter(audit_daily_actors::org_id.eq(org_id))
            .filter(audit_daily_actors::day.between(from, to))
            .filter(audit_daily_actors::actor_id.eq(actor))
            .group_by(audit_daily_actors::day)
            .select((audit_daily_actors::day, sum_i64(audit_daily_actors::downloads)))
            .load(conn)?,
        None => audit_daily_actions::table
            .filter(audit_daily_actions::org_id.eq(org_id))
            .filter(audit_daily_actions::day.between(from, to))
            .filter(audit_daily_actions::action.like(DOWNLOAD_ACTIONS))
            .filter(audit_daily_actions::outcome.eq(SUCCESS))
            .group_by(audit_daily_actions::day)
            .select((audit_daily_actions::day, sum_i64(audit_daily_actions::events)))
            .load(conn)?,
    };
    let per_day: HashMap<NaiveDate, i64> = rows.into_iter().collect();
    let weekly = (to - from).num_days() > 90;
    let mut points: Vec<TrendPoint> = Vec::new();
    let mut d = from;
    while d <= to {
        let period = if weekly { d - Duration::days(i64::from(d.weekday().num_days_from_monday())) } else { d };
        let n = per_day.get(&d).copied().unwrap_or(0);
        match points.last_mut() {
            Some(p) if p.period == period => p.downloads += n,
            _ => points.push(TrendPoint { period, downloads: n }),
        }
        d += Duration::days(1);
    }
    Ok((if weekly { "week" } else { "day" }.into(), points))
}

struct CustomerRow {
    actor_id: String,
    events: i64,
    downloads: i64,
}

/// The whole calendar months inside `[from, to]` as `[first, end)` (first days of months);
/// an empty span at `to + 1` when there is none.
fn whole_months(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let after = to + Duration::days(1);
    let first = if from.day() == 1 { from } else { next_month(from) };
    let end = month_start(after);
    if first < end {
        (first, end)
    } else {
        (after, after)
    }
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

fn active_customers(
    conn: &mut DbConnection,
    org_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<Vec<ActiveCustomer>> {
    // Whole calendar months from the monthly rollup, the partial months at the edges per day: a
    // year reads ~12 rows per token instead of ~365.
    let (months_from, months_to) = whole_months(from, to);
    let edges: Vec<(String, i64, i64)> = audit_daily_actors::table
        .filter(audit_daily_actors::org_id.eq(org_id))
        .filter(
            audit_daily_actors::day
                .ge(from)
                .and(audit_daily_actors::day.lt(months_from))
                .or(audit_daily_actors::day.ge(months_to).and(audit_daily_actors::day.le(to))),
        )
        .group_by(audit_daily_actors::actor_id)
        .select((
            audit_daily_actors::actor_id,
            sum_i64(audit_daily_actors::events),
            sum_i64(audit_daily_actors::downloads),
        ))
        .load(conn)?;
    let months: Vec<(String, i64, i64)> = audit_monthly_actors::table
        .filter(audit_monthly_actors::org_id.eq(org_id))
        .filter(audit_monthly_actors::month.ge(months_from))
        .filter(audit_monthly_actors::month.lt(months_to))
        .group_by(audit_monthly_actors::actor_id)
        .select((
            audit_monthly_actors::actor_id,
            sum_i64(audit_monthly_actors::events),
            sum_i64(audit_monthly_actors::downloads),
        ))
        .load(conn)?;
    let mut merged: HashMap<String, CustomerRow> = HashMap::new();
    for (actor_id, events, downloads) in edges.into_iter().chain(months) {
        let e = merged.entry(actor_id.clone()).or_insert(CustomerRow { actor_id, events: 0, downloads: 0 });
        e.events += events;
        e.downloads += downloads;
    }
    let mut rows: Vec<CustomerRow> = merged.into_values().collect();
    rows.sort_by(|a, b| (b.downloads, b.events, &a.actor_id).cmp(&(a.downloads, a.events, &b.actor_id)));
    let ids: Vec<String> = rows.iter().map(|r| r.actor_id.clone()).collect();
    let tokens: HashMap<String, crate::portal::tokens::AccessToken> = access_tokens::table
        .filter(access_tokens::id.eq_any(&ids))
        .select(crate::portal::tokens::AccessToken::as_select())
        .load::<crate::portal::tokens::AccessToken>(conn)?
        .into_iter()
        .map(|t| (t.id.to_string(), t))
        .collect();
    let now = Utc::now().naive_utc();
    Ok(rows
        .into_iter()
        .map(|r| {
            let t = tokens.get(&r.actor_id);
            ActiveCustomer {
                name: t.map(|t| t.name.clone()),
                last_used_at: t.and_then(|t| t.last_used_at).map(utc),
                status: t.map(|t| t.status(now)),
                token_id: r.actor_id,
                downloads: r.downloads,
                events: r.events,
            }
        })
        .collect())
}

pub fn stats(
    conn: &mut DbConnection,
    org_id: &str,
    q: &StatsQuery,
    th: SharingThresholds,
    cache: &SignalCache,
) -> ApiResult<PortalStats> {
    let (from, to) = resolve_range(q)?;
    let today = Utc::now().date_naive();
    let this_month = month_start(today);
    let last_month = month_start(this_month - Duration::days(1));
    let (granularity, trend) = trend(conn, org_id, None, from, to)?;
    Ok(PortalStats {
        range: StatsRange { from, to, granularity },
        downloads_this_month: by_action(conn, org_id, None, this_month, today)?,
        downloads_last_month: by_action(conn, org_id, None, last_month, this_month - Duration::days(1))?,
        downloads_in_range: by_action(conn, org_id, None, from, to)?,
        top_products: top_products(conn, org_id, None, from, to, 10)?,
        trend,
        active_customers: active_customers(conn, org_id, from, to)?,
        sharing_signals: cache.get_or_compute(conn, org_id, th)?,
    })
}

pub fn token_usage(conn: &mut DbConnection, org_id: &str, token_id: &str, q: &StatsQuery) -> ApiResult<TokenUsage> {
    let (from, to) = resolve_range(q)?;
    let t = crate::portal::tokens::get(conn, org_id, token_id)?;
    let (granularity, trend) = trend(conn, org_id, Some(token_id), from, to)?;
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = (to + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default();
    let recent: Vec<AuditRow> = audit_events::table
        .filter(audit_events::org_id.eq(org_id))
        .filter(audit_events::actor_id.eq(token_id))
        .filter(audit_events::occurred_at.ge(start))
        .filter(audit_events::occurred_at.lt(end))
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .limit(1000)
        .select(AuditRow::as_select())
        .load(conn)?;
    let mut ips: Vec<IpEvidence> = Vec::new();
    for r in recent.iter().rev() {
        let ip = r.ip.clone().unwrap_or_default();
        let at = utc(r.occurred_at);
        match ips.iter_mut().find(|e| e.ip == ip) {
            Some(e) => {
                e.events += 1;
                e.last_at = at;
            }
            None => ips.push(IpEvidence { ip, events: 1, first_at: at, last_at: at }),
        }
    }
    ips.sort_by(|a, b| b.events.cmp(&a.events).then(a.ip.cmp(&b.ip)));
    Ok(TokenUsage {
        token_id: t.id.to_string(),
        name: t.name.clone(),
        downloads: by_action(conn, org_id, Some(token_id), from, to)?,
        by_product: top_products(conn, org_id, Some(token_id), from, to, 100)?,
        range: StatsRange { from, to, granularity },
        trend,
        ips,
        recent_events: recent.into_iter().take(50).map(Into::into).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn whole_months_split_a_range() {
        assert_eq!(whole_months(d("2025-11-22"), d("2026-11-22")), (d("2025-12-01"), d("2026-11-01")));
        assert_eq!(whole_months(d("2026-01-01"), d("2026-01-31")), (d("2026-01-01"), d("2026-02-01")));
        assert_eq!(whole_months(d("2026-01-01"), d("2026-01-30")), (d("2026-01-31"), d("2026-01-31")));
        assert_eq!(whole_months(d("2026-01-15"), d("2026-02-10")), (d("2026-02-11"), d("2026-02-11")));
        assert_eq!(whole_months(d("2025-12-31"), d("2026-02-28")), (d("2026-01-01"), d("2026-03-01")));
    }
}
