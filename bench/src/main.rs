//! Benchmark drivers: SBOM generation, upload-vs-parse throughput, endpoint latency percentiles,
//! and an audit-event generator. `bench/run.sh` orchestrates them and writes `bench/REPORT.md`.

mod catalogue;

use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use diesel::prelude::*;
use rand::{Rng, SeedableRng};
use serde_json::json;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write a realistic CycloneDX 1.6 SBOM of about `size_mb` MB.
    MakeSbom {
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(long, default_value_t = 10.0)]
        size_mb: f64,
    },
    /// Upload + validation through the API vs serde_json parse-only of the same bytes.
    Upload {
        #[arg(long)]
        base: String,
        #[arg(long)]
        key: String,
        #[arg(long)]
        sbom: std::path::PathBuf,
        #[arg(long, default_value_t = 7)]
        runs: usize,
    },
    /// Latency percentiles of GET requests at a fixed concurrency.
    Latency {
        #[arg(long)]
        url: String,
        #[arg(long)]
        bearer: Option<String>,
        #[arg(long, default_value_t = 200)]
        requests: usize,
        #[arg(long, default_value_t = 1)]
        concurrency: usize,
    },
    /// Fill a database with N realistic audit events for organisation `org` (tokens, products, months).
    GenEvents {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        org: String,
        #[arg(long)]
        events: usize,
        #[arg(long, default_value_t = 400)]
        tokens: usize,
        #[arg(long, default_value_t = 40)]
        products: usize,
        #[arg(long, default_value_t = 365)]
        days: i64,
    },
    /// Fill a database (and its blob store) with a publisher-sized catalogue for organisation `org`:
    /// products × versions, each with an SBOM and a VEX, and N published CSAF advisories.
    GenCatalogue {
        #[arg(long)]
        database_url: String,
        /// The server's PORTAL_DATA_DIR (blobs go under `<data>/blobs`).
        #[arg(long)]
        data_dir: std::path::PathBuf,
        #[arg(long)]
        org: String,
        #[arg(long)]
        advisories: usize,
        #[arg(long, default_value_t = 2000)]
        products: usize,
        /// Versions per product.
        #[arg(long, default_value_t = 10)]
        versions: usize,
        #[arg(long, default_value = "formats/tests/fixtures")]
        fixtures: std::path::PathBuf,
    },
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    pct(v, 50.0)
}

fn make_sbom(size_mb: f64) -> Vec<u8> {
    let target = (size_mb * 1024.0 * 1024.0) as usize;
    let mut components = Vec::new();
    let mut deps = Vec::new();
    let mut size = 0usize;
    let mut i = 0usize;
    while size < target {
        let name = format!("component-{i}");
        let version = format!("{}.{}.{}", i % 7, i % 13, i % 29);
        let bom_ref = format!("pkg:npm/{name}@{version}");
        let c = json!({
            "type": "library", "bom-ref": bom_ref, "name": name, "version": version,
            "purl": bom_ref, "description": "A library used by the router firmware build for parsing and networking tasks.",
            "licenses": [{"license": {"id": "MIT"}}],
            "hashes": [{"alg": "SHA-256", "content": format!("{:064x}", i as u128 * 7919)}],
            "externalReferences": [{"type": "vcs", "url": format!("https://example.com/{name}.git")}]
        });
        size += c.to_string().len() + 80;
        if i > 0 {
            deps.push(json!({"ref": bom_ref, "dependsOn": [format!("pkg:npm/component-{}@{}.{}.{}", i - 1, (i - 1) % 7, (i - 1) % 13, (i - 1) % 29)]}));
        }
        components.push(c);
        i += 1;
    }
    let doc = json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", uuid::Uuid::new_v4()), "version": 1,
        "metadata": {"timestamp": "2025-01-01T00:00:00Z", "component": {"type": "firmware", "name": "router-fw", "version": "4.2.0", "bom-ref": "fw"},
                     "tools": {"components": [{"type": "application", "name": "portal-bench"}]}},
        "components": components, "dependencies": deps
    });
    serde_json::to_vec(&doc).unwrap_or_default()
}

