//! A round's workspace: the search with its filters
//! and facets, tagging from the results, and splitting texts among analysts.

use super::{Workspace, round_of};
use crate::accounts::countries;
use crate::analysis::search::{self, Filters, Hit};
use crate::analysis::words::{Query, highlight};
use crate::analysis::{Disposition, TextKind, TextRef, analysts, assignments, campaigns, tags};
use crate::codes::StakeholderGroup;
use crate::consultations::Slug;
use crate::db::{DbConnection, ProvisionId, RoundId, TagId, UserId};
use crate::drafts::Provision;
use crate::rounds::{Round, RoundNumber};
use crate::submissions::{Disclosure, Stance};
use crate::web::errors::AppError;
use crate::web::page::{Choice, Ctx, choices, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::QueryResult;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub(super) const PER_PAGE: i64 = 50;
/// Characters of a comment shown in the list (two fifths as many of a proposed
/// wording), so that 50 long texts stay within the page budget; the text's
/// page shows it whole.
const LIST_CHARS: usize = 100;
const GENERAL: &str = "general";

/// The search's fields, in the query string of the page and repeated as
/// hidden fields of its forms; an unknown value is no filter.
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    provision: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    stance: String,
    #[serde(default)]
    disclosure: String,
    #[serde(default)]
    verified: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    analyst: String,
    #[serde(default)]
    coded: String,
    /// A disposition's code, or `none`.
    #[serde(default)]
    disposition: String,
    /// A position of a campaign: the search is that campaign's copies.
    #[serde(default)]
    campaign: String,
}

fn yes_no(v: &str) -> Option<bool> {
    match v {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

impl SearchForm {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map_or(String::new(), |(_, v)| v.clone())
        };
        SearchForm {
            q: get("q"),
            provision: get("provision"),
            group: get("group"),
            country: get("country"),
            region: get("region"),
            stance: get("stance"),
            disclosure: get("disclosure"),
            verified: get("verified"),
            tag: get("tag"),
            analyst: get("analyst"),
            coded: get("coded"),
            disposition: get("disposition"),
            campaign: get("campaign"),
        }
    }

    /// The filters, with a campaign's copies found anew: a campaign is
    /// detected, never stored, so one text of it names it.
    fn filters_in(
        &self,
        conn: &mut DbConnection,
        round: RoundId,
        provisions: &[Provision],
    ) -> QueryResult<Filters> {
        let mut filters = self.filters(provisions);
        if !self.campaign.trim().is_empty() {
            filters.only = Some(match campaigns::parse_name(&self.campaign) {
                Some((kind, member)) => (kind, campaigns::members_of(conn, round, kind, member)?),
                None => (TextKind::Position, vec![]),
            });
        }
        Ok(filters)
    }

    /// A provision (`p:art-1`), a division (`d:part-2`, every provision in
    /// it at any depth) or the general comments.
    fn filters(&self, provisions: &[Provision]) -> Filters {
        let chosen = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_string());
        let provisions_of = |wanted: &dyn Fn(&Provision) -> bool| -> Vec<ProvisionId> {
            provisions
                .iter()
                .filter(|p| wanted(p))
                .map(|p| p.id)
                .collect()
        };
        let provision_ids = if let Some(key) = self.provision.strip_prefix("p:") {
            Some(provisions_of(&|p| p.provision_key == key))
        } else {
            self.provision.strip_prefix("d:").map(|key| {
                provisions_of(&|p| {
                    p.division_key
                        .as_deref()
                        .is_some_and(|d| d == key || d.starts_with(&format!("{key}.")))
                })
            })
        };
        let countries = if let Some(code) = chosen(&self.country) {
            Some(vec![code.to_ascii_uppercase()])
        } else {
            chosen(&self.region).map(|region| {
                countries::sorted(crate::codes::Locale::En)
                    .into_iter()
                    .filter(|c| c.region == region)
                    .map(|c| c.code.to_string())
                    .collect()
            })
        };
        Filters {
            query: Query::parse(&self.q),
            provisions: provision_ids,
            general: self.provision == GENERAL,
            group: StakeholderGroup::parse(&self.group),
            countries,
            stance: Stance::parse(&self.stance),
            disclosure: Disclosure::parse(&self.disclosure),
            verified: yes_no(&self.verified),
            tag: self.tag.parse().ok(),
            analyst: self.analyst.parse().ok(),
            coded: yes_no(&self.coded),
            disposition: match self.disposition.as_str() {
                "none" => Some(None),
                code => Disposition::parse(code).map(Some),
            },
            only: None,
        }
    }

    /// The search as a query string, for links.
    fn encoded(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.pairs() {
            out.append_pair(name, value);
        }
        out.finish()
    }

    fn pairs(&self) -> Vec<(&'static str, &String)> {
        [
            ("q", &self.q),
            ("provision", &self.provision),
            ("group", &self.group),
            ("country", &self.country),
            ("region", &self.region),
            ("stance", &self.stance),
            ("disclosure", &self.disclosure),
            ("verified", &self.verified),
            ("tag", &self.tag),
            ("analyst", &self.analyst),
            ("coded", &self.coded),
            ("disposition", &self.disposition),
            ("campaign", &self.campaign),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
    }

    /// This search with one more filter, for a facet's link.
    fn with(&self, name: &str, value: &str) -> String {
        let mut f = self.clone();
        match name {
            "group" => f.group = value.into(),
            "stance" => f.stance = value.into(),
            "tag" => f.tag = value.into(),
            "campaign" => f.campaign = value.into(),
            _ => f.provision = value.into(),
        }
        f.encoded()
    }

    /// The chosen provision alone, as a query string.
    fn only_provision(&self) -> String {
        SearchForm {
            provision: self.provision.clone(),
            ..SearchForm::default()
        }
        .encoded()
    }
}

