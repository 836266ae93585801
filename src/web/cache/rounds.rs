//! Rounds as every page and submission of the round needs them, read once a
//! second for all readers; and the page anonymous readers share.

use super::freshness::Freshness;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::{self, Consultation, Slug};
use crate::db::{Db, OrganizationId};
use crate::drafts::diff::{DivisionChange, ProvisionChange};
use crate::drafts::{self, Division, DraftVersion, Provision};
use crate::i18n::reading::Reading;
use crate::markdown;
use crate::organizations::membership::{self, Member, MemberState};
use crate::organizations::{self, Organization, official};
use crate::rounds::{self, Round, RoundNumber, RoundState};
use crate::submissions::earlier::{self, EarlierAnswer, EarlierRound};
use crate::submissions::{self, Stored};
use crate::web::encoded::Encoded;
use crate::web::errors::AppError;
use crate::web::page::Ctx;
use crate::web::submissions::{FormSkeleton, Shape, Shell};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What a round page shows everybody. Every submit needs it too, so it is
/// cached (see `RoundCache`); the time-dependent state is not part of it.
pub struct RoundCommon {
    pub consultation: Consultation,
    pub round: Round,
    pub published: bool,
    pub draft: DraftVersion,
    pub provisions: Vec<Provision>,
    /// Parts, chapters, sections and annexes; empty for a flat draft.
    pub divisions: Vec<Division>,
    pub groups: Vec<StakeholderGroup>,
    /// The provisions of the version before this round's, to show changes.
    pub previous: Option<Vec<Provision>>,
    pub previous_divisions: Vec<Division>,
    /// The round this one follows, once its report is published.
    pub earlier: Option<EarlierRound>,
    /// How the round page and its form are cut for a long draft (one page
    /// for a short one).
    pub pages: Vec<drafts::structure::Page>,
    /// The page as readers who are not signed in see it, rendered once for
    /// as long as this entry is cached rather than once per reader: a surge
    /// of readers then costs no Markdown, template or compression work.
    anonymous_pages: Mutex<HashMap<AnonymousPage, Encoded>>,
    /// The Markdown texts as HTML, by language and by `original` (see
    /// `html`).
    html: [[OnceLock<RoundHtml>; 2]; 2],
    /// What changed since the previous version (see `changes`).
    changes: OnceLock<(Vec<ProvisionChange>, Vec<DivisionChange>)>,
    /// The form's pages as skeletons, filled for each participant; `None`
    /// where a page cannot have one.
    forms: Made<FormKey, FormSkeleton>,
    /// The page around each of those forms, by the shape of the reader's
    /// standing (see `Shape`).
    shells: Made<(FormKey, Shape), Shell>,
    freshness: Freshness,
}

/// The round's Markdown texts as HTML for one way of reading them. Every page
/// of the round shows the same texts, so each is converted and sanitized once
/// per cached round, not once per signed-in page view.
pub struct RoundHtml {
    pub summary: String,
    pub preamble: String,
    /// By place in `RoundCommon::provisions`.
    pub provisions: Vec<String>,
    /// By place in `RoundCommon::divisions`.
    pub divisions: Vec<String>,
}

/// What was made for each key; `None` where nothing could be.
type Made<K, V> = Mutex<HashMap<K, Option<Arc<V>>>>;

/// What `map` holds under `key`, made by `make` the first time and kept
/// while the map holds fewer than `limit`.
fn made_once<K: std::hash::Hash + Eq, V>(
    map: &Made<K, V>,
    key: K,
    limit: usize,
    make: impl FnOnce() -> Result<Option<V>, AppError>,
) -> Result<Option<Arc<V>>, AppError> {
    let lock = || map.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(made) = lock().get(&key) {
        return Ok(made.clone());
    }
    let made = make()?.map(Arc::new);
    let mut all = lock();
    if all.len() < limit {
        all.insert(key, made.clone());
    }
    Ok(made)
}

/// What an anonymous reader's round page depends on.
#[derive(Hash, PartialEq, Eq)]
pub struct AnonymousPage {
    pub locale: Locale,
    pub query: String,
    pub state: RoundState,
}

