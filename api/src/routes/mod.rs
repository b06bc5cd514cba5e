//! The HTTP layer of the core domains: thin handlers (parse, authorise, call a service, shape
//! the response), registered through utoipa so the OpenAPI document is the router. It sits on
//! top of everything it calls; nothing below imports it. Features (portal, CSAF, TEA,
//! statistics) keep their handlers beside their services.

pub mod apikeys;
pub mod artifacts;
pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod orgs;
