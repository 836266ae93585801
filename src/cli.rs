//! The command line: `serve` (the default), `migrate`, `create-admin`, `load-demo`.

use crate::accounts::{self, passwords};
use crate::audit;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{Db, DbConnection};
use crate::rounds;
use crate::startup::Application;
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Read};

#[derive(Parser)]
#[command(
    name = "polyphony",
    version,
    about = "Multistakeholder comment rounds on draft texts"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an admin, or make an existing account one. The password is read
    /// from standard input when it is not a terminal, otherwise generated and
    /// printed once.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
    /// Load the demo consultations unless they are already there: the open
    /// round, and the two rounds (published, then open) with a demo
    /// participant whose one-time passphrase is printed.
    LoadDemo {
        /// Also load a long bilingual draft (42 articles in parts, chapters,
        /// sections and an annex) as a second consultation with an open round.
        #[arg(long)]
        long: bool,
    },
    /// Ask the server this configuration describes for /healthz; exit 0 when
    /// it answers 200 (for container health checks: no curl needed).
    Healthcheck,
    /// Copy the SQLite database to a new file while the application runs
    /// (on PostgreSQL, use pg_dump).
    Backup { file: std::path::PathBuf },
    /// Close a round if it is open and publish its report (as the first admin).
    PublishReport {
        #[arg(long, default_value = crate::demo::SLUG)]
        consultation: String,
        #[arg(long, default_value_t = 1)]
        round: i32,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Import a Markdown or Word (.docx) file as the consultation's next draft
    /// version, or with --translation as the translation of an existing version.
    ImportDraft {
        #[arg(long)]
        consultation: String,
        /// Heading level that starts a provision (2 for a new version; for a
        /// translation, the original's).
        #[arg(long)]
        level: Option<u8>,
        /// Store the file as the translation, into the other language, of a
        /// version (the latest unless --version); its provision keys must be
        /// exactly the original's.
        #[arg(long)]
        translation: bool,
        /// With --translation: the version translated.
        #[arg(long, requires = "translation")]
        version: Option<i32>,
        file: std::path::PathBuf,
    },
    #[cfg(feature = "bench")]
    #[command(flatten)]
    Bench(crate::bench::Command),
}

pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load()?;
    crate::telemetry::init(&settings.telemetry);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => actix_web::rt::System::new().block_on(serve(settings)),
        Command::Migrate => {
            let applied = connect(&settings)?.migrate()?;
            println!("{} migration(s) applied", applied.len());
            Ok(())
        }
        Command::CreateAdmin { email } => create_admin(&settings, &email),
        Command::Healthcheck => healthcheck(&settings.server),
        Command::PublishReport {
            consultation,
            round,
            note,
        } => {
            let db = connect(&settings)?;
            db.migrate()?;
            let started = std::time::Instant::now();
            publish_report(&settings, &mut *db.get()?, &consultation, round, &note)?;
            println!(
                "published the report of round {round} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        #[cfg(feature = "bench")]
        Command::Bench(command) => crate::bench::run(&settings, command),
        Command::ImportDraft {
            consultation,
            level,
            translation: true,
            version,
            file,
        } => import_translation(&settings, &consultation, version, level, &file),
        Command::ImportDraft {
            consultation,
            level,
            file,
            ..
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let text = upload_text(&bytes, &file)?;
            let draft = crate::drafts::import::parse(&text, level.unwrap_or(2))?;
            let db = connect(&settings)?;
            db.migrate()?;
            let mut conn = db.get()?;
            let c = crate::consultations::find_by_slug(&mut conn, &consultation)
                .with_context(|| format!("no consultation `{consultation}`"))?;
            let version = crate::drafts::import_version(
                &mut conn,
                c.id,
                &c.slug,
                &draft,
                &text,
                None,
                Clock::default().now(),
            )?;
            announce(&mut conn);
            println!(
                "imported version {version} with {} provisions",
                draft.provisions.len()
            );
            Ok(())
        }
        Command::Backup { file } => {
            connect(&settings)?.backup(&file)?;
            let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            println!("backup written to {} ({bytes} bytes)", file.display());
            Ok(())
        }
        Command::LoadDemo { long } => {
            let db = connect(&settings)?;
            db.migrate()?;
            let mut conn = db.get()?;
            let loaded = crate::demo::load(&mut conn, &Clock::default())?;
            println!(
                "{}",
                if loaded {
                    "demo consultation loaded"
                } else {
                    "the demo consultation is already there"
                }
            );
            use crate::demo::two_rounds::{self, Loaded};
            match two_rounds::load_once(&mut conn, Clock::default().now())? {
                Loaded::AlreadyThere => println!("the demo of two rounds is already there"),
                Loaded::Now(participant) => {
                    println!("demo of two rounds loaded");
                    if let Some((email, password)) = participant {
                        // Printed once, as at a first start: the hash is all that is kept.
                        println!("  e-mail:    {email}\n  passphrase: {password}");
                    }
                }
            }
            if long {
                let loaded = crate::demo::load_long(&mut conn, &Clock::default())?;
                println!(
                    "{}",
                    if loaded {
                        "long demo consultation loaded"
                    } else {
                        "the long demo consultation is already there"
                    }
                );
            }
            Ok(())
        }
    }
}

