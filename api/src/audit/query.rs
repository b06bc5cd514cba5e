//! Reading the audit log: filters, keyset pages (newest first), streamed exports, deliveries.

use base64::Engine;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::*;
use crate::db::{schema::*, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::time::utc;
use crate::validate::Checks;

type Db = <DbConnection as diesel::Connection>::Backend;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditRow {
    pub id: i64,
    pub event_id: String,
    pub org_id: Option<String>,
    pub occurred_at: NaiveDateTime,
    pub category: String,
    pub action: String,
    pub outcome: String,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
    pub product_id: Option<String>,
    pub version_id: Option<String>,
    pub artifact_id: Option<String>,
    pub sha256: Option<String>,
    pub details: Option<String>,
}

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> Self {
        AuditEvent {
            id: r.event_id,
            occurred_at: utc(r.occurred_at),
            category: r.category,
            action: r.action,
            outcome: r.outcome,
            actor_type: r.actor_type,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            ip: r.ip,
            user_agent: r.user_agent,
            request_id: r.request_id,
            product_id: r.product_id,
            version_id: r.version_id,
            artifact_id: r.artifact_id,
            sha256: r.sha256,
            details: r.details.and_then(|d| serde_json::from_str(&d).ok()),
            object: None,
        }
    }
}

/// A position in the log: (time, id) of the last row of a page.
pub type Cursor = (NaiveDateTime, i64);

pub fn encode_cursor((t, id): Cursor) -> String {
    let nanos = t.and_utc().timestamp_nanos_opt().unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{nanos}:{id}"))
}

pub fn decode_cursor(s: &str) -> ApiResult<Cursor> {
    let bad = || ApiError::validation("cursor", "not a cursor returned by this API");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let (nanos, id) = raw.split_once(':').ok_or_else(bad)?;
    let nanos: i64 = nanos.parse().map_err(|_| bad())?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    Ok((chrono::DateTime::from_timestamp_nanos(nanos).naive_utc(), id))
}

const CATEGORIES: [&str; 5] = ["portal", "admin", "auth", "api", "notification"];
const OUTCOMES: [&str; 3] = ["success", "denied", "failed"];

/// Checks the query's values; 400 naming every defect.
pub fn validate(q: &AuditQuery) -> ApiResult<()> {
    let mut c = Checks::new();
    if let Some(cat) = &q.category {
        c.check(
            CATEGORIES.contains(&cat.as_str()),
            "category",
            "must be one of portal, admin, auth, api, notification",
        );
    }
    if let Some(o) = &q.outcome {
        c.check(OUTCOMES.contains(&o.as_str()), "outcome", "must be one of success, denied, failed");
    }
    if let Some(l) = q.limit {
        c.check((1..=500).contains(&l), "limit", "must be between 1 and 500");
    }
    if let (Some(f), Some(t)) = (q.from, q.to) {
        c.check(f < t, "to", "must be after from");
    }
    if let Some(fmt) = &q.format {
        c.check(fmt == "csv" || fmt == "ndjson" || fmt == "json", "format", "must be csv, ndjson or json");
    }
    c.finish()
}

fn filtered<'a>(org_id: &'a str, q: &'a AuditQuery) -> audit_events::BoxedQuery<'a, Db> {
    let mut query = audit_events::table.filter(audit_events::org_id.eq(org_id)).into_boxed();
    if let Some(c) = &q.category {
        query = query.filter(audit_events::category.eq(c));
    }
    if let Some(a) = &q.action {
        // `*` stands for any run of characters (`portal.*`, `portal.*.download`).
        query = if a.contains('*') {
            query.filter(audit_events::action.like(a.replace(['%', '_'], "").replace('*', "%")))
        } else {
            query.filter(audit_events::action.eq(a))
        };
    }
    if let Some(a) = &q.actor {
        query = query.filter(audit_events::actor_id.eq(a));
    }
    if let Some(t) = &q.token {
        query = query.filter(audit_events::actor_id.eq(t)).filter(audit_events::actor_type.eq("access_token"));
    }
    if let Some(t) = &q.customer {
        let about = format!("%\"token_id\":\"{}\"%", t.replace(['%', '_', '"', '\\'], ""));
        query = query.filter(
            audit_events::actor_id
                .eq(t)
                .and(audit_events::actor_type.eq("access_token"))
                .or(audit_events::details.like(about)),
        );
    }
    if let Some(p) = &q.product {
        query = query.filter(audit_events::product_id.eq(p));
    }
    if let Some(a) = &q.artifact {
        query = query.filter(audit_events::artifact_id.eq(a));
    }
    if let Some(o) = &q.outcome {
        query = query.filter(audit_events::outcome.eq(o));
    }
    if let Some(f) = q.from {
        query = query.filter(audit_events::occurred_at.ge(f.naive_utc()));
    }
    if let Some(t) = q.to {
        query = query.filter(audit_events::occurred_at.lt(t.naive_utc()));
    }
    query
}

