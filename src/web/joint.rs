//! Joint submissions of one organization in one round, for its members: the
//! lead's page (its co-signers and the invitation form), and a co-signer's
//! page for each invitation (the joint text, then confirm or decline).

use super::page::{Ctx, see_other};
use crate::codes::StakeholderGroup;
use crate::consultations::{self, Consultation, Slug};
use crate::db::{OrganizationId, SignatureId};
use crate::drafts;
use crate::forms::FieldErrors;
use crate::organizations::joint::{self, Answer, Invitee, JointError, Signature, SignatureState};
use crate::organizations::{self, MemberState, Organization, membership};
use crate::rounds::{self, Round, RoundNumber, RoundState};
use crate::submissions::{self, Stance};
use crate::web::errors::AppError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

impl From<JointError> for AppError {
    #[track_caller]
    fn from(e: JointError) -> Self {
        match e {
            JointError::Invalid(why) => AppError::unprocessable(why),
            JointError::Refused(why) => AppError::conflict(why),
            JointError::ReplacesOwn => AppError::conflict(e.to_string()),
            JointError::Forbidden(_) => AppError::forbidden(),
            JointError::NotFound => AppError::not_found(),
            JointError::Notify(why) => AppError::internal(anyhow::anyhow!(why)),
            JointError::Query(e) => e.into(),
            JointError::Db(e) => e.into(),
        }
    }
}

/// The status and message of a refusal shown on the page; anything else is
/// an error page.
fn refusal(e: JointError) -> Result<(StatusCode, &'static str), AppError> {
    Ok(match e {
        JointError::Invalid(m) => (StatusCode::UNPROCESSABLE_ENTITY, m),
        JointError::Refused(m) => (StatusCode::CONFLICT, m),
        JointError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
        JointError::ReplacesOwn => (StatusCode::CONFLICT, "joint-replaces-warning"),
        other => return Err(other.into()),
    })
}

/// The organization and round a joint page is about, read by one of the
/// organization's active members.
struct Place {
    consultation: Consultation,
    round: Round,
    open: bool,
    organization: Organization,
    /// The reader may commit the organization: an admin or a signatory.
    may_act: bool,
}

impl Place {
    fn base(&self) -> String {
        format!(
            "/consultations/{}/rounds/{}/organizations/{}/joint",
            self.consultation.slug, self.round.number, self.organization.id
        )
    }
}

async fn place(
    ctx: &Ctx,
    slug: Slug,
    number: RoundNumber,
    id: OrganizationId,
) -> Result<Place, AppError> {
    let user = ctx.user()?.id;
    let now = ctx.state.clock.now();
    ctx.state
        .db
        .run(move |conn| -> Result<Place, AppError> {
            let consultation = consultations::find_by_slug(conn, slug.as_str())?;
            let (round, published) = rounds::find(conn, consultation.id, number.get())?;
            let organization = organizations::find(conn, consultation.id, id)?;
            let member = membership::of(conn, organization.id, user, MemberState::Active)?
                .ok_or_else(AppError::forbidden)?;
            Ok(Place {
                open: round.state_at(now, published) == RoundState::Open,
                may_act: member.admin || member.signatory,
                consultation,
                round,
                organization,
            })
        })
        .await
}

#[derive(Serialize)]
struct SignatureRow {
    name: String,
    group_key: String,
    state_key: &'static str,
}

fn signature_row(s: &Signature) -> SignatureRow {
    SignatureRow {
        name: s.name.clone(),
        group_key: StakeholderGroup::parse(&s.stakeholder_group)
            .unwrap_or(StakeholderGroup::Individual)
            .label_key(),
        state_key: s.state().label_key(),
    }
}

#[derive(Serialize)]
struct ReceivedRow {
    href: String,
    lead: String,
    state_key: &'static str,
}

