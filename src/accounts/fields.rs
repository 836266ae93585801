//! Account input parsed into domain values at the edge. Each error names the
//! field and the Fluent message that explains it.

use super::countries;
use crate::codes::{Locale, StakeholderGroup};
use crate::forms::{FieldErrors, without_bidi_controls};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::LazyLock;

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("data/common-passwords.txt").lines().collect());

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("field-email-missing");
        }
        if email.len() > 254 || email.parse::<lettre::Address>().is_err() || !email.contains('.') {
            return Err("field-email-invalid");
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub fn check_password(password: &str, email: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < 12 {
        return Err("field-password-short");
    }
    if length > 128 {
        return Err("field-password-long");
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(lower.as_str()) || lower == email.to_lowercase() {
        return Err("field-password-common");
    }
    Ok(())
}

/// The profile fields shared by registration and the account page.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct ProfileForm {
    pub display_name: String,
    pub organization: String,
    pub stakeholder_group: String,
    pub country: String,
    pub locale: String,
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub display_name: String,
    pub organization: String,
    pub group: StakeholderGroup,
    pub country: &'static str,
    pub locale: Locale,
}

impl ProfileForm {
    pub fn parse(&self, errors: &mut FieldErrors) -> Option<Profile> {
        let display_name = without_bidi_controls(&self.display_name);
        let display_name = display_name.trim();
        let length = display_name.chars().count();
        if length == 0 {
            errors.add("display_name", "field-display-name-missing");
        } else if length > 80 {
            errors.add("display_name", "field-display-name-long");
        }
        let group = StakeholderGroup::parse(&self.stakeholder_group);
        if group.is_none() {
            errors.add("stakeholder_group", "field-group-missing");
        }
        let organization = without_bidi_controls(&self.organization);
        let organization = organization.trim();
        if organization.chars().count() > 200 {
            errors.add("organization", "field-organization-long");
        } else if organization.is_empty() && group.is_some_and(requires_organization) {
            errors.add("organization", "field-organization-required");
        }
        let country = countries::find(self.country.trim());
        if country.is_none() {
            errors.add("country", "field-country-missing");
        }
        let locale = Locale::parse(&self.locale);
        if locale.is_none() {
            errors.add("locale", "field-locale-missing");
        }
        Some(Profile {
            display_name: display_name.to_string(),
            organization: organization.to_string(),
            group: group?,
            country: country?.code,
            locale: locale?,
        })
        .filter(|_| errors.is_empty())
    }
}

/// Governments, intergovernmental bodies and platforms speak for an organization.
pub fn requires_organization(group: StakeholderGroup) -> bool {
    matches!(
        group,
        StakeholderGroup::Government
            | StakeholderGroup::Intergovernmental
            | StakeholderGroup::Platform
    )
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub email: String,
    #[serde(skip_serializing)]
    pub password: String,
    #[serde(flatten)]
    pub profile: ProfileForm,
}

pub struct Registration {
    pub email: Email,
    pub password: String,
    pub profile: Profile,
}

impl RegistrationForm {
    pub fn parse(&self) -> Result<Registration, FieldErrors> {
        let mut errors = FieldErrors::default();
        let email = Email::parse(&self.email)
            .map_err(|m| errors.add("email", m))
            .ok();
        if let Err(m) = check_password(&self.password, &self.email) {
            errors.add("password", m);
        }
        let profile = self.profile.parse(&mut errors);
        match (email, profile) {
            (Some(email), Some(profile)) if errors.is_empty() => Ok(Registration {
                email,
                password: self.password.clone(),
                profile,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RegistrationForm {
        RegistrationForm {
            email: " Ada@Example.ORG ".into(),
            password: "a sufficiently long passphrase".into(),
            profile: ProfileForm {
                display_name: "Ada".into(),
                organization: String::new(),
                stakeholder_group: "civil_society".into(),
                country: "FR".into(),
                locale: "fr".into(),
            },
        }
    }

    #[test]
    fn a_valid_form_parses_with_the_email_lower_cased() {
        let r = form().parse().unwrap();
        assert_eq!(r.email.as_str(), "ada@example.org");
        assert_eq!(r.profile.group, StakeholderGroup::CivilSociety);
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut f = form();
        f.email = "not an email".into();
        f.password = "short".into();
        f.profile.stakeholder_group = "platform".into();
        f.profile.country = "XX".into();
        f.profile.display_name = "x".repeat(81);
        let errors = f.parse().err().unwrap();
        for field in [
            "email",
            "password",
            "organization",
            "country",
            "display_name",
        ] {
            assert!(errors.has(field), "{field}: {errors:?}");
        }
    }

    #[test]
    fn common_passwords_are_refused() {
        assert_eq!(
            check_password("1qaz2wsx3edc", "a@b.org"),
            Err("field-password-common")
        );
        assert_eq!(
            check_password("x".repeat(129).as_str(), "a@b.org"),
            Err("field-password-long")
        );
    }
}
