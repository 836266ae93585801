//! The demo consultation loaded into an empty database, so a newcomer can
//! register and submit at once.

use crate::clock::Clock;
use crate::codes::{Locale, StakeholderGroup};
use crate::consultations::{self, NewConsultation};
use crate::db::DbConnection;
use crate::drafts::{self, import};
use crate::rounds::{self, Attribution, NewRound};
use anyhow::Context;
use time::Duration;

pub mod two_rounds;

pub const SLUG: &str = "additional-protocol";
const DRAFT: &str = include_str!("additional-protocol.en.md");
/// The French translation: same provision keys, shown to French readers.
const DRAFT_FR: &str = include_str!("additional-protocol.fr.md");
const TITLE_FR: &str = "Protocole additionnel sur la diversité des expressions culturelles dans l’environnement numérique";
const SUMMARY_FR: &str = "Les gouvernements, les plateformes numériques, la société civile et les \
                          experts sont invités à commenter, article par article, un projet de \
                          discussion de Protocole additionnel à la Convention de l’UNESCO de 2005. \
                          Les positions reçues, regroupées par groupe de parties prenantes, seront \
                          publiées dans un rapport public accompagné de la réponse des organisateurs.";

/// A long bilingual draft with parts, chapters, sections and an annex, to
/// try paging, the table of contents and reports by division.
pub const LONG_SLUG: &str = "local-news-framework";
const LONG_DRAFT: &str = include_str!("local-news.en.md");
const LONG_DRAFT_FR: &str = include_str!("local-news.fr.md");
/// Articles are `#####`: parts, chapters and sections sit above them.
const LONG_LEVEL: u8 = 5;

/// Loads the long demo unless it is there already; returns whether it did.
pub fn load_long(conn: &mut DbConnection, clock: &Clock) -> anyhow::Result<bool> {
    let now = clock.now();
    crate::db::write_transaction(conn, |conn| {
        if consultations::exists(conn, LONG_SLUG)? {
            return Ok(false);
        }
        let draft = import::parse(LONG_DRAFT, LONG_LEVEL)?;
        let id = consultations::create(
            conn,
            &NewConsultation {
                slug: LONG_SLUG,
                title: "Framework on local news and cultural content in the digital environment",
                summary: "A long discussion draft in four parts, nine chapters and an annex. \
                          Comment on the articles you care about; every stakeholder group's \
                          view is reported chapter by chapter.",
                locale: Locale::En,
                eligible_groups: StakeholderGroup::ALL,
            },
            None,
            now,
        )?
        .context("the long demo consultation's slug is taken")?;
        let version = drafts::store(conn, id, &draft, LONG_DRAFT, Locale::En, None, now)?;
        let provisions = drafts::provisions_of(conn, version.id)?;
        let divisions = drafts::divisions_of(conn, version.id)?;
        let french =
            drafts::translation::parse(LONG_DRAFT_FR, LONG_LEVEL, &provisions, &divisions)?;
        drafts::translation::store(conn, &version, &french, LONG_DRAFT_FR)?;
        consultations::set_translation(
            conn,
            id,
            "Cadre sur l’information locale et les contenus culturels dans l’environnement numérique",
            "Un long projet de discussion en quatre parties, neuf chapitres et une annexe. \
             Commentez les articles qui vous importent ; l’avis de chaque groupe de parties \
             prenantes est présenté chapitre par chapitre.",
        )?;
        open_for_30_days(conn, id, &version, now)?;
        Ok(true)
    })
}

/// Loads the demo unless it is there already; returns whether it did.
pub fn load(conn: &mut DbConnection, clock: &Clock) -> anyhow::Result<bool> {
    let now = clock.now();
    crate::db::write_transaction(conn, |conn| {
        if consultations::exists(conn, SLUG)? {
            translate_if_untouched(conn)?;
            return Ok(false);
        }
        let draft = import::parse(DRAFT, 2)?;
        let id = consultations::create(
            conn,
            &NewConsultation {
                slug: SLUG,
                title: "Additional Protocol on the diversity of cultural expressions in the digital environment",
                summary: "Governments, digital platforms, civil society and experts are invited to comment, \
                          article by article, on a discussion draft of an Additional Protocol to the 2005 \
                          UNESCO Convention. The positions received, grouped by stakeholder group, will be \
                          published in a public report together with the organizers' response.",
                locale: Locale::En,
                eligible_groups: StakeholderGroup::ALL,
            },
            None,
            now,
        )?
        .context("the demo consultation's slug is taken")?;
        let version = drafts::store(conn, id, &draft, DRAFT, Locale::En, None, now)?;
        translate(conn, id, &version)?;
        open_for_30_days(conn, id, &version, now)?;
        Ok(true)
    })
}

/// A demo's round 1: open from now, for 30 days, so a newcomer can answer at once.
fn open_for_30_days(
    conn: &mut DbConnection,
    consultation: crate::db::ConsultationId,
    version: &drafts::DraftVersion,
    now: time::PrimitiveDateTime,
) -> diesel::QueryResult<()> {
    let round = NewRound {
        consultation,
        draft_version: version.id,
        opens_at: now,
        closes_at: now + Duration::days(30),
        attribution: Attribution::Open,
        counting: rounds::Counting::PerPerson,
        announce: true,
    };
    rounds::create(conn, &round, None, now).map(|_| ())
}

fn translate(
    conn: &mut DbConnection,
    id: crate::db::ConsultationId,
    version: &drafts::DraftVersion,
) -> anyhow::Result<()> {
    let provisions = drafts::provisions_of(conn, version.id)?;
    let divisions = drafts::divisions_of(conn, version.id)?;
    let french = drafts::translation::parse(DRAFT_FR, 2, &provisions, &divisions)?;
    drafts::translation::store(conn, version, &french, DRAFT_FR)?;
    consultations::set_translation(conn, id, TITLE_FR, SUMMARY_FR)?;
    Ok(())
}

/// A database whose demo was loaded before it had a French translation gets
/// one, as long as nobody has changed the demo's first version or given it a
/// translation of their own.
fn translate_if_untouched(conn: &mut DbConnection) -> anyhow::Result<()> {
    let c = consultations::find_by_slug(conn, SLUG)?;
    let Some(first) = drafts::versions_of(conn, c.id)?.into_iter().next() else {
        return Ok(());
    };
    let (source, translation) = drafts::translation::sources(conn, first.id)?;
    if source == DRAFT && translation.is_none() && c.translated_title.is_none() {
        translate(conn, c.id, &first)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_demo_and_its_french_translation_divide_alike() {
        let en = import::parse(LONG_DRAFT, LONG_LEVEL).unwrap();
        let fr = import::parse(LONG_DRAFT_FR, LONG_LEVEL).unwrap();
        assert!(en.provisions.len() >= 40);
        assert!(
            en.divisions
                .iter()
                .filter(|d| d.key.starts_with("ch-"))
                .count()
                >= 5
        );
        assert!(en.preamble.contains("Recalling"));
        let keys = |d: &import::ParsedDraft| -> Vec<String> {
            d.divisions
                .iter()
                .map(|d| d.key.clone())
                .chain(d.provisions.iter().map(|p| p.key.clone()))
                .collect()
        };
        assert_eq!(keys(&en), keys(&fr));
        assert_eq!(fr.provisions[0].label, "Article premier");
        assert!(en.provisions.iter().all(|p| p.division.is_some()));
    }
}
