//! Registration, e-mail verification, sign-in and out, password reset and the
//! account page.

use super::page::{Ctx, SESSION_TOKEN, safe_next, see_other};
use crate::accounts::fields::{self, Email, ProfileForm, RegistrationForm};
use crate::accounts::{self, TokenPurpose, countries, sessions, sign_in};
use crate::codes::{Locale, StakeholderGroup};
use crate::forms::FieldErrors;
use crate::web::errors::AppError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

fn client_ip(req: &HttpRequest) -> String {
    super::client::address(req)
}

/// Counts a request that will e-mail `email`, whoever asks and whether or
/// not the address has an account (so a refusal reveals nothing).
async fn limit_mail_to(ctx: &Ctx, email: &str) -> Result<(), AppError> {
    let limits = &ctx.state.settings.limits;
    limit(
        ctx,
        format!("mail:address:{}", accounts::tokens::hash(email)),
        limits.mail_per_address,
        limits.hourly_window_secs,
    )
    .await
}

/// Counts a request of `kind` from this client against its hourly limit.
async fn limit_client(ctx: &Ctx, req: &HttpRequest, kind: &str, max: u32) -> Result<(), AppError> {
    let bucket = format!("{kind}:ip:{}", client_ip(req));
    limit(
        ctx,
        bucket,
        max,
        ctx.state.settings.limits.hourly_window_secs,
    )
    .await
}

/// Counts a hit against a limit; a refusal is a 429 with Retry-After.
async fn limit(ctx: &Ctx, bucket: String, max: u32, window_secs: u64) -> Result<(), AppError> {
    let now = ctx.state.clock.now();
    match sign_in::limit(&ctx.state.db, bucket, max, window_secs, now).await? {
        Some(wait) => Err(AppError::too_many_requests(wait)),
        None => Ok(()),
    }
}

/// Whether `password` is the signed-in person's current one (re-asked before
/// changing the password or deleting the account).
async fn is_current_password(
    ctx: &Ctx,
    id: crate::db::UserId,
    password: String,
) -> Result<bool, AppError> {
    let stored = ctx
        .state
        .db
        .query(move |c| accounts::password_hash(c, id))
        .await?;
    Ok(sign_in::verify_password(password, stored).await?)
}

#[derive(Serialize)]
pub(super) struct SelectOption {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct ProfileChoices {
    groups: Vec<SelectOption>,
    countries: Vec<SelectOption>,
    locales: Vec<SelectOption>,
    organization_required_groups: Vec<String>,
}

/// The stakeholder groups, `selected` chosen, for a select list.
pub(super) fn group_options(ctx: &Ctx, selected: &str) -> Vec<SelectOption> {
    StakeholderGroup::ALL
        .iter()
        .map(|g| SelectOption {
            value: g.as_str(),
            label: ctx.t(&g.label_key()),
            selected: selected == g.as_str(),
        })
        .collect()
}

/// The countries in the reader's language, `selected` chosen.
pub(super) fn country_options(ctx: &Ctx, selected: &str) -> Vec<SelectOption> {
    countries::sorted(ctx.locale)
        .into_iter()
        .map(|c| SelectOption {
            value: c.code,
            label: c.name(ctx.locale).to_string(),
            selected: selected == c.code,
        })
        .collect()
}

fn choices(ctx: &Ctx, form: &ProfileForm) -> ProfileChoices {
    ProfileChoices {
        groups: group_options(ctx, &form.stakeholder_group),
        countries: country_options(ctx, &form.country),
        locales: Locale::ALL
            .iter()
            .map(|l| SelectOption {
                value: l.as_str(),
                label: ctx.t(&format!("locale-{}", l.as_str())),
                selected: form.locale == l.as_str(),
            })
            .collect(),
        organization_required_groups: StakeholderGroup::ALL
            .iter()
            .filter(|g| fields::requires_organization(**g))
            .map(|g| ctx.t(&g.label_key()))
            .collect(),
    }
}

#[derive(Serialize)]
struct FormPage<'a, F: Serialize> {
    csrf: String,
    form: &'a F,
    errors: &'a FieldErrors,
    choices: Option<ProfileChoices>,
}

fn form_page<F: Serialize>(
    ctx: &Ctx,
    status: StatusCode,
    template: &str,
    title_key: &str,
    form: &F,
    errors: &FieldErrors,
    choices: Option<ProfileChoices>,
) -> Result<HttpResponse, AppError> {
    let title = if errors.is_empty() {
        ctx.t(title_key)
    } else {
        format!("{} {}", ctx.t("error-prefix"), ctx.t(title_key))
    };
    ctx.render(
        status,
        template,
        &title,
        &FormPage {
            csrf: ctx.csrf(),
            form,
            errors,
            choices,
        },
    )
}

