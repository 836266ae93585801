//! HTTP handlers only: parse input, call the domain, render. Every route is
//! registered in `configure`.

pub mod errors;
pub mod locale;
pub mod render;

mod assets;
mod health;
mod public;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Db;
use crate::error::AppError;
use actix_web::web;
use render::Templates;

/// What every handler may use; nothing in it differs between instances.
pub struct AppState {
    pub db: Db,
    pub templates: Templates,
    pub settings: Settings,
    pub clock: Clock,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(public::home))
        .route("/healthz", web::get().to(health::healthz))
        .route("/assets/{name}", web::get().to(assets::asset))
        .route("/consultations/{slug}", web::get().to(public::consultation))
        .route(
            "/consultations/{slug}/rounds/{n}",
            web::get().to(public::round),
        );
}

pub async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}
