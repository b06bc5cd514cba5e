//! The statistics rollups kept with the audit log, in the event's own transaction: per day and
//! action, per day and product (downloads), per day / month / hour and customer.
//!
//! An event's bumps are written with it, except while a group-committed batch runs on the thread
//! ([`Batched`], registered with [`crate::db::group::GroupCommit`]): then each job's bumps are kept
//! until the job's savepoint is released, merged across the batch, and written once, by the
//! batch's counts, just before it commits. Forty downloads by one customer in one batch bump each
//! of their six counters once instead of forty times; the counters still commit with the events,
//! in the same transaction, or not at all.

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use diesel::prelude::*;
use diesel::upsert::excluded;

use crate::db::group::BatchTail;
use crate::db::DbConnection;
use crate::error::ApiResult;

/// One counter row. The order (derived) is the order rows are written in, the same for every
/// writer, so two batches bumping the same rows on Postgres never wait on each other in a cycle.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Row {
    Daily {
        org: String,
        day: NaiveDate,
        action: String,
        outcome: String,
        actor_type: String,
        actor: String,
        product: String,
    },
    Action {
        org: String,
        day: NaiveDate,
        action: String,
        outcome: String,
    },
    Product {
        org: String,
        day: NaiveDate,
        product: String,
    },
    Customer {
        org: String,
        day: NaiveDate,
        actor: String,
    },
    CustomerMonth {
        org: String,
        month: NaiveDate,
        actor: String,
    },
    CustomerHour {
        org: String,
        hour: NaiveDateTime,
        actor: String,
        ip: String,
    },
}

#[derive(Debug, Clone, Copy)]
struct Counts {
    events: i64,
    downloads: i64,
    first_at: NaiveDateTime,
    last_at: NaiveDateTime,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.events += o.events;
        self.downloads += o.downloads;
        self.first_at = self.first_at.min(o.first_at);
        self.last_at = self.last_at.max(o.last_at);
    }
}

/// What one event (or a batch of them) adds to the counters.
#[derive(Debug, Default)]
pub(super) struct Bumps(BTreeMap<Row, Counts>);

/// The parts of an event its rollups are keyed by.
pub(super) struct Counted<'a> {
    pub org_id: &'a str,
    pub at: NaiveDateTime,
    pub category: &'a str,
    pub action: &'a str,
    pub outcome: &'a str,
    pub actor_type: &'a str,
    pub actor_id: &'a str,
    pub product_id: &'a str,
    pub ip: &'a str,
}

impl Bumps {
    fn add(&mut self, row: Row, c: Counts) {
        self.0.entry(row).and_modify(|have| have.add(c)).or_insert(c);
    }

    fn merge(&mut self, other: Bumps) {
        for (row, c) in other.0 {
            self.add(row, c);
        }
    }

    pub(super) fn of(e: &Counted<'_>) -> Bumps {
        let mut b = Bumps::default();
        let org = e.org_id.to_string();
        let day = e.at.date();
        let portal_success = e.category == "portal" && e.outcome == "success";
        let download = portal_success && e.action.starts_with("portal.") && e.action.ends_with(".download");
        let one =
            |downloads: bool| Counts { events: 1, downloads: i64::from(downloads), first_at: e.at, last_at: e.at };
        b.add(
            Row::Daily {
                org: org.clone(),
                day,
                action: e.action.into(),
                outcome: e.outcome.into(),
                actor_type: e.actor_type.into(),
                actor: e.actor_id.into(),
                product: e.product_id.into(),
            },
            one(false),
        );
        b.add(Row::Action { org: org.clone(), day, action: e.action.into(), outcome: e.outcome.into() }, one(false));
        if download && !e.product_id.is_empty() {
            b.add(Row::Product { org: org.clone(), day, product: e.product_id.into() }, one(true));
        }
        if portal_success && e.actor_type == "access_token" && !e.actor_id.is_empty() {
            let month = day.with_day(1).unwrap_or(day);
            let hour = day.and_hms_opt(e.at.time().hour(), 0, 0).unwrap_or(e.at);
            b.add(Row::Customer { org: org.clone(), day, actor: e.actor_id.into() }, one(download));
            b.add(Row::CustomerMonth { org: org.clone(), month, actor: e.actor_id.into() }, one(download));
            b.add(Row::CustomerHour { org, hour, actor: e.actor_id.into(), ip: e.ip.into() }, one(download));
        }
        b
    }

    /// One upsert per row, adding the counts; the same DSL statement on both backends.
    fn write(self, conn: &mut DbConnection) -> ApiResult<()> {
        for (row, c) in self.0 {
            write_row(conn, row, c)?;
        }
        Ok(())
    }
}

