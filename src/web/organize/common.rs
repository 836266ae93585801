//! What the organizer pages share: the form fields, the consultation
//! page with its round form, and uploaded drafts.

use crate::clock::rfc3339;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::{self, Consultation, Slug};
use crate::drafts::{self, DraftVersion, ImportError, docx};
use crate::forms::FieldErrors;
use crate::rounds::{self, Attribution, Round};
use crate::web::errors::AppError;
use crate::web::page::Ctx;
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use serde::Serialize;

pub(super) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

pub(super) fn groups_from(pairs: &[(String, String)]) -> Vec<StakeholderGroup> {
    pairs
        .iter()
        .filter(|(k, _)| k == "eligible_groups")
        .filter_map(|(_, v)| StakeholderGroup::parse(v))
        .collect()
}

#[derive(Serialize)]
pub(super) struct GroupChoice {
    pub(super) value: &'static str,
    pub(super) label_key: String,
    pub(super) checked: bool,
}

pub(super) fn group_choices(selected: &[StakeholderGroup]) -> Vec<GroupChoice> {
    StakeholderGroup::ALL
        .iter()
        .map(|g| GroupChoice {
            value: g.as_str(),
            label_key: g.label_key(),
            checked: selected.contains(g),
        })
        .collect()
}

#[derive(Serialize, Default)]
pub(super) struct ConsultationForm {
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) summary: String,
    /// The same in the other language; empty shows every reader the original.
    pub(super) translated_title: String,
    pub(super) translated_summary: String,
}

#[derive(Serialize)]
pub(super) struct RoundRow {
    pub(super) number: i32,
    pub(super) state: &'static str,
    pub(super) opens_at: String,
    pub(super) closes_at: String,
    pub(super) draft_version: i32,
    pub(super) chatham_house: bool,
    pub(super) actions: Vec<&'static str>,
    /// The number of the earlier round it follows.
    pub(super) follows: Option<i32>,
}

#[derive(Serialize, Default)]
pub(super) struct RoundForm {
    pub(super) draft_version: String,
    pub(super) opens_at: String,
    pub(super) closes_at: String,
    pub(super) attribution: String,
    pub(super) counting: String,
}

#[derive(Serialize)]
pub(super) struct ManagePage {
    pub(super) csrf: String,
    pub(super) slug: String,
    pub(super) title: String,
    /// The language translations are written in, named in the reader's.
    pub(super) other_language: String,
    pub(super) other_lang: &'static str,
    pub(super) form: ConsultationForm,
    pub(super) groups: Vec<GroupChoice>,
    pub(super) versions: Vec<VersionRow>,
    pub(super) rounds: Vec<RoundRow>,
    pub(super) round_form: RoundForm,
    pub(super) analysts: Vec<AnalystRow>,
    pub(super) analyst_email: String,
    pub(super) errors: FieldErrors,
}

#[derive(Serialize)]
pub(super) struct AnalystRow {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) email: String,
}

#[derive(Serialize)]
pub(super) struct VersionRow {
    pub(super) version: i32,
    pub(super) title: String,
    pub(super) created_at: String,
    pub(super) translated: bool,
}

pub(super) struct Loaded {
    pub(super) consultation: Consultation,
    pub(super) groups: Vec<StakeholderGroup>,
    pub(super) versions: Vec<DraftVersion>,
    pub(super) rounds: Vec<(Round, bool)>,
    pub(super) analysts: Vec<(crate::db::UserId, String, String)>,
}

pub(super) fn render_manage(
    ctx: &Ctx,
    loaded: &Loaded,
    status: StatusCode,
    page: &ManagePage,
) -> Result<HttpResponse, AppError> {
    ctx.render(status, "organize/manage", &loaded.consultation.title, page)
}

pub(super) async fn load(ctx: &Ctx, slug: Slug) -> Result<Loaded, AppError> {
    ctx.state
        .db
        .run(move |c| -> Result<Loaded, AppError> {
            let consultation = consultations::find_by_slug(c, slug.as_str())?;
            Ok(Loaded {
                groups: consultations::eligible_groups(c, consultation.id)?,
                versions: drafts::versions_of(c, consultation.id)?,
                rounds: rounds::with_publication(c, &[consultation.id])?,
                analysts: crate::analysis::analysts::of(c, consultation.id)?,
                consultation,
            })
        })
        .await
}

/// The number of the earlier round `round` follows, among `rounds`.
pub(super) fn followed_number(rounds: &[(Round, bool)], round: &Round) -> Option<i32> {
    let id = round.follows_round_id?;
    rounds
        .iter()
        .find(|(r, _)| r.id == id)
        .map(|(r, _)| r.number)
}

pub(super) fn actions_for(state: rounds::RoundState) -> Vec<&'static str> {
    use rounds::RoundState::*;
    match state {
        Draft | Scheduled => vec!["open", "extend", "counting"],
        Open => vec!["close", "extend"],
        Closed => vec!["extend", "publish"],
        Published => vec!["publish", "answers"],
    }
}

