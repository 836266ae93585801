//! Organizer pages about people: the participants list (search, filters,
//! sorts, pages, bulk verification), one person's page, and verification
//! rules with the preview that counts what a rule would do.

use super::page::{Ctx, safe_next, see_other};
use crate::accounts::directory::{self, Filter, PER_PAGE, Sort};
use crate::accounts::rules::{self, Domain, NewRule, RuleError};
use crate::accounts::{self, Role, User, countries};
use crate::codes::{Locale, StakeholderGroup};
use crate::db::{RuleId, UserId};
use crate::forms::FieldErrors;
use crate::web::errors::AppError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

const LIST: &str = "/admin/participants";
const RULES: &str = "/admin/participants/rules";

/// The list's query string; a value it does not know is no filter.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    verified: String,
    #[serde(default)]
    confirmed: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
    #[serde(default)]
    page: String,
}

fn yes_no(v: &str) -> Option<bool> {
    match v {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

impl ListQuery {
    fn filter(&self) -> Filter {
        let q = self.q.trim();
        let country = self.country.trim().to_ascii_uppercase();
        Filter {
            search: (!q.is_empty()).then(|| q.chars().take(200).collect()),
            group: StakeholderGroup::parse(&self.group),
            country: countries::find(&country).map(|c| c.code.to_string()),
            verified: yes_no(&self.verified),
            confirmed: yes_no(&self.confirmed),
            role: Role::parse(&self.role),
        }
    }

    fn sort(&self) -> (Sort, bool) {
        (
            Sort::parse(&self.sort).unwrap_or(Sort::Name),
            self.dir == "desc",
        )
    }

    /// The filters (and, unless `with_sort` is false, the sort) as a query
    /// string, so that every link keeps them.
    fn encoded(&self, with_sort: bool) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        let mut pairs = vec![
            ("q", self.q.trim()),
            ("group", self.group.as_str()),
            ("country", self.country.as_str()),
            ("verified", self.verified.as_str()),
            ("confirmed", self.confirmed.as_str()),
            ("role", self.role.as_str()),
        ];
        if with_sort {
            pairs.extend([("sort", self.sort.as_str()), ("dir", self.dir.as_str())]);
        }
        for (name, value) in pairs {
            if !value.is_empty() {
                out.append_pair(name, value);
            }
        }
        out.finish()
    }
}

fn with_query(path: &str, query: &str, extra: &str) -> String {
    match (query.is_empty(), extra.is_empty()) {
        (true, true) => path.to_string(),
        (true, false) => format!("{path}?{extra}"),
        (false, true) => format!("{path}?{query}"),
        (false, false) => format!("{path}?{query}&{extra}"),
    }
}

#[derive(Serialize)]
struct Row {
    id: UserId,
    display_name: String,
    email: String,
    organization: String,
    group_key: String,
    country: String,
    verified: bool,
    confirmed: bool,
    role_key: String,
    signed_up: String,
}

impl From<User> for Row {
    fn from(u: User) -> Self {
        Self {
            group_key: u.group().label_key(),
            verified: u.affiliation_verified_at.is_some(),
            confirmed: u.email_verified_at.is_some(),
            role_key: format!("role-{}", u.role().as_str()),
            signed_up: signed_up(&u),
            id: u.id,
            display_name: u.display_name,
            email: u.email,
            organization: u.organization,
            country: u.country,
        }
    }
}

fn signed_up(u: &User) -> String {
    u.created_at.date().to_string()
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices<'a>(chosen: &str, list: impl IntoIterator<Item = (&'a str, String)>) -> Vec<Choice> {
    list.into_iter()
        .map(|(value, label)| Choice {
            selected: value == chosen,
            value: value.to_string(),
            label,
        })
        .collect()
}

fn group_choices(ctx: &Ctx, chosen: &str) -> Vec<Choice> {
    choices(
        chosen,
        StakeholderGroup::ALL
            .iter()
            .map(|g| (g.as_str(), ctx.t(&g.label_key()))),
    )
}

fn country_name(locale: Locale, code: &str) -> String {
    countries::find(code).map_or_else(|| code.to_string(), |c| c.name(locale).to_string())
}

/// A sortable column's header: a link that sorts by it (the other way when
/// it already does), and its `aria-sort`.
#[derive(Serialize)]
struct Column {
    label_key: &'static str,
    href: String,
    aria_sort: &'static str,
}

