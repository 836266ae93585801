//! The analysis workspace: open to the organizers and to the analysts of
//! each consultation; anyone else gets 404, as for a consultation that does
//! not exist. Analysts read and code; only organizers change the codebook
//! and split the work.

mod campaigns;
mod codebook;
mod progress;
mod round;
mod text;

pub use campaigns::campaigns;
pub use codebook::{delete_tag, mine, save_tag, workspace};
pub use progress::progress;
pub use round::{assign, round, tag, undo_batch};
pub use text::{batch, queue, save_text, text, undo_tagging};

use crate::accounts::User;
use crate::analysis::access::{Analysis, analysis_role};
use crate::consultations::{self, Consultation, Slug};
use crate::rounds::{self, Round, RoundNumber};
use crate::web::errors::AppError;
use crate::web::page::Ctx;

/// A consultation's workspace as one person may use it.
pub(super) struct Workspace {
    pub(super) consultation: Consultation,
    pub(super) role: Analysis,
    pub(super) user: User,
}

impl Workspace {
    pub(super) fn organizer(&self) -> Result<(), AppError> {
        match self.role {
            Analysis::Organizer => Ok(()),
            Analysis::Analyst => Err(AppError::forbidden()),
        }
    }
}

pub(super) async fn workspace_of(ctx: &Ctx, slug: Slug) -> Result<Workspace, AppError> {
    let user = ctx.user()?.clone();
    ctx.state
        .db
        .run(move |c| -> Result<Workspace, AppError> {
            let consultation = consultations::find_by_slug(c, slug.as_str())?;
            let role = analysis_role(c, &user, consultation.id)?.ok_or(AppError::not_found())?;
            Ok(Workspace {
                consultation,
                role,
                user,
            })
        })
        .await
}

/// The workspace and one of its rounds, whose texts submitted before the
/// search existed are indexed on this first visit, and whose changes the
/// background worker has not indexed yet are indexed now.
pub(super) async fn round_of(
    ctx: &Ctx,
    slug: Slug,
    number: RoundNumber,
) -> Result<(Workspace, Round), AppError> {
    let w = workspace_of(ctx, slug).await?;
    let (consultation, now) = (w.consultation.id, ctx.state.clock.now());
    let round = ctx
        .state
        .db
        .query(move |c| {
            let (round, _) = rounds::find(c, consultation, number.get())?;
            crate::analysis::index::catch_up(c, round.id, now)?;
            crate::analysis::index::drain_round(c, round.id)?;
            Ok(round)
        })
        .await?;
    Ok((w, round))
}
