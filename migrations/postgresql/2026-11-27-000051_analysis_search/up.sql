-- The analysis workspace's search: one row per non-empty text of a submitted
-- submission (see 2026-11-27-000050_analysis for what a text is), holding a
-- "search document" computed in Rust: lower case, accents removed, each word
-- reduced by both the English and the French Snowball stemmers, so that one
-- index serves texts in either language. Rows are written with the submit;
-- texts submitted before this migration are indexed on first use of the
-- round's workspace (analysis::index::catch_up).
-- The stance is kept here because every submit rewrites the rows of its
-- submission, and filters then need no join to positions.
CREATE TABLE analysis_texts (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    submission_id BIGINT NOT NULL REFERENCES submissions (id),
    text_kind TEXT NOT NULL CHECK (text_kind IN ('position', 'general')),
    text_id BIGINT NOT NULL,
    provision_id BIGINT REFERENCES provisions (id),
    stance TEXT,
    document TEXT NOT NULL
);
CREATE UNIQUE INDEX analysis_texts_text ON analysis_texts (text_kind, text_id);
CREATE INDEX analysis_texts_round ON analysis_texts (round_id, provision_id);
CREATE INDEX analysis_texts_submission ON analysis_texts (submission_id);
-- Documents are already folded and stemmed: 'simple' only splits words.
CREATE INDEX analysis_texts_search ON analysis_texts USING GIN (to_tsvector('simple', document));

-- Which rounds have had their texts from before this migration indexed.
CREATE TABLE analysis_indexed_rounds (
    round_id BIGINT PRIMARY KEY REFERENCES rounds (id),
    indexed_at TIMESTAMP NOT NULL
);

-- Naming analysts, changing the codebook and assigning texts are audited.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
        'admin.create', 'user.promote', 'participant.verify',
        'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
        'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
        'response.update', 'moderation.hide', 'rule.create', 'rule.delete',
        'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete',
        'analysis.assign'));
