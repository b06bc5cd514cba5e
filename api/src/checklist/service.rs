//! The CRA vendor checklist per product: the organisation's template, each product's answers
//! with evidence, the customers' view (published only, evidence by the disclosure rule), its
//! Markdown rendering and SHA-256, and acknowledgements.

use std::collections::HashMap;
use std::fmt::Write as _;

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::model::*;
use super::template::default_sections;
use crate::artifacts::store::Artifact;
use crate::audit::{Action, Actor, Category, Event};
use crate::catalogue::store::Product;
use crate::client::ClientInfo;
use crate::db::{schema::*, DbConnection};
use crate::disclosure::{self, in_subquery, Audience};
use crate::error::{ApiError, ApiResult};
use crate::time::{now, utc};
use crate::validate::Checks;

fn json_err(e: serde_json::Error) -> ApiError {
    ApiError::internal(anyhow::Error::from(e))
}

/// The organisation's template: its own, else the built-in one.
pub fn template(conn: &mut DbConnection, org_id: &str) -> ApiResult<Vec<TemplateSection>> {
    let stored: Option<String> =
        checklist_templates::table.find(org_id).select(checklist_templates::sections).first(conn).optional()?;
    match stored {
        Some(text) => serde_json::from_str(&text).map_err(json_err),
        None => Ok(default_sections()),
    }
}

