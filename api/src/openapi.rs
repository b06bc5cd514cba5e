//! The OpenAPI document: info, security schemes and tags here; paths come from the router itself.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Supplier Portal API",
        description = "Hand customers the security evidence the EU Cyber Resilience Act asks for: SBOMs (Art. 13(6)), \
VEX statements and CSAF advisories (Art. 13(12)), through a portal that logs every access (Art. 13(13)).\n\n\
Errors are RFC 7807 `application/problem+json`; every response carries an `X-Request-Id`.",
        license(name = "Apache-2.0")
    ),
    modifiers(&SecuritySchemes),
    components(schemas(crate::error::Problem, crate::error::FieldError, crate::tea::TeaError)),
    tags(
        (name = "setup", description = "First-run setup"),
        (name = "auth", description = "Sign-in and sessions of organisation members"),
        (name = "members", description = "Members of an organisation and their roles"),
        (name = "catalogue", description = "Products and versions (with support periods, CRA Art. 13(8))"),
        (name = "artifacts", description = "SBOMs, VEX, CSAF advisories and documents: upload, validation, publishing"),
        (name = "api-keys", description = "Organisation API keys for CI pipelines"),
        (name = "dependency-track", description = "Dependency-Track compatible SBOM push for existing pipelines"),
        (name = "portal-admin", description = "Portal settings and customer access tokens (admins only)"),
        (name = "portal", description = "The customer portal API: browse, download, VEX, advisories; every access is logged"),
        (name = "audit", description = "The append-only audit log, exports and proof of delivery"),
        (name = "statistics", description = "Portal usage: downloads, trends, active customers, credential-sharing signals"),
        (name = "operations", description = "Health, readiness and metrics"),
        (name = "csaf", description = "CSAF 2.0 trusted provider: metadata, TLP folders, index/changes, ROLIE feeds, hashes and OpenPGP signatures (what each caller may read, by the disclosure rule)"),
        (name = "tea", description = "Transparency Exchange API v0.4.0 (ECMA TC54): products, releases, versioned collections, artifacts, TEI discovery"),
        (name = "checklist", description = "The CRA vendor checklist per product: template, answers with evidence, acknowledgements"),
        (name = "vulnerabilities", description = "The vulnerability response loop: triage, generated OpenVEX and CSAF VEX, impacted customers, clocks (CRA Art. 14), reports and timeline"),
        (name = "notifications", description = "Notifications to customers (e-mail, Standard Webhooks): the delivery log"),
        (name = "discovery", description = "security.txt (RFC 9116): where to report vulnerabilities and where the CSAF provider is"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "admin_jwt",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Session token from `POST /api/v1/auth/login`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "Organisation API key for CI pipelines (`spk_…`); also accepted as `Authorization: Bearer`",
            ))),
        );
        components.add_security_scheme(
            "portal_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Customer access token (`spt_…`) or a portal session JWT"))
                    .build(),
            ),
        );
    }
}

/// The document as served and committed (pretty JSON with a trailing newline).
pub fn document() -> String {
    let api = crate::openapi_spec();
    format!("{}\n", api.to_pretty_json().unwrap_or_default())
}
