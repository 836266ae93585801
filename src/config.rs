//! Layered configuration: `config/default.toml`, then `config/{POLYPHONY_ENV}.toml`,
//! then `POLYPHONY__SECTION__KEY` environment variables.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub app: AppSettings,
    pub email: EmailSettings,
    pub limits: LimitSettings,
    pub telemetry: TelemetrySettings,
    pub reports: ReportSettings,
    pub storage: StorageSettings,
}

/// Where position papers (attachments to submissions) are kept, and how
/// large and how many they may be.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSettings {
    pub attachments: AttachmentStorage,
    /// Used when `attachments` is `dir`; relative paths are taken from the
    /// working directory.
    pub attachments_dir: PathBuf,
    /// Largest file accepted, in bytes.
    pub attachment_max_bytes: u64,
    /// Files one submission may carry.
    pub attachments_per_submission: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AttachmentStorage {
    /// In the database, in rows of at most 256 KB: one thing to back up.
    Db,
    /// In files under `attachments_dir`: a smaller database.
    Dir,
}

/// The organizers' draft report (see `reports::jobs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// Rounds with fewer submitted submissions are computed on the request.
    pub inline_below: i64,
    /// Whether this instance runs the worker that computes draft reports and
    /// indexes submitted texts for the analysis search.
    pub worker: bool,
    /// How often an idle worker looks for a job.
    pub worker_poll_ms: u64,
    /// How often the page that waits for a draft report reloads itself.
    pub progress_refresh_secs: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetrySettings {
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Lines for a person reading a terminal.
    Text,
    /// One JSON object per line, for a log store.
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub workers: usize,
    pub max_body_bytes: usize,
    /// Load shedding: requests served at once per class, how many more may
    /// wait, and for how long, before a 503 with Retry-After.
    pub max_inflight_writes: usize,
    pub max_queued_writes: usize,
    pub max_inflight_reads: usize,
    pub max_queued_reads: usize,
    pub queue_timeout_ms: u64,
    /// Password hashes computed at once (argon2 takes a core for ~30 ms);
    /// 0 means half the cores, at least one.
    pub max_concurrent_hashes: usize,
    /// Adds `X-Query-Count` (SQL statements the request ran) to responses.
    pub query_count_header: bool,
    /// How long a round's data (consultation, draft, provisions) is reused
    /// between requests; 0 reads it afresh every time.
    pub round_cache_ms: u64,
    /// Draws the round form from a skeleton per round, language and page,
    /// filled with each participant's answers; off, every form is drawn whole.
    pub form_skeletons: bool,
    /// Reverse proxies (CIDR blocks or addresses) whose `X-Forwarded-For` /
    /// `Forwarded` headers name the client; empty believes no such header.
    pub trusted_proxies: Vec<String>,
    /// Serves `/metrics` (Prometheus text format); 404 when off.
    pub metrics: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub connect_timeout_secs: u64,
    pub statement_timeout_secs: u64,
    pub sqlite_synchronous: SqliteSynchronous,
}

