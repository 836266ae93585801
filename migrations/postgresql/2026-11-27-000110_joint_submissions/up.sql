-- A joint submission is an organization's official submission co-signed by
-- other organizations of the consultation. Each row is one co-signer's
-- signature, from invitation to its answer; rows are never deleted, so who
-- signed what when stays known.
CREATE TABLE joint_signatures (
    id BIGSERIAL PRIMARY KEY,
    -- The lead organization's official submission: the joint text.
    submission_id BIGINT NOT NULL REFERENCES submissions (id),
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    lead_organization_id BIGINT NOT NULL REFERENCES organizations (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    state TEXT NOT NULL CHECK (state IN ('invited', 'confirmed', 'declined', 'withdrawn')),
    -- The co-signer as it was when it last answered (when invited, until
    -- then): the report counts it in this group, as a submission keeps its
    -- author's group at submission time.
    name TEXT NOT NULL,
    stakeholder_group TEXT NOT NULL CHECK (stakeholder_group IN ('government', 'intergovernmental', 'platform', 'civil_society', 'academia', 'technical', 'individual')),
    country TEXT NOT NULL CHECK (length(country) = 2),
    verified BOOLEAN NOT NULL,
    invited_by BIGINT NOT NULL REFERENCES users (id),
    answered_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (submission_id, organization_id),
    CHECK (organization_id <> lead_organization_id)
);
-- An organization speaks once per round: it co-signs one joint submission at most.
CREATE UNIQUE INDEX joint_signatures_one_confirmed
    ON joint_signatures (round_id, organization_id) WHERE state = 'confirmed';
CREATE INDEX joint_signatures_round ON joint_signatures (round_id, state);

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
    'disposition.propose', 'disposition.confirm', 'round.link', 'round.answers',
    'organization.create', 'organization.verify', 'round.counting',
        'joint.invite', 'joint.confirm', 'joint.decline', 'joint.withdraw'));

ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN (
    'verify_email', 'password_reset', 'account_exists', 'password_changed',
    'round_opened', 'round_reminder', 'round_extended', 'report_published', 'receipt', 'answers_open', 'formal_objection',
    'organization_invitation', 'organization_request',
        'joint_invitation'));