#[derive(Serialize)]
struct Notice {
    title_key: &'static str,
    message_key: &'static str,
    link: Option<(&'static str, &'static str)>,
}

fn notice(
    ctx: &Ctx,
    status: StatusCode,
    title_key: &'static str,
    message_key: &'static str,
    link: Option<(&'static str, &'static str)>,
) -> Result<HttpResponse, AppError> {
    ctx.render(
        status,
        "accounts/notice",
        &ctx.t(title_key),
        &Notice {
            title_key,
            message_key,
            link,
        },
    )
}

// ---- registration -------------------------------------------------------

pub async fn register_form(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let form = RegistrationForm {
        profile: ProfileForm {
            locale: ctx.locale.as_str().into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let choices = choices(&ctx, &form.profile);
    form_page(
        &ctx,
        StatusCode::OK,
        "accounts/register",
        "register-title",
        &form,
        &FieldErrors::default(),
        Some(choices),
    )
}

pub async fn register(
    ctx: Ctx,
    req: HttpRequest,
    form: web::Form<RegistrationForm>,
) -> Result<HttpResponse, AppError> {
    limit_client(
        &ctx,
        &req,
        "register",
        ctx.state.settings.limits.register_per_ip,
    )
    .await?;
    let form = form.into_inner();
    let registration = match form.parse() {
        Ok(r) => r,
        Err(errors) => {
            let choices = choices(&ctx, &form.profile);
            return form_page(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                "accounts/register",
                "register-title",
                &form,
                &errors,
                Some(choices),
            );
        }
    };
    limit_mail_to(&ctx, registration.email.as_str()).await?;
    let hash = sign_in::hash_password(registration.password.clone()).await?;
    let (notifier, now) = (ctx.state.notifier.clone(), ctx.state.clock.now());
    ctx.state
        .db
        .run(move |c| accounts::register(c, &notifier, &registration, &hash, now))
        .await?;
    notice(
        &ctx,
        StatusCode::OK,
        "check-email-title",
        "check-email-register",
        None,
    )
}

// ---- e-mail verification ------------------------------------------------

pub async fn verify(ctx: Ctx, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let now = ctx.state.clock.now();
    let token = token.into_inner();
    let keep = ctx.session_token();
    let ok = ctx
        .state
        .db
        .query(move |c| accounts::verify_email(c, &token, keep.as_deref(), now))
        .await?;
    if ok {
        notice(
            &ctx,
            StatusCode::OK,
            "verified-title",
            "verified-message",
            Some(("/", "nav-consultations")),
        )
    } else {
        notice(
            &ctx,
            StatusCode::NOT_FOUND,
            "link-invalid-title",
            "verify-link-invalid",
            Some(("/account", "account-title")),
        )
    }
}

pub async fn resend_verification(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let user = ctx.user()?.clone();
    limit_mail_to(&ctx, &user.email).await?;
    let (notifier, now) = (ctx.state.notifier.clone(), ctx.state.clock.now());
    ctx.state
        .db
        .run(move |c| accounts::resend_verification(c, &notifier, &user, now))
        .await?;
    ctx.flash("verification-resent");
    Ok(see_other("/account"))
}

// ---- sign in and out ------------------------------------------------------

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    #[serde(skip_serializing)]
    password: String,
    next: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(ctx: Ctx, query: web::Query<NextQuery>) -> Result<HttpResponse, AppError> {
    let next = safe_next(query.next.as_deref().unwrap_or("/")).to_string();
    let form = LoginForm {
        next,
        ..Default::default()
    };
    form_page(
        &ctx,
        StatusCode::OK,
        "accounts/login",
        "login-title",
        &form,
        &FieldErrors::default(),
        None,
    )
}

pub async fn login(
    ctx: Ctx,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let email = form.email.trim().to_lowercase();
    let device = device_cookie(&ctx, &req);
    let signed_in = sign_in::authenticate(
        &ctx.state.db,
        &ctx.state.settings.limits,
        &email,
        form.password.clone(),
        &client_ip(&req),
        device.as_ref(),
        ctx.state.clock.now(),
    )
    .await;
    let (token, device) = match signed_in {
        Ok((_, token, device)) => (token, device),
        Err(sign_in::SignInError::Refused) => {
            let errors = FieldErrors::single("email", "login-failed");
            return form_page(
                &ctx,
                StatusCode::UNAUTHORIZED,
                "accounts/login",
                "login-title",
                &form,
                &errors,
                None,
            );
        }
        Err(e) => return Err(e.into()),
    };
    // A fresh session at sign-in: nothing planted before it survives.
    ctx.session.renew();
    ctx.session.remove(super::page::CSRF);
    ctx.session
        .insert(SESSION_TOKEN, token)
        .map_err(|e| AppError::internal(anyhow::anyhow!("session: {e}")))?;
    let mut res = see_other(safe_next(&form.next));
    res.add_cookie(&new_device_cookie(&ctx, &device))
        .map_err(|e| AppError::internal(anyhow::anyhow!("device cookie: {e}")))?;
    Ok(res)
}

const DEVICE_COOKIE: &str = "polyphony_device";

/// The device this browser proved it is, if its device cookie is genuine.
fn device_cookie(ctx: &Ctx, req: &HttpRequest) -> Option<sign_in::Device> {
    let sent = req.cookie(DEVICE_COOKIE)?;
    let mut jar = actix_web::cookie::CookieJar::new();
    jar.add_original(sent);
    let verified = jar.signed(&ctx.state.cookie_key).get(DEVICE_COOKIE)?;
    sign_in::Device::parse(verified.value())
}

fn new_device_cookie(ctx: &Ctx, device: &sign_in::Device) -> actix_web::cookie::Cookie<'static> {
    use actix_web::cookie::{Cookie, CookieJar, SameSite};
    let mut cookie = Cookie::new(DEVICE_COOKIE, device.value());
    cookie.set_path("/");
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(ctx.state.settings.cookies_secure());
    cookie.set_max_age(time::Duration::days(365));
    let mut jar = CookieJar::new();
    jar.signed_mut(&ctx.state.cookie_key).add(cookie);
    jar.get(DEVICE_COOKIE)
        .cloned()
        .unwrap_or_else(|| Cookie::new(DEVICE_COOKIE, ""))
}

pub async fn logout(ctx: Ctx) -> Result<HttpResponse, AppError> {
    if let Some(token) = ctx.session_token() {
        let now = ctx.state.clock.now();
        ctx.state
            .db
            .query(move |c| sessions::revoke(c, &token, now))
            .await?;
    }
    ctx.session.purge();
    Ok(see_other("/"))
}

// ---- password reset -------------------------------------------------------

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
}

