DELETE FROM submission_revisions WHERE action IN ('attach', 'detach');
ALTER TABLE submission_revisions DROP CONSTRAINT submission_revisions_action_check;
ALTER TABLE submission_revisions ADD CONSTRAINT submission_revisions_action_check
    CHECK (action IN ('save', 'submit', 'withdraw'));
