//! The campaigns among one provision's comments, or among the general
//! comments with their position papers: each listed once, with a link to its
//! copies in the search, where they are read and tagged at once.

use super::round_of;
use crate::analysis::{TextKind, campaigns};
use crate::consultations::Slug;
use crate::rounds::RoundNumber;
use crate::web::errors::AppError;
use crate::web::page::{Ctx, excerpt};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

/// Characters of a campaign's text shown in the list.
const EXCERPT_CHARS: usize = 300;

#[derive(Deserialize)]
pub struct CampaignsQuery {
    provision: String,
}

#[derive(Serialize)]
struct CampaignView {
    count: usize,
    groups: String,
    text: String,
    href: String,
}

#[derive(Serialize)]
struct CampaignsPage {
    slug: String,
    title: String,
    number: i32,
    base: String,
    provision: String,
    provision_filter: String,
    campaigns: Vec<CampaignView>,
}

pub async fn campaigns(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    query: web::Query<CampaignsQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let (w, round) = round_of(&ctx, slug, number).await?;
    let general = query.provision == "general";
    let kind = if general {
        TextKind::General
    } else {
        TextKind::Position
    };
    let key = query
        .provision
        .strip_prefix("p:")
        .unwrap_or(&query.provision)
        .to_string();
    let r = round.clone();
    let (provision, found) = ctx
        .state
        .db
        .run(move |c| -> Result<_, AppError> {
            if general {
                return Ok((None, campaigns::of_general(c, r.id)?));
            }
            let provision = crate::reports::provisions_of(c, &r)?
                .into_iter()
                .find(|p| p.provision_key == key)
                .ok_or(AppError::not_found())?;
            let found = campaigns::of_provision(c, r.id, provision.id)?;
            Ok((Some(provision), found))
        })
        .await?;
    let base = format!(
        "/organize/{}/rounds/{}/analysis",
        w.consultation.slug, round.number
    );
    let views = found
        .into_iter()
        .map(|c| CampaignView {
            count: c.count,
            groups: c
                .groups
                .iter()
                .map(|(g, n)| format!("{} ({n})", ctx.t(&g.label_key())))
                .collect::<Vec<_>>()
                .join(", "),
            text: excerpt(&c.text, EXCERPT_CHARS),
            href: format!("{base}?campaign={}", campaigns::name(kind, c.members[0])),
        })
        .collect();
    let title = ctx.t("report-campaigns");
    ctx.render(
        StatusCode::OK,
        "analysis/campaigns",
        &title,
        &CampaignsPage {
            slug: w.consultation.slug.to_string(),
            title: w.consultation.title.clone(),
            number: round.number,
            provision: match &provision {
                Some(p) => format!("{} {}", p.label, p.heading),
                None => ctx.t("report-general-comments"),
            },
            provision_filter: match &provision {
                Some(p) => format!("{base}?provision=p:{}", p.provision_key),
                None => format!("{base}?provision=general"),
            },
            base,
            campaigns: views,
        },
    )
}
