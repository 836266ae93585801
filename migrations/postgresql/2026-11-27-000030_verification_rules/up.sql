-- An organizer's rule: whoever confirms an address at `domain` (or at one of
-- its subdomains) and declared this group and country has that affiliation
-- verified. A rule never changes what anyone declared.
CREATE TABLE verification_rules (
    id BIGSERIAL PRIMARY KEY,
    domain TEXT NOT NULL CHECK (length(domain) BETWEEN 3 AND 253),
    stakeholder_group TEXT NOT NULL CHECK (stakeholder_group IN ('government', 'intergovernmental', 'platform', 'civil_society', 'academia', 'technical', 'individual')),
    country TEXT NOT NULL CHECK (length(country) = 2),
    verified_count INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (domain, stakeholder_group, country)
);

-- The participants list filters and sorts 100,000 people: each sort has an
-- index in its order (id breaks ties), and the group and country indexes
-- also serve their filters. E-mail is unique, so its own index sorts it.
CREATE INDEX users_name ON users (lower(display_name), id);
CREATE INDEX users_created ON users (created_at, id);
CREATE INDEX users_group ON users (stakeholder_group, id);
CREATE INDEX users_country ON users (country, id);
-- Counting live people (the list's total, the dashboard's figures by role,
-- group, confirmation and verification) reads this index alone, not the table.
CREATE INDEX users_live ON users (role, deleted_at, stakeholder_group, email_verified_at, affiliation_verified_at);

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide', 'rule.create', 'rule.delete'));