#[derive(Serialize)]
struct Facet {
    label: String,
    count: i64,
    href: String,
}

#[derive(Serialize)]
pub(super) struct ResultView {
    pub(super) key: String,
    pub(super) href: String,
    pub(super) provision: String,
    pub(super) who: String,
    pub(super) stance: String,
    pub(super) confidential: bool,
    pub(super) comment: String,
    pub(super) proposed: String,
    pub(super) cut: bool,
    pub(super) tags: Vec<String>,
}

#[derive(Serialize)]
struct HiddenField {
    name: &'static str,
    value: String,
}

#[derive(Serialize)]
struct RoundPage {
    csrf: String,
    slug: String,
    title: String,
    number: i32,
    base: String,
    organizer: bool,
    q: String,
    provisions: Vec<Choice>,
    groups: Vec<Choice>,
    regions: Vec<Choice>,
    stances: Vec<Choice>,
    disclosures: Vec<Choice>,
    verified: Vec<Choice>,
    tags: Vec<Choice>,
    analysts: Vec<Choice>,
    coded: Vec<Choice>,
    dispositions: Vec<Choice>,
    facet_groups: Vec<Facet>,
    facet_stances: Vec<Facet>,
    facet_tags: Vec<Facet>,
    total: i64,
    results: Vec<ResultView>,
    hidden: Vec<HiddenField>,
    /// The campaign whose copies are shown, kept by the search form.
    campaign: String,
    campaigns_link: Option<String>,
    without_campaign: String,
    page: i64,
    pages: i64,
    previous: Option<String>,
    next: Option<String>,
    queue: i64,
}

pub(super) fn provision_label(
    ctx: &Ctx,
    provisions: &[Provision],
    id: Option<ProvisionId>,
) -> String {
    match id.and_then(|id| provisions.iter().find(|p| p.id == id)) {
        Some(p) => format!("{} {}", p.label, p.heading),
        None => ctx.t("report-general-comments"),
    }
}

