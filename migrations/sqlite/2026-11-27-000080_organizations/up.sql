-- Organizations take part in a consultation as records of their own: a
-- ministry's five officials are five members of one organization, which
-- speaks once through its official submission. An organization belongs to one
-- consultation, so its members, its verification and its positions are that
-- consultation's business alone.
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The name in the consultation's other language, when it has one.
    translated_name TEXT,
    stakeholder_group TEXT NOT NULL CHECK (stakeholder_group IN ('government', 'intergovernmental', 'platform', 'civil_society', 'academia', 'technical', 'individual')),
    country TEXT NOT NULL CHECK (length(country) = 2),
    website TEXT NOT NULL DEFAULT '',
    -- Lower-case domains separated by single spaces ("canada.ca gc.ca").
    domains TEXT NOT NULL DEFAULT '',
    -- NULL while pending: created by a participant and not yet confirmed by an
    -- organizer or a domain rule.
    verified_at TIMESTAMP,
    verified_by BIGINT REFERENCES users (id),
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (consultation_id, name)
);

-- A person's membership of an organization, from invitation or request to
-- leaving. Rows are never deleted, so who could draft and sign when stays known.
CREATE TABLE organization_members (
    id INTEGER PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    -- Copied from the organization: one active membership per consultation.
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    state TEXT NOT NULL CHECK (state IN ('invited', 'requested', 'active', 'declined', 'left')),
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    is_drafter BOOLEAN NOT NULL DEFAULT FALSE,
    is_signatory BOOLEAN NOT NULL DEFAULT FALSE,
    invited_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organization_members_one_active
    ON organization_members (consultation_id, user_id) WHERE state = 'active';
-- One open invitation or request per person and organization.
CREATE UNIQUE INDEX organization_members_one_open
    ON organization_members (organization_id, user_id) WHERE state IN ('invited', 'requested');
CREATE INDEX organization_members_organization ON organization_members (organization_id, state);

-- The round's counting policy: per person (every submission counts once), per
-- organization (an organization's official submission counts once, and people
-- who belong to none count once each), or both sets of figures side by side.
-- Chosen when the round is created, changeable until it opens.
ALTER TABLE rounds ADD COLUMN counting TEXT NOT NULL DEFAULT 'per_person'
    CHECK (counting IN ('per_person', 'per_organization', 'both'));

-- Who wrote each revision: the participant for a personal submission, the
-- drafter or signatory for an organization's official one.
ALTER TABLE submission_revisions ADD COLUMN author_id BIGINT REFERENCES users (id);

-- A submission is a person's (organization_id NULL) or an organization's
-- official one, one of each per round: a member may still answer in a
-- personal capacity. `counts_for` says which set of figures it enters, fixed
-- when it is submitted: 'person' (someone in no organization: both sets),
-- 'member' (a member's personal submission: per person only), 'organization'
-- (an official submission: per organization only), 'replaced' (an official
-- submission its organization replaced by co-signing a joint one: neither).
--
-- SQLite cannot drop the old UNIQUE (round_id, participant_id): the table is
-- rebuilt. Positions, revisions and indexed texts refer to it, so the foreign
-- keys are checked at commit, once the rows are back under the same ids.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE submissions_copy AS SELECT * FROM submissions;
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
    organization_id BIGINT REFERENCES organizations (id),
    counts_for TEXT NOT NULL DEFAULT 'person' CHECK (counts_for IN ('person', 'member', 'organization', 'replaced'))
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
CREATE UNIQUE INDEX submissions_personal ON submissions (round_id, participant_id)
    WHERE organization_id IS NULL;
CREATE UNIQUE INDEX submissions_official ON submissions (round_id, organization_id)
    WHERE organization_id IS NOT NULL;

-- SQLite cannot alter a CHECK: the audit log is rebuilt with the organization
-- and counting actions, and the outbox with the organizations' e-mails (no
-- table refers to either).
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
    SELECT id, actor_id, action, consultation_id, round_id, subject, details, public, created_at FROM audit_log;
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
        attempts, next_attempt_at, locked_until, last_error, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
