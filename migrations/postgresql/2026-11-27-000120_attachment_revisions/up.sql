-- A position paper added to or removed from a submission is a revision of
-- its own ('attach', 'detach'), whose content lists the files held after it.
ALTER TABLE submission_revisions DROP CONSTRAINT submission_revisions_action_check;
ALTER TABLE submission_revisions ADD CONSTRAINT submission_revisions_action_check
    CHECK (action IN ('save', 'submit', 'withdraw', 'attach', 'detach'));