pub(super) fn result_view(
    ctx: &Ctx,
    base: &str,
    provisions: &[Provision],
    labels: &HashMap<TagId, String>,
    hit: &Hit,
    query: &Query,
    limit: usize,
) -> ResultView {
    let country = countries::find(&hit.country)
        .map_or(hit.country.clone(), |c| c.name(ctx.locale).to_string());
    let group = hit.group.map(|g| ctx.t(&g.label_key())).unwrap_or_default();
    let mut who = format!(
        "{}, {} — {group}, {country}",
        hit.display_name, hit.organization
    );
    if hit.verified {
        who.push_str(&format!(" ({})", ctx.t("analysis-verified")));
    }
    let (comment, cut_comment) = highlight(&hit.comment, query, limit);
    let (proposed, cut_proposed) = highlight(&hit.proposed_text, query, limit / 5 * 2);
    let key = format!("{}-{}", hit.kind.as_str(), hit.id);
    ResultView {
        href: format!("{base}/texts/{}/{}", hit.kind.as_str(), hit.id),
        provision: provision_label(ctx, provisions, hit.provision),
        who,
        stance: hit
            .stance
            .map(|s| ctx.t(&s.label_key()))
            .unwrap_or_default(),
        confidential: hit.disclosure == Some(Disclosure::Confidential),
        comment,
        proposed,
        cut: cut_comment || cut_proposed,
        tags: hit
            .tags
            .iter()
            .filter_map(|(_, t)| labels.get(t).cloned())
            .collect(),
        key,
    }
}

pub(super) fn tag_label(ctx: &Ctx, t: &tags::Tag, consultation_locale: &str) -> String {
    match &t.translated_label {
        Some(tr) if ctx.locale.as_str() != consultation_locale => tr.clone(),
        _ => t.label.clone(),
    }
}

struct Loaded {
    provisions: Vec<Provision>,
    codebook: Vec<tags::Tag>,
    analysts: Vec<(UserId, String, String)>,
    found: search::Found,
    queue: i64,
}

pub async fn round(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let (w, round) = round_of(&ctx, slug, number).await?;
    let form = SearchForm::from_pairs(&query);
    let page: i64 = query
        .iter()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1);
    if page < 1 {
        return Err(AppError::not_found());
    }
    let (consultation, user, r) = (w.consultation.id, w.user.id, round.clone());
    let form_for_db = form.clone();
    let loaded = ctx
        .state
        .db
        .query(move |c| {
            let provisions = crate::reports::provisions_of(c, &r)?;
            let filters = form_for_db.filters_in(c, r.id, &provisions)?;
            let found = search::search(c, r.id, &filters, (page - 1) * PER_PAGE, PER_PAGE)?;
            Ok(Loaded {
                codebook: tags::codebook(c, consultation)?,
                analysts: analysts::of(c, consultation)?,
                queue: assignments::queue_size(c, r.id, user)?.0,
                provisions,
                found,
            })
        })
        .await?;
    let pages = ((loaded.found.total + PER_PAGE - 1) / PER_PAGE).max(1);
    if page > pages {
        return Err(AppError::not_found());
    }
    render(&ctx, &w, &round, &form, page, pages, loaded)
}

