//! Background work of every server process: the notification delivery worker, the scheduled
//! checks (token expiry warnings, response-deadline reminders), blob garbage collection and the
//! erasure of old personal data. Replicas run them all; the outbox's
//! claims and the once-only markers keep them from doing anything twice. The loops hold the
//! state weakly and end when the server that owns it is gone.

use std::sync::Arc;
use std::time::Duration;

use crate::db;
use crate::notify::send::Sender;
use crate::notify::worker;
use crate::state::AppState;

/// Starts the loops on the current Tokio runtime. Fails when the mail settings are unusable.
pub fn spawn(st: Arc<AppState>, denied: Arc<crate::audit::denied::DeniedLog>) -> anyhow::Result<()> {
    let sender = Arc::new(Sender::new(&st.settings.notify, &st.settings.public_url)?);
    let cfg = st.settings.notify.clone();
    let (d_st, d_sender) = (Arc::downgrade(&st), sender.clone());
    tokio::spawn(async move {
        let idle = Duration::from_millis(cfg.poll_ms);
        loop {
            let Some(st) = d_st.upgrade() else { return };
            let r = worker::deliver_due(&st, &d_sender).await;
            drop(st);
            match r {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "notification delivery pass failed"),
            }
            tokio::time::sleep(idle).await;
        }
    });
    if st.settings.gc_interval_hours > 0 {
        let every = Duration::from_secs(st.settings.gc_interval_hours * 3600);
        let grace = Duration::from_secs(st.settings.gc_grace_hours * 3600);
        let weak = Arc::downgrade(&st);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let Some(st) = weak.upgrade() else { return };
                let (pool, blobs) = (st.pool.clone(), st.blobs.clone());
                drop(st);
                match db::run(&pool, move |c| crate::ops::gc::collect(c, blobs.as_ref(), grace)).await {
                    Ok(r) if r.removed + r.temp_files_removed > 0 => tracing::info!(
                        removed = r.removed,
                        bytes = r.bytes_freed,
                        temp_files = r.temp_files_removed,
                        "unreferenced blobs removed"
                    ),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "blob garbage collection failed"),
                }
            }
        });
    }
    // Counted refusals become `access.denied` events.
    let (weak, weak_log) = (Arc::downgrade(&st), Arc::downgrade(&denied));
    let flush_every = Duration::from_secs(st.settings.denied_flush_secs);
    drop(denied);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(flush_every).await;
            let (Some(st), Some(log)) = (weak.upgrade(), weak_log.upgrade()) else { return };
            let pool = st.pool.clone();
            drop(st);
            if let Err(e) = db::run(&pool, move |c| log.flush(c)).await {
                tracing::warn!(error = %e, "denied-access events not written");
            }
        }
    });
    // Personal data (client addresses, user agents) past PORTAL_AUDIT_PERSONAL_DATA_DAYS: erased
    // a minute after start, then every six hours; the planner's statistics refreshed alongside.
    let days = st.settings.audit_personal_data_days;
    let weak = Arc::downgrade(&st);
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        loop {
            let Some(st) = weak.upgrade() else { return };
            let pool = st.pool.clone();
            drop(st);
            match db::run(&pool, move |c| crate::audit::privacy::erase_older_than(c, days)).await {
                Ok(e) if e != Default::default() => tracing::info!(?e, days, "personal data erased"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "personal data erasure failed"),
            }
            if let Err(e) = db::run(&pool, |c| Ok(db::refresh_statistics(c, false)?)).await {
                tracing::warn!(error = %e, "refreshing the query planner's statistics failed");
            }
            tokio::time::sleep(Duration::from_secs(6 * 3600)).await;
        }
    });
    let every = Duration::from_secs(cfg.jobs_interval_secs);
    let reminder_hours = cfg.reminder_hours;
    let weak = Arc::downgrade(&st);
    drop(st);
    tokio::spawn(async move {
        loop {
            let Some(st) = weak.upgrade() else { return };
            let pool = st.pool.clone();
            drop(st);
            let r = db::tx(&pool, move |c| {
                let expiring = worker::expiry_tick(c)?;
                let reminders = crate::vulns::clocks::remind_tick(c, reminder_hours)?;
                Ok((expiring, reminders))
            })
            .await;
            match r {
                Ok((0, 0)) => {}
                Ok((expiring, reminders)) => {
                    tracing::info!(expiring, reminders, "scheduled notifications queued")
                }
                Err(e) => tracing::warn!(error = %e, "scheduled notification checks failed"),
            }
            tokio::time::sleep(every).await;
        }
    });
    Ok(())
}
