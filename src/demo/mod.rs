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
        rounds::create(
            conn,
            &NewRound {
                consultation: id,
                draft_version: version.id,
                opens_at: now,
                closes_at: now + Duration::days(30),
                attribution: Attribution::Open,
                announce: true,
            },
            None,
            now,
        )?;
        Ok(true)
    })
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