#[allow(clippy::too_many_arguments)]
fn render(
    ctx: &Ctx,
    w: &Workspace,
    round: &Round,
    form: &SearchForm,
    page: i64,
    pages: i64,
    loaded: Loaded,
) -> Result<HttpResponse, AppError> {
    let t = |k: &str| ctx.t(k);
    let base = format!(
        "/organize/{}/rounds/{}/analysis",
        w.consultation.slug, round.number
    );
    let labels: HashMap<TagId, String> = loaded
        .codebook
        .iter()
        .map(|tag| (tag.id, tag_label(ctx, tag, &w.consultation.locale)))
        .collect();
    let query = Query::parse(&form.q);
    let encoded = form.encoded();
    let link = |n: i64| {
        let sep = if encoded.is_empty() { "" } else { "&" };
        format!("{base}?{encoded}{sep}page={n}")
    };
    let mut provision_choices: Vec<(String, String)> = vec![];
    let mut seen_divisions: Vec<String> = vec![];
    for p in &loaded.provisions {
        if let Some(d) = &p.division_key {
            let top = d.split('.').next().unwrap_or(d).to_string();
            if !seen_divisions.contains(&top) {
                provision_choices.push((
                    format!("d:{top}"),
                    format!("{} {top}", t("analysis-division")),
                ));
                seen_divisions.push(top);
            }
        }
        provision_choices.push((
            format!("p:{}", p.provision_key),
            format!("{} {}", p.label, p.heading),
        ));
    }
    provision_choices.push((GENERAL.into(), t("report-general-comments")));
    let region_codes = ["africa", "americas", "asia", "europe", "oceania"];
    let view = RoundPage {
        csrf: ctx.csrf(),
        slug: w.consultation.slug.clone(),
        title: w.consultation.title.clone(),
        number: round.number,
        organizer: w.organizer().is_ok(),
        q: form.q.clone(),
        provisions: choices(&form.provision, provision_choices),
        groups: choices(
            &form.group,
            StakeholderGroup::ALL
                .iter()
                .map(|g| (g.as_str().into(), t(&g.label_key()))),
        ),
        regions: choices(
            &form.region,
            region_codes
                .iter()
                .map(|r| (r.to_string(), t(&format!("region-{r}")))),
        ),
        stances: choices(
            &form.stance,
            Stance::ALL
                .iter()
                .map(|s| (s.as_str().into(), t(&s.label_key()))),
        ),
        disclosures: choices(
            &form.disclosure,
            Disclosure::ALL.iter().map(|d| {
                (
                    d.as_str().into(),
                    t(&format!("disclosure-short-{}", d.as_str())),
                )
            }),
        ),
        verified: choices(
            &form.verified,
            [
                ("yes".into(), t("analysis-yes")),
                ("no".into(), t("analysis-no")),
            ],
        ),
        tags: choices(
            &form.tag,
            loaded.codebook.iter().map(|tag| {
                (
                    tag.id.0.to_string(),
                    labels.get(&tag.id).cloned().unwrap_or_default(),
                )
            }),
        ),
        analysts: choices(
            &form.analyst,
            loaded
                .analysts
                .iter()
                .map(|(id, name, _)| (id.0.to_string(), name.clone())),
        ),
        coded: choices(
            &form.coded,
            [
                ("yes".into(), t("analysis-coded")),
                ("no".into(), t("analysis-uncoded")),
            ],
        ),
        dispositions: choices(
            &form.disposition,
            std::iter::once(("none".into(), t("analysis-disposition-none"))).chain(
                Disposition::ALL
                    .iter()
                    .map(|d| (d.as_str().into(), t(d.label_key()))),
            ),
        ),
        facet_groups: loaded
            .found
            .facets
            .groups
            .iter()
            .map(|(g, n)| Facet {
                label: StakeholderGroup::parse(g)
                    .map(|g| t(&g.label_key()))
                    .unwrap_or_else(|| g.clone()),
                count: *n,
                href: format!("{base}?{}", form.with("group", g)),
            })
            .collect(),
        facet_stances: loaded
            .found
            .facets
            .stances
            .iter()
            .filter_map(|(s, n)| {
                let s = Stance::parse(s.as_deref()?)?;
                Some(Facet {
                    label: t(&s.label_key()),
                    count: *n,
                    href: format!("{base}?{}", form.with("stance", s.as_str())),
                })
            })
            .collect(),
        facet_tags: loaded
            .found
            .facets
            .tags
            .iter()
            .filter_map(|(tag, n)| {
                Some(Facet {
                    label: labels.get(tag)?.clone(),
                    count: *n,
                    href: format!("{base}?{}", form.with("tag", &tag.0.to_string())),
                })
            })
            .collect(),
        total: loaded.found.total,
        results: loaded
            .found
            .hits
            .iter()
            .map(|h| {
                result_view(
                    ctx,
                    &base,
                    &loaded.provisions,
                    &labels,
                    h,
                    &query,
                    LIST_CHARS,
                )
            })
            .collect(),
        hidden: form
            .pairs()
            .into_iter()
            .map(|(name, value)| HiddenField {
                name,
                value: value.clone(),
            })
            .collect(),
        campaign: form.campaign.clone(),
        campaigns_link: (form.provision.starts_with("p:") || form.provision == GENERAL)
            .then(|| format!("{base}/campaigns?{}", form.only_provision())),
        without_campaign: format!("{base}?{}", form.with("campaign", "")),
        page,
        pages,
        previous: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
        queue: loaded.queue,
        base,
    };
    let title = format!("{} – {}", t("analysis-title"), w.consultation.title);
    ctx.render(StatusCode::OK, "analysis/round", &title, &view)
}

/// `position-12` or `general-7`.
pub(super) fn text_ref(raw: &str) -> Option<TextRef> {
    let (kind, id) = raw.split_once('-')?;
    Some(TextRef {
        kind: TextKind::parse(kind)?,
        id: id.parse().ok()?,
    })
}

