//! Verification rules: "addresses at canada.ca are verified government of
//! Canada". A rule verifies a participant whose confirmed address is at its
//! domain or a subdomain and who declared exactly its group and country.
//! Anyone else at the domain "declared otherwise" and is left as they are:
//! a rule confirms what people said, it never rewrites it.

use super::{Role, User};
use crate::audit;
use crate::codes::StakeholderGroup;
use crate::db::schema::{users, verification_rules};
use crate::db::{DbConnection, RuleId, UserId};
use diesel::prelude::*;
use serde::Serialize;
use time::PrimitiveDateTime;

/// How many of the people who declared otherwise the preview names.
pub const OTHERWISE_SHOWN: i64 = 50;

/// Mail anyone can get an address at: a rule on them would verify anyone.
const PUBLIC_PROVIDERS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "msn.com",
    "proton.me",
    "pm.me",
    "protonmail.com",
    "protonmail.ch",
    "tutanota.com",
    "tuta.io",
    "fastmail.com",
    "hey.com",
    "zoho.com",
    "mail.com",
    "mail.ru",
    "qq.com",
    "163.com",
    "126.com",
    "naver.com",
    "rediffmail.com",
    "yopmail.com",
    "web.de",
    "t-online.de",
    "libero.it",
    "orange.fr",
    "wanadoo.fr",
    "laposte.net",
    "free.fr",
    "sfr.fr",
    "neuf.fr",
    "bbox.fr",
];

/// Providers with an address in many countries (yahoo.fr, gmx.de,
/// hotmail.co.uk): refused under any short country or generic ending.
const PUBLIC_BRANDS: &[&str] = &[
    "yahoo", "ymail", "hotmail", "outlook", "live", "gmx", "yandex", "gmail", "aol",
];

/// A rule's domain: lower-case DNS labels, at least two, not a public mail
/// provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain(String);

impl Domain {
    /// The Fluent key of what is wrong with `raw` when it is refused.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let domain = raw.trim().trim_start_matches('@').to_ascii_lowercase();
        if domain.is_empty() {
            return Err("rule-domain-missing");
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let label_ok = |l: &&str| {
            (1..=63).contains(&l.len())
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        let top_ok = labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()));
        if domain.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) || !top_ok {
            return Err("rule-domain-invalid");
        }
        if is_public_provider(&labels) {
            return Err("rule-domain-public");
        }
        Ok(Domain(domain))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `email` is at this domain or one of its subdomains.
    pub fn covers(&self, email: &str) -> bool {
        let Some((_, at)) = email.rsplit_once('@') else {
            return false;
        };
        let at = at.to_ascii_lowercase();
        at == self.0
            || at
                .strip_suffix(self.0.as_str())
                .is_some_and(|rest| rest.ends_with('.'))
    }
}

fn is_public_provider(labels: &[&str]) -> bool {
    let domain = labels.join(".");
    let listed = PUBLIC_PROVIDERS
        .iter()
        .any(|p| domain == *p || domain.ends_with(&format!(".{p}")));
    // A brand followed by one or two short labels: yahoo.fr, hotmail.co.uk.
    let branded = labels.iter().enumerate().any(|(i, l)| {
        let rest = &labels[i + 1..];
        PUBLIC_BRANDS.contains(l)
            && (1..=2).contains(&rest.len())
            && rest.iter().all(|r| r.len() <= 3)
    });
    listed || branded
}

/// A rule as an organizer writes it.
#[derive(Debug, Clone)]
pub struct NewRule {
    pub domain: Domain,
    pub group: StakeholderGroup,
    pub country: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = verification_rules)]
pub struct Rule {
    pub id: RuleId,
    pub domain: String,
    pub stakeholder_group: String,
    pub country: String,
    pub verified_count: i32,
    pub created_at: PrimitiveDateTime,
}

impl Rule {
    fn describe(&self) -> String {
        describe(
            self.id,
            &self.domain,
            &self.stakeholder_group,
            &self.country,
        )
    }
}

/// How a rule is named in the audit log: enough to recognise it after it
/// is deleted.
fn describe(id: RuleId, domain: &str, group: &str, country: &str) -> String {
    format!("rule {id}: @{domain} → {group}, {country}")
}

/// Live participants whose confirmed address is at `domain` (or below it)
/// and whose affiliation no one has verified yet.
macro_rules! unverified_at {
    ($domain:expr) => {
        users::table
            .filter(users::deleted_at.is_null())
            .filter(users::role.eq(Role::Participant.as_str()))
            .filter(users::email_verified_at.is_not_null())
            .filter(users::affiliation_verified_at.is_null())
            // Domains hold no LIKE wildcard (letters, digits, '-', '.').
            .filter(
                users::email
                    .like(format!("%@{}", $domain))
                    .or(users::email.like(format!("%.{}", $domain))),
            )
    };
}