/// What a skeleton of the round form depends on besides the round.
#[derive(Clone, Hash, PartialEq, Eq)]
pub struct FormKey {
    pub locale: Locale,
    pub original: bool,
    /// Showing what changed since the previous version.
    pub changes: bool,
    /// By place in `RoundCommon::pages`.
    pub page: usize,
    /// The round, or an organization's place in it.
    pub base: String,
    /// The reader may answer: the form is shown.
    pub form: bool,
}

/// Enough for both languages and the usual views of each page of a long
/// draft; addresses with other queries (and forms beyond these) are rendered
/// per request rather than filling memory.
const VIEWS_PER_PAGE: usize = 8;

/// Enough for the usual standings (a draft saved, submitted, with changes
/// pending…) of readers of each view.
const SHAPES_PER_VIEW: usize = 8;

impl submissions::SubmittedTo for RoundCommon {
    fn round(&self) -> &Round {
        &self.round
    }
    fn provisions(&self) -> &[Provision] {
        &self.provisions
    }
}

impl RoundCommon {
    /// The texts as HTML, as `reading` shows them.
    pub fn html(&self, reading: Reading) -> &RoundHtml {
        let by_language = match reading.locale {
            Locale::En => &self.html[0],
            Locale::Fr => &self.html[1],
        };
        by_language[usize::from(reading.original)].get_or_init(|| {
            let c = &self.consultation;
            let draft_locale = self.draft.locale.as_str();
            let preamble = reading.text(
                &self.draft.preamble,
                draft_locale,
                self.draft.translated_preamble.as_deref(),
            );
            RoundHtml {
                summary: markdown::to_html(
                    &reading
                        .text(&c.summary, &c.locale, c.translated_summary.as_deref())
                        .text,
                ),
                preamble: markdown::to_html(&preamble.text),
                provisions: self
                    .provisions
                    .iter()
                    .map(|p| markdown::to_html(&reading.provision(p, draft_locale).2.text))
                    .collect(),
                divisions: self
                    .divisions
                    .iter()
                    .map(|d| markdown::to_html(&reading.division(d, draft_locale).2.text))
                    .collect(),
            }
        })
    }

    /// The provisions and divisions changed since the previous version, with
    /// their word-by-word differences, worked out once per cached round.
    pub fn changes(&self) -> &(Vec<ProvisionChange>, Vec<DivisionChange>) {
        self.changes.get_or_init(|| match &self.previous {
            Some(previous) => (
                drafts::diff::compare(previous, &self.provisions),
                drafts::diff::compare_divisions(&self.previous_divisions, &self.divisions),
            ),
            None => Default::default(),
        })
    }

    /// The skeleton of the form under `key`, made by `make` the first time.
    pub fn form_skeleton(
        &self,
        key: FormKey,
        make: impl FnOnce() -> Result<Option<FormSkeleton>, AppError>,
    ) -> Result<Option<Arc<FormSkeleton>>, AppError> {
        let limit = VIEWS_PER_PAGE * (self.pages.len() + 1);
        made_once(&self.forms, key, limit, make)
    }

    /// The page around the form under `key`, made by `make` the first time.
    pub fn form_shell(
        &self,
        key: (FormKey, Shape),
        make: impl FnOnce() -> Result<Option<Shell>, AppError>,
    ) -> Result<Option<Arc<Shell>>, AppError> {
        let limit = SHAPES_PER_VIEW * VIEWS_PER_PAGE * (self.pages.len() + 1);
        made_once(&self.shells, key, limit, make)
    }

    /// The page every anonymous reader of this round sees under `key`,
    /// rendered by `render` the first time.
    pub fn anonymous_page(
        &self,
        key: AnonymousPage,
        render: impl FnOnce() -> Result<String, AppError>,
    ) -> Result<Encoded, AppError> {
        let lock = || {
            self.anonymous_pages
                .lock()
                .unwrap_or_else(|e| e.into_inner())
        };
        if let Some(page) = lock().get(&key) {
            return Ok(page.clone());
        }
        let page = Encoded::gzip(render()?);
        let mut pages = lock();
        if pages.len() < VIEWS_PER_PAGE * (self.pages.len() + 1) {
            pages.insert(key, page.clone());
        }
        Ok(page)
    }
}