#[derive(Serialize)]
struct Pages {
    page: i64,
    pages: i64,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct ListPage {
    csrf: String,
    q: String,
    groups: Vec<Choice>,
    countries: Vec<Choice>,
    verified: Vec<Choice>,
    confirmed: Vec<Choice>,
    roles: Vec<Choice>,
    columns: Vec<Column>,
    total: i64,
    rows: Vec<Row>,
    pages: Pages,
    here: String,
    any_unverified: bool,
}

pub async fn list(ctx: Ctx, query: web::Query<ListQuery>) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    let filter = query.filter();
    let (sort, descending) = query.sort();
    let page: i64 = match query.page.as_str() {
        "" => 1,
        n => n.parse().map_err(|_| AppError::not_found())?,
    };
    if page < 1 {
        return Err(AppError::not_found());
    }
    let offset = (page - 1).saturating_mul(PER_PAGE);
    let (listing, present) = ctx
        .state
        .db
        .query(move |c| {
            Ok((
                directory::page(c, &filter, sort, descending, offset)?,
                directory::countries(c)?,
            ))
        })
        .await?;
    let pages = (listing.total + PER_PAGE - 1) / PER_PAGE;
    if page > pages.max(1) {
        return Err(AppError::not_found());
    }
    let locale = ctx.locale;
    let filters = query.encoded(false);
    let kept = query.encoded(true);
    let link = |n: i64| with_query(LIST, &kept, &format!("page={n}"));
    let columns = [
        (Sort::Name, "participants-name"),
        (Sort::Email, "field-email"),
        (Sort::Group, "field-group"),
        (Sort::Country, "field-country"),
        (Sort::SignedUp, "participants-signed-up"),
    ]
    .into_iter()
    .map(|(s, label_key)| {
        let current = s == sort;
        let dir = if current && !descending {
            "desc"
        } else {
            "asc"
        };
        Column {
            label_key,
            href: with_query(LIST, &filters, &format!("sort={s}&dir={dir}")),
            aria_sort: match (current, descending) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            },
        }
    })
    .collect();
    let yes_no_choices = |chosen: &str| {
        choices(
            chosen,
            [
                ("yes", ctx.t("participants-yes")),
                ("no", ctx.t("participants-no")),
            ],
        )
    };
    let rows: Vec<Row> = listing.people.into_iter().map(Row::from).collect();
    let view = ListPage {
        csrf: ctx.csrf(),
        q: query.q.clone(),
        groups: group_choices(&ctx, &query.group),
        countries: choices(
            &query.country,
            present
                .iter()
                .map(|c| (c.as_str(), country_name(locale, c))),
        ),
        verified: yes_no_choices(&query.verified),
        confirmed: yes_no_choices(&query.confirmed),
        roles: choices(
            &query.role,
            Role::ALL
                .iter()
                .map(|r| (r.as_str(), ctx.t(&format!("role-{}", r.as_str())))),
        ),
        columns,
        total: listing.total,
        any_unverified: rows.iter().any(|r| !r.verified),
        rows,
        pages: Pages {
            page,
            pages: pages.max(1),
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        },
        here: ctx.here(),
    };
    ctx.render(
        StatusCode::OK,
        "admin/participants",
        &ctx.t("participants-title"),
        &view,
    )
}

/// Verifies the ticked rows, then goes back to the same page of the list.
pub async fn verify_selected(
    ctx: Ctx,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let by = ctx.organizer()?.id;
    let people: Vec<UserId> = body
        .iter()
        .filter(|(k, _)| k == "user")
        .map(|(_, v)| v.parse().map_err(|_| AppError::bad_request("not a person")))
        .collect::<Result<_, _>>()?;
    let back = body
        .iter()
        .find(|(k, _)| k == "back")
        .map_or(LIST, |(_, v)| safe_next(v))
        .to_string();
    if people.is_empty() {
        ctx.flash_error("participants-none-selected");
        return Ok(see_other(&back));
    }
    let now = ctx.state.clock.now();
    ctx.state
        .db
        .query(move |c| rules::verify_selected(c, &people, by, now))
        .await?;
    ctx.flash("participants-verified-flash");
    Ok(see_other(&back))
}

#[derive(Serialize)]
struct PersonPage {
    csrf: String,
    person: Row,
    roles: Vec<Choice>,
    can_set_role: bool,
}

pub async fn person(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let me = ctx.organizer()?;
    let can_set_role_for = |id| me.role() == Role::Admin && me.id != id;
    let id: UserId = id.parse().map_err(|_| AppError::not_found())?;
    let user = ctx.state.db.query(move |c| accounts::find(c, id)).await?;
    let view = PersonPage {
        csrf: ctx.csrf(),
        can_set_role: can_set_role_for(user.id),
        roles: choices(
            &user.role,
            Role::ALL
                .iter()
                .map(|r| (r.as_str(), ctx.t(&format!("role-{}", r.as_str())))),
        ),
        person: Row::from(user),
    };
    ctx.render(
        StatusCode::OK,
        "admin/person",
        &view.person.display_name.clone(),
        &view,
    )
}

/// The rule form's fields, kept as typed when the form comes back.
#[derive(Serialize, Default, Clone)]
struct RuleForm {
    domain: String,
    stakeholder_group: String,
    country: String,
}

