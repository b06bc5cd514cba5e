//! The supplier portal: settings, customer access tokens, and the customer API. Every customer
//! action is audited before its response is sent.
pub mod admin_routes;
pub mod bundle;
pub mod customer;
pub mod customer_routes;
pub mod model;
pub mod reader;
pub mod settings;
pub mod tokens;
