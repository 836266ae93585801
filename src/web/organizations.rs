//! The organizations of a consultation: the list and the form that records
//! one, each organization's page with its members, and what members,
//! admins and organizers do there.

use super::accounts::{SelectOption, country_options, group_options};
use super::page::{Ctx, see_other};
use crate::accounts::countries;
use crate::consultations::{self, Consultation, Slug};
use crate::db::{MembershipId, OrganizationId};
use crate::forms::FieldErrors;
use crate::organizations::{
    self, Member, MemberState, Organization, OrganizationError, OrganizationForm, Roles, membership,
};
use crate::rounds::{self, RoundState};
use crate::web::errors::AppError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;

#[derive(Serialize)]
struct OrganizationRow {
    id: i64,
    name: String,
    translated_name: Option<String>,
    group_key: String,
    country: String,
    verified: bool,
    members: i64,
}

#[derive(Serialize)]
struct ListPage {
    slug: String,
    title: String,
    organizations: Vec<OrganizationRow>,
    /// Signed in and in no organization of the consultation yet.
    may_create: bool,
    mine: Option<OrganizationRow>,
    csrf: String,
    form: OrganizationForm,
    groups: Vec<SelectOption>,
    countries: Vec<SelectOption>,
    errors: FieldErrors,
}

fn row(ctx: &Ctx, o: &Organization, members: i64) -> OrganizationRow {
    OrganizationRow {
        id: o.id.0,
        name: o.name.clone(),
        translated_name: o.translated_name.clone(),
        group_key: o.group().label_key(),
        country: countries::find(&o.country)
            .map_or_else(|| o.country.clone(), |c| c.name(ctx.locale).to_string()),
        verified: o.is_verified(),
        members,
    }
}

async fn consultation(ctx: &Ctx, slug: Slug) -> Result<Consultation, AppError> {
    Ok(ctx
        .state
        .db
        .query(move |c| consultations::find_by_slug(c, slug.as_str()))
        .await?)
}

async fn list_page(
    ctx: &Ctx,
    c: &Consultation,
    form: OrganizationForm,
    errors: FieldErrors,
) -> Result<ListPage, AppError> {
    let (id, user) = (c.id, ctx.user.as_ref().map(|u| u.id));
    let (list, counts, mine) = ctx
        .state
        .db
        .query(move |conn| {
            let mine = match user {
                Some(u) => membership::active_of(conn, id, u)?.map(|(o, _)| o),
                None => None,
            };
            Ok::<_, diesel::result::Error>((
                organizations::list(conn, id)?,
                organizations::member_counts(conn, id)?,
                mine,
            ))
        })
        .await?;
    let members = |o: &Organization| {
        counts
            .iter()
            .find(|(id, _)| *id == o.id)
            .map_or(0, |(_, n)| *n)
    };
    Ok(ListPage {
        slug: c.slug.clone(),
        title: ctx.reading().title_of(c).text,
        organizations: list.iter().map(|o| row(ctx, o, members(o))).collect(),
        may_create: ctx.user.is_some() && mine.is_none(),
        mine: mine.as_ref().map(|o| row(ctx, o, members(o))),
        csrf: ctx.csrf(),
        groups: group_options(ctx, &form.stakeholder_group),
        countries: country_options(ctx, &form.country),
        form,
        errors,
    })
}

pub async fn list(ctx: Ctx, slug: web::Path<Slug>) -> Result<HttpResponse, AppError> {
    let c = consultation(&ctx, slug.into_inner()).await?;
    let page = list_page(
        &ctx,
        &c,
        OrganizationForm::default(),
        FieldErrors::default(),
    )
    .await?;
    ctx.render(
        StatusCode::OK,
        "organizations/list",
        &ctx.t("organizations-title"),
        &page,
    )
}