pub fn put_template(
    conn: &mut DbConnection,
    org_id: &str,
    req: &ChecklistTemplate,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<ChecklistTemplate> {
    let mut c = Checks::of(req);
    let mut seen = std::collections::HashSet::new();
    for (i, s) in req.sections.iter().enumerate() {
        c.check(seen.insert(&s.id), &format!("sections[{i}].id"), "must be unique");
    }
    c.finish()?;
    let text = serde_json::to_string(&req.sections).map_err(json_err)?;
    let by = actor.name().unwrap_or("unknown").to_string();
    crate::per_backend!(conn, |c| {
        diesel::insert_into(checklist_templates::table)
            .values((
                checklist_templates::org_id.eq(org_id),
                checklist_templates::sections.eq(&text),
                checklist_templates::updated_at.eq(now()),
                checklist_templates::updated_by_name.eq(&by),
            ))
            .on_conflict(checklist_templates::org_id)
            .do_update()
            .set((
                checklist_templates::sections.eq(&text),
                checklist_templates::updated_at.eq(now()),
                checklist_templates::updated_by_name.eq(&by),
            ))
            .execute(c)
    })?;
    Event::new(Some(org_id), Category::Admin, Action::ChecklistTemplateUpdate, actor.clone(), client)
        .details(serde_json::json!({"sections": req.sections.len()}))
        .record(conn)?;
    Ok(ChecklistTemplate { sections: template(conn, org_id)? })
}

struct Stored {
    answers: Vec<SectionAnswer>,
    published: bool,
    updated_at: chrono::NaiveDateTime,
    updated_by: String,
}

fn stored(conn: &mut DbConnection, product_id: &str) -> ApiResult<Option<Stored>> {
    let row: Option<(String, bool, chrono::NaiveDateTime, String)> = product_checklists::table
        .find(product_id)
        .select((
            product_checklists::answers,
            product_checklists::published,
            product_checklists::updated_at,
            product_checklists::updated_by_name,
        ))
        .first(conn)
        .optional()?;
    row.map(|(a, published, updated_at, updated_by)| {
        Ok(Stored { answers: serde_json::from_str(&a).map_err(json_err)?, published, updated_at, updated_by })
    })
    .transpose()
}

/// The artifacts of `ids` filed under a version of the product (any status).
fn product_artifacts(conn: &mut DbConnection, product: &Product, ids: &[String]) -> ApiResult<Vec<Artifact>> {
    let placed = artifact_versions::table
        .inner_join(product_versions::table)
        .filter(product_versions::product_id.eq(&product.id))
        .select(artifact_versions::artifact_id);
    Ok(artifacts::table
        .filter(artifacts::id.eq_any(ids.to_vec()))
        .filter(artifacts::org_id.eq(&product.org_id))
        .filter(artifacts::id.eq_any(placed))
        .select(Artifact::as_select())
        .load(conn)?)
}

fn build(
    product: &Product,
    sections: Vec<TemplateSection>,
    s: Option<Stored>,
    evidence: &HashMap<String, Artifact>,
) -> ProductChecklist {
    let answers: HashMap<String, SectionAnswer> =
        s.as_ref().map(|s| s.answers.iter().map(|a| (a.id.clone(), a.clone())).collect()).unwrap_or_default();
    let sections = sections
        .into_iter()
        .map(|t| {
            let a = answers.get(&t.id).cloned().unwrap_or_default();
            ChecklistSection {
                evidence: a
                    .evidence
                    .iter()
                    .filter_map(|id| evidence.get(id))
                    .map(|x| EvidenceRef {
                        artifact_id: x.id.to_string(),
                        kind: x.kind,
                        filename: x.filename.clone(),
                        title: x.title.clone(),
                        status: x.status,
                        sha256: x.sha256.clone(),
                    })
                    .collect(),
                id: t.id,
                title: t.title,
                clauses: t.clauses,
                status: a.status,
                statement: a.statement,
                reviewer: a.reviewer,
                review_date: a.review_date,
            }
        })
        .collect();
    let mut c = ProductChecklist {
        product_slug: product.slug.clone(),
        product_name: product.name.clone(),
        published: s.as_ref().is_some_and(|s| s.published),
        sections,
        updated_at: s.as_ref().map(|s| utc(s.updated_at)),
        updated_by: s.map(|s| s.updated_by),
        sha256: String::new(),
    };
    c.sha256 = hex::encode(Sha256::digest(markdown(&c).as_bytes()));
    c
}

/// The manufacturer's view: every section, every evidence artifact whatever its state.
pub fn admin_view(conn: &mut DbConnection, product: &Product) -> ApiResult<ProductChecklist> {
    let sections = template(conn, &product.org_id)?;
    let s = stored(conn, &product.id)?;
    let ids: Vec<String> = s.iter().flat_map(|s| s.answers.iter().flat_map(|a| a.evidence.clone())).collect();
    let evidence = product_artifacts(conn, product, &ids)?.into_iter().map(|a| (a.id.to_string(), a)).collect();
    Ok(build(product, sections, s, &evidence))
}

/// A reader's view: only a published checklist of a product it may see; evidence it may not
/// see is left out (by the disclosure rule).
pub fn customer_view(conn: &mut DbConnection, a: &Audience, product: &Product) -> ApiResult<ProductChecklist> {
    let not_found = || ApiError::NotFound(format!("product `{}` has no published checklist", product.slug));
    let s = stored(conn, &product.id)?.filter(|s| s.published).ok_or_else(not_found)?;
    let sections = template(conn, &product.org_id)?;
    let ids: Vec<String> = s.answers.iter().flat_map(|a| a.evidence.clone()).collect();
    let visible: Vec<Artifact> = artifacts::table
        .filter(artifacts::id.eq_any(ids))
        .filter(in_subquery(artifacts::id, disclosure::artifact_ids(a)))
        .select(Artifact::as_select())
        .load(conn)?;
    let evidence = visible.into_iter().map(|x| (x.id.to_string(), x)).collect();
    Ok(build(product, sections, Some(s), &evidence))
}

pub fn put(
    conn: &mut DbConnection,
    product: &Product,
    req: &UpdateChecklist,
    actor: &Actor,
    client: &ClientInfo,
) -> ApiResult<ProductChecklist> {
    let sections = template(conn, &product.org_id)?;
    let mut c = Checks::new();
    let mut seen = std::collections::HashSet::new();
    let evidence: Vec<String> = req.sections.iter().flat_map(|s| s.evidence.clone()).collect();
    let known: std::collections::HashSet<String> =
        product_artifacts(conn, product, &evidence)?.into_iter().map(|a| a.id.into()).collect();
    for (i, s) in req.sections.iter().enumerate() {
        let f = |k: &str| format!("sections[{i}].{k}");
        c.check(
            sections.iter().any(|t| t.id == s.id),
            &f("id"),
            format!("`{}` is not a section of the template", s.id),
        );
        c.check(seen.insert(&s.id), &f("id"), "must be unique");
        c.check(s.statement.len() <= 10_000, &f("statement"), "must be at most 10000 characters");
        if let Some(r) = &s.reviewer {
            c.text(&f("reviewer"), r, 1, 200);
        }
        for id in &s.evidence {
            c.check(known.contains(id), &f("evidence"), format!("`{id}` is not an artifact of this product"));
        }
    }
    c.finish()?;
    let answers = serde_json::to_string(&req.sections).map_err(json_err)?;
    let by = actor.name().unwrap_or("unknown").to_string();
    crate::per_backend!(conn, |c| {
        diesel::insert_into(product_checklists::table)
            .values((
                product_checklists::product_id.eq(&product.id),
                product_checklists::org_id.eq(&product.org_id),
                product_checklists::answers.eq(&answers),
                product_checklists::published.eq(req.published),
                product_checklists::updated_at.eq(now()),
                product_checklists::updated_by_name.eq(&by),
            ))
            .on_conflict(product_checklists::product_id)
            .do_update()
            .set((
                product_checklists::answers.eq(&answers),
                product_checklists::published.eq(req.published),
                product_checklists::updated_at.eq(now()),
                product_checklists::updated_by_name.eq(&by),
            ))
            .execute(c)
    })?;
    let view = admin_view(conn, product)?;
    Event::new(Some(&product.org_id), Category::Admin, Action::ChecklistUpdate, actor.clone(), client)
        .product(Some(&product.id))
        .details(serde_json::json!({"published": req.published, "sha256": view.sha256,
            "met": req.sections.iter().filter(|s| s.status == Some(ChecklistStatus::Met)).count()}))
        .record(conn)?;
    Ok(view)
}

/// The checklist as Markdown (the export, and what its SHA-256 is taken over).
pub fn markdown(c: &ProductChecklist) -> String {
    let mut out = format!("# CRA vendor checklist: {}\n", c.product_name);
    for (i, s) in c.sections.iter().enumerate() {
        let _ = write!(out, "\n## {}. {}\n\n", i + 1, s.title);
        for clause in &s.clauses {
            let _ = writeln!(out, "- {clause}");
        }
        let _ = write!(out, "\n**Status:** {}\n", s.status.map(ChecklistStatus::label).unwrap_or("Not assessed"));
        if !s.statement.trim().is_empty() {
            let _ = write!(out, "\n{}\n", s.statement.trim());
        }
        if !s.evidence.is_empty() {
            out.push_str("\n**Evidence:**\n\n");
            for e in &s.evidence {
                let name = e.title.clone().unwrap_or_else(|| e.filename.clone());
                let _ = writeln!(out, "- {name} ({}, SHA-256 {})", e.filename, e.sha256);
            }
        }
        if let Some(r) = &s.reviewer {
            let date = s.review_date.map(|d| format!(" on {d}")).unwrap_or_default();
            let _ = write!(out, "\nReviewed by {r}{date}.\n");
        }
    }
    out
}

/// Records a customer's acknowledgement of the checklist text it read (by SHA-256).
pub fn acknowledge(
    conn: &mut DbConnection,
    a: &Audience,
    actor: &Actor,
    token: (&str, &str),
    product: &Product,
    req: &CreateAcknowledgement,
    client: &ClientInfo,
) -> ApiResult<Acknowledgement> {
    crate::validate::fields(req)?;
    let view = customer_view(conn, a, product)?;
    if req.sha256.as_deref().is_some_and(|seen| !view.sha256.eq_ignore_ascii_case(seen.trim())) {
        return Err(ApiError::Conflict(
            "the checklist changed since you read it: read it again, then acknowledge what you read".into(),
        ));
    }
    let ack = Acknowledgement {
        id: uuid::Uuid::new_v4().to_string(),
        token_id: token.0.to_string(),
        token_name: Some(token.1.to_string()),
        name: req.name.trim().to_string(),
        title: req.title.trim().to_string(),
        sha256: view.sha256.clone(),
        acknowledged_at: utc(now()),
    };
    diesel::insert_into(checklist_acknowledgements::table)
        .values((
            checklist_acknowledgements::id.eq(&ack.id),
            checklist_acknowledgements::org_id.eq(&product.org_id),
            checklist_acknowledgements::product_id.eq(&product.id),
            checklist_acknowledgements::token_id.eq(&ack.token_id),
            checklist_acknowledgements::name.eq(&ack.name),
            checklist_acknowledgements::title.eq(&ack.title),
            checklist_acknowledgements::sha256.eq(&ack.sha256),
            checklist_acknowledgements::acknowledged_at.eq(ack.acknowledged_at.naive_utc()),
        ))
        .execute(conn)?;
    Event::new(Some(&product.org_id), Category::Portal, Action::PortalChecklistAcknowledge, actor.clone(), client)
        .product(Some(&product.id))
        .details(serde_json::json!({"acknowledgement_id": ack.id, "name": ack.name, "title": ack.title, "sha256": ack.sha256}))
        .record(conn)?;
    Ok(ack)
}

/// Every acknowledgement of a product's checklist, newest first.
pub fn acknowledgements(conn: &mut DbConnection, product: &Product) -> ApiResult<Vec<Acknowledgement>> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(String, String, String, String, String, chrono::NaiveDateTime, Option<String>)> =
        checklist_acknowledgements::table
            .left_join(access_tokens::table.on(access_tokens::id.eq(checklist_acknowledgements::token_id)))
            .filter(checklist_acknowledgements::product_id.eq(&product.id))
            .order((checklist_acknowledgements::acknowledged_at.desc(), checklist_acknowledgements::id.asc()))
            .select((
                checklist_acknowledgements::id,
                checklist_acknowledgements::token_id,
                checklist_acknowledgements::name,
                checklist_acknowledgements::title,
                checklist_acknowledgements::sha256,
                checklist_acknowledgements::acknowledged_at,
                access_tokens::name.nullable(),
            ))
            .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, token_id, name, title, sha256, at, token_name)| Acknowledgement {
            id,
            token_id,
            token_name,
            name,
            title,
            sha256,
            acknowledged_at: utc(at),
        })
        .collect())
}