/// One page, newest first, strictly older than `cursor`.
pub fn page(
    conn: &mut DbConnection,
    org_id: &str,
    q: &AuditQuery,
    cursor: Option<Cursor>,
    limit: i64,
) -> ApiResult<Vec<AuditRow>> {
    let mut query = filtered(org_id, q);
    if let Some((t, id)) = cursor {
        query = query
            .filter(audit_events::occurred_at.lt(t).or(audit_events::occurred_at.eq(t).and(audit_events::id.lt(id))));
    }
    Ok(query
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?)
}

pub fn list(conn: &mut DbConnection, org_id: &str, q: &AuditQuery) -> ApiResult<AuditPage> {
    let limit = q.limit.unwrap_or(50);
    let cursor = q.cursor.as_deref().map(decode_cursor).transpose()?;
    let rows = page(conn, org_id, q, cursor, limit + 1)?;
    let more = rows.len() as i64 > limit;
    let rows: Vec<AuditRow> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = if more { rows.last().map(|r| encode_cursor((r.occurred_at, r.id))) } else { None };
    let mut events: Vec<AuditEvent> = rows.into_iter().map(AuditEvent::from).collect();
    super::objects::name(conn, org_id, &mut events)?;
    Ok(AuditPage { events, next_cursor })
}

pub const CSV_HEADER: [&str; 18] = [
    "id",
    "occurred_at",
    "category",
    "action",
    "outcome",
    "actor_type",
    "actor_id",
    "actor_name",
    "ip",
    "user_agent",
    "request_id",
    "product_id",
    "version_id",
    "artifact_id",
    "sha256",
    "details",
    "object_kind",
    "object_label",
];