pub async fn forgot_form(ctx: Ctx) -> Result<HttpResponse, AppError> {
    form_page(
        &ctx,
        StatusCode::OK,
        "accounts/forgot",
        "forgot-title",
        &ForgotForm::default(),
        &FieldErrors::default(),
        None,
    )
}

pub async fn forgot(
    ctx: Ctx,
    req: HttpRequest,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    limit_client(&ctx, &req, "reset", ctx.state.settings.limits.reset_per_ip).await?;
    let form = form.into_inner();
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(m) => {
            let errors = FieldErrors::single("email", m);
            return form_page(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                "accounts/forgot",
                "forgot-title",
                &form,
                &errors,
                None,
            );
        }
    };
    limit_mail_to(&ctx, email.as_str()).await?;
    let (notifier, now) = (ctx.state.notifier.clone(), ctx.state.clock.now());
    ctx.state
        .db
        .run(move |c| accounts::request_reset(c, &notifier, email.as_str(), now))
        .await?;
    notice(
        &ctx,
        StatusCode::OK,
        "check-email-title",
        "check-email-reset",
        None,
    )
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct ResetForm {
    #[serde(skip_serializing)]
    password: String,
}

pub async fn reset_form(ctx: Ctx, token: web::Path<String>) -> Result<HttpResponse, AppError> {
    let now = ctx.state.clock.now();
    let token = token.into_inner();
    let valid = ctx
        .state
        .db
        .query(move |c| accounts::token_is_valid(c, &token, TokenPurpose::ResetPassword, now))
        .await?;
    if !valid {
        return notice(
            &ctx,
            StatusCode::NOT_FOUND,
            "link-invalid-title",
            "reset-link-invalid",
            Some(("/password/forgot", "forgot-title")),
        );
    }
    form_page(
        &ctx,
        StatusCode::OK,
        "accounts/reset",
        "reset-title",
        &ResetForm::default(),
        &FieldErrors::default(),
        None,
    )
}

pub async fn reset(
    ctx: Ctx,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    if let Err(m) = fields::check_password(&form.password, "") {
        let errors = FieldErrors::single("password", m);
        return form_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            "accounts/reset",
            "reset-title",
            &ResetForm::default(),
            &errors,
            None,
        );
    }
    let hash = sign_in::hash_password(form.password.clone()).await?;
    let (notifier, now, token) = (
        ctx.state.notifier.clone(),
        ctx.state.clock.now(),
        token.into_inner(),
    );
    let done = ctx
        .state
        .db
        .run(move |c| accounts::reset_password(c, &notifier, &token, &hash, now))
        .await?;
    if !done {
        return notice(
            &ctx,
            StatusCode::NOT_FOUND,
            "link-invalid-title",
            "reset-link-invalid",
            Some(("/password/forgot", "forgot-title")),
        );
    }
    // No automatic sign-in: whoever holds the link must still know the password.
    ctx.session.purge();
    ctx.flash("password-reset-done");
    Ok(see_other("/login"))
}