/// Rounds by (consultation slug, number), fresh for `server.round_cache_ms`
/// (one second by default; 0 turns the cache off) and then used for as long
/// again while they are reloaded in the background: no reader waits for the
/// reload (on PostgreSQL under load one took up to 0.6 s). Every organizer's
/// change clears the cache of every instance (`forget_after_admin_writes`,
/// `db::changes`); one made in the database by other means shows within
/// twice that time. Round states that follow from the clock are computed per
/// request.
#[derive(Clone)]
pub struct RoundCache {
    rounds: Option<moka::sync::Cache<(Slug, RoundNumber), Arc<RoundCommon>>>,
    fresh: Duration,
}

impl RoundCache {
    pub fn new(ttl_ms: u64) -> Self {
        let fresh = Duration::from_millis(ttl_ms);
        Self {
            rounds: (ttl_ms > 0).then(|| {
                moka::sync::Cache::builder()
                    .max_capacity(1_000)
                    .time_to_live(2 * fresh)
                    .build()
            }),
            fresh,
        }
    }

    /// A cached round; when it is due for a reload and nobody is reloading
    /// it yet, a reload starts in the background.
    pub fn get(&self, db: &Db, key: &(Slug, RoundNumber)) -> Option<Arc<RoundCommon>> {
        let round = self.rounds.as_ref()?.get(key)?;
        if !round.freshness.usable(Instant::now(), self.fresh) {
            let (db, cache, key) = (db.clone(), self.clone(), key.clone());
            actix_web::rt::spawn(async move {
                let loaded = db
                    .run(move |c| load_common(c, &key.0, key.1).map(|round| (key, round)))
                    .await;
                // On failure the claim lapses and a later reader tries again;
                // the entry itself expires at twice its freshness.
                if let Ok((key, round)) = loaded {
                    cache.insert(key, Arc::new(round));
                }
            });
        }
        Some(round)
    }

    pub fn insert(&self, key: (Slug, RoundNumber), round: Arc<RoundCommon>) {
        if let Some(cache) = &self.rounds {
            cache.insert(key, round);
        }
    }

    pub fn invalidate(&self, key: &(Slug, RoundNumber)) {
        if let Some(cache) = &self.rounds {
            cache.invalidate(key);
        }
    }

    pub fn invalidate_all(&self) {
        if let Some(cache) = &self.rounds {
            cache.invalidate_all();
        }
    }
}

/// Everything the round page is drawn from.
pub struct RoundData {
    pub common: Arc<RoundCommon>,
    pub state: RoundState,
    pub stored: Option<Stored>,
    /// The organization whose official submission the page edits, when it
    /// does, with the member editing it.
    pub official: Option<(Organization, Member)>,
    /// The participant's own answers in the round this one follows (empty
    /// until its report is published).
    pub earlier_answers: BTreeMap<String, EarlierAnswer>,
}

impl RoundData {
    /// Whether `user` may submit on this page now, in their own name or in
    /// the organization's.
    pub fn may_submit(
        &self,
        user: Option<&crate::accounts::User>,
    ) -> Result<(), submissions::Refusal> {
        let organization = self.official.as_ref().map(|(o, _)| o.group());
        submissions::may_submit(user, organization, &self.groups, self.state)
    }
}

impl std::ops::Deref for RoundData {
    type Target = RoundCommon;
    fn deref(&self) -> &RoundCommon {
        &self.common
    }
}

