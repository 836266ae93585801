//! "What we heard": per provision, which themes (the codebook's tags) the
//! texts of each stakeholder group carry and with which stances, and how the
//! organizers disposed of the published texts, by group.
//!
//! A theme cell counts every submitted text of the group that carries the tag,
//! confidential ones included (as the figures count their stances). A cell of
//! fewer texts than the round's minimum group size says only "fewer than N",
//! without its stances, so that a tag never points at one person.

use super::figures::StanceCounts;
use crate::analysis::{Disposition, TextKind};
use crate::codes::StakeholderGroup;
use crate::db::schema::{analysis_tags, positions, text_tags};
use crate::db::{ConsultationId, DbConnection, ProvisionId, RoundId, TagId};
use crate::submissions::Stance;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// How many published texts of a group got a disposition; every group
/// together (`group` None) under the Chatham House Rule.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DispositionCount {
    pub disposition: Disposition,
    pub group: Option<StakeholderGroup>,
    pub count: i64,
}

/// One theme of a provision, and the texts of each group carrying it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ThemeRow {
    pub tag_id: TagId,
    pub label: String,
    pub translated_label: Option<String>,
    /// The theme it belongs to in a two-level codebook.
    pub parent_label: Option<String>,
    pub parent_translated_label: Option<String>,
    /// One per group with at least one text carrying it, in
    /// `StakeholderGroup::ALL` order.
    pub cells: Vec<ThemeCell>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ThemeCell {
    pub group: StakeholderGroup,
    /// None when fewer than the round's minimum group size: `too_few`.
    pub texts: Option<i64>,
    pub stances: Option<StanceCounts>,
    pub too_few: bool,
}

/// A live tag of the codebook, as the report names it.
#[derive(Clone, Debug)]
pub struct TagLabel {
    pub label: String,
    pub translated_label: Option<String>,
    pub parent: Option<TagId>,
}

/// The consultation's live tags.
pub fn live_tags(
    conn: &mut DbConnection,
    consultation: ConsultationId,
) -> QueryResult<HashMap<TagId, TagLabel>> {
    let rows: Vec<(i64, String, Option<String>, Option<i64>)> = analysis_tags::table
        .filter(analysis_tags::consultation_id.eq(consultation))
        .filter(analysis_tags::deleted_at.is_null())
        .select((
            analysis_tags::id,
            analysis_tags::label,
            analysis_tags::translated_label,
            analysis_tags::parent_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, label, translated_label, parent)| {
            (
                TagId(id),
                TagLabel {
                    label,
                    translated_label,
                    parent: parent.map(TagId),
                },
            )
        })
        .collect())
}

/// The live taggings of a provision's positions in `round`: position id →
/// tag ids, in tag id order.
pub fn tags_on_provision(
    conn: &mut DbConnection,
    round: RoundId,
    provision: ProvisionId,
) -> QueryResult<HashMap<i64, Vec<TagId>>> {
    let rows: Vec<(i64, i64)> = text_tags::table
        .inner_join(positions::table.on(positions::id.eq(text_tags::text_id)))
        .filter(text_tags::round_id.eq(round))
        .filter(text_tags::text_kind.eq(TextKind::Position.as_str()))
        .filter(text_tags::removed_at.is_null())
        .filter(positions::provision_id.eq(provision))
        .order((text_tags::text_id, text_tags::tag_id))
        .select((text_tags::text_id, text_tags::tag_id))
        .load(conn)?;
    Ok(by_text(rows))
}

/// The live taggings of a round's general comments: submission id → tag ids.
pub fn tags_on_general(
    conn: &mut DbConnection,
    round: RoundId,
) -> QueryResult<HashMap<i64, Vec<TagId>>> {
    let rows: Vec<(i64, i64)> = text_tags::table
        .filter(text_tags::round_id.eq(round))
        .filter(text_tags::text_kind.eq(TextKind::General.as_str()))
        .filter(text_tags::removed_at.is_null())
        .order((text_tags::text_id, text_tags::tag_id))
        .select((text_tags::text_id, text_tags::tag_id))
        .load(conn)?;
    Ok(by_text(rows))
}

fn by_text(rows: Vec<(i64, i64)>) -> HashMap<i64, Vec<TagId>> {
    let mut map: HashMap<i64, Vec<TagId>> = HashMap::new();
    for (text, tag) in rows {
        map.entry(text).or_default().push(TagId(tag));
    }
    map
}

/// The labels of `tags` that are live, as published texts carry them.
pub fn labels(tags: &[TagId], codebook: &HashMap<TagId, TagLabel>) -> Vec<String> {
    tags.iter()
        .filter_map(|t| codebook.get(t).map(|l| l.label.clone()))
        .collect()
}

