//! An organization's form parsed into domain values at the edge.

use crate::accounts::countries;
use crate::accounts::rules::Domain;
use crate::codes::StakeholderGroup;
use crate::forms::{FieldErrors, without_bidi_controls};
use serde::{Deserialize, Serialize};

/// More domains than a real organization uses is a sign of abuse.
const MAX_DOMAINS: usize = 10;

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct OrganizationForm {
    pub name: String,
    pub translated_name: String,
    pub stakeholder_group: String,
    pub country: String,
    pub website: String,
    /// Separated by spaces or commas.
    pub domains: String,
}

#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub name: String,
    pub translated_name: Option<String>,
    pub group: StakeholderGroup,
    pub country: &'static str,
    pub website: String,
    pub domains: Vec<Domain>,
}

fn name_field(raw: &str, field: &'static str, errors: &mut FieldErrors) -> String {
    let name = without_bidi_controls(raw);
    let name = name.trim();
    if name.chars().count() > 200 {
        errors.add(field, "organization-name-long");
    }
    name.to_string()
}

impl OrganizationForm {
    pub fn parse(&self) -> Result<NewOrganization, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = name_field(&self.name, "name", &mut errors);
        if name.is_empty() {
            errors.add("name", "organization-name-missing");
        }
        let translated_name = name_field(&self.translated_name, "translated_name", &mut errors);
        let group = StakeholderGroup::parse(&self.stakeholder_group);
        if group.is_none() {
            errors.add("stakeholder_group", "field-group-missing");
        }
        let country = countries::find(self.country.trim());
        if country.is_none() {
            errors.add("country", "field-country-missing");
        }
        let website = self.website.trim();
        let website_ok = website.is_empty()
            || (website.len() <= 200
                && (website.starts_with("https://") || website.starts_with("http://"))
                && !website.contains(char::is_whitespace));
        if !website_ok {
            errors.add("website", "organization-website-invalid");
        }
        let mut domains = Vec::new();
        for raw in self
            .domains
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|d| !d.is_empty())
        {
            match Domain::parse(raw) {
                Ok(d) if !domains.contains(&d) => domains.push(d),
                Ok(_) => {}
                Err(_) => {
                    errors.add("domains", "organization-domain-invalid");
                    break;
                }
            }
        }
        if domains.len() > MAX_DOMAINS {
            errors.add("domains", "organization-domains-many");
        }
        match (group, country) {
            (Some(group), Some(country)) if errors.is_empty() => Ok(NewOrganization {
                name,
                translated_name: Some(translated_name).filter(|n| !n.is_empty()),
                group,
                country: country.code,
                website: website.to_string(),
                domains,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, domains: &str, website: &str) -> OrganizationForm {
        OrganizationForm {
            name: name.into(),
            translated_name: String::new(),
            stakeholder_group: "government".into(),
            country: "CA".into(),
            website: website.into(),
            domains: domains.into(),
        }
    }

    #[test]
    fn a_complete_form_gives_an_organization_with_its_domains_lower_cased() {
        let new = form(
            " Global Affairs Canada ",
            "International.gc.ca, canada.ca",
            "",
        )
        .parse()
        .unwrap();
        assert_eq!(new.name, "Global Affairs Canada");
        let domains: Vec<&str> = new.domains.iter().map(Domain::as_str).collect();
        assert_eq!(domains, ["international.gc.ca", "canada.ca"]);
        assert_eq!(new.translated_name, None);
    }

    #[test]
    fn each_bad_field_is_named_with_its_message() {
        let errors = form("", "gmail.com", "javascript:alert(1)")
            .parse()
            .unwrap_err();
        assert!(errors.has("name"));
        assert!(errors.has("domains"));
        assert!(errors.has("website"));
    }
}
