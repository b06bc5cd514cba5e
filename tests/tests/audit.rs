//! Audit log and statistics: exact counts against generated events, filters, keyset pagination
//! under concurrent inserts, exports, append-only storage, sharing signals, roles.

use chrono::{Datelike, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use e2e::{e2e, fixture, Auth, Backend, TestApp, ORG};
use serde_json::{json, Value};
use supplier_portal::audit::{Action, Actor, Category, Event, Outcome};
use supplier_portal::client::ClientInfo;

e2e!(
    stats_count_exactly_across_month_and_day_boundaries,
    every_filter_selects_exactly,
    pagination_is_stable_under_concurrent_inserts,
    exports_parse_back_to_the_same_rows,
    the_log_is_append_only,
    sharing_signals_fire_on_the_pattern_only,
    viewers_read_but_do_not_export_or_change,
    deliveries_prove_who_got_which_bytes,
    concurrent_deliveries_count_once_each_in_log_and_rollups,
    events_name_their_objects_and_filter_by_customer,
);

const CDX: &str = "application/vnd.cyclonedx+json";

fn conn(app: &TestApp) -> supplier_portal::db::DbConnection {
    supplier_portal::db::ConnectionManager::new(&app.db.url).unwrap().establish().unwrap()
}

fn org_id(c: &mut supplier_portal::db::DbConnection) -> String {
    use supplier_portal::db::schema::organizations;
    organizations::table.filter(organizations::slug.eq(ORG)).select(organizations::id).first(c).unwrap()
}

fn client(ip: &str) -> ClientInfo {
    ClientInfo {
        ip: ip.into(),
        user_agent: Some("generator".into()),
        request_id: Some(uuid::Uuid::new_v4().to_string()),
    }
}

/// Records a successful portal download by `token` of `product` at `at` from `ip`.
fn download(
    c: &mut supplier_portal::db::DbConnection,
    org: &str,
    token: (&str, &str),
    kind: &str,
    product: &str,
    at: NaiveDateTime,
    ip: &str,
) {
    Event::new(
        Some(org),
        Category::Portal,
        format!("portal.{kind}.download").parse::<Action>().unwrap(),
        Actor::AccessToken { id: token.0.into(), name: token.1.into() },
        &client(ip),
    )
    .product(Some(product))
    .artifact(Some("a1"), Some(&"ab".repeat(32)))
    .record_at(c, at)
    .unwrap();
}

async fn token(app: &TestApp, admin: &str, name: &str) -> String {
    let r = app
        .post(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(admin), json!({"name": name, "expires_in": "1y"}))
        .await;
    r.json["id"].as_str().unwrap().to_string()
}

/// A customer's access token on the organisation's portal: (id, secret).
async fn customer(app: &TestApp, admin: &str, name: &str) -> (String, String) {
    let r = app
        .post(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(admin), json!({"name": name, "expires_in": "30d"}))
        .await;
    (r.json["id"].as_str().unwrap().to_string(), r.json["token"].as_str().unwrap().to_string())
}

async fn product(app: &TestApp, admin: &str, slug: &str) -> String {
    let r = app
        .post(&format!("/api/v1/orgs/{ORG}/products"), Some(admin), json!({"slug": slug, "name": slug.to_uppercase()}))
        .await;
    r.json["id"].as_str().unwrap().to_string()
}

async fn stats_count_exactly_across_month_and_day_boundaries(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let (t1, t2) = (token(&app, &admin, "ACME Corp").await, token(&app, &admin, "Globex").await);
    let (p1, p2) = (product(&app, &admin, "router").await, product(&app, &admin, "switch").await);
    let mut c = conn(&app);
    let org = org_id(&mut c);
    let today = Utc::now().date_naive();
    let month_start = today.with_day(1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let last_instant_of_last_month = month_start - Duration::microseconds(1);
    // Last month: 3 SBOM + 1 advisory, the last one a microsecond before midnight.
    download(&mut c, &org, (&t1, "ACME Corp"), "sbom", &p1, last_instant_of_last_month, "10.0.0.1");
    download(&mut c, &org, (&t1, "ACME Corp"), "sbom", &p1, month_start - Duration::days(3), "10.0.0.1");
    download(&mut c, &org, (&t2, "Globex"), "sbom", &p2, month_start - Duration::days(10), "10.0.0.2");
    download(&mut c, &org, (&t2, "Globex"), "advisory", &p2, month_start - Duration::days(10), "10.0.0.2");
    // This month, from the first microsecond: 2 SBOM, 1 VEX, 1 document (some today).
    download(&mut c, &org, (&t1, "ACME Corp"), "sbom", &p1, month_start, "10.0.0.1");
    download(&mut c, &org, (&t2, "Globex"), "vex", &p1, month_start, "10.0.0.2");
    let now = Utc::now().naive_utc();
    download(&mut c, &org, (&t1, "ACME Corp"), "sbom", &p1, now, "10.0.0.1");
    download(&mut c, &org, (&t2, "Globex"), "document", &p2, now, "10.0.0.2");
    // Non-downloads and failures do not count as downloads.
    Event::new(
        Some(&org),
        Category::Portal,
        Action::PortalProductView,
        Actor::AccessToken { id: t1.clone(), name: "ACME Corp".into() },
        &client("10.0.0.1"),
    )
    .record_at(&mut c, now)
    .unwrap();
    Event::new(Some(&org), Category::Portal, Action::PortalSbomDownload, Actor::Anonymous, &client("10.0.0.9"))
        .outcome(Outcome::Denied)
        .record_at(&mut c, now)
        .unwrap();

    let from = (month_start - Duration::days(40)).date();
    let r = app.get(&format!("/api/v1/orgs/{ORG}/portal/stats?from={from}&to={today}"), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let s = &r.json;
    assert_eq!(s["downloads_this_month"], json!({"total": 4, "sbom": 2, "vex": 1, "advisory": 0, "document": 1}));
    assert_eq!(s["downloads_last_month"], json!({"total": 4, "sbom": 3, "vex": 0, "advisory": 1, "document": 0}));
    assert_eq!(s["downloads_in_range"]["total"], 8);
    assert_eq!(s["range"]["granularity"], "day");
    let trend = s["trend"].as_array().unwrap();
    assert_eq!(trend.len() as i64, (today - from).num_days() + 1, "every day present, empty days as 0");
    let on = |d: chrono::NaiveDate| {
        trend.iter().find(|p| p["period"] == d.to_string()).unwrap()["downloads"].as_i64().unwrap()
    };
    assert_eq!(on(last_instant_of_last_month.date()), 1);
    if month_start.date() != today {
        assert_eq!(on(month_start.date()), 2);
        assert_eq!(on(today), 2);
    } else {
        assert_eq!(on(today), 4);
    }
    assert_eq!(on((month_start - Duration::days(10)).date()), 2);
    assert_eq!(on((month_start - Duration::days(20)).date()), 0);
    assert_eq!(trend.iter().map(|p| p["downloads"].as_i64().unwrap()).sum::<i64>(), 8);
    let top: Vec<(&str, i64)> = s["top_products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["product_slug"].as_str().unwrap(), p["downloads"].as_i64().unwrap()))
        .collect();
    assert_eq!(top, [("router", 5), ("switch", 3)]);
    let customers: Vec<(&str, i64, i64)> = s["active_customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["downloads"].as_i64().unwrap(), c["events"].as_i64().unwrap()))
        .collect();
    assert_eq!(customers, [("ACME Corp", 4, 5), ("Globex", 4, 4)]);
    // Active customers add whole months (monthly rollup) and partial ones (daily) exactly.
    let customers_in = |json: &Value| -> Vec<(String, i64)> {
        let mut list: Vec<(String, i64)> = json["active_customers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["name"].as_str().unwrap().to_string(), c["downloads"].as_i64().unwrap()))
            .collect();
        list.sort();
        list
    };
    let last_month_first = (month_start - Duration::days(1)).date().with_day(1).unwrap();
    let last_month_last = (month_start - Duration::days(1)).date();
    let r = app
        .get(&format!("/api/v1/orgs/{ORG}/portal/stats?from={last_month_first}&to={last_month_last}"), Some(&admin))
        .await;
    assert_eq!(customers_in(&r.json), [("ACME Corp".to_string(), 2), ("Globex".to_string(), 2)]);
    let mid = (month_start - Duration::days(5)).date();
    let r = app.get(&format!("/api/v1/orgs/{ORG}/portal/stats?from={mid}&to={today}"), Some(&admin)).await;
    assert_eq!(customers_in(&r.json), [("ACME Corp".to_string(), 4), ("Globex".to_string(), 2)]);
    // A range with nothing in it: zeros, no customers.
    let r = app.get(&format!("/api/v1/orgs/{ORG}/portal/stats?from=2020-01-01&to=2020-01-31"), Some(&admin)).await;
    assert_eq!(r.json["downloads_in_range"]["total"], 0);
    assert_eq!(r.json["trend"].as_array().unwrap().len(), 31);
    assert_eq!(r.json["active_customers"], json!([]));
    // Long ranges go weekly (ISO weeks from Monday).
    let r = app.get(&format!("/api/v1/orgs/{ORG}/portal/stats?from=2024-01-01&to=2024-12-31"), Some(&admin)).await;
    assert_eq!(r.json["range"]["granularity"], "week");
    assert_eq!(r.json["trend"][0]["period"], "2024-01-01");
    assert_eq!(r.json["trend"].as_array().unwrap().len(), 53);
    app.get(&format!("/api/v1/orgs/{ORG}/portal/stats?from=2024-02-01&to=2024-01-01"), Some(&admin))
        .await
        .assert_problem(400);
    app.get(&format!("/api/v1/orgs/{ORG}/portal/stats?from=yesterday"), Some(&admin)).await.assert_problem(400);
    // Per-token usage.
    let u = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens/{t2}/usage?from={from}&to={today}"), Some(&admin)).await;
    assert_eq!(u.status, 200, "{}", u.json);
    assert_eq!(u.json["downloads"], json!({"total": 4, "sbom": 1, "vex": 1, "advisory": 1, "document": 1}));
    assert_eq!(u.json["ips"][0]["ip"], "10.0.0.2");
    assert_eq!(u.json["recent_events"].as_array().unwrap().len(), 4);
}

async fn every_filter_selects_exactly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let t1 = token(&app, &admin, "ACME Corp").await;
    let p1 = product(&app, &admin, "router").await;
    let mut c = conn(&app);
    let org = org_id(&mut c);
    let base = Utc::now().naive_utc() - Duration::hours(5);
    for i in 0..6 {
        download(
            &mut c,
            &org,
            (&t1, "ACME Corp"),
            if i % 2 == 0 { "sbom" } else { "vex" },
            &p1,
            base + Duration::minutes(i),
            "10.1.1.1",
        );
    }
    Event::new(Some(&org), Category::Portal, Action::PortalLogin, Actor::Anonymous, &client("10.9.9.9"))
        .outcome(Outcome::Denied)
        .record_at(&mut c, base)
        .unwrap();
    let get = |q: String| {
        let app = &app;
        let admin = admin.clone();
        async move { app.get(&format!("/api/v1/orgs/{ORG}/audit?limit=500&{q}"), Some(&admin)).await }
    };
    let all = get(String::new()).await;
    let total = all.json["events"].as_array().unwrap().len();
    let portal = get("category=portal".into()).await;
    assert_eq!(portal.json["events"].as_array().unwrap().len(), 7);
    assert!(portal.json["events"].as_array().unwrap().iter().all(|e| e["category"] == "portal"));
    let admin_events = get("category=admin".into()).await.json["events"].as_array().unwrap().len();
    let auth_events = get("category=auth".into()).await.json["events"].as_array().unwrap().len();
    assert_eq!(7 + admin_events + auth_events, total, "categories partition the log");
    assert_eq!(get("action=portal.sbom.download".into()).await.json["events"].as_array().unwrap().len(), 3);
    let prefixed = all.json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("portal."))
        .count();
    assert_eq!(prefixed, 8, "7 portal events and the admin's portal.token.create");
    assert_eq!(get("action=portal.*".into()).await.json["events"].as_array().unwrap().len(), prefixed);
    assert_eq!(get(format!("token={t1}")).await.json["events"].as_array().unwrap().len(), 6);
    assert_eq!(get(format!("actor={t1}")).await.json["events"].as_array().unwrap().len(), 6);
    let by_product = get(format!("product={p1}")).await;
    let actions: Vec<&str> =
        by_product.json["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.len(), 7, "6 downloads and the product's creation: {actions:?}");
    assert_eq!(actions.first(), Some(&"product.create"), "newest first");
    assert_eq!(get("artifact=a1".into()).await.json["events"].as_array().unwrap().len(), 6);
    assert_eq!(get("outcome=denied".into()).await.json["events"].as_array().unwrap().len(), 1);
    let from = (base + Duration::minutes(2)).and_utc().to_rfc3339();
    let to = (base + Duration::minutes(4)).and_utc().to_rfc3339();
    let ranged = get(format!("category=portal&from={}&to={}", urlencode(&from), urlencode(&to))).await;
    let times: Vec<&str> =
        ranged.json["events"].as_array().unwrap().iter().map(|e| e["occurred_at"].as_str().unwrap()).collect();
    assert_eq!(times.len(), 2, "from inclusive, to exclusive: {times:?}");
    let e = &portal.json["events"][0];
    assert_eq!(
        (e["actor_type"].as_str(), e["actor_name"].as_str(), e["ip"].as_str()),
        (Some("access_token"), Some("ACME Corp"), Some("10.1.1.1"))
    );
    assert!(e["request_id"].as_str().is_some() && e["sha256"].as_str().is_some());
    get("category=nope".into()).await.assert_problem(400);
    get("outcome=maybe".into()).await.assert_problem(400);
    get("limit=0".into()).await.assert_problem(400);
    get("cursor=%%%".into()).await.assert_problem(400);
    get("colour=red".into()).await.assert_problem(400);
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

async fn pagination_is_stable_under_concurrent_inserts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let t1 = token(&app, &admin, "ACME Corp").await;
    let p1 = product(&app, &admin, "router").await;
    let mut c = conn(&app);
    let org = org_id(&mut c);
    let base = Utc::now().naive_utc() - Duration::hours(1);
    for i in 0..40 {
        // Several events share a timestamp: the id breaks ties.
        download(&mut c, &org, (&t1, "ACME Corp"), "sbom", &p1, base + Duration::seconds(i / 3), "10.0.0.1");
    }
    let expected: Vec<String> = {
        let r = app.get(&format!("/api/v1/orgs/{ORG}/audit?category=portal&limit=500"), Some(&admin)).await;
        r.json["events"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(expected.len(), 40);
    // Insert new events while paging.
    let url = app.db.url.clone();
    let (org2, t2, p2) = (org.clone(), t1.clone(), p1.clone());
    let writer = std::thread::spawn(move || {
        let mut c = supplier_portal::db::ConnectionManager::new(&url).unwrap().establish().unwrap();
        for _ in 0..30 {
            download(&mut c, &org2, (&t2, "ACME Corp"), "vex", &p2, Utc::now().naive_utc(), "10.0.0.2");
            std::thread::sleep(std::time::Duration::from_millis(3));
        }
    });
    let mut seen: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    // Start from the first page as it was: page from the oldest expected id's neighbourhood by
    // walking all pages and keeping only the original events.
    loop {
        let q = match &cursor {
            Some(c) => format!("category=portal&limit=7&cursor={c}"),
            None => "category=portal&limit=7".to_string(),
        };
        let r = app.get(&format!("/api/v1/orgs/{ORG}/audit?{q}"), Some(&admin)).await;
        assert_eq!(r.status, 200, "{}", r.json);
        seen.extend(r.json["events"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()));
        match r.json["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    writer.join().unwrap();
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no event appears twice");
    let original: Vec<&String> = seen.iter().filter(|id| expected.contains(id)).collect();
    assert_eq!(original.len(), 40, "no original event is skipped");
    assert_eq!(original.into_iter().cloned().collect::<Vec<_>>(), expected, "order is stable");
}

async fn exports_parse_back_to_the_same_rows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let t1 = token(&app, &admin, "ACME, \"Corp\"").await;
    let p1 = product(&app, &admin, "router").await;
    let mut c = conn(&app);
    let org = org_id(&mut c);
    let base = Utc::now().naive_utc() - Duration::hours(2);
    for i in 0..2_500 {
        download(&mut c, &org, (&t1, "ACME, \"Corp\""), "sbom", &p1, base + Duration::milliseconds(i), "10.0.0.1");
    }
    let mut listed: Vec<Value> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let r = app.get(&format!("/api/v1/orgs/{ORG}/audit?category=portal&limit=500{q}"), Some(&admin)).await;
        listed.extend(r.json["events"].as_array().unwrap().iter().cloned());
        match r.json["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(listed.len(), 2_500);
    let nd = app.get(&format!("/api/v1/orgs/{ORG}/audit?category=portal&format=ndjson"), Some(&admin)).await;
    assert_eq!(nd.header("content-type"), Some("application/x-ndjson"));
    let rows: Vec<Value> =
        String::from_utf8(nd.bytes).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows, listed, "NDJSON export = the listed events");
    let r = app
        .send(
            app.client
                .get(app.url(&format!("/api/v1/orgs/{ORG}/audit?category=portal")))
                .bearer_auth(&admin)
                .header("accept", "text/csv"),
        )
        .await;
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert!(r.header("content-disposition").unwrap().contains(".csv"));
    let mut reader = csv_reader(&r.bytes);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header[..4], ["id", "occurred_at", "category", "action"]);
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 2_500);
    for (rec, ev) in records.iter().zip(&listed) {
        assert_eq!(rec.get(0), ev["id"].as_str());
        assert_eq!(rec.get(3), ev["action"].as_str());
        assert_eq!(rec.get(7), ev["actor_name"].as_str(), "quotes and commas survive");
        assert_eq!(rec.get(14), ev["sha256"].as_str());
        let t: chrono::DateTime<Utc> = rec.get(1).unwrap().parse().unwrap();
        assert_eq!(t, ev["occurred_at"].as_str().unwrap().parse::<chrono::DateTime<Utc>>().unwrap());
    }
    // A formula in a user agent is neutralised in the CSV (spreadsheets would run it).
    let formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
    app.send(app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&admin).header("user-agent", formula)).await;
    app.send(app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&admin).header("user-agent", formula)).await;
    let admin = app.login(e2e::ADMIN_EMAIL, e2e::ADMIN_PASSWORD).await;
    let r = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=auth.logout&format=csv"), Some(&admin)).await;
    let rec = csv_reader(&r.bytes).records().next().unwrap().unwrap();
    assert_eq!(rec.get(9), Some(format!("'{formula}").as_str()), "the user agent cell starts with a quote");
    // An empty export still has its header.
    let empty = app.get(&format!("/api/v1/orgs/{ORG}/audit?category=api&format=csv"), Some(&admin)).await;
    assert_eq!(String::from_utf8(empty.bytes).unwrap().lines().count(), 1);
    app.get(&format!("/api/v1/orgs/{ORG}/audit?format=xml"), Some(&admin)).await.assert_problem(400);
}

fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(true).from_reader(bytes)
}

async fn the_log_is_append_only(backend: Backend) {
    use supplier_portal::db::schema::audit_events;
    let app = TestApp::spawn(backend).await;
    app.setup_admin().await;
    let mut c = conn(&app);
    let before: i64 = audit_events::table.count().get_result(&mut c).unwrap();
    assert!(before > 0);
    let upd = diesel::update(audit_events::table).set(audit_events::action.eq("tampered")).execute(&mut c);
    assert!(upd.unwrap_err().to_string().contains("append-only"));
    let del = diesel::delete(audit_events::table).execute(&mut c);
    assert!(del.unwrap_err().to_string().contains("append-only"));
    assert_eq!(audit_events::table.count().get_result::<i64>(&mut c).unwrap(), before);
    let tampered: i64 =
        audit_events::table.filter(audit_events::action.eq("tampered")).count().get_result(&mut c).unwrap();
    assert_eq!(tampered, 0);
}

async fn sharing_signals_fire_on_the_pattern_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let shared = token(&app, &admin, "Shared").await;
    let normal = token(&app, &admin, "Normal").await;
    let spiky = token(&app, &admin, "Spiky").await;
    let p1 = product(&app, &admin, "router").await;
    let mut c = conn(&app);
    let org = org_id(&mut c);
    let now = Utc::now().naive_utc();
    // Shared: 7 addresses within 24 h (threshold 5).
    for i in 0..7 {
        download(&mut c, &org, (&shared, "Shared"), "sbom", &p1, now - Duration::hours(i), &format!("198.51.100.{i}"));
    }
    // Normal: 2 addresses, 3 downloads a day for 30 days and today.
    for d in 0..31 {
        for k in 0..3 {
            download(
                &mut c,
                &org,
                (&normal, "Normal"),
                "sbom",
                &p1,
                now - Duration::days(d) - Duration::minutes(k),
                if k == 0 { "203.0.113.1" } else { "203.0.113.2" },
            );
        }
    }
    // Spiky: 1 a day for 30 days, then 60 in the last 24 h from one address.
    for d in 2..32 {
        download(&mut c, &org, (&spiky, "Spiky"), "sbom", &p1, now - Duration::days(d), "192.0.2.1");
    }
    for k in 0..60 {
        download(&mut c, &org, (&spiky, "Spiky"), "sbom", &p1, now - Duration::minutes(k), "192.0.2.1");
    }
    let r = app.get(&format!("/api/v1/orgs/{ORG}/portal/stats"), Some(&admin)).await;
    let signals = r.json["sharing_signals"].as_array().unwrap();
    let kinds: Vec<(&str, &str)> =
        signals.iter().map(|s| (s["token_name"].as_str().unwrap(), s["kind"].as_str().unwrap())).collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    assert!(kinds.contains(&("Shared", "many_ips")) && kinds.contains(&("Spiky", "volume_spike")), "{kinds:?}");
    let shared_sig = signals.iter().find(|s| s["kind"] == "many_ips").unwrap();
    assert_eq!(shared_sig["ips"].as_array().unwrap().len(), 7);
    assert!(shared_sig["ips"][0]["first_at"].as_str().is_some());
    let spike = signals.iter().find(|s| s["kind"] == "volume_spike").unwrap();
    assert_eq!(spike["downloads_last_24h"], 60);
    assert!((spike["usual_daily_downloads"].as_f64().unwrap() - 1.0).abs() < 0.01);
}

async fn viewers_read_but_do_not_export_or_change(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    let (_, viewer) = app.member(&admin, "viewer@acme.example", "viewer").await;
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/audit"), Some(&viewer)).await.status, 200);
    assert_eq!(app.get(&format!("/api/v1/orgs/{ORG}/portal/stats"), Some(&viewer)).await.status, 200);
    app.get(&format!("/api/v1/orgs/{ORG}/audit?format=csv"), Some(&viewer)).await.assert_problem(403);
    app.get(&format!("/api/v1/orgs/{ORG}/portal"), Some(&viewer)).await.assert_problem(403);
    app.post(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(&viewer), json!({"name": "x", "expires_in": "30d"}))
        .await
        .assert_problem(403);
    for method in [reqwest::Method::PUT, reqwest::Method::PATCH, reqwest::Method::DELETE, reqwest::Method::POST] {
        let r = app.request(method.clone(), &format!("/api/v1/orgs/{ORG}/audit"), Some(&admin), Some(json!({}))).await;
        assert!(r.status == 404 || r.status == 405, "{method} on the audit log: {}", r.status);
    }
    app.get(&format!("/api/v1/orgs/{ORG}/audit"), None).await.assert_problem(401);
    // The export is itself audited.
    app.get(&format!("/api/v1/orgs/{ORG}/audit?format=ndjson"), Some(&admin)).await;
    let r = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=audit.export"), Some(&admin)).await;
    assert_eq!(r.json["events"].as_array().unwrap().len(), 1);
}

async fn deliveries_prove_who_got_which_bytes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.product_version(&admin, "router", "1.0").await;
    let up =
        app.upload(&Auth::Bearer(&admin), "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    let id = up.json["id"].as_str().unwrap().to_string();
    app.put(
        &format!("/api/v1/orgs/{ORG}/portal"),
        Some(&admin),
        json!({"enabled": true, "slug": "acme", "visibility": "private", "display_name": "ACME"}),
    )
    .await;
    let mut secrets = Vec::new();
    for name in ["ACME Corp", "Globex"] {
        secrets.push(customer(&app, &admin, name).await.1);
    }
    for (i, s) in secrets.iter().enumerate() {
        for _ in 0..=i {
            assert_eq!(app.get(&format!("/api/v1/portal/acme/artifacts/{id}/download"), Some(s)).await.status, 200);
        }
    }
    let r = app.get(&format!("/api/v1/orgs/{ORG}/deliveries?artifact={id}"), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let recipients: Vec<(&str, i64)> = r.json["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["token_name"].as_str().unwrap(), x["deliveries"].as_i64().unwrap()))
        .collect();
    assert_eq!(recipients, [("ACME Corp", 1), ("Globex", 2)]);
    assert!(r.json["recipients"].as_array().unwrap().iter().all(|x| x["sha256"] == json!([up.json["sha256"]])));
    assert_eq!(r.json["deliveries"].as_array().unwrap().len(), 3);
    let by_version = app.get(&format!("/api/v1/orgs/{ORG}/deliveries?product=router&version=1.0"), Some(&admin)).await;
    assert_eq!(by_version.json["deliveries"].as_array().unwrap().len(), 3);
    app.get(&format!("/api/v1/orgs/{ORG}/deliveries"), Some(&admin)).await.assert_problem(400);
}

/// Downloads arriving together are committed together (group commit), their rollups bumped once
/// per batch by the batch's counts: the log, the statistics and every rollup still count each
/// delivery exactly once, per customer and address.
async fn concurrent_deliveries_count_once_each_in_log_and_rollups(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.open_portal(&admin, "private").await;
    app.product_version(&admin, "router", "1.0").await;
    let up =
        app.upload(&Auth::Bearer(&admin), "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    assert_eq!(up.status, 201, "{}", up.json);
    let id = up.json["id"].as_str().unwrap().to_string();
    let mut secrets = Vec::new();
    for name in ["ACME Corp", "Globex"] {
        secrets.push(customer(&app, &admin, name).await.1);
    }
    let url = format!("/api/v1/portal/acme/artifacts/{id}/download");
    // 40 by ACME, 20 by Globex, and 10 product reads by ACME, all at once; 5 with a bad token.
    let mut calls = Vec::new();
    for i in 0..75 {
        let (path, token) = match i {
            0..40 => (url.clone(), secrets[0].clone()),
            40..60 => (url.clone(), secrets[1].clone()),
            60..70 => ("/api/v1/portal/acme/products".to_string(), secrets[0].clone()),
            _ => (url.clone(), "spt_not-a-token".to_string()),
        };
        let app = &app;
        calls.push(async move { app.get(&path, Some(&token)).await.status });
    }
    let statuses = futures_util::future::join_all(calls).await;
    assert!(statuses[..70].iter().all(|s| *s == 200), "{statuses:?}");
    assert!(statuses[70..].iter().all(|s| *s == 401), "{statuses:?}");

    let today = Utc::now().date_naive();
    let from = today - Duration::days(1);
    let s = app.get(&format!("/api/v1/orgs/{ORG}/portal/stats?from={from}&to={today}"), Some(&admin)).await;
    assert_eq!(s.status, 200, "{}", s.json);
    assert_eq!(s.json["downloads_in_range"]["total"], 60, "{}", s.json);
    assert_eq!(s.json["downloads_in_range"]["sbom"], 60);
    let mut customers: Vec<(String, i64)> = s.json["active_customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_string(), c["downloads"].as_i64().unwrap()))
        .collect();
    customers.sort();
    assert_eq!(customers, [("ACME Corp".to_string(), 40), ("Globex".to_string(), 20)]);
    let top: Vec<i64> =
        s.json["top_products"].as_array().unwrap().iter().map(|p| p["downloads"].as_i64().unwrap()).collect();
    assert_eq!(top, [60]);
    let d = app.get(&format!("/api/v1/orgs/{ORG}/deliveries?artifact={id}"), Some(&admin)).await;
    assert_eq!(d.json["deliveries"].as_array().unwrap().len(), 60);

    // Every rollup adds up to the log it summarises.
    #[derive(QueryableByName, Debug, PartialEq)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut c = conn(&app);
    let org = org_id(&mut c);
    let n = |c: &mut supplier_portal::db::DbConnection, sql: &str| -> i64 {
        diesel::sql_query(sql.replace("$ORG", &org)).get_result::<N>(c).unwrap().n
    };
    let logged = n(&mut c, "SELECT COUNT(*) AS n FROM audit_events WHERE org_id = '$ORG'");
    assert_eq!(
        n(&mut c, "SELECT CAST(COALESCE(SUM(events), 0) AS BIGINT) AS n FROM audit_daily WHERE org_id = '$ORG'"),
        logged
    );
    assert_eq!(
        n(
            &mut c,
            "SELECT CAST(COALESCE(SUM(events), 0) AS BIGINT) AS n FROM audit_daily_actions WHERE org_id = '$ORG'"
        ),
        logged
    );
    let customer_events = n(
        &mut c,
        "SELECT COUNT(*) AS n FROM audit_events WHERE org_id = '$ORG' AND category = 'portal' AND outcome = 'success' \
         AND actor_type = 'access_token'",
    );
    for table in ["audit_daily_actors", "audit_monthly_actors", "audit_hourly_ips"] {
        let sql = format!("SELECT CAST(SUM(events) AS BIGINT) AS n FROM {table} WHERE org_id = '$ORG'");
        assert_eq!(n(&mut c, &sql), customer_events, "{table}");
        let sql = format!("SELECT CAST(SUM(downloads) AS BIGINT) AS n FROM {table} WHERE org_id = '$ORG'");
        assert_eq!(n(&mut c, &sql), 60, "{table}");
    }
    assert_eq!(
        n(&mut c, "SELECT CAST(SUM(downloads) AS BIGINT) AS n FROM audit_daily_products WHERE org_id = '$ORG'"),
        60
    );
    // Each customer's first and last sighting (the hourly rollup's bounds) are those of its events.
    let off = n(
        &mut c,
        "SELECT COUNT(*) AS n FROM (SELECT actor_id, MIN(first_at) AS f, MAX(last_at) AS l FROM audit_hourly_ips \
         WHERE org_id = '$ORG' GROUP BY actor_id) h WHERE h.f <> (SELECT MIN(occurred_at) FROM audit_events e \
         WHERE e.org_id = '$ORG' AND e.actor_id = h.actor_id AND e.category = 'portal' AND e.outcome = 'success') \
         OR h.l <> (SELECT MAX(occurred_at) FROM audit_events e WHERE e.org_id = '$ORG' AND e.actor_id = h.actor_id \
         AND e.category = 'portal' AND e.outcome = 'success')",
    );
    assert_eq!(off, 0, "first_at/last_at of the hourly rollup");
}

/// The log names what each event is about (as it is now), and one filter gathers everything
/// about a customer: what it did and what admins did to its token.
async fn events_name_their_objects_and_filter_by_customer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    app.open_portal(&admin, "private").await;
    app.product_version(&admin, "router", "1.0").await;
    let up = app
        .upload(
            &Auth::Bearer(&admin),
            "router",
            "1.0",
            "?publish=true&filename=router-bom.json",
            CDX,
            fixture("sbom-min-1.6.json"),
        )
        .await;
    assert_eq!(up.status, 201, "{}", up.json);
    let artifact = up.json["id"].as_str().unwrap().to_string();
    let mut tokens = Vec::new();
    for name in ["Globex", "Initech"] {
        tokens.push(customer(&app, &admin, name).await);
    }
    let (globex, secret) = tokens[0].clone();
    let d = app.get(&format!("/api/v1/portal/acme/artifacts/{artifact}/download"), Some(&secret)).await;
    assert_eq!(d.status, 200);
    app.get("/api/v1/portal/acme/vulnerabilities/CVE-2024-0001", Some(&secret)).await;
    let p = app
        .patch(&format!("/api/v1/orgs/{ORG}/portal/tokens/{globex}"), Some(&admin), json!({"name": "Globex Corp"}))
        .await;
    assert_eq!(p.status, 200, "{}", p.json);
    app.get(&format!("/api/v1/portal/acme/artifacts/{artifact}/download"), Some(&tokens[1].1)).await;
    let (_, _) = app.member(&admin, "auditor@acme.example", "viewer").await;

    let all = app.get(&format!("/api/v1/orgs/{ORG}/audit?limit=500"), Some(&admin)).await;
    let events = all.json["events"].as_array().unwrap();
    let find = |action: &str| events.iter().find(|e| e["action"] == action).unwrap_or_else(|| panic!("{action}"));
    let dl = &find("portal.sbom.download")["object"];
    assert_eq!(dl["kind"], "artifact");
    assert_eq!(dl["label"], "router-bom.json");
    assert_eq!((dl["product_slug"].as_str(), dl["version"].as_str()), (Some("router"), Some("1.0")));
    let created = &find("portal.token.create")["object"];
    assert_eq!(created["kind"], "access_token");
    assert!(["Globex Corp", "Initech"].contains(&created["label"].as_str().unwrap()), "named as it is now");
    let member = &find("member.create")["object"];
    assert_eq!((member["kind"].as_str(), member["label"].as_str()), (Some("member"), Some("auditor@acme.example")));
    let asked = &find("portal.vulnerability.query")["object"];
    assert_eq!((asked["kind"].as_str(), asked["label"].as_str()), (Some("vulnerability"), Some("CVE-2024-0001")));
    let product = &find("product.create")["object"];
    assert_eq!((product["kind"].as_str(), product["label"].as_str()), (Some("product"), Some("router")));

    // `*` anywhere in the action: every kind of download.
    let dl = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=portal.*.download"), Some(&admin)).await;
    assert_eq!(dl.json["events"].as_array().unwrap().len(), 2, "{}", dl.json);
    let n = app.get(&format!("/api/v1/orgs/{ORG}/audit?category=notification"), Some(&admin)).await;
    assert_eq!(n.status, 200, "{}", n.json);

    // Everything about Globex: its download and query, its token's creation and edit; nothing of Initech.
    let c = app.get(&format!("/api/v1/orgs/{ORG}/audit?customer={globex}"), Some(&admin)).await;
    assert_eq!(c.status, 200, "{}", c.json);
    let mut actions: Vec<&str> =
        c.json["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        ["portal.sbom.download", "portal.token.create", "portal.token.update", "portal.vulnerability.query"],
        "{}",
        c.json
    );
}
