-- Organizations take part in a consultation as records of their own: a
-- ministry's five officials are five members of one organization, which
-- speaks once through its official submission. An organization belongs to one
-- consultation, so its members, its verification and its positions are that
-- consultation's business alone.
CREATE TABLE organizations (
    id BIGSERIAL PRIMARY KEY,
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
    id BIGSERIAL PRIMARY KEY,
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
ALTER TABLE submissions ADD COLUMN organization_id BIGINT REFERENCES organizations (id);
ALTER TABLE submissions ADD COLUMN counts_for TEXT NOT NULL DEFAULT 'person'
    CHECK (counts_for IN ('person', 'member', 'organization', 'replaced'));
ALTER TABLE submissions DROP CONSTRAINT submissions_round_id_participant_id_key;
CREATE UNIQUE INDEX submissions_personal ON submissions (round_id, participant_id)
    WHERE organization_id IS NULL;
CREATE UNIQUE INDEX submissions_official ON submissions (round_id, organization_id)
    WHERE organization_id IS NOT NULL;

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
    'disposition.propose', 'disposition.confirm', 'round.link', 'round.answers',
    'organization.create', 'organization.verify', 'round.counting'));

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN (
    'verify_email', 'password_reset', 'account_exists', 'password_changed',
    'round_opened', 'round_reminder', 'round_extended', 'report_published', 'receipt', 'answers_open', 'formal_objection',
    'organization_invitation', 'organization_request'));