async fn upload(base: &str, key: &str, sbom: &std::path::Path, runs: usize) -> anyhow::Result<()> {
    let bytes = std::fs::read(sbom)?;
    let mut parse = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let v: serde_json::Value = serde_json::from_slice(&bytes)?;
        std::hint::black_box(&v);
        parse.push(t.elapsed().as_secs_f64());
    }
    let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(300)).build()?;
    let mut up = Vec::new();
    for i in 0..runs {
        // A fresh document per run (new serial number) so no upload is an idempotent no-op.
        let mut doc: serde_json::Value = serde_json::from_slice(&bytes)?;
        doc["serialNumber"] = json!(format!("urn:uuid:{}", uuid::Uuid::new_v4()));
        let body = serde_json::to_vec(&doc)?;
        let url = format!(
            "{base}/api/v1/orgs/bench/products/upload-bench/versions/run-{i}-{}/artifacts?auto_create=true",
            uuid::Uuid::new_v4().simple()
        );
        let t = Instant::now();
        let r = client
            .post(&url)
            .header("x-api-key", key)
            .header("content-type", "application/vnd.cyclonedx+json")
            .body(body)
            .send()
            .await?;
        let status = r.status();
        let _ = r.bytes().await?;
        up.push(t.elapsed().as_secs_f64());
        anyhow::ensure!(status.as_u16() == 201, "upload answered {status}");
    }
    let mb = bytes.len() as f64 / 1024.0 / 1024.0;
    let (p, u) = (median(&mut parse), median(&mut up));
    println!(
        "{}",
        json!({"size_mb": mb, "runs": runs, "parse_only_s": p, "upload_validate_s": u,
               "parse_only_mb_s": mb / p, "upload_validate_mb_s": mb / u, "ratio_upload_over_parse": u / p})
    );
    Ok(())
}

async fn latency(url: &str, bearer: Option<&str>, requests: usize, concurrency: usize) -> anyhow::Result<()> {
    let client = reqwest::Client::builder().no_proxy().build()?;
    // Warm up.
    for _ in 0..5 {
        let mut rb = client.get(url);
        if let Some(b) = bearer {
            rb = rb.bearer_auth(b);
        }
        rb.send().await?.bytes().await?;
    }
    let per = requests.div_ceil(concurrency.max(1));
    let started = Instant::now();
    let tasks = (0..concurrency.max(1)).map(|_| {
        let client = client.clone();
        let url = url.to_string();
        let bearer = bearer.map(str::to_string);
        tokio::spawn(async move {
            let mut out = Vec::new();
            for _ in 0..per {
                let mut rb = client.get(&url);
                if let Some(b) = &bearer {
                    rb = rb.bearer_auth(b);
                }
                let t = Instant::now();
                let r = rb.send().await;
                let ok = match r {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                out.push((t.elapsed().as_secs_f64() * 1000.0, ok));
            }
            out
        })
    });
    let mut all = Vec::new();
    for t in futures_util::future::join_all(tasks).await {
        all.extend(t?);
    }
    let wall = started.elapsed().as_secs_f64();
    let errors = all.iter().filter(|(_, ok)| !ok).count();
    let mut ms: Vec<f64> = all.iter().map(|(m, _)| *m).collect();
    ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{}",
        json!({"requests": ms.len(), "errors": errors, "concurrency": concurrency, "rps": ms.len() as f64 / wall,
               "p50_ms": pct(&ms, 50.0), "p95_ms": pct(&ms, 95.0), "p99_ms": pct(&ms, 99.0)})
    );
    Ok(())
}