impl RuleForm {
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let field = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map_or(String::new(), |(_, v)| v.trim().to_string())
        };
        Self {
            domain: field("domain"),
            stakeholder_group: field("stakeholder_group"),
            country: field("country").to_ascii_uppercase(),
        }
    }

    fn parse(&self) -> Result<NewRule, FieldErrors> {
        let mut errors = FieldErrors::default();
        let domain = Domain::parse(&self.domain)
            .map_err(|message| errors.add("domain", message))
            .ok();
        let group = StakeholderGroup::parse(&self.stakeholder_group);
        if group.is_none() {
            errors.add("stakeholder_group", "field-group-missing");
        }
        let country = countries::find(&self.country);
        if country.is_none() {
            errors.add("country", "field-country-missing");
        }
        match (domain, group, country) {
            (Some(domain), Some(group), Some(country)) => Ok(NewRule {
                domain,
                group,
                country: country.code.to_string(),
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Serialize)]
struct RuleRow {
    id: RuleId,
    domain: String,
    group_key: String,
    country: String,
    verified_count: i32,
    created_on: String,
}

#[derive(Serialize)]
struct RulesPage {
    csrf: String,
    form: RuleForm,
    errors: FieldErrors,
    groups: Vec<Choice>,
    countries: Vec<Choice>,
    rules: Vec<RuleRow>,
}

async fn render_rules(
    ctx: &Ctx,
    status: StatusCode,
    form: RuleForm,
    errors: FieldErrors,
) -> Result<HttpResponse, AppError> {
    let rules = ctx.state.db.query(rules::list).await?;
    let locale = ctx.locale;
    let view = RulesPage {
        csrf: ctx.csrf(),
        groups: group_choices(ctx, &form.stakeholder_group),
        countries: choices(
            &form.country,
            countries::sorted(locale)
                .into_iter()
                .map(|c| (c.code, c.name(locale).to_string())),
        ),
        rules: rules
            .into_iter()
            .map(|r| RuleRow {
                group_key: StakeholderGroup::parse(&r.stakeholder_group)
                    .unwrap_or(StakeholderGroup::Individual)
                    .label_key(),
                country: country_name(locale, &r.country),
                created_on: r.created_at.date().to_string(),
                id: r.id,
                domain: r.domain,
                verified_count: r.verified_count,
            })
            .collect(),
        form,
        errors,
    };
    ctx.render(status, "admin/rules", &ctx.t("rules-title"), &view)
}

pub async fn rules_page(ctx: Ctx) -> Result<HttpResponse, AppError> {
    ctx.organizer()?;
    render_rules(
        &ctx,
        StatusCode::OK,
        RuleForm::default(),
        FieldErrors::default(),
    )
    .await
}

#[derive(Serialize)]
struct PreviewPage {
    csrf: String,
    form: RuleForm,
    group_label: String,
    country_name: String,
    to_verify: i64,
    organizations: i64,
    declared_otherwise: i64,
    otherwise: Vec<Row>,
    more_otherwise: bool,
}

/// `action=preview` shows what the rule would do; `action=confirm` records
/// it and verifies the people it matches.
pub async fn save_rule(
    ctx: Ctx,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let by = ctx.organizer()?.id;
    let form = RuleForm::from_pairs(&body);
    let rule = match form.parse() {
        Ok(rule) => rule,
        Err(errors) => {
            return render_rules(&ctx, StatusCode::UNPROCESSABLE_ENTITY, form, errors).await;
        }
    };
    let confirm = body.iter().any(|(k, v)| k == "action" && v == "confirm");
    if confirm {
        let now = ctx.state.clock.now();
        let created = ctx
            .state
            .db
            .query(move |c| match rules::create(c, &rule, by, now) {
                Ok(_) => Ok(true),
                Err(RuleError::Exists) => Ok(false),
                Err(RuleError::Query(e)) => Err(e),
            })
            .await?;
        if !created {
            let errors = FieldErrors::single("domain", "rule-exists");
            return render_rules(&ctx, StatusCode::UNPROCESSABLE_ENTITY, form, errors).await;
        }
        ctx.flash("rule-created-flash");
        return Ok(see_other(RULES));
    }
    let (group, country) = (rule.group, rule.country.clone());
    // The confirmation carries the rule as it will be saved (`@Canada.CA`
    // becomes `canada.ca`).
    let form = RuleForm {
        domain: rule.domain.as_str().to_string(),
        ..form
    };
    let preview = ctx
        .state
        .db
        .query(move |c| rules::preview(c, &rule))
        .await?;
    let view = PreviewPage {
        csrf: ctx.csrf(),
        group_label: ctx.t(&group.label_key()),
        country_name: country_name(ctx.locale, &country),
        to_verify: preview.to_verify,
        organizations: preview.organizations,
        declared_otherwise: preview.declared_otherwise,
        more_otherwise: preview.declared_otherwise > preview.otherwise.len() as i64,
        otherwise: preview.otherwise.into_iter().map(Row::from).collect(),
        form,
    };
    ctx.render(
        StatusCode::OK,
        "admin/rule_preview",
        &ctx.t("rule-preview-title"),
        &view,
    )
}

pub async fn delete_rule(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let by = ctx.organizer()?.id;
    let id: RuleId = id.parse().map_err(|_| AppError::not_found())?;
    let now = ctx.state.clock.now();
    let deleted = ctx
        .state
        .db
        .query(move |c| rules::delete(c, id, by, now))
        .await?;
    if !deleted {
        return Err(AppError::not_found());
    }
    ctx.flash("rule-deleted");
    Ok(see_other(RULES))
}
