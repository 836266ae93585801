//! The campaigns among one provision's comments, or among the general
//! comments with their position papers, as the report detects them
//! (`reports::campaigns`), for the workspace: there a campaign is a set of
//! texts to read once and tag once for every copy. Every submitted comment
//! counts, hidden ones too: a hidden copy is still a copy to code.

use super::TextKind;
use crate::codes::StakeholderGroup;
use crate::db::schema::{attachments, positions, submissions};
use crate::db::{DbConnection, ProvisionId, RoundId};
use crate::reports::campaigns::{self, Campaign, CommentRef};
use crate::reports::{CAMPAIGN_MIN_SIZE, CAMPAIGN_THRESHOLD};
use crate::submissions::Status;
use diesel::prelude::*;

/// The provision's campaigns, largest first; each one's members are
/// position ids, ascending, and the first names the campaign.
pub fn of_provision(
    conn: &mut DbConnection,
    round: RoundId,
    provision: ProvisionId,
) -> QueryResult<Vec<Campaign>> {
    let rows: Vec<(crate::db::PositionId, String, String)> = positions::table
        .inner_join(submissions::table)
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq(Status::Submitted.as_str()))
        .filter(positions::provision_id.eq(provision))
        .filter(positions::comment.ne(""))
        .select((
            positions::id,
            positions::comment,
            submissions::stakeholder_group,
        ))
        .load(conn)?;
    let refs: Vec<CommentRef> = rows
        .into_iter()
        .map(|(id, text, group)| CommentRef {
            id: id.0,
            text,
            group: StakeholderGroup::parse(&group).unwrap_or(StakeholderGroup::Individual),
        })
        .collect();
    Ok(largest_first(&refs))
}

/// The campaigns among `refs`, largest first.
fn largest_first(refs: &[CommentRef]) -> Vec<Campaign> {
    let mut found = campaigns::detect(refs, CAMPAIGN_THRESHOLD, CAMPAIGN_MIN_SIZE);
    found.sort_by(|a, b| b.count.cmp(&a.count).then(a.members.cmp(&b.members)));
    found
}

/// How the workspace's links name a campaign: by one of its texts, a
/// position's id or, prefixed with "g:", a general comment's.
pub fn name(kind: TextKind, member: i64) -> String {
    match kind {
        TextKind::Position => member.to_string(),
        TextKind::General => format!("g:{member}"),
    }
}

/// The text a campaign's name gives, if it is one.
pub fn parse_name(name: &str) -> Option<(TextKind, i64)> {
    let name = name.trim();
    match name.strip_prefix("g:") {
        Some(id) => Some((TextKind::General, id.parse().ok()?)),
        None => Some((TextKind::Position, name.parse().ok()?)),
    }
}

/// The campaigns among the round's general comments, each read with the
/// text of its position papers: forty organizations sending the same letter
/// as an attached PDF are one campaign. Members are submission ids (the
/// general texts' ids), ascending.
pub fn of_general(conn: &mut DbConnection, round: RoundId) -> QueryResult<Vec<Campaign>> {
    let mut texts: std::collections::BTreeMap<i64, (String, String)> = submissions::table
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq(Status::Submitted.as_str()))
        .select((
            submissions::id,
            submissions::general_comment,
            submissions::stakeholder_group,
        ))
        .load::<(crate::db::SubmissionId, String, String)>(conn)?
        .into_iter()
        .map(|(id, comment, group)| (id.0, (comment, group)))
        .collect();
    let papers: Vec<(crate::db::SubmissionId, String)> = attachments::table
        .inner_join(submissions::table)
        .filter(submissions::round_id.eq(round))
        .filter(submissions::status.eq(Status::Submitted.as_str()))
        .order(attachments::id)
        .select((attachments::submission_id, attachments::extracted_text))
        .load(conn)?;
    for (submission, paper) in papers {
        if let Some((text, _)) = texts.get_mut(&submission.0) {
            text.push('\n');
            text.push_str(&paper);
        }
    }
    let refs: Vec<CommentRef> = texts
        .into_iter()
        .filter(|(_, (text, _))| !text.trim().is_empty())
        .map(|(id, (text, group))| CommentRef {
            id,
            text: text.trim().to_string(),
            group: StakeholderGroup::parse(&group).unwrap_or(StakeholderGroup::Individual),
        })
        .collect();
    Ok(largest_first(&refs))
}

/// The members of the campaign that the text `member` of `round` belongs
/// to; none when it is in no campaign (any more).
pub fn members_of(
    conn: &mut DbConnection,
    round: RoundId,
    kind: TextKind,
    member: i64,
) -> QueryResult<Vec<i64>> {
    let found = match kind {
        TextKind::General => of_general(conn, round)?,
        TextKind::Position => {
            let provision: Option<ProvisionId> = positions::table
                .inner_join(submissions::table)
                .filter(positions::id.eq(crate::db::PositionId(member)))
                .filter(submissions::round_id.eq(round))
                .select(positions::provision_id)
                .first(conn)
                .optional()?;
            let Some(provision) = provision else {
                return Ok(vec![]);
            };
            of_provision(conn, round, provision)?
        }
    };
    Ok(found
        .into_iter()
        .find(|c| c.members.contains(&member))
        .map(|c| c.members)
        .unwrap_or_default())
}
