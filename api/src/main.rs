use std::io::{BufRead, IsTerminal};
use std::net::TcpListener;

use clap::{Parser, Subcommand};
use supplier_portal::auth::Role;
use supplier_portal::config::{redact_url, Settings};
use supplier_portal::password;
use supplier_portal::{db, openapi, orgs};

#[derive(Parser)]
#[command(name = "supplier-portal", version, about = "Supplier Portal: CRA security evidence for your customers")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve UI, API and Swagger (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate {
        /// Revert every migration instead (destroys all data).
        #[arg(long)]
        revert_all: bool,
    },
    /// Write the OpenAPI document (to stdout, or to --out).
    Openapi {
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Exit 0 when the server on PORTAL_BIND answers /readyz with 200 (container health checks).
    Healthcheck,
    /// Re-analyse every stored SBOM and store its facts and conformance again (after an upgrade
    /// that changes the conformance rules; reads never recompute).
    RecomputeFacts,
    /// Remove blobs nothing references any more (rejected uploads, replaced logos) and temp files
    /// of interrupted uploads, once older than the grace period (referenced blobs are never touched);
    /// and erase client addresses and user agents older than PORTAL_AUDIT_PERSONAL_DATA_DAYS.
    Gc {
        /// Hours an unreferenced blob is kept (default: PORTAL_GC_GRACE_HOURS, 24).
        #[arg(long)]
        grace_hours: Option<u64>,
    },
    /// Administrative tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a user. Without any user yet, this is the first-run setup (organisation + admin).
    /// The password is read from PORTAL_ADMIN_PASSWORD or from the first line of stdin.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        display_name: String,
        /// Slug of the organisation the user joins (created when --org-name is given and it does not exist).
        #[arg(long)]
        org: String,
        #[arg(long)]
        org_name: Option<String>,
        #[arg(long, default_value = "admin")]
        role: String,
    },
}

fn main() {
    supplier_portal::init_logging();
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi { out } => {
            let doc = openapi::document();
            match out {
                Some(path) => std::fs::write(&path, doc)?,
                None => print!("{doc}"),
            }
            Ok(())
        }
        Command::Serve => serve(settings()?),
        Command::Healthcheck => healthcheck(settings()?),
        Command::RecomputeFacts => {
            let ctx = supplier_portal::prepare(settings()?)?;
            let mut conn = ctx.state.pool.get()?;
            let (seen, changed) =
                supplier_portal::artifacts::facts::recompute_sbom_facts(&mut conn, ctx.state.blobs.as_ref())
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("re-analysed {seen} SBOM(s); facts changed for {changed}");
            Ok(())
        }
        Command::Gc { grace_hours } => {
            let s = settings()?;
            let grace = std::time::Duration::from_secs(grace_hours.unwrap_or(s.gc_grace_hours) * 3600);
            let ctx = supplier_portal::prepare(s)?;
            let mut conn = ctx.state.pool.get()?;
            let r = supplier_portal::ops::gc::collect(&mut conn, ctx.state.blobs.as_ref(), grace)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{} blob(s): {} referenced, {} unreferenced but younger than the grace period, {} removed ({} bytes); {} temp file(s) removed",
                r.blobs, r.referenced, r.young, r.removed, r.bytes_freed, r.temp_files_removed
            );
            let days = ctx.state.settings.audit_personal_data_days;
            let e = supplier_portal::audit::privacy::erase_older_than(&mut conn, days)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "personal data older than {days} days erased: {} audit event(s), {} hourly address rollup(s), {} member session(s), {} customer session(s), {} token(s)' last address",
                e.audit_events, e.hourly_address_rollups, e.member_sessions, e.customer_sessions, e.tokens_last_address
            );
            Ok(())
        }
        Command::Migrate { revert_all } => {
            let mut s = settings()?;
            s.prepare_data_dir()?;
            let pool = db::build_pool(&s.database_url, 1)?;
            let mut conn = pool.get()?;
            if revert_all {
                let n = db::revert_all_migrations(&mut conn)?;
                println!("reverted {n} migrations");
            } else {
                let applied = supplier_portal::migrate(&mut conn)?;
                println!("applied {} migrations on {}", applied.len(), redact_url(&s.database_url));
            }
            Ok(())
        }
        Command::Admin { command: AdminCommand::CreateUser { email, display_name, org, org_name, role } } => {
            create_user(settings()?, email, display_name, org, org_name, role)
        }
    }
}

fn healthcheck(settings: Settings) -> anyhow::Result<()> {
    use std::io::{Read, Write};
    let mut addr = settings.bind;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let timeout = std::time::Duration::from_secs(3);
    let mut stream = std::net::TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    let request = format!("GET /readyz HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    let mut head = [0u8; 12];
    if settings.tls.is_some() {
        // A liveness probe of our own listener on loopback: the certificate names the public
        // host, not this address, so it is not verified here.
        let config =
            rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()?
                .dangerous()
                .with_custom_certificate_verifier(std::sync::Arc::new(AnyCertificate))
                .with_no_client_auth();
        let name = rustls::pki_types::ServerName::from(addr.ip());
        let mut conn = rustls::ClientConnection::new(std::sync::Arc::new(config), name)?;
        let mut tls = rustls::Stream::new(&mut conn, &mut stream);
        tls.write_all(request.as_bytes())?;
        tls.read_exact(&mut head)?;
    } else {
        stream.write_all(request.as_bytes())?;
        stream.read_exact(&mut head)?;
    }
    if &head[9..12] == b"200" {
        Ok(())
    } else {
        anyhow::bail!("not ready: {}", String::from_utf8_lossy(&head))
    }
}

/// Accepts the server's own certificate for the loopback health check (see `healthcheck`).
#[derive(Debug)]
struct AnyCertificate;

impl rustls::client::danger::ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &rustls::crypto::ring::default_provider().signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &rustls::crypto::ring::default_provider().signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        rustls::crypto::ring::default_provider().signature_verification_algorithms.supported_schemes()
    }
}

