//! The command line: `serve` (the default), `migrate`, `create-admin`, `load-demo`.

use crate::accounts::{self, passwords};
use crate::audit;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Db;
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
    /// Load the demo consultation unless it is already there.
    LoadDemo,
    /// Add synthetic participants and their submissions to a round (benchmarks).
    SeedSynthetic {
        #[arg(long, default_value = crate::demo::SLUG)]
        consultation: String,
        #[arg(long, default_value_t = 1)]
        round: i32,
        #[arg(long, default_value_t = 10_000)]
        participants: usize,
    },
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
    /// Benchmarks: make COUNT participants with sessions and write one line per
    /// participant (`cookie<TAB>form body with CSRF token`) to OUT; the round is
    /// created open when it does not exist.
    #[command(hide = true)]
    BenchWriters {
        #[arg(long, default_value = crate::demo::SLUG)]
        consultation: String,
        #[arg(long)]
        round: i32,
        #[arg(long)]
        count: usize,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Benchmarks: commit COUNT submissions of new participants straight through
    /// diesel from THREADS threads and print the rate.
    #[command(hide = true)]
    BenchDirect {
        #[arg(long, default_value = crate::demo::SLUG)]
        consultation: String,
        #[arg(long)]
        round: i32,
        #[arg(long)]
        count: usize,
        #[arg(long, default_value_t = 8)]
        threads: usize,
    },
    /// Benchmarks: time the report's aggregation of a round and print the
    /// seconds, the positions counted and the peak memory.
    #[command(hide = true)]
    BenchAggregate {
        #[arg(long, default_value = crate::demo::SLUG)]
        consultation: String,
        #[arg(long)]
        round: i32,
    },
    /// Benchmarks: mark the e-mails queued for synthetic participants as sent.
    #[command(hide = true)]
    BenchSkipMail,
    /// Benchmarks: check that every receipt code in FILE (one a line) is stored.
    #[command(hide = true)]
    CheckReceipts { file: std::path::PathBuf },
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
}

pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load()?;
    crate::telemetry::init();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => actix_web::rt::System::new().block_on(serve(settings)),
        Command::Migrate => {
            let applied = connect(&settings)?.migrate()?;
            println!("{} migration(s) applied", applied.len());
            Ok(())
        }
        Command::CreateAdmin { email } => create_admin(&settings, &email),
        Command::SeedSynthetic {
            consultation,
            round,
            participants,
        } => {
            let db = connect(&settings)?;
            db.migrate()?;
            let mut conn = db.get()?;
            let clock = Clock::default();
            crate::demo::load(&mut conn, &clock)?;
            let c = crate::consultations::find_by_slug(&mut conn, &consultation)
                .with_context(|| format!("no consultation `{consultation}`"))?;
            let (r, _) = crate::rounds::find(&mut conn, c.id, round)
                .with_context(|| format!("no round {round}"))?;
            let provisions = crate::drafts::provisions_of(&mut conn, r.draft_version_id)?;
            let started = std::time::Instant::now();
            let made =
                crate::synthetic::seed(&mut conn, r.id, &provisions, participants, clock.now())?;
            println!(
                "seeded {made} participants with submissions in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::PublishReport {
            consultation,
            round,
            note,
        } => {
            let db = connect(&settings)?;
            db.migrate()?;
            let started = std::time::Instant::now();
            crate::bench::publish(&settings, &mut *db.get()?, &consultation, round, &note)?;
            println!(
                "published the report of round {round} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::BenchWriters {
            consultation,
            round,
            count,
            out,
        } => {
            let db = connect(&settings)?;
            db.migrate()?;
            crate::bench::writers(
                &settings,
                &mut *db.get()?,
                &consultation,
                round,
                count,
                &out,
            )?;
            println!("{count} writers for round {round} in {}", out.display());
            Ok(())
        }
        Command::BenchDirect {
            consultation,
            round,
            count,
            threads,
        } => {
            let db = connect(&settings)?;
            db.migrate()?;
            let rate = crate::bench::direct_submits(&db, &consultation, round, count, threads)?;
            println!("direct_submits_per_s {rate:.0}");
            Ok(())
        }
        Command::BenchAggregate {
            consultation,
            round,
        } => {
            let db = connect(&settings)?;
            let (seconds, positions) =
                crate::bench::time_aggregate(&mut *db.get()?, &consultation, round)?;
            println!(
                "aggregate_seconds {seconds:.3} positions {positions} peak_rss_mb {:.0}",
                crate::bench::peak_rss_mb().unwrap_or(0.0)
            );
            Ok(())
        }
        Command::BenchSkipMail => {
            let db = connect(&settings)?;
            let n = crate::bench::skip_synthetic_mail(&mut *db.get()?)?;
            println!("{n} e-mails to synthetic participants marked sent");
            Ok(())
        }
        Command::CheckReceipts { file } => {
            let db = connect(&settings)?;
            let (found, total) = crate::bench::check_receipts(&mut *db.get()?, &file)?;
            println!("{found} of {total} receipts are stored");
            if found != total {
                bail!("{} acknowledged receipts are missing", total - found);
            }
            Ok(())
        }
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
        Command::LoadDemo => {
            let db = connect(&settings)?;
            db.migrate()?;
            let loaded = crate::demo::load(&mut *db.get()?, &Clock::default())?;
            println!(
                "{}",
                if loaded {
                    "demo consultation loaded"
                } else {
                    "the demo consultation is already there"
                }
            );
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
    let draft = translation::parse(&text, level, &provisions)?;
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
    println!(
        "stored the {} translation of version {} ({} provisions)",
        translation::language_of(target),
        target.version,
        draft.provisions.len()
    );
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