/// What confirming a rule would do now.
pub struct Preview {
    pub to_verify: i64,
    /// Pending organizations of the rule's group and country at its domain.
    pub organizations: i64,
    pub declared_otherwise: i64,
    /// The first of them, by name.
    pub otherwise: Vec<User>,
}

pub fn preview(conn: &mut DbConnection, rule: &NewRule) -> QueryResult<Preview> {
    let d = rule.domain.as_str();
    let (group, country) = (rule.group.as_str(), rule.country.as_str());
    let declared = || {
        users::stakeholder_group
            .eq(group)
            .and(users::country.eq(country))
    };
    Ok(Preview {
        to_verify: unverified_at!(d)
            .filter(declared())
            .count()
            .get_result(conn)?,
        organizations: crate::organizations::count_for_rule(conn, rule)?,
        declared_otherwise: unverified_at!(d)
            .filter(diesel::dsl::not(declared()))
            .count()
            .get_result(conn)?,
        otherwise: unverified_at!(d)
            .filter(diesel::dsl::not(declared()))
            .order((users::display_name.asc(), users::id.asc()))
            .limit(OTHERWISE_SHOWN)
            .select(User::as_select())
            .load(conn)?,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("the same rule exists already")]
    Exists,
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// Records the rule and verifies everyone and every pending organization it
/// matches now, in one transaction with an audit entry per person or
/// organization naming the rule; returns how many people were verified.
pub fn create(
    conn: &mut DbConnection,
    rule: &NewRule,
    by: UserId,
    now: PrimitiveDateTime,
) -> Result<usize, RuleError> {
    let created = crate::db::write_transaction(conn, |conn| -> Result<usize, RuleError> {
        let (d, group, country) = (
            rule.domain.as_str(),
            rule.group.as_str(),
            rule.country.as_str(),
        );
        let id: RuleId = diesel::insert_into(verification_rules::table)
            .values((
                verification_rules::domain.eq(d),
                verification_rules::stakeholder_group.eq(group),
                verification_rules::country.eq(country),
                verification_rules::created_by.eq(by),
                verification_rules::created_at.eq(now),
            ))
            .returning(verification_rules::id)
            .get_result(conn)?;
        let named = describe(id, d, group, country);
        audit::record(
            conn,
            &audit::Entry {
                actor: Some(by),
                action: audit::Action::RuleCreate,
                consultation: None,
                round: None,
                subject: &format!("rule {id}"),
                details: &named,
            },
            now,
        )?;
        let verified: Vec<UserId> = diesel::update(
            unverified_at!(d)
                .filter(users::stakeholder_group.eq(group))
                .filter(users::country.eq(country)),
        )
        .set((
            users::affiliation_verified_at.eq(now),
            users::affiliation_verified_by.eq(by),
        ))
        .returning(users::id)
        .get_results(conn)?;
        record_verifications(conn, Some(by), &verified, &named, now)?;
        count_verified(conn, id, verified.len())?;
        crate::organizations::verify_by_rule(conn, rule, &named, by, now)?;
        Ok(verified.len())
    });
    match created {
        Err(RuleError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Err(RuleError::Exists),
        other => other,
    }
}

fn count_verified(conn: &mut DbConnection, id: RuleId, n: usize) -> QueryResult<()> {
    let n = i32::try_from(n).unwrap_or(i32::MAX);
    diesel::update(verification_rules::table.find(id))
        .set(verification_rules::verified_count.eq(verification_rules::verified_count + n))
        .execute(conn)
        .map(|_| ())
}

/// One audit entry per person verified, each saying how.
fn record_verifications(
    conn: &mut DbConnection,
    by: Option<UserId>,
    people: &[UserId],
    how: &str,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    let subjects: Vec<String> = people.iter().map(|id| format!("user {id}")).collect();
    let entries: Vec<audit::Entry> = subjects
        .iter()
        .map(|subject| audit::Entry {
            actor: by,
            action: audit::Action::ParticipantVerify,
            consultation: None,
            round: None,
            subject,
            details: how,
        })
        .collect();
    audit::record_many(conn, &entries, now)
}

/// Every rule, by domain.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Rule>> {
    verification_rules::table
        .order((
            verification_rules::domain.asc(),
            verification_rules::id.asc(),
        ))
        .select(Rule::as_select())
        .load(conn)
}

/// Deletes a rule, recorded in the audit log; the people it verified stay
/// verified. False when there is no such rule.
pub fn delete(
    conn: &mut DbConnection,
    id: RuleId,
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let Some((domain, group, country)) = diesel::delete(verification_rules::table.find(id))
            .returning((
                verification_rules::domain,
                verification_rules::stakeholder_group,
                verification_rules::country,
            ))
            .get_result::<(String, String, String)>(conn)
            .optional()?
        else {
            return Ok(false);
        };
        audit::record(
            conn,
            &audit::Entry {
                actor: Some(by),
                action: audit::Action::RuleDelete,
                consultation: None,
                round: None,
                subject: &format!("rule {id}"),
                details: &describe(id, &domain, &group, &country),
            },
            now,
        )?;
        Ok(true)
    })
}

