//! HTTP handlers only: parse input, call the domain, render. Every route is
//! registered in `configure`.

pub mod cache;
pub mod client;
pub mod csrf;
pub mod errors;
pub mod headers;
pub mod input;
pub mod load_shedding;
pub mod locale;
pub mod once;
pub mod page;
pub mod query_count;
mod state;

mod accounts;
mod admin;
mod analysis;
mod analysis_dispositions;
mod answers;
mod assets;
mod attachments;
mod audit;
pub mod encoded;
mod health;
mod joint;
mod organizations;
mod organize;
mod participants;
mod public;
mod reports;
mod submissions;

use actix_web::web;

pub use state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(public::home))
        .route("/healthz", web::get().to(health::healthz))
        .route("/assets/{name}", web::get().to(assets::asset))
        .route("/consultations/{slug}", web::get().to(public::consultation))
        .route(
            "/consultations/{slug}/rounds/{n}",
            web::get().to(submissions::round),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/submission",
            web::post().to(submissions::submit),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/submission",
            web::get().to(submissions::mine),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/submission/previous",
            web::post().to(submissions::start_from_previous),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/submission/revisions/{rev}",
            web::get().to(submissions::revision),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/organizations/{id}",
            web::get().to(submissions::official_round),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/organizations/{id}/submission",
            web::post().to(submissions::official_submit),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/organizations/{id}/submission",
            web::get().to(submissions::official_mine),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/organizations/{id}/submission/revisions/{rev}",
            web::get().to(submissions::official_revision),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/organizations/{id}/joint",
            web::get().to(joint::page),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/organizations/{id}/joint/invite",
            web::post().to(joint::invite),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/organizations/{id}/joint/{signature}",
            web::get().to(joint::signature),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/organizations/{id}/joint/{signature}/{action}",
            web::post().to(joint::answer),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/submission/attachments",
            web::get().to(attachments::page),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/submission/attachments",
            web::post().to(attachments::upload),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/submission/attachments/{id}",
            web::get().to(attachments::download_own),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/submission/attachments/{id}/remove",
            web::post().to(attachments::remove),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/report/attachments",
            web::get().to(attachments::published_list),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/report/attachments/{file}",
            web::get().to(attachments::download_published),
        )
        .route(
            "/organize/{slug}/rounds/{n}/attachments/{id}",
            web::get().to(attachments::download_for_analysis),
        )
        .route("/receipts/{code}", web::get().to(submissions::receipt))
        .route(
            "/consultations/{slug}/organizations",
            web::get().to(organizations::list),
        )
        .route(
            "/consultations/{slug}/organizations",
            web::post().to(organizations::create),
        )
        .route(
            "/consultations/{slug}/organizations/{id}",
            web::get().to(organizations::show),
        )
        .route(
            "/consultations/{slug}/organizations/{id}/members/{member}/{action}",
            web::post().to(organizations::member),
        )
        .route(
            "/consultations/{slug}/organizations/{id}/{action}",
            web::post().to(organizations::act),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/report",
            web::get().to(reports::report),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/report.json",
            web::get().to(reports::report_json),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/report.csv",
            web::get().to(reports::report_csv),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/report/movement.csv",
            web::get().to(reports::movement_csv),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/answers",
            web::get().to(answers::answers_page),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/answers/{key}",
            web::post().to(answers::answer),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/report/general",
            web::get().to(reports::general_texts),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/report/provisions/{key}",
            web::get().to(reports::provision),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/report/search",
            web::get().to(reports::search),
        )
        .route(
            "/consultations/{slug}/rounds/{n}/report/texts/{id}",
            web::get().to(reports::text),
        )
        .route(
            "/admin/consultations/{slug}/rounds/{n}/report",
            web::get().to(reports::preview),
        )
        .route(
            "/admin/consultations/{slug}/rounds/{n}/report/provisions/{key}",
            web::get().to(reports::preview_provision),
        )
        .route(
            "/admin/consultations/{slug}/rounds/{n}/report/retry",
            web::post().to(reports::retry),
        )
        .route(
            "/admin/consultations/{slug}/rounds/{n}/responses/{key}",
            web::post().to(reports::respond),
        )
        .route("/admin/moderation/{id}/hide", web::post().to(reports::hide))
        .route(
            "/admin/consultations/{slug}/rounds/{n}/texts/{kind}/{id}/disposition",
            web::get().to(analysis_dispositions::disposition_page),
        )
        .route(
            "/admin/consultations/{slug}/rounds/{n}/texts/{kind}/{id}/disposition",
            web::post().to(analysis_dispositions::record_disposition),
        )
        .route("/register", web::get().to(accounts::register_form))
        .route("/register", web::post().to(accounts::register))
        .route(
            "/verify/resend",
            web::post().to(accounts::resend_verification),
        )
        .route("/verify/{token}", web::get().to(accounts::verify))
        .route("/login", web::get().to(accounts::login_form))
        .route("/login", web::post().to(accounts::login))
        .route("/logout", web::post().to(accounts::logout))
        .route("/password/forgot", web::get().to(accounts::forgot_form))
        .route("/password/forgot", web::post().to(accounts::forgot))
        .route(
            "/password/reset/{token}",
            web::get().to(accounts::reset_form),
        )
        .route("/password/reset/{token}", web::post().to(accounts::reset))
        .route("/account", web::get().to(accounts::account))
        .route("/account", web::post().to(accounts::update_account))
        .route(
            "/account/password",
            web::post().to(accounts::change_password),
        )
        .route("/account/delete", web::post().to(accounts::delete_account))
        .route("/audit", web::get().to(audit::audit_log))
        .route("/feed.atom", web::get().to(audit::feed))
        .route("/admin", web::get().to(admin::dashboard))
        .route(
            "/admin/consultations/new",
            web::get().to(organize::new_consultation),
        )
        .route(
            "/admin/consultations",
            web::post().to(organize::create_consultation),
        )
        .route(
            "/admin/consultations/{slug}",
            web::get().to(organize::manage),
        )
        .route(
            "/admin/consultations/{slug}",
            web::post().to(organize::update_consultation),
        )
        .route(
            "/admin/consultations/{slug}/drafts/new",
            web::get().to(organize::new_draft),
        )
        .route(
            "/admin/consultations/{slug}/drafts",
            web::post().to(organize::import_draft),
        )
        .route(
            "/admin/consultations/{slug}/drafts/{version}/translation",
            web::get().to(organize::new_translation),
        )
        .route(
            "/admin/consultations/{slug}/drafts/{version}/translation",
            web::post().to(organize::import_translation),
        )
        .route(
            "/admin/consultations/{slug}/rounds",
            web::post().to(organize::create_round),
        )
        .route(
            "/admin/consultations/{slug}/rounds/{n}/settings",
            web::get().to(organize::round_settings),
        )
        .route(
            "/admin/consultations/{slug}/rounds/{n}/settings",
            web::post().to(organize::save_round_settings),
        )
        .route(
            "/admin/consultations/{slug}/rounds/{n}/{action}",
            web::get().to(organize::confirm),
        )
        .route(
            "/admin/consultations/{slug}/rounds/{n}/{action}",
            web::post().to(organize::round_action),
        )
        .route("/admin/participants", web::get().to(participants::list))
        .route(
            "/admin/participants/verify",
            web::post().to(participants::verify_selected),
        )
        .route(
            "/admin/participants/rules",
            web::get().to(participants::rules_page),
        )
        .route(
            "/admin/participants/rules",
            web::post().to(participants::save_rule),
        )
        .route(
            "/admin/participants/rules/{id}/delete",
            web::post().to(participants::delete_rule),
        )
        .route(
            "/admin/participants/{id}",
            web::get().to(participants::person),
        )
        .route(
            "/admin/participants/{id}/verify",
            web::post().to(admin::verify_participant),
        )
        .route("/admin/users/{id}/role", web::post().to(admin::set_role))
        .route(
            "/admin/consultations/{slug}/analysts",
            web::post().to(organize::add_analyst),
        )
        .route(
            "/admin/consultations/{slug}/analysts/{id}/remove",
            web::post().to(organize::remove_analyst),
        )
        .route("/analysis", web::get().to(analysis::mine))
        .route(
            "/organize/{slug}/analysis",
            web::get().to(analysis::workspace),
        )
        .route(
            "/organize/{slug}/analysis/tags",
            web::post().to(analysis::save_tag),
        )
        .route(
            "/organize/{slug}/analysis/tags/{id}/delete",
            web::post().to(analysis::delete_tag),
        )
        .route(
            "/organize/{slug}/rounds/{n}/analysis",
            web::get().to(analysis::round),
        )
        .route(
            "/organize/{slug}/rounds/{n}/analysis/tag",
            web::post().to(analysis::tag),
        )
        .route(
            "/organize/{slug}/rounds/{n}/analysis/assign",
            web::post().to(analysis::assign),
        )
        .route(
            "/organize/{slug}/rounds/{n}/analysis/queue",
            web::get().to(analysis::queue),
        )
        .route(
            "/organize/{slug}/rounds/{n}/analysis/campaigns",
            web::get().to(analysis::campaigns),
        )
        .route(
            "/organize/{slug}/rounds/{n}/analysis/progress",
            web::get().to(analysis::progress),
        )
        .route(
            "/organize/{slug}/rounds/{n}/analysis/batches/{batch}",
            web::get().to(analysis::batch),
        )
        .route(
            "/organize/{slug}/rounds/{n}/analysis/batches/{batch}/undo",
            web::post().to(analysis::undo_batch),
        )
        .route(
            "/organize/{slug}/rounds/{n}/analysis/taggings/{id}/undo",
            web::post().to(analysis::undo_tagging),
        )
        .route(
            "/organize/{slug}/rounds/{n}/analysis/texts/{kind}/{id}",
            web::get().to(analysis::text),
        )
        .route(
            "/organize/{slug}/rounds/{n}/analysis/texts/{kind}/{id}",
            web::post().to(analysis::save_text),
        );
}