#[derive(Serialize)]
struct OrganizationOption {
    value: i64,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct JointPage {
    base: String,
    official_href: String,
    organization: String,
    number: i32,
    open: bool,
    may_act: bool,
    /// Its official submission is submitted and counted: it may lead.
    leads: bool,
    /// The lead whose joint text the organization co-signs, if any.
    cosigns: Option<String>,
    signatures: Vec<SignatureRow>,
    received: Vec<ReceivedRow>,
    options: Vec<OrganizationOption>,
    email: String,
    csrf: String,
    errors: FieldErrors,
}

async fn joint_page(
    ctx: &Ctx,
    place: &Place,
    chosen: Option<OrganizationId>,
    email: String,
    errors: FieldErrors,
) -> Result<JointPage, AppError> {
    let (round, id) = (place.round.id, place.organization.id);
    let consultation = place.consultation.id;
    let (leads, signatures, received, all) = ctx
        .state
        .db
        .query(move |conn| {
            Ok((
                joint::counted_official(conn, round, id)?.is_some(),
                joint::of_lead(conn, round, id)?,
                joint::received(conn, round, id)?,
                organizations::list(conn, consultation)?,
            ))
        })
        .await?;
    let base = place.base();
    Ok(JointPage {
        official_href: base.trim_end_matches("/joint").to_string(),
        organization: place.organization.name.clone(),
        number: place.round.number,
        open: place.open,
        may_act: place.may_act,
        leads,
        cosigns: received
            .iter()
            .find(|(s, _)| s.state() == SignatureState::Confirmed)
            .map(|(_, lead)| lead.name.clone()),
        signatures: signatures.iter().map(signature_row).collect(),
        received: received
            .iter()
            .map(|(s, lead)| ReceivedRow {
                href: format!("{base}/{}", s.id),
                lead: lead.name.clone(),
                state_key: s.state().label_key(),
            })
            .collect(),
        options: all
            .iter()
            .filter(|o| o.id != id)
            .map(|o| OrganizationOption {
                value: o.id.0,
                label: o.name.clone(),
                selected: chosen == Some(o.id),
            })
            .collect(),
        email,
        csrf: ctx.csrf(),
        errors,
        base,
    })
}

fn render<T: Serialize>(
    ctx: &Ctx,
    status: StatusCode,
    template: &str,
    page: &T,
) -> Result<HttpResponse, AppError> {
    ctx.render(status, template, &ctx.t("joint-title"), page)
}

pub async fn page(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, OrganizationId)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, id) = path.into_inner();
    let place = place(&ctx, slug, number, id).await?;
    let page = joint_page(&ctx, &place, None, String::new(), FieldErrors::default()).await?;
    render(&ctx, StatusCode::OK, "organizations/joint", &page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    organization: String,
    email: String,
}

/// The lead invites a co-signer: the organization chosen, or else the one
/// whose admin has the address typed.
pub async fn invite(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, OrganizationId)>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.user()?.id;
    let (slug, number, id) = path.into_inner();
    let place = place(&ctx, slug.clone(), number, id).await?;
    let email = form.email.trim().to_lowercase();
    let picked = form.organization.trim();
    let chosen = picked.parse().ok().map(OrganizationId);
    let invitee = match (picked.is_empty(), chosen) {
        (false, Some(o)) => Ok((Invitee::Organization(o), "organization")),
        (false, None) => Err(("organization", "joint-unknown-organization")),
        (true, _) if !email.is_empty() => Ok((Invitee::Email(email.clone()), "email")),
        (true, _) => Err(("organization", "joint-invite-missing")),
    };
    let (field, done) = match invitee {
        Err((field, message)) => (field, Err(JointError::Invalid(message))),
        Ok((invitee, field)) => {
            let (round, lead) = (place.round.clone(), place.organization.clone());
            let (notifier, now) = (ctx.state.notifier.clone(), ctx.state.clock.now());
            let done = ctx
                .state
                .db
                .run(move |conn| {
                    joint::invite(conn, &notifier, &slug, &round, &lead, user, &invitee, now)
                })
                .await;
            (field, done)
        }
    };
    let (status, message) = match done {
        Ok(_) => {
            ctx.flash("joint-invited");
            return Ok(see_other(&place.base()));
        }
        Err(e) => refusal(e)?,
    };
    let errors = FieldErrors::single(field, message);
    let page = joint_page(&ctx, &place, chosen, email, errors).await?;
    render(&ctx, status, "organizations/joint", &page)
}

#[derive(Serialize)]
struct TextRow {
    label: String,
    heading: String,
    stance_key: Option<String>,
    comment: String,
    proposed_text: String,
}

