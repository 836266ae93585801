-- movement.csv of a report (and of a draft report computed in the background):
-- one row per participant-provision pair answered in this round and the round
-- it follows. NULL when the round follows none.
ALTER TABLE reports ADD COLUMN movement_csv TEXT;
ALTER TABLE report_jobs ADD COLUMN movement_csv TEXT;

-- Until when commenters may answer the organizers' response to their position,
-- and when they were told the window opened (once).
ALTER TABLE rounds ADD COLUMN answers_close_at TIMESTAMP;
ALTER TABLE rounds ADD COLUMN answers_notice_at TIMESTAMP;

-- A commenter's answer to the response to one of their positions: the latest
-- word stands (changed in place until the window closes).
CREATE TABLE response_answers (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    position_id BIGINT NOT NULL UNIQUE REFERENCES positions (id),
    participant_id BIGINT NOT NULL REFERENCES users (id),
    answer TEXT NOT NULL CHECK (answer IN ('satisfied', 'not_satisfied', 'formal_objection')),
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- Organizers are told of a formal objection once, whatever changes after.
    objection_notice_at TIMESTAMP
);
CREATE INDEX response_answers_round ON response_answers (round_id, participant_id);

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
    'disposition.propose', 'disposition.confirm', 'round.link',
    'round.answers'));

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN (
        'verify_email', 'password_reset', 'account_exists', 'password_changed',
        'round_opened', 'round_reminder', 'round_extended', 'report_published', 'receipt',
        'answers_open', 'formal_objection'));
