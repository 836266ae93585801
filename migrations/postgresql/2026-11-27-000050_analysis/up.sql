-- The analysis workspace: who may read and code a consultation's texts, its
-- codebook, and what is recorded about each text.
--
-- A "text" of a round is either a position (its comment and proposed wording;
-- text_kind 'position', text_id the position's id) or a submission's general
-- comment (text_kind 'general', text_id the submission's id).

-- Analysts read every submitted text of one consultation's rounds, the
-- confidential ones included, and code them; they cannot publish, hide or
-- change rounds. Organizers and admins can do all of it without a row here.
CREATE TABLE consultation_analysts (
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    assigned_by BIGINT REFERENCES users (id),
    assigned_at TIMESTAMP NOT NULL,
    PRIMARY KEY (consultation_id, user_id)
);
CREATE INDEX consultation_analysts_by_user ON consultation_analysts (user_id);

-- A consultation's codebook, two levels deep at most: a tag may name a
-- parent that has none. Deleted tags keep their history.
CREATE TABLE analysis_tags (
    id BIGSERIAL PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    parent_id BIGINT REFERENCES analysis_tags (id),
    label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
    translated_label TEXT,
    description TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE UNIQUE INDEX analysis_tags_label ON analysis_tags (consultation_id, label) WHERE deleted_at IS NULL;

-- Every tagging is kept: undoing one sets removed_at. A bulk tagging shares
-- one batch so that it can be undone as a whole.
CREATE TABLE text_tags (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    text_kind TEXT NOT NULL CHECK (text_kind IN ('position', 'general')),
    text_id BIGINT NOT NULL,
    tag_id BIGINT NOT NULL REFERENCES analysis_tags (id),
    batch TEXT,
    tagged_by BIGINT REFERENCES users (id),
    tagged_at TIMESTAMP NOT NULL,
    removed_by BIGINT REFERENCES users (id),
    removed_at TIMESTAMP
);
CREATE UNIQUE INDEX text_tags_live ON text_tags (text_kind, text_id, tag_id) WHERE removed_at IS NULL;
CREATE INDEX text_tags_by_round ON text_tags (round_id, tag_id) WHERE removed_at IS NULL;
CREATE INDEX text_tags_by_batch ON text_tags (batch) WHERE batch IS NOT NULL;

-- What the organizers decided about a text. Analysts propose; an organizer
-- confirms; only confirmed dispositions are published.
CREATE TABLE text_dispositions (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    text_kind TEXT NOT NULL CHECK (text_kind IN ('position', 'general')),
    text_id BIGINT NOT NULL,
    disposition TEXT NOT NULL
        CHECK (disposition IN ('accepted', 'partly_accepted', 'not_accepted', 'out_of_scope')),
    reason TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('proposed', 'confirmed')),
    decided_by BIGINT REFERENCES users (id),
    decided_at TIMESTAMP NOT NULL,
    UNIQUE (text_kind, text_id)
);
CREATE INDEX text_dispositions_by_round ON text_dispositions (round_id, disposition);

-- Which analyst codes which text; an analyst's queue is their assigned texts
-- not yet done, oldest first.
CREATE TABLE text_assignments (
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    text_kind TEXT NOT NULL CHECK (text_kind IN ('position', 'general')),
    text_id BIGINT NOT NULL,
    analyst_id BIGINT NOT NULL REFERENCES users (id),
    assigned_by BIGINT REFERENCES users (id),
    assigned_at TIMESTAMP NOT NULL,
    done_at TIMESTAMP,
    PRIMARY KEY (text_kind, text_id)
);
CREATE INDEX text_assignments_queue ON text_assignments (analyst_id, round_id, done_at);
