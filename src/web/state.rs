use super::cache::{ReportPages, RoundCache};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Db;
use crate::notifications::Notifier;
use crate::templates::Templates;
use std::sync::Arc;
use std::time::Duration;

/// How long computing or publishing a report may take: it reads the whole
/// round, minutes for the largest ones.
pub const REPORT_WORK: Duration = Duration::from_secs(600);

/// What every handler may use; nothing in it differs between instances.
pub struct AppState {
    pub db: Db,
    pub templates: Arc<Templates>,
    pub notifier: Notifier,
    pub settings: Settings,
    pub clock: Clock,
    pub report_pages: ReportPages,
    pub rounds: RoundCache,
    pub trusted_proxies: super::client::TrustedProxies,
    /// Signs the device cookies of sign-in (the session cookie's key).
    pub cookie_key: actix_web::cookie::Key,
    pub metrics: Arc<crate::metrics::Metrics>,
}