pub(super) fn manage_page(
    ctx: &Ctx,
    loaded: &Loaded,
    round_form: RoundForm,
    errors: FieldErrors,
) -> ManagePage {
    let c = &loaded.consultation;
    let now = ctx.state.clock.now();
    let version_of = |id| {
        loaded
            .versions
            .iter()
            .find(|v| v.id == id)
            .map_or(0, |v| v.version)
    };
    let other = Locale::parse(&c.locale).unwrap_or_default().other();
    ManagePage {
        csrf: ctx.csrf(),
        slug: c.slug.clone(),
        title: c.title.clone(),
        other_language: ctx.t(other.name_key()),
        other_lang: other.as_str(),
        form: ConsultationForm {
            slug: c.slug.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            translated_title: c.translated_title.clone().unwrap_or_default(),
            translated_summary: c.translated_summary.clone().unwrap_or_default(),
        },
        groups: group_choices(&loaded.groups),
        versions: loaded
            .versions
            .iter()
            .map(|v| VersionRow {
                version: v.version,
                title: v.title.clone(),
                created_at: rfc3339(v.created_at),
                translated: v.translated_title.is_some() || v.translated_preamble.is_some(),
            })
            .collect(),
        rounds: loaded
            .rounds
            .iter()
            .map(|(r, published)| {
                let state = r.state_at(now, *published);
                RoundRow {
                    number: r.number,
                    state: state.as_str(),
                    opens_at: rfc3339(r.opens_at),
                    closes_at: rfc3339(r.effective_close()),
                    draft_version: version_of(r.draft_version_id),
                    chatham_house: r.attribution() == Attribution::ChathamHouse,
                    actions: actions_for(state),
                    follows: followed_number(&loaded.rounds, r),
                }
            })
            .collect(),
        round_form,
        analysts: loaded
            .analysts
            .iter()
            .map(|(id, name, email)| AnalystRow {
                id: id.0,
                name: name.clone(),
                email: email.clone(),
            })
            .collect(),
        analyst_email: String::new(),
        errors,
    }
}

/// The posted draft: `markdown` (or an uploaded Markdown or Word file),
/// `level`, `action`.
pub(super) struct DraftUpload {
    pub(super) markdown: Result<String, ImportError>,
    /// What an uploaded Word file held that its Markdown does not.
    pub(super) left_out: Vec<LeftOutNote>,
    pub(super) level: u8,
    pub(super) save: bool,
}

#[derive(Serialize)]
pub(super) struct LeftOutNote {
    pub(super) message_key: &'static str,
    pub(super) count: usize,
}

pub(super) async fn read_upload(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<DraftUpload, AppError> {
    let mut fields: Vec<(String, Vec<u8>)> = vec![];
    let mut file_name = String::new();
    if req.content_type() == "multipart/form-data" {
        let mut multipart = actix_multipart::Multipart::new(req.headers(), payload);
        // Counted over all parts: a chunked body declares no length, and many
        // parts each under the limit would otherwise all be kept in memory.
        let mut total = 0;
        while let Some(item) = multipart.next().await {
            let mut part = item.map_err(|e| AppError::bad_request(e.to_string()))?;
            let name = part.name().unwrap_or_default().to_string();
            if name == "file"
                && let Some(uploaded) = part.content_disposition().and_then(|d| d.get_filename())
            {
                file_name = uploaded.to_string();
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = part.next().await {
                let chunk = chunk.map_err(|e| AppError::bad_request(e.to_string()))?;
                total += chunk.len();
                if total > limit {
                    return Err(AppError::payload_too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            fields.push((name, bytes));
        }
    } else {
        let mut body = Vec::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| AppError::bad_request(e.to_string()))?;
            if body.len() + chunk.len() > limit {
                return Err(AppError::payload_too_large());
            }
            body.extend_from_slice(&chunk);
        }
        fields = form_urlencoded::parse(&body)
            .map(|(k, v)| (k.into_owned(), v.into_owned().into_bytes()))
            .collect();
    }
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_slice())
    };
    let upload = match (get("file"), get("markdown")) {
        (Some(bytes), _) => docx::read_upload(bytes, &file_name),
        (None, Some(bytes)) => docx::read_upload(bytes, ""),
        (None, None) => Err(ImportError::Empty),
    };
    let left_out = upload.as_ref().map_or(vec![], |u| {
        u.left_out
            .messages()
            .into_iter()
            .map(|(message_key, count)| LeftOutNote { message_key, count })
            .collect()
    });
    let level = get("level")
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.parse().ok())
        .filter(|l| (1..=6).contains(l))
        .unwrap_or(2);
    Ok(DraftUpload {
        markdown: upload.map(|u| u.markdown),
        left_out,
        level,
        save: get("action") == Some(b"save"),
    })
}