#[derive(Serialize)]
struct SignPage {
    back: String,
    action: String,
    organization: String,
    lead: String,
    number: i32,
    state_key: &'static str,
    open: bool,
    may_act: bool,
    confirmed: bool,
    /// Confirming would replace the organization's own counted submission.
    replaces: bool,
    signatories: Vec<SignatureRow>,
    general_comment: String,
    positions: Vec<TextRow>,
    csrf: String,
    errors: FieldErrors,
}

/// A co-signer's view of signature `id`: the joint text as the lead
/// submitted it, who signed it so far, and the answer forms.
async fn sign_page(
    ctx: &Ctx,
    place: &Place,
    id: SignatureId,
    errors: FieldErrors,
) -> Result<SignPage, AppError> {
    let (round, organization) = (place.round.id, place.organization.id);
    let draft = place.round.draft_version_id;
    let (signature, lead, text, provisions, others, own) = ctx
        .state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (signature, lead) = joint::received(conn, round, organization)?
                .into_iter()
                .find(|(s, _)| s.id == id)
                .ok_or_else(AppError::not_found)?;
            let text = submissions::load_by_id(conn, signature.submission_id)?
                .ok_or_else(AppError::not_found)?;
            Ok((
                signature,
                lead.clone(),
                text,
                drafts::provisions_of(conn, draft)?,
                joint::of_lead(conn, round, lead.id)?,
                joint::counted_official(conn, round, organization)?.is_some(),
            ))
        })
        .await?;
    let confirmed = signature.state() == SignatureState::Confirmed;
    Ok(SignPage {
        back: place.base(),
        action: format!("{}/{id}", place.base()),
        organization: place.organization.name.clone(),
        lead: lead.name,
        number: place.round.number,
        state_key: signature.state().label_key(),
        open: place.open,
        may_act: place.may_act,
        confirmed,
        replaces: own && !confirmed,
        signatories: others
            .iter()
            .filter(|s| s.state() == SignatureState::Confirmed)
            .map(signature_row)
            .collect(),
        general_comment: text.input.general_comment,
        positions: provisions
            .iter()
            .filter_map(|p| {
                let given = text.input.positions.get(&p.provision_key)?;
                Some(TextRow {
                    label: p.label.clone(),
                    heading: p.heading.clone(),
                    stance_key: given.stance.map(Stance::label_key),
                    comment: given.comment.clone(),
                    proposed_text: given.proposed_text.clone(),
                })
            })
            .collect(),
        csrf: ctx.csrf(),
        errors,
    })
}

pub async fn signature(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, OrganizationId, SignatureId)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number, organization, id) = path.into_inner();
    let place = place(&ctx, slug, number, organization).await?;
    let page = sign_page(&ctx, &place, id, FieldErrors::default()).await?;
    render(&ctx, StatusCode::OK, "organizations/joint_sign", &page)
}

/// Confirm (field `replace=yes` once told that the organization's own
/// submission will be replaced) or decline; declining a confirmed signature
/// withdraws it.
pub async fn answer(
    ctx: Ctx,
    path: web::Path<(Slug, RoundNumber, OrganizationId, SignatureId, String)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.user()?.id;
    let (slug, number, organization, id, action) = path.into_inner();
    let answer = match action.as_str() {
        "confirm" => Answer::Confirm {
            replace: body.iter().any(|(k, v)| k == "replace" && v == "yes"),
        },
        "decline" => Answer::Decline,
        _ => return Err(AppError::not_found()),
    };
    let place = place(&ctx, slug, number, organization).await?;
    let (round, cosigner) = (place.round.clone(), place.organization.clone());
    let now = ctx.state.clock.now();
    let done = ctx
        .state
        .db
        .run(move |conn| joint::answer(conn, &round, &cosigner, user, id, answer, now))
        .await;
    let (status, message) = match done {
        Ok(state) => {
            ctx.flash(match state {
                SignatureState::Confirmed => "joint-confirmed",
                SignatureState::Withdrawn => "joint-withdrawn",
                SignatureState::Declined | SignatureState::Invited => "joint-declined",
            });
            return Ok(see_other(&place.base()));
        }
        Err(e) => refusal(e)?,
    };
    let page = sign_page(&ctx, &place, id, FieldErrors::single("answer", message)).await?;
    render(&ctx, status, "organizations/joint_sign", &page)
}