fn load_common(
    conn: &mut crate::db::DbConnection,
    slug: &Slug,
    number: RoundNumber,
) -> Result<RoundCommon, AppError> {
    let consultation = consultations::find_by_slug(conn, slug.as_str())?;
    let (round, published) = rounds::find(conn, consultation.id, number.get())?;
    if round.announced_at.is_none() {
        return Err(AppError::not_found());
    }
    let draft = drafts::find(conn, round.draft_version_id)?;
    let provisions = drafts::provisions_of(conn, draft.id)?;
    let groups = consultations::eligible_groups(conn, consultation.id)?;
    let divisions = drafts::divisions_of(conn, draft.id)?;
    let (previous, previous_divisions) = match drafts::previous_version(conn, &draft)? {
        Some(v) => (
            Some(drafts::provisions_of(conn, v.id)?),
            drafts::divisions_of(conn, v.id)?,
        ),
        None => (None, vec![]),
    };
    let pages = drafts::structure::pages(
        &divisions,
        provisions.iter().map(|p| p.division_key.as_deref()),
    );
    let earlier = earlier::earlier_round(conn, &round, &provisions)?;
    Ok(RoundCommon {
        earlier,
        pages,
        consultation,
        round,
        published,
        draft,
        provisions,
        divisions,
        groups,
        previous,
        previous_divisions,
        anonymous_pages: Mutex::default(),
        html: Default::default(),
        changes: OnceLock::new(),
        forms: Mutex::default(),
        shells: Mutex::default(),
        freshness: Freshness::new(),
    })
}

pub async fn load(ctx: &Ctx, slug: Slug, number: RoundNumber) -> Result<RoundData, AppError> {
    load_for(ctx, slug, number, None).await
}

/// Whose page is asked for, and by whom.
#[derive(Clone, Copy)]
pub enum Reader {
    /// Active members only (the pages).
    Member,
    /// Anyone who ever belonged (what the form posts): the write itself
    /// refuses a former member, with their text sent back and the reason.
    FormerMember,
}

/// The round with `organization`'s official submission, for one of its
/// members; another consultation's organization is unknown here.
pub async fn load_official(
    ctx: &Ctx,
    slug: Slug,
    number: RoundNumber,
    organization: OrganizationId,
    reader: Reader,
) -> Result<RoundData, AppError> {
    ctx.user()?;
    load_for(ctx, slug, number, Some((organization, reader))).await
}

async fn load_for(
    ctx: &Ctx,
    slug: Slug,
    number: RoundNumber,
    organization: Option<(OrganizationId, Reader)>,
) -> Result<RoundData, AppError> {
    let participant = ctx.user.as_ref().map(|u| u.id);
    let now = ctx.state.clock.now();
    let key = (slug, number);
    let cached = ctx.state.rounds.get(&ctx.state.db, &key);
    ctx.state.metrics.cache("round", cached.is_some());
    // A reader who is not signed in, on a cached round, needs no database
    // call at all (no pooled connection, no blocking thread).
    let (common, stored, official, earlier_answers) = match (cached, participant) {
        (Some(common), None) => (common, None, None, BTreeMap::new()),
        (cached, participant) => {
            let cache = ctx.state.rounds.clone();
            ctx.state
                .db
                .run(move |conn| -> Result<_, AppError> {
                    let common = match cached {
                        Some(c) => c,
                        None => {
                            let loaded = Arc::new(load_common(conn, &key.0, number)?);
                            cache.insert(key, loaded.clone());
                            loaded
                        }
                    };
                    let (Some(p), Some((organization, reader))) = (participant, organization)
                    else {
                        let stored = match participant {
                            Some(p) => match submissions::load(conn, common.round.id, p)? {
                                Some(s) => Some(submissions::with_pending(conn, s)?),
                                None => None,
                            },
                            None => None,
                        };
                        let answers = match (participant, &common.earlier) {
                            (Some(p), Some(e)) => earlier::own_answers(conn, e, p)?,
                            _ => BTreeMap::new(),
                        };
                        return Ok((common, stored, None, answers));
                    };
                    let organization =
                        organizations::find(conn, common.consultation.id, organization)?;
                    let member = match reader {
                        Reader::Member => {
                            membership::of(conn, organization.id, p, MemberState::Active)?
                        }
                        Reader::FormerMember => membership::latest(conn, organization.id, p)?,
                    }
                    .ok_or_else(AppError::forbidden)?;
                    let stored = official::load(conn, common.round.id, &organization)?;
                    Ok((
                        common,
                        stored,
                        Some((organization, member)),
                        BTreeMap::new(),
                    ))
                })
                .await?
        }
    };
    Ok(RoundData {
        state: common.round.state_at(now, common.published),
        common,
        stored,
        official,
        earlier_answers,
    })
}
