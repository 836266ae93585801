//! What may be shown next to a published text: its author's disclosure choice,
//! within the round's attribution policy.

use super::PublishedComment;
use crate::codes::StakeholderGroup;
use crate::db::PositionId;
use crate::db::schema::submissions;
use crate::forms::without_bidi_controls;
use crate::rounds::Attribution;
use crate::submissions::{Disclosure, Stance};
use diesel::prelude::*;

/// Who wrote a text, as their submission records it.
#[derive(Queryable)]
pub(super) struct Author {
    pub disclosure: String,
    pub name: String,
    pub organization: String,
    pub group: String,
    pub country: String,
}

/// The columns an `Author` is read from.
pub(super) const AUTHOR_COLUMNS: (
    submissions::disclosure,
    submissions::display_name,
    submissions::organization,
    submissions::stakeholder_group,
    submissions::country,
) = (
    submissions::disclosure,
    submissions::display_name,
    submissions::organization,
    submissions::stakeholder_group,
    submissions::country,
);

/// Name, organization, group and country, as far as they may be shown.
#[derive(Default)]
pub(super) struct Attributed {
    pub name: Option<String>,
    pub organization: Option<String>,
    pub group: Option<StakeholderGroup>,
    pub country: Option<String>,
    /// Stays when `country` is withheld from a small cell.
    pub region: Option<String>,
}

impl Author {
    /// What may be shown next to their text: what `disclosure` allows, and
    /// nothing at all under the Chatham House Rule.
    pub fn attributed(&self, attribution: Attribution, disclosure: Disclosure) -> Attributed {
        if attribution == Attribution::ChathamHouse {
            return Attributed::default();
        }
        let group = StakeholderGroup::parse(&self.group);
        let country = Some(self.country.clone()).filter(|c| c != "ZZ");
        let region = country
            .as_deref()
            .map(super::live::region_of)
            .filter(|r| *r != "unknown")
            .map(str::to_string);
        // Names stored before bidirectional controls were refused at input
        // are published without them too.
        let clean =
            |text: &str| Some(without_bidi_controls(text).into_owned()).filter(|t| !t.is_empty());
        let organization = clean(&self.organization);
        match disclosure {
            Disclosure::Attributed => Attributed {
                name: clean(&self.name),
                organization,
                group,
                country,
                region,
            },
            Disclosure::Organization => Attributed {
                name: None,
                organization,
                group,
                country,
                region,
            },
            Disclosure::Anonymous | Disclosure::Confidential => Attributed {
                name: None,
                organization: None,
                group,
                country,
                region,
            },
        }
    }
}

/// The published form of a text, with the attribution its author allowed, or
/// reduced to the reason when the organizers hid it.
pub(super) fn published_text(
    attributed: Attributed,
    position_id: Option<PositionId>,
    stance: Option<Stance>,
    comment: String,
    proposed_text: String,
    hidden_reason: Option<String>,
) -> PublishedComment {
    if let Some(reason) = hidden_reason {
        return PublishedComment {
            id: None,
            position_id,
            name: None,
            organization: None,
            group: None,
            country: None,
            region: None,
            stance: None,
            comment: String::new(),
            proposed_text: String::new(),
            hidden_reason: Some(reason),
            disposition: None,
            disposition_reason: None,
            tags: vec![],
        };
    }
    let Attributed {
        name,
        organization,
        group,
        country,
        region,
    } = attributed;
    PublishedComment {
        id: None,
        position_id,
        name,
        organization,
        group,
        country,
        region,
        stance,
        comment,
        proposed_text,
        hidden_reason: None,
        disposition: None,
        disposition_reason: None,
        tags: vec![],
    }
}
