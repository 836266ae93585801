DROP TABLE joint_signatures;

CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    actor_id BIGINT REFERENCES users (id),
    action TEXT NOT NULL CHECK (action IN (
        'admin.create', 'user.promote', 'participant.verify',
        'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
        'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
        'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
        'disposition.propose', 'disposition.confirm', 'round.link', 'round.answers',
        'organization.create', 'organization.verify', 'round.counting')),
    consultation_id BIGINT REFERENCES consultations (id),
    round_id BIGINT REFERENCES rounds (id),
    subject TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    public BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO audit_log_new (id, actor_id, action, consultation_id, round_id, subject, details, public, created_at)
    SELECT id, actor_id, action, consultation_id, round_id, subject, details, public, created_at FROM audit_log
    WHERE action NOT LIKE 'joint.%';
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_public ON audit_log (public, id);

CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY,
    -- One message per (round, kind, recipient) and the like, even with several
    -- instances or restarts.
    dedup_key TEXT UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN (
        'verify_email', 'password_reset', 'account_exists', 'password_changed',
        'round_opened', 'round_reminder', 'round_extended', 'report_published', 'receipt', 'answers_open', 'formal_objection',
        'organization_invitation', 'organization_request')),
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
INSERT INTO outbox_new (id, dedup_key, kind, recipient, subject, body_text, body_html, status,
        attempts, next_attempt_at, locked_until, last_error, created_at, sent_at)
    SELECT id, dedup_key, kind, recipient, subject, body_text, body_html, status,
        attempts, next_attempt_at, locked_until, last_error, created_at, sent_at FROM outbox
    WHERE kind <> 'joint_invitation';
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