/// Records an organization: a participant's is pending (unless a
/// verification rule vouches for it) and they become its admin; an
/// organizer's is verified.
pub async fn create(
    ctx: Ctx,
    slug: web::Path<Slug>,
    form: web::Form<OrganizationForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.user()?.clone();
    let c = consultation(&ctx, slug.into_inner()).await?;
    let form = form.into_inner();
    let refused = |field: &'static str, message: &'static str| FieldErrors::single(field, message);
    let errors = match form.parse() {
        Err(errors) => errors,
        Ok(new) => {
            let (id, now) = (c.id, ctx.state.clock.now());
            let created = ctx
                .state
                .db
                .run(move |conn| organizations::create(conn, id, &new, &user, now))
                .await;
            match created {
                Ok(org) => {
                    ctx.flash("organization-created");
                    return Ok(see_other(&format!(
                        "/consultations/{}/organizations/{org}",
                        c.slug
                    )));
                }
                Err(OrganizationError::Refused(m @ "organization-name-taken")) => {
                    refused("name", m)
                }
                Err(OrganizationError::Refused(m)) => refused("organization", m),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let page = list_page(&ctx, &c, form, errors).await?;
    ctx.render(
        StatusCode::UNPROCESSABLE_ENTITY,
        "organizations/list",
        &ctx.t("organizations-title"),
        &page,
    )
}

#[derive(Serialize)]
struct MemberRow {
    id: i64,
    name: String,
    state: &'static str,
    roles: Roles,
    me: bool,
}

#[derive(Serialize)]
struct RoundLink {
    number: i32,
    href: String,
}

#[derive(Serialize)]
struct ShowPage {
    slug: String,
    consultation_title: String,
    organization: OrganizationRow,
    website: String,
    domains: Vec<String>,
    /// The reader's own membership, in whatever state.
    me: Option<MemberRow>,
    admin: bool,
    organizer: bool,
    may_request: bool,
    /// Members, invitations and requests: shown to members and organizers.
    members: Vec<MemberRow>,
    /// Open rounds where the members draft the official submission.
    rounds: Vec<RoundLink>,
    csrf: String,
    invite_email: String,
    /// What the invitation form offers ticked.
    new_roles: Roles,
    errors: FieldErrors,
}

struct Loaded {
    consultation: Consultation,
    organization: Organization,
    members: Vec<Member>,
    mine: Option<Member>,
    /// Whether the reader belongs to another organization of the consultation.
    elsewhere: bool,
    open_rounds: Vec<i32>,
}

async fn load(ctx: &Ctx, slug: Slug, id: OrganizationId) -> Result<Loaded, AppError> {
    let user = ctx.user.as_ref().map(|u| u.id);
    let now = ctx.state.clock.now();
    ctx.state
        .db
        .run(move |conn| -> Result<Loaded, AppError> {
            let consultation = consultations::find_by_slug(conn, slug.as_str())?;
            let organization = organizations::find(conn, consultation.id, id)?;
            let members = membership::list(conn, organization.id)?;
            let mine = user.and_then(|u| members.iter().find(|m| m.user_id == u).cloned());
            let elsewhere = match user {
                Some(u) => membership::active_of(conn, consultation.id, u)?
                    .is_some_and(|(o, _)| o.id != organization.id),
                None => false,
            };
            let open_rounds = rounds::with_publication(conn, &[consultation.id])?
                .into_iter()
                .filter(|(r, published)| r.state_at(now, *published) == RoundState::Open)
                .map(|(r, _)| r.number)
                .collect();
            Ok(Loaded {
                consultation,
                organization,
                members,
                mine,
                elsewhere,
                open_rounds,
            })
        })
        .await
}

fn member_row(m: &Member, me: Option<&Member>) -> MemberRow {
    MemberRow {
        id: m.id.0,
        name: m.name.clone(),
        state: m.state().as_str(),
        roles: m.roles(),
        me: me.is_some_and(|me| me.id == m.id),
    }
}

fn show_page(ctx: &Ctx, loaded: &Loaded, invite_email: String, errors: FieldErrors) -> ShowPage {
    let o = &loaded.organization;
    let active = |m: &&Member| m.state() == MemberState::Active;
    let me = loaded.mine.as_ref();
    let member = me.is_some_and(|m| active(&m));
    let organizer = ctx.user.as_ref().is_some_and(|u| u.is_organizer());
    let base = format!("/consultations/{}", loaded.consultation.slug);
    ShowPage {
        slug: loaded.consultation.slug.clone(),
        consultation_title: ctx.reading().title_of(&loaded.consultation).text,
        organization: row(ctx, o, loaded.members.iter().filter(active).count() as i64),
        website: o.website.clone(),
        domains: o.domain_list().map(str::to_string).collect(),
        me: me.map(|m| member_row(m, me)),
        admin: member && me.is_some_and(|m| m.admin),
        organizer,
        may_request: ctx.user.is_some() && me.is_none() && !loaded.elsewhere,
        members: if member || organizer {
            loaded.members.iter().map(|m| member_row(m, me)).collect()
        } else {
            vec![]
        },
        rounds: if member {
            loaded
                .open_rounds
                .iter()
                .map(|n| RoundLink {
                    number: *n,
                    href: format!("{base}/rounds/{n}/organizations/{}", o.id),
                })
                .collect()
        } else {
            vec![]
        },
        csrf: ctx.csrf(),
        invite_email,
        new_roles: Roles::from_form(&[]),
        errors,
    }
}

fn render_show(
    ctx: &Ctx,
    loaded: &Loaded,
    status: StatusCode,
    page: &ShowPage,
) -> Result<HttpResponse, AppError> {
    ctx.render(
        status,
        "organizations/show",
        &loaded.organization.name,
        page,
    )
}

pub async fn show(
    ctx: Ctx,
    path: web::Path<(Slug, OrganizationId)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let loaded = load(&ctx, slug, id).await?;
    let page = show_page(&ctx, &loaded, String::new(), FieldErrors::default());
    render_show(&ctx, &loaded, StatusCode::OK, &page)
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// What one of the organization's forms asks, by the path's last segment.
enum Act {
    Request,
    Accept,
    Decline,
    Invite { email: String, roles: Roles },
    Leave,
    Verify,
}

impl Act {
    fn parse(action: &str, body: &[(String, String)]) -> Option<Self> {
        Some(match action {
            "request" => Act::Request,
            "accept" => Act::Accept,
            "decline" => Act::Decline,
            "invite" => Act::Invite {
                email: field(body, "email").trim().to_lowercase(),
                roles: Roles::from_form(body),
            },
            "leave" => Act::Leave,
            "verify" => Act::Verify,
            _ => return None,
        })
    }

    /// The field an error is shown next to, and the message a success flashes.
    fn field_and_flash(&self) -> (&'static str, &'static str) {
        match self {
            Act::Request => ("membership", "organization-requested"),
            Act::Accept => ("membership", "organization-joined"),
            Act::Decline => ("membership", "organization-declined"),
            Act::Invite { .. } => ("email", "organization-invited"),
            Act::Leave => ("membership", "organization-left"),
            Act::Verify => ("verification", "organization-verify-done"),
        }
    }
}

/// Request to join, answer an invitation, invite someone, leave, or (an
/// organizer) verify. A refusal comes back on the page with its reason.
pub async fn act(
    ctx: Ctx,
    path: web::Path<(Slug, OrganizationId, String)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.user()?.clone();
    let (slug, id, action) = path.into_inner();
    let act = Act::parse(&action, &body).ok_or_else(AppError::not_found)?;
    if matches!(act, Act::Verify) {
        ctx.organizer()?;
    }
    let loaded = load(&ctx, slug.clone(), id).await?;
    let organization = loaded.organization.clone();
    let (notifier, now) = (ctx.state.notifier.clone(), ctx.state.clock.now());
    let (field, flash) = act.field_and_flash();
    let email = match &act {
        Act::Invite { email, .. } => email.clone(),
        _ => String::new(),
    };
    let done = ctx
        .state
        .db
        .run(move |conn| -> Result<(), OrganizationError> {
            let o = &organization;
            match act {
                Act::Request => membership::request(conn, &notifier, &slug, o, &user, now),
                Act::Accept => membership::answer_invitation(conn, o, user.id, true, now),
                Act::Decline => membership::answer_invitation(conn, o, user.id, false, now),
                Act::Invite { email, roles } => {
                    if email.is_empty() {
                        return Err(OrganizationError::Refused("organization-invite-missing"));
                    }
                    membership::invite(conn, &notifier, &slug, o, user.id, &email, roles, now)
                        .map(|_| ())
                }
                Act::Leave => membership::leave(conn, o, user.id, now),
                Act::Verify => organizations::verify(conn, o, user.id, now).map(|_| Ok(()))?,
            }
        })
        .await;
    let (status, message) = match done {
        Ok(()) => {
            ctx.flash(flash);
            return Ok(see_other(&format!(
                "/consultations/{}/organizations/{id}",
                loaded.consultation.slug
            )));
        }
        Err(OrganizationError::Refused(m)) => (StatusCode::CONFLICT, m),
        Err(OrganizationError::Forbidden(m)) => (StatusCode::FORBIDDEN, m),
        Err(OrganizationError::NotFound) => {
            (StatusCode::NOT_FOUND, "organization-nothing-to-answer")
        }
        Err(e) => return Err(e.into()),
    };
    let page = show_page(&ctx, &loaded, email, FieldErrors::single(field, message));
    render_show(&ctx, &loaded, status, &page)
}

/// An admin approves a request (with the roles ticked), refuses it, or
/// changes an active member's roles.
pub async fn member(
    ctx: Ctx,
    path: web::Path<(Slug, OrganizationId, MembershipId, String)>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let admin = ctx.user()?.id;
    let (slug, id, member, action) = path.into_inner();
    let roles = Roles::from_form(&body);
    let loaded = load(&ctx, slug, id).await?;
    let organization = loaded.organization.clone();
    let now = ctx.state.clock.now();
    // Which answer, with the message a success flashes.
    let (approve, flash) = match action.as_str() {
        "approve" => (Some(true), "organization-approved"),
        "refuse" => (Some(false), "organization-refused"),
        "roles" => (None, "organization-roles-saved"),
        _ => return Err(AppError::not_found()),
    };
    let done = ctx
        .state
        .db
        .run(move |conn| {
            let o = &organization;
            match approve {
                Some(yes) => {
                    membership::answer_request(conn, o, admin, member, yes.then_some(roles), now)
                }
                None => membership::set_roles(conn, o, admin, member, roles, now),
            }
        })
        .await;
    let message = match done {
        Ok(()) => {
            ctx.flash(flash);
            return Ok(see_other(&format!(
                "/consultations/{}/organizations/{id}#members",
                loaded.consultation.slug
            )));
        }
        Err(OrganizationError::Refused(m)) => m,
        Err(e) => return Err(e.into()),
    };
    let page = show_page(
        &ctx,
        &loaded,
        String::new(),
        FieldErrors::single("members", message),
    );
    render_show(&ctx, &loaded, StatusCode::CONFLICT, &page)
}
