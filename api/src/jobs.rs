//! Background work of every server process: the notification delivery worker, the scheduled
//! checks (token expiry warnings, response-deadline reminders) and blob garbage collection. Replicas run them all; the outbox's
//! claims and the once-only markers keep them from doing anything twice. The loops hold the
//! state weakly and end when the server that owns it is gone.

use std::sync::Arc;
use std::time::Duration;

use crate::db;
use crate::notify::send::Sender;
use crate::notify::worker;
use crate::state::AppState;

/// Starts the loops on the current Tokio runtime. Fails when the mail settings are unusable.
pub fn spawn(st: Arc<AppState>) -> anyhow::Result<()> {
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