/// The first rule (oldest) for `group` and `country` whose domain covers
/// `email`, with the organizer who made it.
pub fn matching(
    conn: &mut DbConnection,
    email: &str,
    group: &str,
    country: &str,
) -> QueryResult<Option<(Rule, Option<UserId>)>> {
    let candidates: Vec<(Rule, Option<UserId>)> = verification_rules::table
        .filter(verification_rules::stakeholder_group.eq(group))
        .filter(verification_rules::country.eq(country))
        .order(verification_rules::id.asc())
        .select((Rule::as_select(), verification_rules::created_by))
        .load(conn)?;
    Ok(candidates
        .into_iter()
        .find(|(r, _)| Domain(r.domain.clone()).covers(email)))
}

/// Called in the transaction that confirms `user`'s address: the first rule
/// (oldest) that matches their address and declaration verifies them.
pub fn verify_on_confirmation(
    conn: &mut DbConnection,
    user: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<()> {
    let person = super::find(conn, user)?;
    if person.affiliation_verified_at.is_some() || person.role() != Role::Participant {
        return Ok(());
    }
    let Some((rule, by)) = matching(
        conn,
        &person.email,
        &person.stakeholder_group,
        &person.country,
    )?
    else {
        return Ok(());
    };
    let changed = diesel::update(
        users::table
            .find(user)
            .filter(users::affiliation_verified_at.is_null()),
    )
    .set((
        users::affiliation_verified_at.eq(now),
        users::affiliation_verified_by.eq(by),
    ))
    .execute(conn)?;
    if changed == 1 {
        // No one acted: the rule did, on the participant's own confirmation.
        record_verifications(conn, None, &[user], &rule.describe(), now)?;
        count_verified(conn, rule.id, 1)?;
    }
    Ok(())
}

/// Verifies the people an organizer ticked, one audit entry each; returns
/// how many were not verified before.
pub fn verify_selected(
    conn: &mut DbConnection,
    people: &[UserId],
    by: UserId,
    now: PrimitiveDateTime,
) -> QueryResult<usize> {
    crate::db::write_transaction(conn, |conn| {
        let mut verified = Vec::with_capacity(people.len());
        for chunk in people.chunks(500) {
            verified.extend(
                diesel::update(
                    users::table
                        .filter(users::id.eq_any(chunk))
                        .filter(users::deleted_at.is_null())
                        .filter(users::affiliation_verified_at.is_null()),
                )
                .set((
                    users::affiliation_verified_at.eq(now),
                    users::affiliation_verified_by.eq(by),
                ))
                .returning(users::id)
                .get_results::<UserId>(conn)?,
            );
        }
        record_verifications(conn, Some(by), &verified, "selected in the list", now)?;
        Ok(verified.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_is_lower_case_labels_without_the_at_sign() {
        assert_eq!(Domain::parse(" @Canada.CA ").unwrap().as_str(), "canada.ca");
        for bad in [
            "",
            "canada",
            "canada..ca",
            "-x.ca",
            "x_y.ca",
            "exa mple.org",
            "x.c0",
        ] {
            assert!(Domain::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn public_mail_providers_are_refused_under_any_ending() {
        for public in [
            "gmail.com",
            "yahoo.fr",
            "yahoo.co.uk",
            "hotmail.com",
            "outlook.fr",
            "gmx.de",
            "gmx.net",
            "proton.me",
            "orange.fr",
            "laposte.net",
            "free.fr",
            "mail.yahoo.com",
        ] {
            assert_eq!(Domain::parse(public), Err("rule-domain-public"), "{public}");
        }
        for fine in [
            "canada.ca",
            "live.unesco.org",
            "gouv.fr",
            "international.gc.ca",
        ] {
            assert!(Domain::parse(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn a_domain_covers_itself_and_its_subdomains_only() {
        let d = Domain::parse("canada.ca").unwrap();
        assert!(d.covers("a@canada.ca"));
        assert!(d.covers("a@international.canada.ca"));
        assert!(!d.covers("a@notcanada.ca"));
        assert!(!d.covers("canada.ca@example.org"));
        assert!(!d.covers("a@canada.ca.example.org"));
    }
}