/// The database a URL names, by its scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite://") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// SQLite's `synchronous` pragma: what a commit survives (see docs/security.md, Reliability).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronous {
    /// Survives a crash of the process; power loss may lose the last commits.
    Normal,
    /// Also survives power loss: the WAL is flushed at every commit.
    Full,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSettings {
    pub base_url: String,
    pub demo: bool,
    /// With `demo`: the consultation of two rounds, the first published.
    pub demo_rounds: bool,
    pub secret_key: String,
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailTransport {
    File,
    Smtp,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    pub transport: EmailTransport,
    pub file_dir: PathBuf,
    pub smtp_url: String,
    pub from: String,
    /// Seconds before an SMTP conversation is abandoned (a hanging server).
    pub timeout_secs: u64,
    /// First retry delay; each further retry doubles it, up to an hour.
    pub retry_base_secs: u64,
    pub max_attempts: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    pub login_per_account: u32,
    pub login_per_ip: u32,
    pub login_window_secs: u64,
    pub register_per_ip: u32,
    pub reset_per_ip: u32,
    pub mail_per_address: u32,
    pub hourly_window_secs: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration key `{key}`: {reason}")]
    Invalid { key: &'static str, reason: String },
}

/// The defaults are compiled in so the binary starts from any directory; files
/// under `config/` in the working directory override them.
const DEFAULTS: &str = include_str!("../config/default.toml");

impl Settings {
    pub fn load() -> Result<Self, ConfigError> {
        Self::load_from(Path::new("config"))
    }

    pub fn load_from(dir: &Path) -> Result<Self, ConfigError> {
        let env = std::env::var("POLYPHONY_ENV").unwrap_or_else(|_| "local".into());
        let settings: Settings = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml))
            .add_source(config::File::from(dir.join("default.toml")).required(false))
            .add_source(config::File::from(dir.join(format!("{env}.toml"))).required(false))
            .add_source(
                config::Environment::with_prefix("POLYPHONY")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true)
                    .list_separator(",")
                    .with_list_parse_key("server.trusted_proxies"),
            )
            .build()?
            .try_deserialize()?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let invalid = |key, reason: &str| ConfigError::Invalid {
            key,
            reason: reason.to_string(),
        };
        if Backend::from_url(&self.database.url).is_none() {
            return Err(invalid(
                "database.url",
                "must start with sqlite:// or postgres:// (or postgresql://)",
            ));
        }
        if self.database.statement_timeout_secs == 0 {
            return Err(invalid(
                "database.statement_timeout_secs",
                "must be at least 1",
            ));
        }
        // A batch of e-mails must end within its two-minute claim (see the
        // outbox worker): no message starts after a minute, none lasts longer.
        if !(1..=60).contains(&self.email.timeout_secs) {
            return Err(invalid("email.timeout_secs", "must be between 1 and 60"));
        }
        if self.server.max_inflight_writes == 0 {
            return Err(invalid("server.max_inflight_writes", "must be at least 1"));
        }
        if self.server.max_inflight_reads == 0 {
            return Err(invalid("server.max_inflight_reads", "must be at least 1"));
        }
        if self.database.pool_size == 0 {
            return Err(invalid("database.pool_size", "must be at least 1"));
        }
        if !(self.app.base_url.starts_with("http://") || self.app.base_url.starts_with("https://"))
        {
            return Err(invalid(
                "app.base_url",
                "must start with http:// or https://",
            ));
        }
        if self.email.transport == EmailTransport::Smtp
            && !(self.email.smtp_url.starts_with("smtp://")
                || self.email.smtp_url.starts_with("smtps://"))
        {
            return Err(invalid(
                "email.smtp_url",
                "must start with smtp:// or smtps://",
            ));
        }
        if self.storage.attachment_max_bytes == 0 {
            return Err(invalid(
                "storage.attachment_max_bytes",
                "must be at least 1",
            ));
        }
        if self.email.max_attempts == 0 {
            return Err(invalid("email.max_attempts", "must be at least 1"));
        }
        if self.email.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(invalid("email.from", "is not a valid mailbox"));
        }
        Ok(())
    }

    /// Cookies are marked `Secure` only when the public address is https, so
    /// the embedded default still works on plain http://127.0.0.1.
    pub fn cookies_secure(&self) -> bool {
        self.app.base_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An SMTP timeout past a minute could outlast the outbox claim.
    #[test]
    fn an_smtp_timeout_over_a_minute_is_refused() {
        let mut settings = Settings::load_from(Path::new("config")).unwrap();
        settings.email.timeout_secs = 60;
        assert!(settings.check().is_ok());
        settings.email.timeout_secs = 61;
        assert!(
            matches!(
                settings.check(),
                Err(ConfigError::Invalid {
                    key: "email.timeout_secs",
                    ..
                })
            ),
            "{:?}",
            settings.check().err()
        );
    }
}