fn import_translation(
    settings: &Settings,
    consultation: &str,
    version: Option<i32>,
    level: Option<u8>,
    file: &std::path::Path,
) -> anyhow::Result<()> {
    use crate::drafts::{self, translation};
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let text = upload_text(&bytes, file)?;
    let db = connect(settings)?;
    db.migrate()?;
    let mut conn = db.get()?;
    let c = crate::consultations::find_by_slug(&mut conn, consultation)
        .with_context(|| format!("no consultation `{consultation}`"))?;
    let versions = drafts::versions_of(&mut conn, c.id)?;
    let target = match version {
        Some(n) => versions.iter().find(|v| v.version == n),
        None => versions.last(),
    }
    .with_context(|| match version {
        Some(n) => format!("`{consultation}` has no version {n}"),
        None => format!("`{consultation}` has no draft version to translate"),
    })?;
    let provisions = drafts::provisions_of(&mut conn, target.id)?;
    let level = match level {
        Some(l) => l,
        None => {
            let (source, _) = translation::sources(&mut conn, target.id)?;
            translation::original_level(&source, &provisions)
        }
    };
    let divisions = drafts::divisions_of(&mut conn, target.id)?;
    let draft = translation::parse(&text, level, &provisions, &divisions)?;
    translation::import(
        &mut conn,
        c.id,
        &c.slug,
        target,
        &draft,
        &text,
        None,
        Clock::default().now(),
    )?;
    announce(&mut conn);
    println!(
        "stored the {} translation of version {} ({} provisions)",
        translation::language_of(target),
        target.version,
        draft.provisions.len()
    );
    Ok(())
}

/// Closes round `number` if it is open, then publishes its report as the
/// first admin found.
pub fn publish_report(
    settings: &Settings,
    conn: &mut DbConnection,
    slug: &str,
    number: i32,
    note: &str,
) -> anyhow::Result<()> {
    let clock = Clock::default();
    let actor = any_admin(conn)?;
    let c = crate::consultations::find_by_slug(conn, slug)
        .with_context(|| format!("no consultation `{slug}`"))?;
    let (round, published) =
        rounds::find(conn, c.id, number).with_context(|| format!("no round {number}"))?;
    if round.state_at(clock.now(), published) == rounds::RoundState::Open {
        rounds::close_now(conn, &round, published, actor, clock.now())?
            .map_err(|e| anyhow::anyhow!("closing: {e:?}"))?;
    }
    let (round, published) = rounds::find(conn, c.id, number)?;
    let templates = std::sync::Arc::new(crate::templates::Templates::load()?);
    let notifier = crate::notifications::Notifier::new(templates, &settings.app.base_url);
    crate::reports::publish(conn, &notifier, &round, published, note, actor, clock.now())
        .map_err(|e| anyhow::anyhow!("publishing: {e}"))?
        .map_err(|e| anyhow::anyhow!("publishing refused: {e:?}"))?;
    announce(conn);
    Ok(())
}

