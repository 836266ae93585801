//! What a report says, as it is frozen at publication and served as JSON.

use super::campaigns::Campaign;
use super::figures::ProvisionFigures;
use super::movement::Movement;
use super::themes::{DispositionCount, ThemeRow};
use crate::analysis::Disposition;
pub use crate::answers::AnswerCount;
use crate::codes::{Locale, StakeholderGroup};
use crate::db::PositionId;
use crate::rounds::{Attribution, Counting};
use crate::submissions::Stance;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct GroupCount {
    pub group: StakeholderGroup,
    pub count: i64,
    pub verified: i64,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct PlaceCount {
    pub code: String,
    pub count: i64,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default)]
pub struct Participation {
    pub submissions: i64,
    /// Of which organizations' official submissions.
    #[serde(default)]
    pub organizations: i64,
    pub verified: i64,
    pub in_campaigns: i64,
    pub by_group: Vec<GroupCount>,
    pub by_country: Vec<PlaceCount>,
    pub by_region: Vec<PlaceCount>,
    /// Under the `both` counting policy, the same counted per organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_organization: Option<Box<Participation>>,
}

/// A published text with only the attribution its author's disclosure (and
/// the round's policy) allows.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct PublishedComment {
    /// The text's public id (see reports/privacy.rs): its permalink names
    /// it. None in versions published before texts had one.
    #[serde(default)]
    pub id: Option<String>,
    /// Internal only: consecutive for one person's positions, it would link
    /// their anonymous texts together.
    #[serde(skip)]
    pub position_id: Option<PositionId>,
    pub name: Option<String>,
    pub organization: Option<String>,
    pub group: Option<StakeholderGroup>,
    pub country: Option<String>,
    /// The UN M49 region of the author's country, also when the country
    /// itself is withheld (as in report.csv). None in versions published
    /// before texts carried it, and under the Chatham House Rule.
    #[serde(default)]
    pub region: Option<String>,
    pub stance: Option<Stance>,
    pub comment: String,
    pub proposed_text: String,
    pub hidden_reason: Option<String>,
    /// The organizers' confirmed disposition, and its reason as written
    /// (Markdown); never set on a hidden text.
    #[serde(default)]
    pub disposition: Option<Disposition>,
    #[serde(default)]
    pub disposition_reason: Option<String>,
    /// The labels of the codebook's themes it was tagged with.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A part, chapter, section or annex of the draft the round commented on.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct DivisionReport {
    pub key: String,
    pub label: String,
    pub heading: String,
    pub depth: i32,
    pub parent: Option<String>,
    #[serde(default)]
    pub translated_label: Option<String>,
    #[serde(default)]
    pub translated_heading: Option<String>,
}

impl crate::drafts::structure::Node for DivisionReport {
    fn key(&self) -> &str {
        &self.key
    }
    fn parent(&self) -> Option<&str> {
        self.parent.as_deref()
    }
}

/// The division a provision sits in, named in full so a reader of
/// report.json needs no lookup.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct DivisionRef {
    pub key: String,
    pub label: String,
    pub heading: String,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct ProvisionReport {
    pub key: String,
    pub label: String,
    pub heading: String,
    pub body: String,
    #[serde(default)]
    pub translated_label: Option<String>,
    #[serde(default)]
    pub translated_heading: Option<String>,
    #[serde(default)]
    pub translated_body: Option<String>,
    /// The innermost division; `None` in a draft without divisions and in
    /// snapshots published before drafts had them.
    #[serde(default)]
    pub division: Option<DivisionRef>,
    /// Under the round's counting policy (per person under `both`).
    pub figures: ProvisionFigures,
    /// Under `both`, the same per organization.
    #[serde(default)]
    pub organization_figures: Option<ProvisionFigures>,
    pub response: Option<String>,
    pub campaigns: Vec<Campaign>,
    /// How many texts are published (stored beside the snapshot, in pages).
    pub texts: i64,
    /// Of which with proposed wording.
    pub proposals: i64,
    /// Published texts by confirmed disposition and group.
    #[serde(default)]
    pub dispositions: Vec<DispositionCount>,
    /// What we heard: the themes × stakeholder groups matrix, of the texts
    /// the first set of figures counts.
    #[serde(default)]
    pub themes: Vec<ThemeRow>,
    /// Under `both`, the same of the texts counted per organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_themes: Option<Vec<ThemeRow>>,
    /// Commenters' answers to the response, by group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<AnswerCount>,
    /// Groups whose every participant on the provision filed a formal
    /// objection: the label cannot be "consensus" while there are any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objecting_groups: Vec<StakeholderGroup>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Snapshot {
    pub version: i32,
    pub note: String,
    pub published_at: String,
    pub consultation_slug: String,
    pub consultation_title: String,
    #[serde(default)]
    pub translated_title: Option<String>,
    /// The language of the texts as written (translations are the other).
    #[serde(default)]
    pub locale: Locale,
    pub round: i32,
    pub opens_at: String,
    pub closes_at: String,
    pub attribution: Attribution,
    /// Reports published before organizations counted per person.
    #[serde(default)]
    pub counting: Counting,
    pub min_group_size: i64,
    pub campaign_threshold: f64,
    pub participation: Participation,
    /// In document order; empty for a draft without divisions.
    #[serde(default)]
    pub divisions: Vec<DivisionReport>,
    pub provisions: Vec<ProvisionReport>,
    /// How many general comments are published.
    pub general_texts: i64,
    /// The position papers published with the report, in the order of their
    /// public ids.
    #[serde(default)]
    pub attachments: Vec<PublishedAttachment>,
    /// How stances moved since the round this one follows, if any: per
    /// person, or per organization when the round counts that way alone;
    /// under `both`, per person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement: Option<Movement>,
    /// Under `both`, the same per organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_movement: Option<Movement>,
    /// Official submissions co-signed by other organizations, with their
    /// signatories, when the lead's disclosure names it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joint_submissions: Vec<super::JointSubmission>,
}

/// A published position paper: the file, where to download it, and who sent
/// it as far as their disclosure (and the round's policy) allows.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct PublishedAttachment {
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// The download's path on this site.
    pub url: String,
    pub name: Option<String>,
    pub organization: Option<String>,
    pub group: Option<StakeholderGroup>,
    pub country: Option<String>,
}

impl Snapshot {
    /// The provision a report address names by its key.
    pub fn provision(&self, key: &str) -> Option<&ProvisionReport> {
        self.provisions.iter().find(|p| p.key == key)
    }
}
