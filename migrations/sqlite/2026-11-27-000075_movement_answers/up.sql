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
    id INTEGER PRIMARY KEY,
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

-- SQLite cannot alter a CHECK: the audit log is rebuilt with the new action
-- (setting the answer window).
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    actor_id BIGINT REFERENCES users (id),
    action TEXT NOT NULL CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
    'disposition.propose', 'disposition.confirm', 'round.link',
    'round.answers')),
    consultation_id BIGINT REFERENCES consultations (id),
    round_id BIGINT REFERENCES rounds (id),
    subject TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    public BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO audit_log_new (id, actor_id, action, consultation_id, round_id, subject, details, public, created_at)
    SELECT id, actor_id, action, consultation_id, round_id, subject, details, public, created_at FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_public ON audit_log (public, id);

-- The outbox is rebuilt the same way, for the two new e-mails.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    -- One message per (round, kind, recipient) and the like, even with several
    -- instances or restarts.
    dedup_key TEXT UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN (
        'verify_email', 'password_reset', 'account_exists', 'password_changed',
        'round_opened', 'round_reminder', 'round_extended', 'report_published', 'receipt',
        'answers_open', 'formal_objection')),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
INSERT INTO outbox_new (id, dedup_key, kind, recipient, subject, body_text, body_html, status, attempts, next_attempt_at, locked_until, last_error, created_at, sent_at)
    SELECT id, dedup_key, kind, recipient, subject, body_text, body_html, status, attempts, next_attempt_at, locked_until, last_error, created_at, sent_at
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