/// Tells the running servers (PostgreSQL) to forget what they cached about
/// the change just committed. Failing that, their caches expire on their own.
fn announce(conn: &mut DbConnection) {
    if let Err(error) = crate::db::changes::announce(conn, crate::db::changes::Change::All) {
        eprintln!(
            "the running servers were not told of the change ({error}); they see it within seconds"
        );
    }
}

fn any_admin(conn: &mut DbConnection) -> anyhow::Result<crate::db::UserId> {
    use crate::db::schema::users;
    use diesel::prelude::*;
    users::table
        .filter(users::role.eq("admin"))
        .select(users::id)
        .first(conn)
        .optional()?
        .context("no admin yet: run `polyphony create-admin --email E` first")
}

/// One `GET /healthz` over plain TCP, every step bounded, so a server that
/// hangs fails the check instead of holding it.
fn healthcheck(server: &crate::config::ServerSettings) -> anyhow::Result<()> {
    use std::io::Write;
    use std::net::{TcpStream, ToSocketAddrs};
    let timeout = std::time::Duration::from_secs(3);
    // A server listening on every address answers on the loopback one.
    let host = match server.host.as_str() {
        "0.0.0.0" => "127.0.0.1",
        "::" | "[::]" => "::1",
        host => host,
    };
    if server.port == 0 {
        bail!("server.port is 0: the port is chosen at start and cannot be checked");
    }
    let address = (host, server.port)
        .to_socket_addrs()
        .with_context(|| format!("resolving {host}"))?
        .next()
        .with_context(|| format!("{host} has no address"))?;
    let mut stream = TcpStream::connect_timeout(&address, timeout)
        .with_context(|| format!("connecting to {address}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream
        .take(4096)
        .read_to_end(&mut response)
        .with_context(|| format!("reading the answer of {address}"))?;
    let response = String::from_utf8_lossy(&response);
    let status_line = response.lines().next().unwrap_or_default();
    if status_line.split_whitespace().nth(1) != Some("200") {
        bail!("http://{address}/healthz answered `{status_line}`");
    }
    println!("ok");
    Ok(())
}

/// A Markdown or Word file as the Markdown the importer reads.
fn upload_text(bytes: &[u8], file: &std::path::Path) -> anyhow::Result<String> {
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    Ok(crate::drafts::docx::read_upload(bytes, &name)?.markdown)
}

fn connect(settings: &Settings) -> anyhow::Result<Db> {
    Ok(Db::open(&settings.database)?)
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings.clone()).await?;
    tracing::info!(
        "Polyphony listening on http://{}:{}",
        settings.server.host,
        app.port()
    );
    app.run_until_stopped().await?;
    Ok(())
}

fn create_admin(settings: &Settings, email: &str) -> anyhow::Result<()> {
    let email = email.trim().to_lowercase();
    if email.parse::<lettre::Address>().is_err() {
        bail!("`{email}` is not a valid e-mail address");
    }
    let stdin = std::io::stdin();
    let (password, generated) = if stdin.is_terminal() {
        (passwords::generate(), true)
    } else {
        let mut input = String::new();
        stdin
            .lock()
            .read_to_string(&mut input)
            .context("reading the password")?;
        let password = input.trim_end_matches(['\r', '\n']).to_string();
        let length = password.chars().count();
        if !(12..=128).contains(&length) {
            bail!("the password must be 12 to 128 characters long");
        }
        (password, false)
    };
    let hash = passwords::hash(&password).map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    let db = connect(settings)?;
    db.migrate()?;
    let clock = Clock::default();
    let mut conn = db.get()?;
    let id = accounts::upsert_admin(&mut conn, &email, &hash, clock.now())?;
    audit::record(
        &mut conn,
        &audit::Entry {
            actor: None,
            action: audit::Action::AdminCreate,
            consultation: None,
            round: None,
            subject: &format!("user {id}"),
            details: "from the command line",
        },
        clock.now(),
    )?;
    if generated {
        println!("admin {email} ready; password (shown once): {password}");
    } else {
        println!("admin {email} ready");
    }
    Ok(())
}