// ---- account page ---------------------------------------------------------

#[derive(Serialize)]
struct AccountPage<'a> {
    csrf: String,
    form: &'a ProfileForm,
    notify_rounds: bool,
    email: &'a str,
    email_verified: bool,
    affiliation_verified: bool,
    errors: &'a FieldErrors,
    choices: ProfileChoices,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AccountForm {
    #[serde(flatten)]
    profile: ProfileForm,
    notify_rounds: Option<String>,
}

fn account_page(
    ctx: &Ctx,
    status: StatusCode,
    form: &ProfileForm,
    notify: bool,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let user = ctx.user()?;
    let title = ctx.t("account-title");
    ctx.render(
        status,
        "accounts/account",
        &title,
        &AccountPage {
            csrf: ctx.csrf(),
            form,
            notify_rounds: notify,
            email: &user.email,
            email_verified: user.email_verified_at.is_some(),
            affiliation_verified: user.affiliation_verified_at.is_some(),
            errors,
            choices: choices(ctx, form),
        },
    )
}

pub async fn account(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let user = ctx.user()?;
    let form = ProfileForm::from(user);
    account_page(
        &ctx,
        StatusCode::OK,
        &form,
        user.notify_rounds,
        &FieldErrors::default(),
    )
}

pub async fn update_account(
    ctx: Ctx,
    form: web::Form<AccountForm>,
) -> Result<HttpResponse, AppError> {
    let id = ctx.user()?.id;
    let form = form.into_inner();
    let notify = form.notify_rounds.is_some();
    let mut errors = FieldErrors::default();
    let Some(profile) = form.profile.parse(&mut errors) else {
        return account_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.profile,
            notify,
            &errors,
        );
    };
    let now = ctx.state.clock.now();
    ctx.state
        .db
        .query(move |c| accounts::update_profile(c, id, &profile, notify, now))
        .await?;
    ctx.flash("account-saved");
    Ok(see_other("/account"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    ctx: Ctx,
    form: web::Form<PasswordChange>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.user()?.clone();
    let id = user.id;
    let ok = is_current_password(&ctx, id, form.current_password.clone()).await?;
    let mut errors = FieldErrors::default();
    if !ok {
        errors.add("current_password", "field-current-password-wrong");
    }
    if let Err(m) = fields::check_password(&form.new_password, &user.email) {
        errors.add("new_password", m);
    }
    if !errors.is_empty() {
        let profile = ProfileForm::from(&user);
        return account_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            &profile,
            user.notify_rounds,
            &errors,
        );
    }
    let hash = sign_in::hash_password(form.new_password.clone()).await?;
    let (notifier, now, keep) = (
        ctx.state.notifier.clone(),
        ctx.state.clock.now(),
        ctx.session_token(),
    );
    ctx.state
        .db
        .run(move |c| -> Result<(), AppError> {
            accounts::set_password_hash(c, id, &hash, now)?;
            // Every other browser signed in to this account is signed out.
            sessions::revoke_all(c, id, keep.as_deref(), now)?;
            Ok(accounts::password_changed_notice(c, &notifier, &user, now)?)
        })
        .await?;
    ctx.flash("password-changed");
    Ok(see_other("/account"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteForm {
    password: String,
}

pub async fn delete_account(
    ctx: Ctx,
    form: web::Form<DeleteForm>,
) -> Result<HttpResponse, AppError> {
    let user = ctx.user()?.clone();
    let id = user.id;
    let ok = is_current_password(&ctx, id, form.password.clone()).await?;
    if !ok {
        let profile = ProfileForm::from(&user);
        let errors = FieldErrors::single("delete_password", "field-current-password-wrong");
        return account_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            &profile,
            user.notify_rounds,
            &errors,
        );
    }
    let now = ctx.state.clock.now();
    let storage = ctx.state.settings.storage.clone();
    ctx.state
        .db
        .query(move |c| {
            let removed = accounts::delete(c, id, now)?;
            crate::attachments::delete_files(&storage, &removed);
            Ok::<_, diesel::result::Error>(())
        })
        .await?;
    ctx.session.purge();
    notice(
        &ctx,
        StatusCode::OK,
        "account-deleted-title",
        "account-deleted-message",
        Some(("/", "nav-consultations")),
    )
}