/// A CSV cell a spreadsheet would not run as a formula (OWASP "CSV injection"): a cell starting
/// with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`.
pub fn neutralise(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// Renders rows for an export chunk.
/// One export batch, the objects named as in the listed view.
pub fn export_page(
    conn: &mut DbConnection,
    org_id: &str,
    q: &AuditQuery,
    cursor: Option<Cursor>,
    limit: i64,
) -> ApiResult<(Option<Cursor>, usize, Vec<AuditEvent>)> {
    let rows = page(conn, org_id, q, cursor, limit)?;
    let (last, n) = (rows.last().map(|r| (r.occurred_at, r.id)), rows.len());
    let mut events: Vec<AuditEvent> = rows.into_iter().map(AuditEvent::from).collect();
    super::objects::name(conn, org_id, &mut events)?;
    Ok((last, n, events))
}

pub fn render(events: Vec<AuditEvent>, csv_format: bool, with_header: bool) -> ApiResult<Vec<u8>> {
    if csv_format {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        if with_header {
            w.write_record(CSV_HEADER).map_err(ApiError::internal)?;
        }
        for e in events {
            let o = |v: &Option<String>| v.clone().unwrap_or_default();
            let cells = [
                e.id.clone(),
                e.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                e.category.clone(),
                e.action.clone(),
                e.outcome.clone(),
                e.actor_type.clone(),
                o(&e.actor_id),
                o(&e.actor_name),
                o(&e.ip),
                o(&e.user_agent),
                o(&e.request_id),
                o(&e.product_id),
                o(&e.version_id),
                o(&e.artifact_id),
                o(&e.sha256),
                e.details.as_ref().map(|d| d.to_string()).unwrap_or_default(),
                e.object.as_ref().map(|x| x.kind.clone()).unwrap_or_default(),
                e.object.as_ref().map(|x| x.label.clone()).unwrap_or_default(),
            ];
            w.write_record(cells.map(neutralise)).map_err(ApiError::internal)?;
        }
        w.into_inner().map_err(|e| ApiError::internal(anyhow::anyhow!("csv: {e}")))
    } else {
        let mut out = Vec::new();
        for e in events {
            serde_json::to_writer(&mut out, &e).map_err(ApiError::internal)?;
            out.push(b'\n');
        }
        Ok(out)
    }
}

/// Proof of delivery: who received an artifact (or anything of a product version), when, which bytes.
pub fn deliveries(conn: &mut DbConnection, org_id: &str, q: &DeliveryQuery) -> ApiResult<DeliveryReport> {
    let mut query = audit_events::table
        .filter(audit_events::org_id.eq(org_id))
        .filter(audit_events::category.eq("portal"))
        .filter(audit_events::action.like("portal.%.download"))
        .filter(audit_events::outcome.eq("success"))
        .into_boxed();
    match (&q.artifact, &q.product, &q.version) {
        (Some(a), None, None) => query = query.filter(audit_events::artifact_id.eq(a.clone())),
        (None, Some(p), v) => {
            let not_found = || ApiError::NotFound(format!("product `{p}` not found"));
            let product_id: String = products::table
                .filter(products::org_id.eq(org_id))
                .filter(products::slug.eq(p))
                .select(products::id)
                .first(conn)
                .optional()?
                .ok_or_else(not_found)?;
            query = query.filter(audit_events::product_id.eq(product_id.clone()));
            if let Some(v) = v {
                let version_id: String = product_versions::table
                    .filter(product_versions::product_id.eq(&product_id))
                    .filter(product_versions::version.eq(v))
                    .select(product_versions::id)
                    .first(conn)
                    .optional()?
                    .ok_or_else(|| ApiError::NotFound(format!("version `{v}` not found")))?;
                query = query.filter(audit_events::version_id.eq(version_id));
            }
        }
        _ => return Err(ApiError::validation("artifact", "give either artifact, or product (and optionally version)")),
    }
    let rows: Vec<AuditRow> = query
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .limit(10_000)
        .select(AuditRow::as_select())
        .load(conn)?;
    let mut recipients: Vec<DeliveryRecipient> = Vec::new();
    for r in rows.iter().rev() {
        let key = r.actor_id.clone();
        let at = utc(r.occurred_at);
        match recipients.iter_mut().find(|x| x.token_id == key) {
            Some(x) => {
                x.deliveries += 1;
                x.last_at = at;
                if let Some(s) = &r.sha256 {
                    if !x.sha256.contains(s) {
                        x.sha256.push(s.clone());
                    }
                }
            }
            None => recipients.push(DeliveryRecipient {
                token_id: key,
                token_name: r.actor_name.clone(),
                deliveries: 1,
                first_at: at,
                last_at: at,
                sha256: r.sha256.iter().cloned().collect(),
            }),
        }
    }
    let deliveries = rows
        .into_iter()
        .map(|r| {
            let details: serde_json::Value =
                r.details.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
            Delivery {
                occurred_at: utc(r.occurred_at),
                action: r.action,
                recipient_type: r.actor_type,
                token_id: r.actor_id,
                token_name: r.actor_name,
                ip: r.ip,
                artifact_id: r.artifact_id,
                filename: details["filename"].as_str().map(str::to_string),
                sha256: r.sha256,
                request_id: r.request_id,
            }
        })
        .collect();
    Ok(DeliveryReport { recipients, deliveries })
}

#[cfg(test)]
mod csv_tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"http://x\")".into()), "'=HYPERLINK(\"http://x\")");
        for s in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(s.into()).starts_with('\''), "{s}");
        }
        assert_eq!(neutralise("Mozilla/5.0".into()), "Mozilla/5.0");
        assert_eq!(neutralise(String::new()), "");
    }
}
