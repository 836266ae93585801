-- The whole domain of DESIGN.md. Timestamps are UTC without zone, set from Rust.
-- The constraints that protect the data live here, not only in code.

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
    organization TEXT NOT NULL DEFAULT '',
    stakeholder_group TEXT NOT NULL CHECK (stakeholder_group IN ('government', 'intergovernmental', 'platform', 'civil_society', 'academia', 'technical', 'individual')),
    country TEXT NOT NULL CHECK (length(country) = 2),
    locale TEXT NOT NULL CHECK (locale IN ('en', 'fr')),
    role TEXT NOT NULL DEFAULT 'participant' CHECK (role IN ('participant', 'organizer', 'admin')),
    notify_rounds BOOLEAN NOT NULL DEFAULT TRUE,
    email_verified_at TIMESTAMP,
    affiliation_verified_at TIMESTAMP,
    affiliation_verified_by BIGINT REFERENCES users (id),
    deleted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A signed-in browser. The encrypted cookie carries a random token whose hash
-- is kept here, so logging out, a password change or a reset really ends it.
CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Fixed-window counters for rate limits, shared by every instance.
CREATE TABLE throttle (
    bucket TEXT PRIMARY KEY,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL
);

CREATE TABLE email_tokens (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX email_tokens_user ON email_tokens (user_id);

CREATE TABLE consultations (
    id BIGSERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 80),
    locale TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr')),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    summary TEXT NOT NULL,
    -- The same texts in the other language, when an organizer provides them.
    translated_title TEXT,
    translated_summary TEXT,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE consultation_groups (
    consultation_id BIGINT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    stakeholder_group TEXT NOT NULL CHECK (stakeholder_group IN ('government', 'intergovernmental', 'platform', 'civil_society', 'academia', 'technical', 'individual')),
    PRIMARY KEY (consultation_id, stakeholder_group)
);

CREATE TABLE draft_versions (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    locale TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr')),
    title TEXT NOT NULL,
    preamble TEXT NOT NULL DEFAULT '',
    translated_title TEXT,
    source_markdown TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (consultation_id, version)
);

CREATE TABLE provisions (
    id BIGSERIAL PRIMARY KEY,
    draft_version_id BIGINT NOT NULL REFERENCES draft_versions (id),
    ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
    provision_key TEXT NOT NULL CHECK (length(provision_key) BETWEEN 1 AND 64),
    label TEXT NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL CHECK (length(body) >= 1),
    translated_heading TEXT,
    translated_body TEXT,
    UNIQUE (draft_version_id, provision_key),
    UNIQUE (draft_version_id, ordinal)
);

CREATE TABLE rounds (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    draft_version_id BIGINT NOT NULL REFERENCES draft_versions (id),
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    attribution TEXT NOT NULL CHECK (attribution IN ('open', 'chatham_house')),
    -- NULL while the round is a draft nobody outside the organizers sees.
    announced_at TIMESTAMP,
    -- Set by "close now"; the state is derived from these times, never stored.
    closed_early_at TIMESTAMP,
    min_group_size INTEGER NOT NULL DEFAULT 3 CHECK (min_group_size >= 1),
    -- When the "round opened" and "closing soon" e-mails were queued, so the
    -- scheduler scans participants once per round (dedup keys still make each
    -- e-mail unique if two instances race).
    opened_notice_at TIMESTAMP,
    reminder_notice_at TIMESTAMP,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (consultation_id, number),
    CHECK (closes_at > opens_at)
);

CREATE TABLE submissions (
    id BIGSERIAL PRIMARY KEY,
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
CREATE INDEX submissions_round_status ON submissions (round_id, status);
CREATE INDEX submissions_participant ON submissions (participant_id);

CREATE TABLE positions (
    id BIGSERIAL PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions (id),
    provision_id BIGINT NOT NULL REFERENCES provisions (id),
    -- NULL only in a saved draft where the participant has not chosen yet.
    stance TEXT CHECK (stance IN ('support', 'support_with_changes', 'oppose', 'no_position')),
    comment TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 10000),
    proposed_text TEXT NOT NULL DEFAULT '' CHECK (length(proposed_text) <= 10000),
    hidden_at TIMESTAMP,
    hidden_reason TEXT,
    hidden_by BIGINT REFERENCES users (id),
    UNIQUE (submission_id, provision_id)
);
CREATE INDEX positions_provision ON positions (provision_id);

CREATE TABLE submission_revisions (
    id BIGSERIAL PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions (id),
    revision INTEGER NOT NULL CHECK (revision >= 1),
    action TEXT NOT NULL CHECK (action IN ('save', 'submit', 'withdraw')),
    -- The whole submission as it stood after this action, as JSON.
    content TEXT NOT NULL,
    -- Each submit gets its own receipt, so an earlier receipt stays checkable.
    receipt_code TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (submission_id, revision)
);

CREATE TABLE provision_responses (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    provision_key TEXT NOT NULL,
    response TEXT NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, provision_key)
);

CREATE TABLE reports (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    note TEXT NOT NULL DEFAULT '',
    -- Immutable JSON snapshot: the public page is rendered from it, never recomputed.
    snapshot TEXT NOT NULL,
    -- The open data, one row per counted position, frozen with the snapshot.
    csv TEXT NOT NULL,
    published_by BIGINT REFERENCES users (id),
    published_at TIMESTAMP NOT NULL,
    UNIQUE (round_id, version)
);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT REFERENCES users (id),
    action TEXT NOT NULL CHECK (action IN (
        'admin.create', 'user.promote', 'participant.verify',
        'consultation.create', 'consultation.update', 'draft.import',
        'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
        'response.update', 'moderation.hide')),
    consultation_id BIGINT REFERENCES consultations (id),
    round_id BIGINT REFERENCES rounds (id),
    subject TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    public BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_public ON audit_log (public, id);

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    -- One message per (round, kind, recipient) and the like, even with several
    -- instances or restarts.
    dedup_key TEXT UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN (
        'verify_email', 'password_reset', 'account_exists', 'password_changed',
        'round_opened', 'round_reminder', 'round_extended', 'report_published', 'receipt')),
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
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