fn write_row(conn: &mut DbConnection, row: Row, c: Counts) -> ApiResult<()> {
    use crate::db::schema::{
        audit_daily as d, audit_daily_actions as a, audit_daily_actors as da, audit_daily_products as p,
        audit_hourly_ips as h, audit_monthly_actors as m,
    };
    match row {
        Row::Daily { org, day, action, outcome, actor_type, actor, product } => crate::per_backend!(conn, |c2| {
            diesel::insert_into(d::table)
                .values((
                    d::org_id.eq(&org),
                    d::day.eq(day),
                    d::action.eq(&action),
                    d::outcome.eq(&outcome),
                    d::actor_type.eq(&actor_type),
                    d::actor_id.eq(&actor),
                    d::product_id.eq(&product),
                    d::events.eq(c.events),
                ))
                .on_conflict((d::org_id, d::day, d::action, d::outcome, d::actor_type, d::actor_id, d::product_id))
                .do_update()
                .set(d::events.eq(d::events + excluded(d::events)))
                .execute(c2)
        })?,
        Row::Action { org, day, action, outcome } => crate::per_backend!(conn, |c2| {
            diesel::insert_into(a::table)
                .values((
                    a::org_id.eq(&org),
                    a::day.eq(day),
                    a::action.eq(&action),
                    a::outcome.eq(&outcome),
                    a::events.eq(c.events),
                ))
                .on_conflict((a::org_id, a::day, a::action, a::outcome))
                .do_update()
                .set(a::events.eq(a::events + excluded(a::events)))
                .execute(c2)
        })?,
        Row::Product { org, day, product } => crate::per_backend!(conn, |c2| {
            diesel::insert_into(p::table)
                .values((p::org_id.eq(&org), p::day.eq(day), p::product_id.eq(&product), p::downloads.eq(c.downloads)))
                .on_conflict((p::org_id, p::day, p::product_id))
                .do_update()
                .set(p::downloads.eq(p::downloads + excluded(p::downloads)))
                .execute(c2)
        })?,
        Row::Customer { org, day, actor } => crate::per_backend!(conn, |c2| {
            diesel::insert_into(da::table)
                .values((
                    da::org_id.eq(&org),
                    da::day.eq(day),
                    da::actor_id.eq(&actor),
                    da::events.eq(c.events),
                    da::downloads.eq(c.downloads),
                ))
                .on_conflict((da::org_id, da::day, da::actor_id))
                .do_update()
                .set((
                    da::events.eq(da::events + excluded(da::events)),
                    da::downloads.eq(da::downloads + excluded(da::downloads)),
                ))
                .execute(c2)
        })?,
        Row::CustomerMonth { org, month, actor } => crate::per_backend!(conn, |c2| {
            diesel::insert_into(m::table)
                .values((
                    m::org_id.eq(&org),
                    m::month.eq(month),
                    m::actor_id.eq(&actor),
                    m::events.eq(c.events),
                    m::downloads.eq(c.downloads),
                ))
                .on_conflict((m::org_id, m::month, m::actor_id))
                .do_update()
                .set((
                    m::events.eq(m::events + excluded(m::events)),
                    m::downloads.eq(m::downloads + excluded(m::downloads)),
                ))
                .execute(c2)
        })?,
        Row::CustomerHour { org, hour, actor, ip } => crate::per_backend!(conn, |c2| {
            diesel::insert_into(h::table)
                .values((
                    h::org_id.eq(&org),
                    h::hour.eq(hour),
                    h::actor_id.eq(&actor),
                    h::ip.eq(&ip),
                    h::events.eq(c.events),
                    h::downloads.eq(c.downloads),
                    h::first_at.eq(c.first_at),
                    h::last_at.eq(c.last_at),
                ))
                .on_conflict((h::org_id, h::hour, h::actor_id, h::ip))
                .do_update()
                .set((
                    h::events.eq(h::events + excluded(h::events)),
                    h::downloads.eq(h::downloads + excluded(h::downloads)),
                    h::last_at.eq(diesel::dsl::case_when(h::last_at.lt(excluded(h::last_at)), excluded(h::last_at))
                        .otherwise(h::last_at)),
                ))
                .execute(c2)
        })?,
    };
    Ok(())
}

/// The bumps of the batch running on this thread, when one is: those of the job running now,
/// and those of the batch's jobs whose savepoints were released.
#[derive(Default)]
struct Pending {
    job: Bumps,
    batch: Bumps,
}

thread_local! {
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
}

/// Bumps the counters of an event just written: at once, or at the end of the batch running on
/// this thread.
pub(super) fn bump(conn: &mut DbConnection, bumps: Bumps) -> ApiResult<()> {
    let now = PENDING.with(|p| match p.borrow_mut().as_mut() {
        Some(pending) => {
            pending.job.merge(bumps);
            None
        }
        None => Some(bumps),
    });
    match now {
        Some(bumps) => bumps.write(conn),
        None => Ok(()),
    }
}

/// The rollups of a group-committed batch, written once for all its events (see the module).
/// A job's bumps count only when its savepoint was released: those of a job that failed or was
/// refused go with its rolled-back events. Jobs are short writes that pass their errors up; an
/// event written in a nested savepoint that the job rolls back while itself succeeding would
/// still be counted, so group-committed jobs do not swallow errors.
pub struct Batched;

impl BatchTail for Batched {
    fn open(&self) {
        PENDING.with(|p| *p.borrow_mut() = Some(Pending::default()));
    }

    fn job_ended(&self, kept: bool) {
        PENDING.with(|p| {
            if let Some(pending) = p.borrow_mut().as_mut() {
                let job = std::mem::take(&mut pending.job);
                if kept {
                    pending.batch.merge(job);
                }
            }
        });
    }

    fn close(&self, conn: &mut DbConnection) -> ApiResult<()> {
        // Taken first: the writes below bump nothing themselves, and a failure leaves no state.
        let batch = PENDING.with(|p| p.borrow_mut().take()).map(|p| p.batch).unwrap_or_default();
        batch.write(conn)
    }

    fn discard(&self) {
        PENDING.with(|p| *p.borrow_mut() = None);
    }
}
