//! The CRA vendor checklist per product (the twelve sections buyers hand their suppliers):
//! answered with statuses, statements and evidence, published to customers (evidence by the
//! disclosure rule), exported as Markdown, and acknowledged by customers.
pub mod model;
pub mod routes;
pub mod service;
pub mod template;