fn settings() -> anyhow::Result<Settings> {
    Settings::from_env().map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))
}

/// glibc gives every thread that allocates its own malloc arena; downloads stream through many
/// blocking-pool threads, and each arena kept its freed chunk buffers (peak RSS grew with the
/// number of threads, not with the work). Two arenas are plenty for this workload.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called once at start-up before any server thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    limit_malloc_arenas();
    let bind = settings.bind;
    let public = settings.public_url.clone();
    tracing::info!("database: {}", redact_url(&settings.database_url));
    let listener = TcpListener::bind(bind).map_err(|e| anyhow::anyhow!("PORTAL_BIND: cannot listen on {bind}: {e}"))?;
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    actix_web::rt::System::new().block_on(async move {
        let ctx = supplier_portal::prepare(settings)?;
        let pool = ctx.state.pool.clone();
        let setup_needed =
            supplier_portal::db::run(&pool, orgs::service::setup_required).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        println!("Supplier Portal listening on {public}");
        println!("  API docs (Swagger UI): {public}/swagger-ui/");
        println!("  OpenAPI document:      {public}/api-docs/openapi.json");
        if setup_needed {
            println!("  No user exists yet. Create the first organisation and its admin with either:");
            println!("    curl -X POST {public}/api/v1/setup -H 'Content-Type: application/json' \\");
            println!("      -d '{{\"org_name\":\"ACME\",\"org_slug\":\"acme\",\"email\":\"admin@acme.example\",\"password\":\"<10+ chars>\",\"display_name\":\"Admin\"}}'");
            println!("    PORTAL_ADMIN_PASSWORD=… supplier-portal admin create-user --email admin@acme.example --display-name Admin --org acme --org-name ACME");
            if let Some(code) = &ctx.state.settings.setup_code {
                // Printed once on the console of whoever started the server; never logged.
                println!("  This server listens beyond loopback: setup needs the one-time code");
                println!("    \"setup_code\": \"{}\"", secrecy::ExposeSecret::expose_secret(code));
            }
        }
        supplier_portal::serve(ctx, listener, workers, true)?.await?;
        tracing::info!("server stopped");
        Ok(())
    })
}

fn create_user(
    mut settings: Settings,
    email: String,
    display_name: String,
    org: String,
    org_name: Option<String>,
    role: String,
) -> anyhow::Result<()> {
    use diesel::prelude::*;
    use supplier_portal::db::schema::organizations;

    let role = Role::parse(&role).ok_or_else(|| anyhow::anyhow!("--role must be admin, publisher or viewer"))?;
    let pw = match std::env::var("PORTAL_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            if std::io::stdin().is_terminal() {
                eprint!("password for {email}: ");
            }
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if let Some(why) = password::check_policy(&pw) {
        anyhow::bail!("password {why}");
    }
    if !supplier_portal::validate::is_email(email.trim()) {
        anyhow::bail!("--email must be an e-mail address");
    }
    settings.prepare_data_dir()?;
    let pool = db::build_pool(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    supplier_portal::migrate(&mut conn)?;
    let hash = password::hash(&pw)?;
    let err = |e: supplier_portal::error::ApiError| anyhow::anyhow!("{e}");
    if orgs::service::setup_required(&mut conn).map_err(err)? {
        let req = orgs::model::SetupRequest {
            org_name: org_name.clone().unwrap_or_else(|| org.clone()),
            org_slug: org.clone(),
            email: email.clone(),
            password: pw,
            display_name: display_name.clone(),
            // The operator at the console needs no code.
            setup_code: None,
        };
        orgs::service::validate_setup(&req).map_err(err)?;
        orgs::service::setup(&mut conn, &req, hash).map_err(err)?;
        println!("created organisation `{org}` and its admin {email}");
        return Ok(());
    }
    db::transaction(&mut conn, |c| {
        let existing: Option<supplier_portal::ids::OrgId> =
            organizations::table.filter(organizations::slug.eq(&org)).select(organizations::id).first(c).optional()?;
        let org_id = match (existing, &org_name) {
            (Some(id), _) => id,
            (None, Some(name)) => orgs::service::create_org(c, &org, name)?.id,
            (None, None) => {
                return Err(supplier_portal::error::ApiError::NotFound(format!(
                    "organisation `{org}` does not exist (give --org-name to create it)"
                )))
            }
        };
        let user = match orgs::service::find_user_by_email(c, &email)? {
            Some(u) => u,
            None => orgs::service::create_user(c, &email, &display_name, hash)?,
        };
        orgs::service::add_membership(c, &org_id, &user.id, role)?;
        Ok(())
    })
    .map_err(err)?;
    println!("added {email} to `{org}` as {}", role.as_str());
    Ok(())
}
