use super::cache::{ReportPages, RoundCache};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Db;
use crate::notifications::Notifier;
use crate::templates::Templates;
use std::sync::Arc;

/// What every handler may use; nothing in it differs between instances.
pub struct AppState {
    pub db: Db,
    pub templates: Arc<Templates>,
    pub notifier: Notifier,
    pub settings: Settings,
    pub clock: Clock,
    pub report_pages: ReportPages,
    pub rounds: RoundCache,
}