/// A provision's "what we heard", tallied one text at a time as the report
/// reads them.
#[derive(Default)]
pub struct Tally {
    themes: BTreeMap<TagId, [StanceCounts; StakeholderGroup::ALL.len()]>,
    dispositions: BTreeMap<(Disposition, Option<StakeholderGroup>), i64>,
}

impl Tally {
    /// A counted position of `group` with its live tags.
    pub fn text(&mut self, group: StakeholderGroup, stance: Stance, tags: &[TagId]) {
        for tag in tags {
            let row = self.themes.entry(*tag).or_default();
            row[group as usize].add(stance, 1);
        }
    }

    /// A published text's confirmed disposition.
    pub fn disposition(&mut self, group: Option<StakeholderGroup>, disposition: Disposition) {
        *self.dispositions.entry((disposition, group)).or_default() += 1;
    }

    /// Dispositions in code order, then group order; themes with the most
    /// texts first (then by label), each cell of fewer than `min_group_size`
    /// texts withheld. Tags no longer live are left out.
    pub fn finish(
        self,
        codebook: &HashMap<TagId, TagLabel>,
        min_group_size: i64,
    ) -> (Vec<DispositionCount>, Vec<ThemeRow>) {
        let dispositions = self
            .dispositions
            .into_iter()
            .map(|((disposition, group), count)| DispositionCount {
                disposition,
                group,
                count,
            })
            .collect();
        let min = min_group_size.max(1);
        let mut themes: Vec<(i64, ThemeRow)> = self
            .themes
            .into_iter()
            .filter_map(|(tag, counts)| {
                let label = codebook.get(&tag)?;
                let parent = label.parent.and_then(|p| codebook.get(&p));
                let total = counts.iter().map(StanceCounts::total).sum();
                let cells = StakeholderGroup::ALL
                    .iter()
                    .zip(counts)
                    .filter(|(_, c)| c.total() > 0)
                    .map(|(group, c)| {
                        let too_few = c.total() < min;
                        ThemeCell {
                            group: *group,
                            texts: (!too_few).then(|| c.total()),
                            stances: (!too_few).then_some(c),
                            too_few,
                        }
                    })
                    .collect();
                Some((
                    total,
                    ThemeRow {
                        tag_id: tag,
                        label: label.label.clone(),
                        translated_label: label.translated_label.clone(),
                        parent_label: parent.map(|p| p.label.clone()),
                        parent_translated_label: parent.and_then(|p| p.translated_label.clone()),
                        cells,
                    },
                ))
            })
            .collect();
        themes.sort_by(|(a, x), (b, y)| b.cmp(a).then_with(|| x.label.cmp(&y.label)));
        (
            dispositions,
            themes.into_iter().map(|(_, row)| row).collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codebook() -> HashMap<TagId, TagLabel> {
        [
            (TagId(1), "Privacy", None),
            (TagId(2), "Cost", None),
            (TagId(3), "Data retention", Some(TagId(1))),
        ]
        .into_iter()
        .map(|(id, label, parent)| {
            (
                id,
                TagLabel {
                    label: label.into(),
                    translated_label: None,
                    parent,
                },
            )
        })
        .collect()
    }

    #[test]
    fn a_cell_below_the_minimum_group_size_hides_its_count_and_stances() {
        let mut t = Tally::default();
        for _ in 0..3 {
            t.text(StakeholderGroup::Government, Stance::Oppose, &[TagId(1)]);
        }
        t.text(
            StakeholderGroup::Academia,
            Stance::Support,
            &[TagId(1), TagId(3)],
        );
        let (_, themes) = t.finish(&codebook(), 3);
        assert_eq!(themes[0].label, "Privacy");
        let gov = &themes[0].cells[0];
        assert_eq!(
            (gov.group, gov.texts),
            (StakeholderGroup::Government, Some(3))
        );
        assert_eq!(gov.stances.unwrap().oppose, 3);
        let academia = &themes[0].cells[1];
        assert!(academia.too_few && academia.texts.is_none() && academia.stances.is_none());
        assert_eq!(themes[1].parent_label.as_deref(), Some("Privacy"));
    }

    #[test]
    fn tags_no_longer_in_the_codebook_are_left_out() {
        let mut t = Tally::default();
        t.text(StakeholderGroup::Government, Stance::Oppose, &[TagId(99)]);
        let (_, themes) = t.finish(&codebook(), 1);
        assert!(themes.is_empty());
    }
}