/// Tags the selected rows (`text`, repeated) or, with `scope=all`, every
/// text of the search the form repeats, in one batch.
pub async fn tag(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let (w, round) = round_of(&ctx, slug, number).await?;
    let form = SearchForm::from_pairs(&body);
    let base = format!(
        "/organize/{}/rounds/{}/analysis",
        w.consultation.slug, round.number
    );
    let back = format!("{base}?{}", form.encoded());
    let Some(tag) = body
        .iter()
        .find(|(k, _)| k == "apply_tag")
        .and_then(|(_, v)| v.parse::<TagId>().ok())
    else {
        ctx.flash_error("analysis-choose-tag");
        return Ok(see_other(&back));
    };
    let all = body.iter().any(|(k, v)| k == "scope" && v == "all");
    let texts: Vec<TextRef> = body
        .iter()
        .filter(|(k, _)| k == "text")
        .filter_map(|(_, v)| text_ref(v))
        .collect();
    if !all && texts.is_empty() {
        ctx.flash_error("analysis-choose-texts");
        return Ok(see_other(&back));
    }
    let batch = uuid::Uuid::new_v4().simple().to_string();
    let (consultation, by, now, r) = (
        w.consultation.id,
        w.user.id,
        ctx.state.clock.now(),
        round.clone(),
    );
    let b = batch.clone();
    ctx.state
        .db
        .run(move |c| -> Result<usize, AppError> {
            if !tags::belongs(c, consultation, tag)? {
                return Err(AppError::not_found());
            }
            if all {
                let provisions = crate::reports::provisions_of(c, &r)?;
                let filters = form.filters_in(c, r.id, &provisions)?;
                Ok(tags::tag_search(c, r.id, &filters, tag, &b, by, now)?)
            } else {
                Ok(tags::tag_texts(c, r.id, &texts, tag, &b, by, now)?)
            }
        })
        .await?;
    Ok(see_other(&format!("{base}/batches/{batch}")))
}

pub async fn undo_batch(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, String)>,
    // The body holds only the form's tokens; a body that is not a form is
    // refused as malformed, as on every other form.
    _tokens: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, batch) = path.into_inner();
    let (w, round) = round_of(&ctx, slug, number).await?;
    let (by, now, id) = (w.user.id, ctx.state.clock.now(), round.id);
    let undone = ctx
        .state
        .db
        .query(move |c| tags::undo_batch(c, id, &batch, by, now))
        .await?;
    if undone == 0 {
        return Err(AppError::not_found());
    }
    ctx.flash("analysis-batch-undone");
    Ok(see_other(&format!(
        "/organize/{}/rounds/{}/analysis",
        w.consultation.slug, round.number
    )))
}

/// Splits the uncoded, unassigned texts of the search the form repeats
/// among the chosen analysts (`analysts`, repeated).
pub async fn assign(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let (w, round) = round_of(&ctx, slug, number).await?;
    w.organizer()?;
    let form = SearchForm::from_pairs(&body);
    let chosen: Vec<UserId> = body
        .iter()
        .filter(|(k, _)| k == "analysts")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let back = format!(
        "/organize/{}/rounds/{}/analysis?{}",
        w.consultation.slug,
        round.number,
        form.encoded()
    );
    let (consultation, by, now, r) = (
        w.consultation.id,
        w.user.id,
        ctx.state.clock.now(),
        round.clone(),
    );
    let assigned = ctx
        .state
        .db
        .run(move |c| -> Result<Option<usize>, AppError> {
            let named: Vec<UserId> = analysts::of(c, consultation)?
                .into_iter()
                .map(|a| a.0)
                .collect();
            if chosen.is_empty() || chosen.iter().any(|a| !named.contains(a)) {
                return Ok(None);
            }
            let provisions = crate::reports::provisions_of(c, &r)?;
            let filters = form.filters_in(c, r.id, &provisions)?;
            Ok(Some(assignments::split(
                c,
                consultation,
                r.id,
                &filters,
                &chosen,
                by,
                now,
            )?))
        })
        .await?;
    match assigned {
        None => ctx.flash_error("analysis-choose-analysts"),
        Some(_) => ctx.flash("analysis-assigned"),
    }
    Ok(see_other(&back))
}
