CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    actor_id BIGINT REFERENCES users (id),
    action TEXT NOT NULL CHECK (action IN (
        'admin.create', 'user.promote', 'participant.verify',
        'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
        'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
        'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
        'disposition.propose', 'disposition.confirm', 'round.link', 'round.answers')),
    consultation_id BIGINT REFERENCES consultations (id),
    round_id BIGINT REFERENCES rounds (id),
    subject TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    public BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO audit_log_new (id, actor_id, action, consultation_id, round_id, subject, details, public, created_at)
    SELECT id, actor_id, action, consultation_id, round_id, subject, details, public, created_at FROM audit_log
    WHERE action NOT IN ('organization.create', 'organization.verify', 'round.counting');
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
        'round_opened', 'round_reminder', 'round_extended', 'report_published', 'receipt', 'answers_open', 'formal_objection')),
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
    WHERE kind NOT IN ('organization_invitation', 'organization_request');
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Official submissions have no place in the older schema: they go with their
-- positions, revisions and indexed texts.
DELETE FROM analysis_texts WHERE submission_id IN (SELECT id FROM submissions WHERE organization_id IS NOT NULL);
DELETE FROM positions WHERE submission_id IN (SELECT id FROM submissions WHERE organization_id IS NOT NULL);
DELETE FROM submission_revisions WHERE submission_id IN (SELECT id FROM submissions WHERE organization_id IS NOT NULL);
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE submissions_copy AS SELECT * FROM submissions WHERE organization_id IS NULL;
DROP TABLE submissions;
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    participant_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'withdrawn')),
    disclosure TEXT NOT NULL CHECK (disclosure IN ('attributed', 'organization', 'anonymous', 'confidential')),
    general_comment TEXT NOT NULL DEFAULT '',
    general_comment_hidden_reason TEXT,
    -- Snapshot of the participant at submission time; a later profile change
    -- never rewrites what was submitted.
    display_name TEXT NOT NULL,
    organization TEXT NOT NULL,
    stakeholder_group TEXT NOT NULL CHECK (stakeholder_group IN ('government', 'intergovernmental', 'platform', 'civil_society', 'academia', 'technical', 'individual')),
    country TEXT NOT NULL CHECK (length(country) = 2),
    affiliation_verified BOOLEAN NOT NULL,
    receipt_code TEXT UNIQUE,
    revision INTEGER NOT NULL DEFAULT 0,
    submitted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, participant_id)
);
INSERT INTO submissions (id, round_id, participant_id, status, disclosure, general_comment,
        general_comment_hidden_reason, display_name, organization, stakeholder_group, country,
        affiliation_verified, receipt_code, revision, submitted_at, created_at, updated_at)
    SELECT id, round_id, participant_id, status, disclosure, general_comment,
        general_comment_hidden_reason, display_name, organization, stakeholder_group, country,
        affiliation_verified, receipt_code, revision, submitted_at, created_at, updated_at
    FROM submissions_copy;
DROP TABLE submissions_copy;
CREATE INDEX submissions_round_status ON submissions (round_id, status);
CREATE INDEX submissions_participant ON submissions (participant_id);
CREATE INDEX submissions_round_updated ON submissions (round_id, updated_at);

ALTER TABLE submission_revisions DROP COLUMN author_id;
ALTER TABLE rounds DROP COLUMN counting;
DROP TABLE organization_members;
DROP TABLE organizations;
