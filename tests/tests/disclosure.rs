//! The disclosure matrix (issue 12): every reader kind × every object state × every TLP label ×
//! every customer-facing channel must agree with one rule. The expected answer comes from an
//! oracle written here, independently of the server's `disclosure` module; every channel's
//! observed answer is compared with it. The customer-facing operations are enumerated from the
//! OpenAPI document, and the test fails when one of them was not exercised, so a new route
//! cannot skip the rule.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use e2e::{e2e, fixture, sha256_hex, Auth, Backend, TestApp, ORG};
use serde_json::{json, Value};
use supplier_portal::db::schema::{access_tokens, organizations};

e2e!(
    disclosure_matrix,
    regressions_for_the_reported_leaks,
    portal_default_label_and_relabelling,
    preview_as_a_customer
);

const CDX: &str = "application/vnd.cyclonedx+json";
const CSAF: &str = "application/csaf+json";
const LABELS: [&str; 5] = ["clear", "green", "amber", "amber+strict", "red"];

// ------------------------------------------------------------------------------------------
// The fixture: objects in every state, under every kind of product, with every label.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Published,
    Draft,
    Withdrawn,
    Superseded,
}

#[derive(Debug, Clone)]
struct Obj {
    id: String,
    product: &'static str,
    version: &'static str,
    kind: &'static str,
    /// The effective label (`unlabeled` for a CSAF document without one).
    label: &'static str,
    state: State,
    sha256: String,
    /// CSAF: (folder, `YYYY/<file>.json`).
    csaf: Option<(&'static str, String)>,
    /// The vulnerability only this object speaks about.
    cve: Option<String>,
}

/// Products: (slug, versions, shown to customers). `hidden` is not portal-visible, `legacy` is
/// archived; `router` 3.0 holds only a draft pushed by CI with `auto_create`.
const PRODUCTS: [(&str, &[&str]); 4] =
    [("router", &["1.0", "3.0"]), ("switch", &["2.0"]), ("hidden", &["1.0"]), ("legacy", &["1.0"])];

fn shown_product(p: &str) -> bool {
    p == "router" || p == "switch"
}

/// A CSAF advisory from the fixture with its own tracking id, label and CVE.
fn advisory(id: &str, tlp: Option<&str>, cve: &str) -> Vec<u8> {
    let mut d: Value = serde_json::from_slice(&fixture("csaf-advisory.json")).unwrap();
    d["document"]["tracking"]["id"] = id.into();
    d["vulnerabilities"][0]["cve"] = cve.into();
    match tlp {
        Some(l) => d["document"]["distribution"]["tlp"]["label"] = l.into(),
        None => {
            d["document"].as_object_mut().unwrap().remove("distribution");
        }
    }
    serde_json::to_vec_pretty(&d).unwrap()
}

fn csaf_file(tracking: &str) -> String {
    format!("2025/{}.json", tracking.to_lowercase())
}

struct World {
    objs: Vec<Obj>,
    product_ids: BTreeMap<&'static str, String>,
    version_ids: BTreeMap<(&'static str, &'static str), String>,
}

async fn upload(
    app: &TestApp,
    admin: &str,
    p: &str,
    v: &str,
    query: &str,
    ct: &str,
    body: Vec<u8>,
) -> (String, String) {
    let r = app.upload(&Auth::Bearer(admin), p, v, query, ct, body.clone()).await;
    assert!(r.status == 201, "upload to {p}/{v}{query}: {} {}", r.status, r.json);
    (r.json["id"].as_str().unwrap().to_string(), sha256_hex(&body))
}

async fn put_portal(app: &TestApp, admin: &str, visibility: &str) {
    let r = app
        .put(
            &format!("/api/v1/orgs/{ORG}/portal"),
            Some(admin),
            json!({"enabled": true, "slug": "acme", "visibility": visibility, "display_name": "ACME Devices",
                   "contact_email": "psirt@acme.example",
                   "csaf_publisher": {"name": "ACME GmbH", "namespace": "https://acme.example"}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
}

async fn build(app: &TestApp, admin: &str) -> World {
    for (p, versions) in PRODUCTS {
        for v in versions.iter().filter(|v| **v != "3.0") {
            app.product_version(admin, p, v).await;
        }
    }
    let mut objs = Vec::new();
    let mut push = |o: Obj| objs.push(o);
    // Documents with every explicit label, and one with none (the portal default, CLEAR).
    for l in LABELS {
        let (id, sha) = upload(
            app,
            admin,
            "router",
            "1.0",
            &format!("?publish=true&tlp={}", l.replace('+', "%2B")),
            "text/plain",
            format!("Document labelled {l}\n").into_bytes(),
        )
        .await;
        push(Obj {
            id,
            product: "router",
            version: "1.0",
            kind: "document",
            label: l,
            state: State::Published,
            sha256: sha,
            csaf: None,
            cve: None,
        });
    }
    let (id, sha) = upload(app, admin, "router", "1.0", "?publish=true", "text/plain", b"No label\n".to_vec()).await;
    push(Obj {
        id,
        product: "router",
        version: "1.0",
        kind: "document",
        label: "clear",
        state: State::Published,
        sha256: sha,
        csaf: None,
        cve: None,
    });
    // CSAF advisories carry their own label (or none: unlabeled).
    for (n, (tlp, label, folder)) in [
        (Some("WHITE"), "clear", "white"),
        (Some("GREEN"), "green", "green"),
        (Some("AMBER"), "amber", "amber"),
        (Some("RED"), "red", "red"),
        (None, "unlabeled", "unlabeled"),
    ]
    .into_iter()
    .enumerate()
    {
        let tracking = format!("ACME-SA-2025-{}", 100 + n);
        let cve = format!("CVE-2025-{}", 1100 + n);
        let (id, sha) =
            upload(app, admin, "router", "1.0", "?publish=true", CSAF, advisory(&tracking, tlp, &cve)).await;
        push(Obj {
            id,
            product: "router",
            version: "1.0",
            kind: "advisory",
            label,
            state: State::Published,
            sha256: sha,
            csaf: Some((folder, csaf_file(&tracking))),
            cve: Some(cve),
        });
    }
    // OpenVEX (explicitly CLEAR).
    let vex = fixture("openvex-0.2.0.json");
    let (id, sha) =
        upload(app, admin, "router", "1.0", "?publish=true&tlp=clear", "application/openvex+json", vex).await;
    push(Obj {
        id,
        product: "router",
        version: "1.0",
        kind: "vex",
        label: "clear",
        state: State::Published,
        sha256: sha,
        csaf: None,
        cve: Some("CVE-2023-1234".into()),
    });
    // A draft, a withdrawn document, and an SBOM superseded by its correction.
    let (id, sha) =
        upload(app, admin, "router", "1.0", "", CSAF, advisory("ACME-SA-2025-900", Some("WHITE"), "CVE-2025-1900"))
            .await;
    push(Obj {
        id,
        product: "router",
        version: "1.0",
        kind: "advisory",
        label: "clear",
        state: State::Draft,
        sha256: sha,
        csaf: Some(("white", csaf_file("ACME-SA-2025-900"))),
        cve: Some("CVE-2025-1900".into()),
    });
    let (id, sha) = upload(app, admin, "router", "1.0", "?publish=true", "text/plain", b"Withdrawn\n".to_vec()).await;
    let r =
        app.post(&format!("/api/v1/orgs/{ORG}/artifacts/{id}/withdraw"), Some(admin), json!({"reason": "wrong"})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    push(Obj {
        id,
        product: "router",
        version: "1.0",
        kind: "document",
        label: "clear",
        state: State::Withdrawn,
        sha256: sha,
        csaf: None,
        cve: None,
    });
    let (old, old_sha) = upload(app, admin, "router", "1.0", "?publish=true", CDX, fixture("sbom-min-1.6.json")).await;
    let (new, new_sha) = upload(
        app,
        admin,
        "router",
        "1.0",
        &format!("?publish=true&supersedes={old}"),
        CDX,
        fixture("sbom-1.4-tools-array.json"),
    )
    .await;
    push(Obj {
        id: old,
        product: "router",
        version: "1.0",
        kind: "sbom",
        label: "clear",
        state: State::Superseded,
        sha256: old_sha,
        csaf: None,
        cve: None,
    });
    push(Obj {
        id: new,
        product: "router",
        version: "1.0",
        kind: "sbom",
        label: "clear",
        state: State::Published,
        sha256: new_sha,
        csaf: None,
        cve: None,
    });
    // A draft-only version created by CI (artifacts:write, auto_create).
    let (_, key) = app.api_key(admin, &["artifacts:write"], false).await;
    let body = b"CI draft\n".to_vec();
    let r = app.upload(&Auth::ApiKey(&key), "router", "3.0", "?auto_create=true", "text/plain", body.clone()).await;
    assert_eq!(r.status, 201, "{}", r.json);
    push(Obj {
        id: r.json["id"].as_str().unwrap().into(),
        product: "router",
        version: "3.0",
        kind: "document",
        label: "clear",
        state: State::Draft,
        sha256: sha256_hex(&body),
        csaf: None,
        cve: None,
    });
    // The other products: a scoped token's product, a hidden one and an archived one.
    let (id, sha) =
        upload(app, admin, "switch", "2.0", "?publish=true", "text/plain", b"Switch manual\n".to_vec()).await;
    push(Obj {
        id,
        product: "switch",
        version: "2.0",
        kind: "document",
        label: "clear",
        state: State::Published,
        sha256: sha,
        csaf: None,
        cve: None,
    });
    let (id, sha) = upload(
        app,
        admin,
        "hidden",
        "1.0",
        "?publish=true",
        CSAF,
        advisory("ACME-SA-2025-800", Some("WHITE"), "CVE-2025-1800"),
    )
    .await;
    push(Obj {
        id,
        product: "hidden",
        version: "1.0",
        kind: "advisory",
        label: "clear",
        state: State::Published,
        sha256: sha,
        csaf: Some(("white", csaf_file("ACME-SA-2025-800"))),
        cve: Some("CVE-2025-1800".into()),
    });
    let (id, sha) =
        upload(app, admin, "legacy", "1.0", "?publish=true", "text/plain", b"Legacy manual\n".to_vec()).await;
    push(Obj {
        id,
        product: "legacy",
        version: "1.0",
        kind: "document",
        label: "clear",
        state: State::Published,
        sha256: sha,
        csaf: None,
        cve: None,
    });
    for (p, body) in [("hidden", json!({"portal_visible": false})), ("legacy", json!({"archived": true}))] {
        let r = app.patch(&format!("/api/v1/orgs/{ORG}/products/{p}"), Some(admin), body).await;
        assert_eq!(r.status, 200, "{}", r.json);
    }
    // A published checklist of the router naming evidence in every state and label.
    let evidence: Vec<String> = objs.iter().filter(|o| o.product == "router").map(|o| o.id.clone()).collect();
    let r = app
        .put(
            &format!("/api/v1/orgs/{ORG}/products/router/checklist"),
            Some(admin),
            json!({"published": true, "sections": [{"id": "sbom", "status": "met", "statement": "SBOMs per release.", "evidence": evidence}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let mut product_ids = BTreeMap::new();
    let mut version_ids = BTreeMap::new();
    for (p, versions) in PRODUCTS {
        let r = app.get(&format!("/api/v1/orgs/{ORG}/products/{p}"), Some(admin)).await;
        product_ids.insert(p, r.json["id"].as_str().unwrap().to_string());
        for v in versions {
            let r = app.get(&format!("/api/v1/orgs/{ORG}/products/{p}/versions/{v}"), Some(admin)).await;
            version_ids.insert((p, *v), r.json["id"].as_str().unwrap().to_string());
        }
    }
    World { objs, product_ids, version_ids }
}

// ------------------------------------------------------------------------------------------
// The oracle: the rule, written independently of the server.

#[derive(Debug, Clone)]
#[allow(dead_code)] // the names only label failures (through Debug)
enum Reader {
    Anonymous,
    Token {
        name: &'static str,
        max: &'static str,
        scope: Option<&'static str>,
    },
    /// Expired, revoked, or another organisation's: refused at the door.
    Refused(&'static str),
}

fn rank(label: &str) -> usize {
    LABELS.iter().position(|l| *l == label).unwrap_or(usize::MAX)
}

fn may_read(r: &Reader, public: bool, label: &str) -> bool {
    match r {
        Reader::Anonymous => public && label == "clear",
        Reader::Token { max, .. } => label == "unlabeled" || rank(label) <= rank(max),
        Reader::Refused(_) => false,
    }
}

fn sees(r: &Reader, public: bool, o: &Obj) -> bool {
    o.state == State::Published
        && shown_product(o.product)
        && match r {
            Reader::Token { scope: Some(s), .. } => o.product == *s,
            _ => true,
        }
        && may_read(r, public, o.label)
}

struct Expect<'a> {
    objs: Vec<&'a Obj>,
}

impl<'a> Expect<'a> {
    fn ids(&self, f: impl Fn(&Obj) -> bool) -> BTreeSet<String> {
        self.objs.iter().filter(|o| f(o)).map(|o| o.id.clone()).collect()
    }
    fn products(&self) -> BTreeSet<&'static str> {
        self.objs.iter().map(|o| o.product).collect()
    }
    fn versions(&self) -> BTreeSet<(&'static str, &'static str)> {
        self.objs.iter().map(|o| (o.product, o.version)).collect()
    }
}

fn ids_of(v: &Value, key: &str) -> BTreeSet<String> {
    v.as_array().unwrap_or(&vec![]).iter().map(|x| x[key].as_str().unwrap().to_string()).collect()
}

/// Every customer-facing operation the matrix exercised, by operationId.
#[derive(Default)]
struct Covered(BTreeSet<&'static str>);

impl Covered {
    fn hit(&mut self, op: &'static str) {
        self.0.insert(op);
    }
}

/// Checks every channel for one reader against the oracle.
async fn check_reader(app: &TestApp, w: &World, r: &Reader, cred: Option<&str>, public: bool, cov: &mut Covered) {
    let who = format!("{r:?} on a {} portal", if public { "public" } else { "private" });
    let expect = Expect { objs: w.objs.iter().filter(|o| sees(r, public, o)).collect() };
    let p = "/api/v1/portal/acme";
    let door_open = matches!(r, Reader::Token { .. }) || (public && matches!(r, Reader::Anonymous));
    let status_ok = |code: u16| if door_open { code } else { 401 };

    // --- The customer REST API.
    let info = app.get(p, cred).await;
    cov.hit("getPortal");
    assert_eq!(info.status, status_ok(200), "{who}: portal info {}", info.json);
    if door_open {
        let labels: Vec<String> =
            info.json["caller"]["tlp_labels"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().into()).collect();
        let want: Vec<String> = LABELS
            .iter()
            .chain(["unlabeled"].iter())
            .filter(|l| may_read(r, public, l))
            .map(|l| l.to_string())
            .collect();
        let mut got = labels.clone();
        got.sort();
        let mut want_sorted = want.clone();
        want_sorted.sort();
        assert_eq!(got, want_sorted, "{who}: caller labels");
    }
    let list = app.get(&format!("{p}/products"), cred).await;
    cov.hit("listPortalProducts");
    assert_eq!(list.status, status_ok(200), "{who}: products");
    if door_open {
        let got: BTreeSet<(String, String, i64)> = list
            .json
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|prod| {
                let slug = prod["slug"].as_str().unwrap().to_string();
                prod["versions"].as_array().unwrap().iter().map(move |v| {
                    (slug.clone(), v["version"].as_str().unwrap().to_string(), v["artifact_count"].as_i64().unwrap())
                })
            })
            .collect();
        let want: BTreeSet<(String, String, i64)> = expect
            .versions()
            .into_iter()
            .map(|(pr, v)| {
                let n = expect.objs.iter().filter(|o| o.product == pr && o.version == v).count() as i64;
                (pr.to_string(), v.to_string(), n)
            })
            .collect();
        assert_eq!(got, want, "{who}: product list (product, version, visible artifacts)");
    }
    for (prod, versions) in PRODUCTS {
        let r1 = app.get(&format!("{p}/products/{prod}"), cred).await;
        cov.hit("getPortalProduct");
        let want = if !door_open {
            401
        } else if expect.products().contains(prod) {
            200
        } else {
            404
        };
        assert_eq!(r1.status, want, "{who}: product {prod}");
        for v in versions.iter() {
            let at = expect.ids(|o| o.product == prod && o.version == *v);
            let r2 = app.get(&format!("{p}/products/{prod}/versions/{v}"), cred).await;
            cov.hit("getPortalVersion");
            let want = if !door_open {
                401
            } else if at.is_empty() {
                404
            } else {
                200
            };
            assert_eq!(r2.status, want, "{who}: version {prod}/{v} {}", r2.json);
            if r2.status == 200 {
                let a = &r2.json["artifacts"];
                let got: BTreeSet<String> =
                    ["sbom", "vex", "advisory", "document"].iter().flat_map(|k| ids_of(&a[*k], "id")).collect();
                assert_eq!(got, at, "{who}: artifacts of {prod}/{v}");
                for k in ["sbom", "vex", "advisory", "document"] {
                    for x in a[k].as_array().unwrap() {
                        let o = w.objs.iter().find(|o| o.id == x["id"].as_str().unwrap()).unwrap();
                        assert_eq!(x["tlp"], o.label, "{who}: label of {}", o.id);
                    }
                }
            }
            let rc = app.get(&format!("{p}/products/{prod}/versions/{v}/changes?from={v}"), cred).await;
            cov.hit("getPortalVersionChanges");
            assert_eq!(rc.status, want, "{who}: changes of {prod}/{v}");
            if rc.status == 200 {
                for k in ["from_sbom", "to_sbom"] {
                    if let Some(id) = rc.json[k].as_str() {
                        assert!(at.contains(id), "{who}: changes of {prod}/{v} name an SBOM it may not see");
                    }
                }
            }
            let ra = app.get(&format!("{p}/products/{prod}/versions/{v}/archive"), cred).await;
            cov.hit("downloadPortalVersionArchive");
            assert_eq!(ra.status, want, "{who}: archive of {prod}/{v}");
            if ra.status == 200 {
                let want_sums: BTreeSet<String> = expect
                    .objs
                    .iter()
                    .filter(|o| o.product == prod && o.version == *v)
                    .map(|o| o.sha256.clone())
                    .collect();
                assert_eq!(
                    archive_digests(&ra.bytes),
                    want_sums,
                    "{who}: archive of {prod}/{v} holds exactly what it may see"
                );
            }
            let r3 = app.get(&format!("{p}/products/{prod}/versions/{v}/vex"), cred).await;
            cov.hit("getPortalVex");
            assert_eq!(r3.status, want, "{who}: vex of {prod}/{v}");
            if r3.status == 200 {
                let want_vex =
                    expect.ids(|o| o.product == prod && o.version == *v && matches!(o.kind, "vex" | "advisory"));
                assert_eq!(ids_of(&r3.json, "artifact_id"), want_vex, "{who}: VEX view of {prod}/{v}");
            }
        }
    }
    for (prod, _) in PRODUCTS {
        let c = app.get(&format!("{p}/products/{prod}/checklist"), cred).await;
        cov.hit("getPortalChecklist");
        let published = prod == "router";
        let want = if !door_open {
            401
        } else if published && expect.products().contains(prod) {
            200
        } else {
            404
        };
        assert_eq!(c.status, want, "{who}: checklist of {prod}");
        let ack = |sha: String| json!({"name": "Ann", "title": "CISO", "sha256": sha});
        let sha = c.json["sha256"].as_str().unwrap_or("0").to_string();
        let a = app
            .send(
                app.apply_bearer(
                    app.client.post(app.url(&format!("{p}/products/{prod}/checklist/acknowledgements"))),
                    cred,
                )
                .json(&ack(sha)),
            )
            .await;
        cov.hit("acknowledgePortalChecklist");
        let want_ack = match (door_open, r) {
            (false, _) | (true, Reader::Anonymous) => 401,
            _ if want == 200 => 201,
            _ => 404,
        };
        assert_eq!(a.status, want_ack, "{who}: acknowledge the checklist of {prod}: {}", a.json);
        if c.status == 200 {
            let shown: BTreeSet<String> = c.json["sections"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|s| ids_of(&s["evidence"], "artifact_id"))
                .collect();
            assert_eq!(shown, expect.ids(|o| o.product == "router"), "{who}: checklist evidence");
        }
    }
    for o in &w.objs {
        let d = app.get(&format!("{p}/artifacts/{}/download", o.id), cred).await;
        cov.hit("downloadPortalArtifact");
        let want = if !door_open {
            401
        } else if sees(r, public, o) {
            200
        } else {
            404
        };
        assert_eq!(d.status, want, "{who}: download {o:?}");
        if want == 200 {
            assert_eq!(sha256_hex(&d.bytes), o.sha256, "{who}: bytes of {}", o.id);
        }
        if let Some(cve) = &o.cve {
            let q = app.get(&format!("{p}/vulnerabilities/{cve}"), cred).await;
            cov.hit("getPortalVulnerability");
            assert_eq!(q.status, status_ok(200), "{who}: am I affected by {cve}");
            if door_open {
                let got = ids_of(&q.json["results"], "artifact_id");
                let want = expect.ids(|x| x.cve.as_ref() == Some(cve));
                assert_eq!(got, want, "{who}: am I affected by {cve}");
            }
        }
    }
    let adv = app.get(&format!("{p}/advisories"), cred).await;
    cov.hit("listPortalAdvisories");
    assert_eq!(adv.status, status_ok(200), "{who}: advisories");
    if door_open {
        assert_eq!(ids_of(&adv.json, "id"), expect.ids(|o| o.kind == "advisory"), "{who}: advisories");
        let filtered = app.get(&format!("{p}/advisories?product=router&cve=CVE-2025-1102"), cred).await;
        assert_eq!(
            ids_of(&filtered.json, "id"),
            expect.ids(|o| o.cve.as_deref() == Some("CVE-2025-1102")),
            "{who}: filtered advisories"
        );
    }

    // --- Subscriptions and renewals: a token's own, for the products the rule lets it see.
    let subs = app.get(&format!("{p}/subscriptions"), cred).await;
    cov.hit("listMySubscriptions");
    let renewals = app.get(&format!("{p}/renewal-requests"), cred).await;
    cov.hit("listMyRenewalRequests");
    if let Reader::Token { .. } = r {
        assert_eq!(subs.status, 200, "{who}: subscriptions {}", subs.json);
        assert_eq!(renewals.status, 200, "{who}: renewals {}", renewals.json);
        for product in w.product_ids.keys() {
            let res = app
                .post(
                    &format!("{p}/subscriptions"),
                    cred,
                    json!({"email": "sec@customer.example", "products": [product]}),
                )
                .await;
            cov.hit("createMySubscription");
            if expect.products().contains(product) {
                assert_eq!(res.status, 201, "{who}: may subscribe to {product}: {}", res.json);
                let id = res.json["id"].as_str().unwrap();
                assert_eq!(app.delete(&format!("{p}/subscriptions/{id}"), cred).await.status, 204);
                cov.hit("deleteMySubscription");
            } else {
                assert_eq!(res.status, 400, "{who}: may not subscribe to {product}: {}", res.json);
            }
        }
        let ren = app.post(&format!("{p}/renewal-requests"), cred, json!({"message": "please"})).await;
        cov.hit("requestTokenRenewal");
        assert_eq!(ren.status, 201, "{who}: renewal {}", ren.json);
        let mine = app.get(&format!("{p}/renewal-requests"), cred).await;
        let tokens: BTreeSet<&str> =
            mine.json.as_array().unwrap().iter().map(|x| x["token_id"].as_str().unwrap()).collect();
        assert_eq!(tokens.len(), 1, "{who}: only its own requests {}", mine.json);
    } else {
        assert_eq!(subs.status, 401, "{who}: subscriptions {}", subs.json);
        assert_eq!(renewals.status, 401, "{who}: renewals {}", renewals.json);
        let res = app.post(&format!("{p}/subscriptions"), cred, json!({"email": "sec@customer.example"})).await;
        cov.hit("createMySubscription");
        assert_eq!(res.status, 401, "{who}: {}", res.json);
        let res = app.delete(&format!("{p}/subscriptions/00000000-0000-0000-0000-000000000000"), cred).await;
        cov.hit("deleteMySubscription");
        assert_eq!(res.status, 401, "{who}: {}", res.json);
        let res = app.post(&format!("{p}/renewal-requests"), cred, json!({})).await;
        cov.hit("requestTokenRenewal");
        assert_eq!(res.status, 401, "{who}: {}", res.json);
    }

    // --- CSAF.
    let folders = ["white", "green", "amber", "red", "unlabeled"];
    fn folder_label(f: &str) -> &str {
        match f {
            "white" => "clear",
            other => other,
        }
    }
    for (op, path) in [
        ("getCsafProviderMetadata", format!("{p}/csaf/provider-metadata.json")),
        ("getWellKnownCsafProviderMetadata", "/.well-known/csaf/provider-metadata.json".to_string()),
    ] {
        let m = app.get(&path, cred).await;
        cov.hit(op);
        let refused = matches!(r, Reader::Refused(_));
        assert_eq!(m.status, if refused { 401 } else { 200 }, "{who}: {path}");
        if !refused {
            let offered: BTreeSet<String> = m.json["distributions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["rolie"]["feeds"][0]["tlp_label"].as_str().unwrap().to_lowercase())
                .collect();
            let mut want: BTreeSet<String> =
                expect.objs.iter().filter_map(|o| o.csaf.as_ref().map(|c| c.0.to_string())).collect();
            want.insert("white".into());
            assert_eq!(offered, want, "{who}: distributions offered");
            assert_eq!(m.json["publisher"]["name"], "ACME GmbH", "{who}: the configured publisher");
            assert_eq!(m.header("vary"), Some("Authorization"));
            let key = m.json["public_openpgp_keys"][0]["url"].as_str().unwrap().to_string();
            let k = app.send(app.client.get(&key)).await;
            cov.hit("getCsafPublicKey");
            assert_eq!(k.status, 200, "{who}: the public key is public");
        }
    }
    let svc = app.get(&format!("{p}/csaf/service.json"), cred).await;
    cov.hit("getCsafRolieService");
    assert_eq!(svc.status, if matches!(r, Reader::Refused(_)) { 401 } else { 200 }, "{who}: service.json");
    for f in folders {
        let readable = door_open && may_read(r, public, folder_label(f));
        let want_status = if readable {
            200
        } else if matches!(r, Reader::Token { .. }) {
            403
        } else {
            401
        };
        let in_folder: BTreeMap<String, String> = expect
            .objs
            .iter()
            .filter_map(|o| o.csaf.as_ref().filter(|c| c.0 == f).map(|c| (c.1.clone(), o.id.clone())))
            .collect();
        let listing = app.get(&format!("{p}/csaf/{f}/"), cred).await;
        cov.hit("getCsafFolder");
        assert_eq!(listing.status, want_status, "{who}: folder {f}");
        for file in ["index.txt", "changes.csv", &format!("csaf-feed-tlp-{f}.json"), &format!("category-tlp-{f}.json")]
        {
            let x = app.get(&format!("{p}/csaf/{f}/{file}"), cred).await;
            cov.hit("getCsafFolderFile");
            assert_eq!(x.status, want_status, "{who}: {f}/{file}");
            if x.status != 200 {
                continue;
            }
            let body = String::from_utf8(x.bytes.clone()).unwrap();
            let got: BTreeSet<String> = if file == "index.txt" {
                body.lines().map(str::to_string).collect()
            } else if file == "changes.csv" {
                body.lines().map(|l| l.split(',').next().unwrap().trim_matches('"').to_string()).collect()
            } else if file.starts_with("csaf-feed") {
                x.json["feed"]["entry"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| {
                        let href = e["link"][0]["href"].as_str().unwrap();
                        href.split(&format!("/{f}/")).nth(1).unwrap().to_string()
                    })
                    .collect()
            } else {
                continue;
            };
            assert_eq!(got, in_folder.keys().cloned().collect::<BTreeSet<_>>(), "{who}: {f}/{file}");
        }
        let year = app.get(&format!("{p}/csaf/{f}/2025/"), cred).await;
        cov.hit("getCsafYearFolder");
        let want_year = if want_status != 200 {
            want_status
        } else if in_folder.is_empty() {
            404
        } else {
            200
        };
        assert_eq!(year.status, want_year, "{who}: {f}/2025/");
    }
    for o in w.objs.iter().filter(|o| o.csaf.is_some()) {
        let (f, path) = o.csaf.as_ref().unwrap();
        let readable = door_open && may_read(r, public, folder_label(f));
        for suffix in ["", ".sha256", ".sha512", ".asc"] {
            let x = app.get(&format!("{p}/csaf/{f}/{path}{suffix}"), cred).await;
            cov.hit("getCsafDocument");
            let want = if !readable {
                if matches!(r, Reader::Token { .. }) {
                    403
                } else {
                    401
                }
            } else if sees(r, public, o) {
                200
            } else {
                404
            };
            assert_eq!(x.status, want, "{who}: CSAF {f}/{path}{suffix} of {o:?}");
            if want == 200 && suffix.is_empty() {
                assert_eq!(sha256_hex(&x.bytes), o.sha256);
            }
        }
    }

    // --- TEA.
    let t = "/api/v1/portal/acme/tea/v0.4.0";
    let tea_status = |found: bool| {
        if !door_open {
            401
        } else if found {
            200
        } else {
            404
        }
    };
    let prods = app.get(&format!("{t}/products?pageSize=100"), cred).await;
    cov.hit("teaListProducts");
    assert_eq!(prods.status, status_ok(200), "{who}: TEA products");
    let want_products: BTreeSet<String> = expect.products().iter().map(|p| w.product_ids[p].clone()).collect();
    if door_open {
        assert_eq!(ids_of(&prods.json["results"], "uuid"), want_products, "{who}: TEA products");
    }
    let releases = app.get(&format!("{t}/productReleases?pageSize=100"), cred).await;
    cov.hit("teaListProductReleases");
    let want_versions: BTreeSet<String> = expect.versions().iter().map(|k| w.version_ids[k].clone()).collect();
    if door_open {
        assert_eq!(ids_of(&releases.json["results"], "uuid"), want_versions, "{who}: TEA releases");
    }
    for (prod, versions) in PRODUCTS {
        let id = &w.product_ids[prod];
        let shown = want_products.contains(id);
        for (op, suffix) in [("teaGetProduct", ""), ("teaProductReleases", "/releases"), ("teaProductCle", "/cle")] {
            let x = app.get(&format!("{t}/product/{id}{suffix}"), cred).await;
            cov.hit(op);
            assert_eq!(x.status, tea_status(shown), "{who}: TEA product {prod}{suffix} {}", x.json);
            if op == "teaProductReleases" && x.status == 200 {
                let want: BTreeSet<String> = versions
                    .iter()
                    .map(|v| w.version_ids[&(prod, *v)].clone())
                    .filter(|v| want_versions.contains(v))
                    .collect();
                assert_eq!(ids_of(&x.json["results"], "uuid"), want, "{who}: releases of {prod}");
            }
        }
        for v in versions.iter() {
            let vid = &w.version_ids[&(prod, *v)];
            let at = expect.ids(|o| o.product == prod && o.version == *v);
            let shown = want_versions.contains(vid);
            for (op, suffix) in [
                ("teaGetProductRelease", ""),
                ("teaProductReleaseCle", "/cle"),
                ("teaReleaseCollectionLatest", "/collection/latest"),
                ("teaReleaseCollections", "/collections"),
                ("teaReleaseCollection", "/collection/1"),
            ] {
                let x = app.get(&format!("{t}/productRelease/{vid}{suffix}"), cred).await;
                cov.hit(op);
                assert_eq!(x.status, tea_status(shown), "{who}: TEA release {prod}/{v}{suffix}");
                if x.status != 200 {
                    continue;
                }
                match op {
                    "teaReleaseCollectionLatest" => {
                        assert_eq!(ids_of(&x.json["artifacts"], "uuid"), at, "{who}: latest collection of {prod}/{v}")
                    }
                    "teaReleaseCollections" => {
                        for c in x.json.as_array().unwrap() {
                            let got = ids_of(&c["artifacts"], "uuid");
                            assert!(
                                got.is_subset(&at),
                                "{who}: collection {} of {prod}/{v} lists {got:?}, may see {at:?}",
                                c["version"]
                            );
                        }
                    }
                    "teaReleaseCollection" => assert!(ids_of(&x.json["artifacts"], "uuid").is_subset(&at)),
                    _ => {}
                }
            }
            let tei = format!("urn:tei:uuid:127.0.0.1:{vid}");
            let x = app.get(&format!("{t}/discovery?tei={tei}"), cred).await;
            cov.hit("teaDiscovery");
            assert_eq!(x.status, tea_status(shown), "{who}: TEA discovery of {prod}/{v}");
        }
    }
    for o in &w.objs {
        let seen = sees(r, public, o);
        for (op, suffix) in [("teaArtifactLatest", "latest"), ("teaArtifactVersion", "1")] {
            let x = app.get(&format!("{t}/artifact/{}/{suffix}", o.id), cred).await;
            cov.hit(op);
            assert_eq!(x.status, tea_status(seen), "{who}: TEA artifact {o:?}");
        }
        // Discovery by hash finds the release only through artifacts the reader may see.
        let x = app.get(&format!("{t}/discovery?tei=urn:tei:hash:127.0.0.1:SHA-256:{}", o.sha256), cred).await;
        let found_via_other = w.objs.iter().any(|x| x.sha256 == o.sha256 && sees(r, public, x));
        assert_eq!(x.status, tea_status(found_via_other), "{who}: TEA discovery by the hash of {o:?}");
    }
    for (op, path) in [
        ("teaListComponents", format!("{t}/components")),
        ("teaListComponentReleases", format!("{t}/componentReleases")),
    ] {
        let x = app.get(&path, cred).await;
        cov.hit(op);
        assert_eq!(x.status, status_ok(200), "{who}: {path}");
    }
    for (op, path) in [
        ("teaComponent", format!("{t}/component/{}", w.product_ids["router"])),
        ("teaComponentRelease", format!("{t}/componentRelease/{}", w.version_ids[&("router", "1.0")])),
    ] {
        let x = app.get(&path, cred).await;
        cov.hit(op);
        assert_eq!(x.status, if door_open { 404 } else { 401 }, "{who}: {path}");
    }
}

/// Operations that disclose nothing about the catalogue, and how the matrix checks them.
async fn check_discovery_documents(app: &TestApp, cov: &mut Covered) {
    for (op, path) in [
        ("getSecurityTxt", "/.well-known/security.txt"),
        ("getPortalSecurityTxt", "/api/v1/portal/acme/.well-known/security.txt"),
        ("getWellKnownTea", "/.well-known/tea"),
        ("teaApiRoot", "/api/v1/portal/acme/tea/v0.4.0"),
    ] {
        let r = app.get(path, None).await;
        cov.hit(op);
        assert_eq!(r.status, 200, "{path}");
        let body = String::from_utf8_lossy(&r.bytes);
        assert!(!body.contains("ACME-SA") && !body.contains("Document labelled"), "{path} names no object");
    }
}

/// The SHA-256 of every file in a version archive, checked against its `SHA256SUMS`.
fn archive_digests(bytes: &[u8]) -> BTreeSet<String> {
    use sha2::Digest;
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP archive");
    let mut sums = String::new();
    zip.by_name("SHA256SUMS").expect("SHA256SUMS").read_to_string(&mut sums).unwrap();
    let mut got = BTreeSet::new();
    for line in sums.lines() {
        let (sha, name) = line.split_once("  ").expect("`<sha256>  <name>`");
        let mut data = Vec::new();
        zip.by_name(name).expect(name).read_to_end(&mut data).unwrap();
        assert_eq!(hex::encode(sha2::Sha256::digest(&data)), sha, "{name} matches SHA256SUMS");
        got.insert(sha.to_string());
    }
    assert_eq!(zip.len(), got.len() + 1, "every file is in SHA256SUMS");
    got
}

/// The landing page and the access-request form: public on every portal, and they name nothing
/// of the catalogue.
async fn check_landing(app: &TestApp, cov: &mut Covered) {
    let r = app.get("/api/v1/portal/acme/landing", None).await;
    cov.hit("getPortalLanding");
    assert_eq!(r.status, 200, "{}", r.json);
    let body = String::from_utf8_lossy(&r.bytes);
    assert!(!body.contains("ACME-SA") && !body.contains("router"), "the landing names no object");
    let logo = app.get("/api/v1/portal/acme/logo", None).await;
    cov.hit("getPortalLogo");
    assert_eq!(logo.status, 404, "no logo was uploaded");
    let req = app
        .post(
            "/api/v1/portal/acme/access-requests",
            None,
            json!({"name": "N", "company": "C", "email": "n@c.example", "reason": "r"}),
        )
        .await;
    cov.hit("requestPortalAccess");
    assert_eq!(req.status, 404, "access requests are off by default: {}", req.json);
}

/// Customer-facing operations in the OpenAPI document: everything under `/api/v1/portal/` and
/// `/.well-known/`.
fn customer_operations() -> BTreeSet<String> {
    let spec = serde_json::to_value(supplier_portal::openapi_spec()).unwrap();
    let mut ops = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if path.starts_with("/api/v1/portal/") || path.starts_with("/.well-known/") {
            for (_, op) in item.as_object().unwrap() {
                if let Some(id) = op["operationId"].as_str() {
                    ops.insert(id.to_string());
                }
            }
        }
    }
    ops
}

async fn token(app: &TestApp, admin: &str, name: &str, max: &str, scope: Option<&str>) -> (String, String) {
    let mut body = json!({"name": name, "expires_in": "30d", "max_tlp": max});
    if let Some(s) = scope {
        body["product_ids"] = json!([s]);
    }
    let r = app.post(&format!("/api/v1/orgs/{ORG}/portal/tokens"), Some(admin), body).await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert_eq!(r.json["max_tlp"], max);
    (r.json["id"].as_str().unwrap().to_string(), r.json["token"].as_str().unwrap().to_string())
}

fn conn(app: &TestApp) -> supplier_portal::db::DbConnection {
    supplier_portal::db::ConnectionManager::new(&app.db.url).unwrap().establish().unwrap()
}

/// A live token of another organisation (written directly: this instance has one setup).
fn other_org_token(app: &TestApp) -> String {
    let mut c = conn(app);
    let org = uuid::Uuid::new_v4().to_string();
    let now = chrono::Utc::now().naive_utc();
    diesel::insert_into(organizations::table)
        .values((
            organizations::id.eq(&org),
            organizations::slug.eq("other"),
            organizations::name.eq("Other"),
            organizations::created_at.eq(now),
        ))
        .execute(&mut c)
        .unwrap();
    let secret = format!("spt_{}", "x".repeat(43));
    diesel::insert_into(access_tokens::table)
        .values((
            access_tokens::id.eq(uuid::Uuid::new_v4().to_string()),
            access_tokens::org_id.eq(&org),
            access_tokens::name.eq("Other org"),
            access_tokens::hint.eq("spt_…xxxx"),
            access_tokens::secret_hash.eq(supplier_portal::auth::secret::hash(&secret)),
            access_tokens::created_by_name.eq("test"),
            access_tokens::created_at.eq(now),
            access_tokens::use_count.eq(0i64),
            access_tokens::max_tlp.eq("red"),
        ))
        .execute(&mut c)
        .unwrap();
    secret
}

async fn disclosure_matrix(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        &[("PORTAL_TOKEN_FAILURES_PER_IP", "1000000"), ("PORTAL_CUSTOMER_READS_PER_IP", "1000000")],
    )
    .await;
    let admin = app.setup_admin().await;
    put_portal(&app, &admin, "public").await;
    let w = build(&app, &admin).await;
    let switch = w.product_ids["switch"].clone();
    let mut readers: Vec<(Reader, Option<String>)> = vec![(Reader::Anonymous, None)];
    for (name, max) in
        [("clear", "clear"), ("green", "green"), ("amber", "amber"), ("amber+strict", "amber+strict"), ("red", "red")]
    {
        let (_, secret) = token(&app, &admin, name, max, None).await;
        readers.push((Reader::Token { name, max, scope: None }, Some(secret)));
    }
    let (_, scoped) = token(&app, &admin, "switch only", "red", Some(&switch)).await;
    readers.push((Reader::Token { name: "switch only", max: "red", scope: Some("switch") }, Some(scoped)));
    let (expired_id, expired) = token(&app, &admin, "expired", "red", None).await;
    diesel::update(access_tokens::table.find(&expired_id))
        .set(access_tokens::expires_at.eq(Some(chrono::Utc::now().naive_utc() - chrono::Duration::hours(1))))
        .execute(&mut conn(&app))
        .unwrap();
    readers.push((Reader::Refused("expired"), Some(expired)));
    let (revoked_id, revoked) = token(&app, &admin, "revoked", "red", None).await;
    assert_eq!(app.delete(&format!("/api/v1/orgs/{ORG}/portal/tokens/{revoked_id}"), Some(&admin)).await.status, 204);
    readers.push((Reader::Refused("revoked"), Some(revoked)));
    readers.push((Reader::Refused("other organisation"), Some(other_org_token(&app))));

    let mut cov = Covered::default();
    for public in [true, false] {
        put_portal(&app, &admin, if public { "public" } else { "private" }).await;
        for (r, cred) in &readers {
            check_reader(&app, &w, r, cred.as_deref(), public, &mut cov).await;
        }
    }
    // The same answers through a portal session (the SPA's way in), which then signs out.
    let (_, amber) =
        readers.iter().find(|(r, _)| matches!(r, Reader::Token { max: "amber", scope: None, .. })).unwrap();
    let s = app.post("/api/v1/portal/acme/session", None, json!({"token": amber})).await;
    cov.hit("createPortalSession");
    assert_eq!(s.status, 200, "{}", s.json);
    let jwt = s.json["access_token"].as_str().unwrap().to_string();
    check_reader(
        &app,
        &w,
        &Reader::Token { name: "amber session", max: "amber", scope: None },
        Some(&jwt),
        false,
        &mut cov,
    )
    .await;
    assert_eq!(app.delete("/api/v1/portal/acme/session", Some(&jwt)).await.status, 204);
    cov.hit("endPortalSession");
    check_reader(&app, &w, &Reader::Refused("signed-out session"), Some(&jwt), false, &mut cov).await;
    check_discovery_documents(&app, &mut cov).await;
    check_landing(&app, &mut cov).await;

    let missing: Vec<String> = customer_operations().into_iter().filter(|op| !cov.0.contains(op.as_str())).collect();
    assert!(missing.is_empty(), "customer-facing operations the disclosure matrix does not cover: {missing:?}");
}

// ------------------------------------------------------------------------------------------
// One regression test per leak reported in issue 12.

async fn regressions_for_the_reported_leaks(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    put_portal(&app, &admin, "public").await;
    app.product_version(&admin, "router", "1.0").await;
    let p = "/api/v1/portal/acme";

    // 1. A TLP:AMBER advisory on a public portal: anonymous readers get it through no channel.
    let (amber, _) = upload(
        &app,
        &admin,
        "router",
        "1.0",
        "?publish=true",
        CSAF,
        advisory("ACME-SA-2025-001", Some("AMBER"), "CVE-2025-0101"),
    )
    .await;
    app.get(&format!("{p}/csaf/amber/index.txt"), None).await.assert_problem(401);
    assert_eq!(app.get(&format!("{p}/advisories"), None).await.json, json!([]));
    app.get(&format!("{p}/artifacts/{amber}/download"), None).await.assert_problem(404);
    app.get(&format!("{p}/products/router/versions/1.0"), None).await.assert_problem(404);
    assert_eq!(app.get(&format!("{p}/vulnerabilities/CVE-2025-0101"), None).await.json["results"], json!([]));
    assert_eq!(app.get(&format!("{p}/tea/v0.4.0/artifact/{amber}/latest"), None).await.status, 404);
    let (_, t) = token(&app, &admin, "Importer", "amber", None).await;
    assert_eq!(app.get(&format!("{p}/artifacts/{amber}/download"), Some(&t)).await.status, 200);

    // 2. An older TEA collection does not name a withdrawn artifact.
    let (doc, _) = upload(&app, &admin, "router", "1.0", "?publish=true", "text/plain", b"manual\n".to_vec()).await;
    let release = app.get(&format!("{p}/tea/v0.4.0/productReleases"), Some(&t)).await.json["results"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(&format!("/api/v1/orgs/{ORG}/artifacts/{doc}/withdraw"), Some(&admin), json!({})).await;
    let all = app.get(&format!("{p}/tea/v0.4.0/productRelease/{release}/collections"), Some(&t)).await;
    assert!(!all.text().contains(&doc) && !all.text().contains("manual"), "{}", all.json);

    // 3. One definition of "visible": an advisory filed under a hidden product's version and
    //    linked to a visible one is served under the visible one only, on every channel.
    app.product_version(&admin, "hidden", "1.0").await;
    let (linked, _) = upload(
        &app,
        &admin,
        "hidden",
        "1.0",
        "?publish=true",
        CSAF,
        advisory("ACME-SA-2025-002", Some("WHITE"), "CVE-2025-0102"),
    )
    .await;
    app.patch(&format!("/api/v1/orgs/{ORG}/products/hidden"), Some(&admin), json!({"portal_visible": false})).await;
    assert!(app.get(&format!("{p}/csaf/white/index.txt"), None).await.text().is_empty(), "hidden product: not in CSAF");
    assert_eq!(app.get(&format!("{p}/artifacts/{linked}/download"), None).await.status, 404);
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/artifacts/{linked}/versions"),
            Some(&admin),
            json!({"product": "router", "version": "1.0"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(app.get(&format!("{p}/csaf/white/index.txt"), None).await.text(), "2025/acme-sa-2025-002.json\n");
    let adv = app.get(&format!("{p}/advisories"), None).await.json;
    assert_eq!(adv[0]["applies_to"], json!([{"product_slug": "router", "product_name": "router", "version": "1.0"}]));

    // 4. A draft-only version created by CI does not appear in the customer portal.
    let (_, key) = app.api_key(&admin, &["artifacts:write"], false).await;
    let r =
        app.upload(&Auth::ApiKey(&key), "router", "9.9", "?auto_create=true", "text/plain", b"draft\n".to_vec()).await;
    assert_eq!(r.status, 201);
    let products = app.get(&format!("{p}/products"), Some(&t)).await.json;
    assert!(!products.to_string().contains("9.9"), "{products}");
    app.get(&format!("{p}/products/router/versions/9.9"), Some(&t)).await.assert_problem(404);

    // 5. An `artifacts:write` key changes nothing customers see.
    for (path, body) in [
        (format!("/api/v1/orgs/{ORG}/products/router"), json!({"portal_visible": false})),
        (format!("/api/v1/orgs/{ORG}/products/router"), json!({"archived": true})),
        (format!("/api/v1/orgs/{ORG}/products/router/versions/1.0"), json!({"support_until": "2040-01-01"})),
        (format!("/api/v1/orgs/{ORG}/products/router/versions/1.0"), json!({"status": "end_of_support"})),
        (format!("/api/v1/orgs/{ORG}/artifacts/{doc}"), json!({"tlp": "red"})),
    ] {
        let r = app.send(app.client.patch(app.url(&path)).header("x-api-key", &key).json(&body)).await;
        r.assert_problem(403);
    }
    let r = app
        .send(
            app.client
                .patch(app.url(&format!("/api/v1/orgs/{ORG}/products/router")))
                .header("x-api-key", &key)
                .json(&json!({"description": "Edge router"})),
        )
        .await;
    assert_eq!(r.status, 200, "a cosmetic change is an upload-level change: {}", r.json);
    let (_, publish_key) = app.api_key(&admin, &["artifacts:write", "artifacts:publish"], false).await;
    let r = app
        .send(
            app.client
                .patch(app.url(&format!("/api/v1/orgs/{ORG}/products/router/versions/1.0")))
                .header("x-api-key", &publish_key)
                .json(&json!({"support_until": "2040-01-01"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.json);

    // 6. The provider metadata names the configured publisher, whatever was uploaded; a foreign
    //    publisher is accepted with a warning.
    let mut siemens: Value = serde_json::from_slice(&advisory("SSA-2025-001", Some("WHITE"), "CVE-2025-0103")).unwrap();
    siemens["document"]["publisher"] =
        json!({"category": "vendor", "name": "Siemens ProductCERT", "namespace": "https://www.siemens.com"});
    let r = app
        .upload(&Auth::Bearer(&admin), "router", "1.0", "?publish=true", CSAF, serde_json::to_vec(&siemens).unwrap())
        .await;
    assert_eq!(r.status, 201, "{}", r.json);
    assert!(r.json["warnings"][0].as_str().unwrap().contains("Siemens ProductCERT"), "{}", r.json);
    let m = app.get(&format!("{p}/csaf/provider-metadata.json"), None).await.json;
    assert_eq!(m["publisher"], json!({"category": "vendor", "name": "ACME GmbH", "namespace": "https://acme.example"}));
    let ours = app
        .upload(
            &Auth::Bearer(&admin),
            "router",
            "1.0",
            "",
            CSAF,
            advisory("ACME-SA-2025-003", Some("WHITE"), "CVE-2025-0104"),
        )
        .await;
    assert!(ours.json.get("warnings").is_none(), "{}", ours.json);

    // 7. An anonymous aggregator walking a public portal with an unlabeled advisory is offered
    //    only what it may read, and mirrors every TLP:WHITE document.
    upload(&app, &admin, "router", "1.0", "?publish=true", CSAF, advisory("ACME-SA-2025-004", None, "CVE-2025-0105"))
        .await;
    let m = app.get("/.well-known/csaf/provider-metadata.json", None).await.json;
    for d in m["distributions"].as_array().unwrap() {
        for feed in d["rolie"]["feeds"].as_array().unwrap() {
            let r = app.send(app.client.get(feed["url"].as_str().unwrap())).await;
            assert_eq!(
                r.status, 200,
                "every feed the anonymous metadata lists is readable anonymously: {}",
                feed["url"]
            );
        }
        let dir = d["directory_url"].as_str().unwrap();
        let index = app.send(app.client.get(format!("{dir}index.txt"))).await;
        assert_eq!(index.status, 200);
        for line in index.text().lines() {
            assert_eq!(app.send(app.client.get(format!("{dir}{line}"))).await.status, 200, "{line}");
        }
    }
    let white = app.get(&format!("{p}/csaf/white/index.txt"), None).await.text();
    assert!(white.contains("acme-sa-2025-002.json") && white.contains("ssa-2025-001.json"), "{white}");
}

/// The portal default applies to artifacts without a label; relabelling takes effect at once.
async fn portal_default_label_and_relabelling(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    put_portal(&app, &admin, "public").await;
    app.product_version(&admin, "router", "1.0").await;
    let p = "/api/v1/portal/acme";
    let (doc, _) = upload(&app, &admin, "router", "1.0", "?publish=true", "text/plain", b"manual\n".to_vec()).await;
    let detail = app.get(&format!("/api/v1/orgs/{ORG}/artifacts/{doc}"), Some(&admin)).await.json;
    assert_eq!(detail["tlp"], Value::Null);
    assert_eq!(detail["tlp_source"], "portal_default");
    assert_eq!(app.get(&format!("{p}/artifacts/{doc}/download"), None).await.status, 200);
    // Raise the default: the unlabeled document is now AMBER for everyone.
    let r = app
        .put(&format!("/api/v1/orgs/{ORG}/portal"), Some(&admin), json!({"enabled": true, "slug": "acme", "visibility": "public", "display_name": "ACME", "default_tlp": "amber"}))
        .await;
    assert_eq!(r.json["default_tlp"], "amber");
    assert_eq!(r.json["csaf_publisher"]["name"], "ACME GmbH", "omitted settings stay as they were");
    assert_eq!(app.get(&format!("{p}/artifacts/{doc}/download"), None).await.status, 404);
    let (_, green) = token(&app, &admin, "green", "green", None).await;
    assert_eq!(app.get(&format!("{p}/artifacts/{doc}/download"), Some(&green)).await.status, 404);
    // An explicit label wins over the default (publishers may set it; viewers may not).
    let (_, viewer) = app.member(&admin, "viewer@acme.example", "viewer").await;
    app.patch(&format!("/api/v1/orgs/{ORG}/artifacts/{doc}"), Some(&viewer), json!({"tlp": "clear"}))
        .await
        .assert_problem(403);
    let r = app.patch(&format!("/api/v1/orgs/{ORG}/artifacts/{doc}"), Some(&admin), json!({"tlp": "green"})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["tlp"], "green");
    assert_eq!(r.json["tlp_source"], "explicit");
    assert_eq!(app.get(&format!("{p}/artifacts/{doc}/download"), Some(&green)).await.status, 200);
    assert_eq!(app.get(&format!("{p}/artifacts/{doc}/download"), None).await.status, 404);
    // Back to the default with null.
    let r = app.patch(&format!("/api/v1/orgs/{ORG}/artifacts/{doc}"), Some(&admin), json!({"tlp": null})).await;
    assert_eq!(r.json["tlp"], Value::Null);
    // A CSAF document's label is the document's.
    let (csaf, _) = upload(
        &app,
        &admin,
        "router",
        "1.0",
        "?publish=true",
        CSAF,
        advisory("ACME-SA-2025-001", Some("WHITE"), "CVE-2025-0101"),
    )
    .await;
    let r = app.patch(&format!("/api/v1/orgs/{ORG}/artifacts/{csaf}"), Some(&admin), json!({"tlp": "red"})).await;
    assert_eq!(r.assert_problem(400)["errors"][0]["field"], "tlp");
    let r = app
        .upload(
            &Auth::Bearer(&admin),
            "router",
            "1.0",
            "?tlp=red",
            CSAF,
            advisory("ACME-SA-2025-002", Some("WHITE"), "CVE-2025-0102"),
        )
        .await;
    assert_eq!(r.assert_problem(400)["errors"][0]["field"], "tlp");
    let r = app.upload(&Auth::Bearer(&admin), "router", "1.0", "?tlp=purple", "text/plain", b"x\n".to_vec()).await;
    r.assert_problem(400);
    // Bad settings are refused with the field named.
    let r = app
        .put(&format!("/api/v1/orgs/{ORG}/portal"), Some(&admin), json!({"enabled": true, "slug": "acme", "visibility": "public", "display_name": "ACME", "default_tlp": "unlabeled"}))
        .await;
    r.assert_problem(400);
    let r = app
        .post(
            &format!("/api/v1/orgs/{ORG}/portal/tokens"),
            Some(&admin),
            json!({"name": "x", "expires_in": "30d", "max_tlp": "unlabeled"}),
        )
        .await;
    r.assert_problem(400);
    // Audited.
    let log = app.get(&format!("/api/v1/orgs/{ORG}/audit?action=artifact.tlp.update"), Some(&admin)).await;
    assert_eq!(log.status, 200, "{}", log.json);
    assert!(log.text().contains("artifact.tlp.update"), "{}", log.json);
}

/// "View as this customer" answers what the channels answer, and why the rest is hidden.
async fn preview_as_a_customer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.setup_admin().await;
    put_portal(&app, &admin, "private").await;
    let w = build(&app, &admin).await;
    let (id, secret) = token(&app, &admin, "Distributor", "green", None).await;
    let preview = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens/{id}/preview"), Some(&admin)).await;
    assert_eq!(preview.status, 200, "{}", preview.json);
    let r = Reader::Token { name: "Distributor", max: "green", scope: None };
    let want: BTreeSet<String> = w.objs.iter().filter(|o| sees(&r, false, o)).map(|o| o.id.clone()).collect();
    let mut got = BTreeSet::new();
    for prod in preview.json["products"].as_array().unwrap() {
        for v in prod["versions"].as_array().unwrap() {
            got.extend(ids_of(&v["artifacts"], "id"));
        }
    }
    assert_eq!(got, want, "the preview shows what the token sees");
    // The customer's own channel agrees.
    let mut seen = BTreeSet::new();
    for (prod, versions) in PRODUCTS {
        for v in versions.iter() {
            let r = app.get(&format!("/api/v1/portal/acme/products/{prod}/versions/{v}"), Some(&secret)).await;
            if r.status == 200 {
                for k in ["sbom", "vex", "advisory", "document"] {
                    seen.extend(ids_of(&r.json["artifacts"][k], "id"));
                }
            }
        }
    }
    assert_eq!(seen, want);
    // Every published artifact it does not see is explained.
    let hidden: BTreeMap<String, String> = preview.json["hidden"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["id"].as_str().unwrap().to_string(), h["why"]["reason"].as_str().unwrap().to_string()))
        .collect();
    for o in w.objs.iter().filter(|o| o.state == State::Published && !want.contains(&o.id)) {
        let why = hidden.get(&o.id).unwrap_or_else(|| panic!("{o:?} is not explained"));
        let expected = match o.product {
            "hidden" => "product_hidden",
            "legacy" => "product_archived",
            _ => "above_clearance",
        };
        assert_eq!(why, expected, "{o:?}");
    }
    // Anonymous visitors of a private portal see nothing.
    let anon = app.get(&format!("/api/v1/orgs/{ORG}/portal/preview"), Some(&admin)).await.json;
    assert_eq!(anon["reader"]["admitted"], false);
    assert_eq!(anon["products"], json!([]));
    // Editing the clearance changes the answer at once; only admins preview.
    let r = app.patch(&format!("/api/v1/orgs/{ORG}/portal/tokens/{id}"), Some(&admin), json!({"max_tlp": "red"})).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["max_tlp"], "red");
    let red = app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens/{id}/preview"), Some(&admin)).await.json;
    assert!(red.to_string().contains("\"red\""), "{red}");
    let (_, publisher) = app.member(&admin, "pub@acme.example", "publisher").await;
    app.get(&format!("/api/v1/orgs/{ORG}/portal/tokens/{id}/preview"), Some(&publisher)).await.assert_problem(403);
}
