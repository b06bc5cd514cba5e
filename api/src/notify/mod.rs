//! Notifications: customers' subscriptions, the one targeting rule (who receives an event —
//! asking the disclosure rule), the outbox written in the transaction that raised the event, and
//! the delivery worker (SMTP through `lettre`, Standard Webhooks through `standardwebhooks`).
//!
//! Floor 4: called by `publishing` and `vulns`; calls `disclosure`, `portal` and the core below.

pub mod model;
pub mod outbox;
pub mod renewals;
pub mod routes;
pub mod send;
pub mod subscriptions;
pub mod targeting;
pub mod webhook_url;
pub mod worker;

pub use model::EventType;
pub use targeting::{raise, Subject};