fn gen_events(url: &str, org_slug: &str, n: usize, tokens: usize, products: usize, days: i64) -> anyhow::Result<()> {
    use supplier_portal::db::schema::*;
    let mut conn = supplier_portal::db::ConnectionManager::new(url).map_err(anyhow::Error::msg)?.establish()?;
    supplier_portal::migrate(&mut conn)?;
    if let supplier_portal::db::DbConnection::Sqlite(s) = &mut conn {
        // Bulk load: a large page cache; durability is not the point of generated data.
        diesel::sql_query("PRAGMA cache_size = -524288").execute(s)?;
        diesel::sql_query("PRAGMA synchronous = OFF").execute(s)?;
    }
    let org_id: String =
        organizations::table.filter(organizations::slug.eq(org_slug)).select(organizations::id).first(&mut conn)?;
    let now = chrono::Utc::now().naive_utc();
    let mut product_ids = Vec::new();
    for p in 0..products {
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(products::table)
            .values((
                products::id.eq(&id),
                products::org_id.eq(&org_id),
                products::slug.eq(format!("gen-product-{p}-{}", &id[..8])),
                products::name.eq(format!("Generated product {p}")),
                products::description.eq(""),
                products::portal_visible.eq(true),
                products::archived.eq(false),
                products::created_at.eq(now),
                products::updated_at.eq(now),
            ))
            .execute(&mut conn)?;
        product_ids.push(id);
    }
    let mut token_ids = Vec::new();
    for t in 0..tokens {
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(access_tokens::table)
            .values((
                access_tokens::id.eq(&id),
                access_tokens::org_id.eq(&org_id),
                access_tokens::name.eq(format!("Customer {t}")),
                access_tokens::hint.eq("spt_…gen"),
                access_tokens::secret_hash.eq(format!("{:032x}{id}", rand::random::<u128>())),
                access_tokens::created_by_name.eq("generator"),
                access_tokens::created_at.eq(now - chrono::Duration::days(days)),
                access_tokens::use_count.eq(0i64),
            ))
            .execute(&mut conn)?;
        token_ids.push(id);
    }
    let kinds = ["sbom", "sbom", "sbom", "vex", "advisory", "document"];
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    type Map<K> = std::collections::HashMap<K, i64>;
    type HourKey = (chrono::NaiveDateTime, String, String);
    let mut full: Map<(chrono::NaiveDate, String, String, String)> = Default::default();
    let mut hourly: std::collections::HashMap<HourKey, (i64, i64, chrono::NaiveDateTime, chrono::NaiveDateTime)> =
        Default::default();
    let started = Instant::now();
    let batch = 1000;
    let mut done = 0;
    // Events are written in time order (as a live system writes them), with time-ordered ids,
    // spread over `days` with busier recent days.
    let span_s = days * 86400;
    let mut offsets: Vec<i64> = (0..n).map(|_| span_s - (rng.gen::<f64>().powf(1.5) * span_s as f64) as i64).collect();
    offsets.sort_unstable();
    let start = now - chrono::Duration::seconds(span_s);
    while done < n {
        let m = batch.min(n - done);
        let mut rows = Vec::with_capacity(m);
        for k in 0..m {
            let at = start + chrono::Duration::seconds(offsets[done + k]);
            let ti = (rng.gen::<f64>().powi(2) * tokens as f64) as usize % tokens;
            let token = &token_ids[ti];
            let product = &product_ids[(ti * 7 + rng.gen_range(0..3)) % products];
            let roll: f64 = rng.gen();
            let action = if roll < 0.7 {
                format!("portal.{}.download", kinds[rng.gen_range(0..kinds.len())])
            } else if roll < 0.85 {
                "portal.product.view".to_string()
            } else if roll < 0.95 {
                "portal.login".to_string()
            } else {
                "portal.vex.view".to_string()
            };
            *full.entry((at.date(), action.clone(), token.clone(), product.clone())).or_default() += 1;
            let ip = format!("10.{}.{}.{}", ti % 250, (ti / 250) % 250, rng.gen_range(1..4));
            let hour = at.date().and_hms_opt(chrono::Timelike::hour(&at.time()), 0, 0).unwrap_or(at);
            let h = hourly.entry((hour, token.clone(), ip.clone())).or_insert((0, 0, at, at));
            h.0 += 1;
            h.1 += i64::from(action.ends_with(".download"));
            h.3 = at;
            rows.push((
                audit_events::event_id.eq(uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
                    uuid::NoContext,
                    at.and_utc().timestamp().max(0) as u64,
                    rng.gen_range(0..1_000_000_000),
                ))
                .to_string()),
                audit_events::org_id.eq(Some(org_id.clone())),
                audit_events::occurred_at.eq(at),
                audit_events::category.eq("portal"),
                audit_events::action.eq(action),
                audit_events::outcome.eq("success"),
                audit_events::actor_type.eq("access_token"),
                audit_events::actor_id.eq(Some(token.clone())),
                audit_events::actor_name.eq(Some(format!("Customer {ti}"))),
                audit_events::ip.eq(Some(ip)),
                audit_events::user_agent.eq(Some("curl/8.5.0".to_string())),
                audit_events::request_id.eq(Some(uuid::Uuid::new_v4().to_string())),
                audit_events::product_id.eq(Some(product.clone())),
                audit_events::sha256.eq(Some(format!("{:064x}", ti))),
            ));
        }
        conn.transaction::<_, diesel::result::Error, _>(|c| {
            match c {
                supplier_portal::db::DbConnection::Sqlite(s) => {
                    diesel::insert_into(audit_events::table).values(&rows).execute(s)?
                }
                supplier_portal::db::DbConnection::Postgres(p) => {
                    diesel::insert_into(audit_events::table).values(&rows).execute(p)?
                }
            };
            Ok(())
        })?;
        done += m;
        if done % 500_000 == 0 {
            eprintln!("{done} events ({:.0}/s)", done as f64 / started.elapsed().as_secs_f64());
        }
    }
    // The rollups the server maintains per event, computed in memory and bulk-inserted.
    let mut actions: Map<(chrono::NaiveDate, String)> = Default::default();
    let mut per_product: Map<(chrono::NaiveDate, String)> = Default::default();
    let mut actors: std::collections::HashMap<(chrono::NaiveDate, String), (i64, i64)> = Default::default();
    for ((day, action, token, product), count) in &full {
        let download = action.ends_with(".download");
        *actions.entry((*day, action.clone())).or_default() += count;
        if download {
            *per_product.entry((*day, product.clone())).or_default() += count;
        }
        let a = actors.entry((*day, token.clone())).or_default();
        a.0 += count;
        a.1 += if download { *count } else { 0 };
    }
    macro_rules! bulk {
        ($table:expr, $rows:expr) => {
            for chunk in $rows.chunks(1000) {
                match &mut conn {
                    supplier_portal::db::DbConnection::Sqlite(s) => {
                        diesel::insert_into($table).values(chunk).execute(s)?
                    }
                    supplier_portal::db::DbConnection::Postgres(p) => {
                        diesel::insert_into($table).values(chunk).execute(p)?
                    }
                };
            }
        };
    }
    let o = || org_id.clone();
    let rows: Vec<_> = full
        .iter()
        .map(|((day, action, token, product), n)| {
            (
                audit_daily::org_id.eq(o()),
                audit_daily::day.eq(*day),
                audit_daily::action.eq(action.clone()),
                audit_daily::outcome.eq("success"),
                audit_daily::actor_type.eq("access_token"),
                audit_daily::actor_id.eq(token.clone()),
                audit_daily::product_id.eq(product.clone()),
                audit_daily::events.eq(*n),
            )
        })
        .collect();
    bulk!(audit_daily::table, rows);
    let rows: Vec<_> = actions
        .iter()
        .map(|((day, action), n)| {
            (
                audit_daily_actions::org_id.eq(o()),
                audit_daily_actions::day.eq(*day),
                audit_daily_actions::action.eq(action.clone()),
                audit_daily_actions::outcome.eq("success"),
                audit_daily_actions::events.eq(*n),
            )
        })
        .collect();
    bulk!(audit_daily_actions::table, rows);
    let rows: Vec<_> = per_product
        .iter()
        .map(|((day, product), n)| {
            (
                audit_daily_products::org_id.eq(o()),
                audit_daily_products::day.eq(*day),
                audit_daily_products::product_id.eq(product.clone()),
                audit_daily_products::downloads.eq(*n),
            )
        })
        .collect();
    bulk!(audit_daily_products::table, rows);
    let rows: Vec<_> = actors
        .iter()
        .map(|((day, token), (events, downloads))| {
            (
                audit_daily_actors::org_id.eq(o()),
                audit_daily_actors::day.eq(*day),
                audit_daily_actors::actor_id.eq(token.clone()),
                audit_daily_actors::events.eq(*events),
                audit_daily_actors::downloads.eq(*downloads),
            )
        })
        .collect();
    bulk!(audit_daily_actors::table, rows);
    let mut monthly: std::collections::HashMap<(chrono::NaiveDate, String), (i64, i64)> = Default::default();
    for ((day, token), (events, downloads)) in &actors {
        use chrono::Datelike;
        let m = monthly.entry((day.with_day(1).unwrap_or(*day), token.clone())).or_default();
        m.0 += events;
        m.1 += downloads;
    }
    let rows: Vec<_> = monthly
        .iter()
        .map(|((month, token), (events, downloads))| {
            (
                audit_monthly_actors::org_id.eq(o()),
                audit_monthly_actors::month.eq(*month),
                audit_monthly_actors::actor_id.eq(token.clone()),
                audit_monthly_actors::events.eq(*events),
                audit_monthly_actors::downloads.eq(*downloads),
            )
        })
        .collect();
    bulk!(audit_monthly_actors::table, rows);
    let rows: Vec<_> = hourly
        .iter()
        .map(|((hour, token, ip), (events, downloads, first, last))| {
            (
                audit_hourly_ips::org_id.eq(o()),
                audit_hourly_ips::hour.eq(*hour),
                audit_hourly_ips::actor_id.eq(token.clone()),
                audit_hourly_ips::ip.eq(ip.clone()),
                audit_hourly_ips::events.eq(*events),
                audit_hourly_ips::downloads.eq(*downloads),
                audit_hourly_ips::first_at.eq(*first),
                audit_hourly_ips::last_at.eq(*last),
            )
        })
        .collect();
    bulk!(audit_hourly_ips::table, rows);
    if let supplier_portal::db::DbConnection::Postgres(p) = &mut conn {
        diesel::sql_query("ANALYZE").execute(p)?;
    } else if let supplier_portal::db::DbConnection::Sqlite(s) = &mut conn {
        diesel::sql_query("ANALYZE").execute(s)?;
    }
    eprintln!("generated {n} events ({} full rollup rows) in {:.1}s", full.len(), started.elapsed().as_secs_f64());
    println!(
        "{}",
        json!({"events": n, "rollup_rows": full.len(), "seconds": started.elapsed().as_secs_f64(), "token": token_ids[0]})
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().cmd {
        Cmd::MakeSbom { out, size_mb } => {
            let bytes = make_sbom(size_mb);
            std::fs::write(&out, &bytes)?;
            println!("{}", json!({"path": out, "bytes": bytes.len()}));
        }
        Cmd::Upload { base, key, sbom, runs } => upload(&base, &key, &sbom, runs).await?,
        Cmd::Latency { url, bearer, requests, concurrency } => {
            latency(&url, bearer.as_deref(), requests, concurrency).await?
        }
        Cmd::GenCatalogue { database_url, data_dir, org, advisories, products, versions, fixtures } => {
            tokio::task::spawn_blocking(move || {
                catalogue::generate(catalogue::Params {
                    database_url: &database_url,
                    data_dir: &data_dir,
                    org: &org,
                    advisories,
                    products,
                    versions,
                    fixtures: &fixtures,
                })
            })
            .await??
        }
        Cmd::GenEvents { database_url, org, events, tokens, products, days } => {
            tokio::task::spawn_blocking(move || gen_events(&database_url, &org, events, tokens, products, days))
                .await??
        }
    }
    Ok(())
}
