-- Submissions whose search rows (analysis_texts) are out of date. A submit,
-- a withdrawal or a changed position paper writes one row here in its own
-- transaction instead of re-indexing there; the background worker indexes
-- queued submissions in batches, and a workspace page indexes what is still
-- queued for its round before reading. Several rows may name one submission:
-- each names one change, and is deleted by whoever indexed the submission
-- after it. No foreign keys: a row lives about a second, and checking them
-- would cost every submit more than the row itself.
CREATE TABLE analysis_queue (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL,
    submission_id BIGINT NOT NULL,
    queued_at TIMESTAMP NOT NULL
);
CREATE INDEX analysis_queue_round ON analysis_queue (round_id, id);

-- The search rows are derived from submissions and rewritten in batches: the
-- foreign keys of each inserted row (its round, provision and submission)
-- were a quarter of the batch's INSERT, and guard nothing a reindex would not
-- put right.
ALTER TABLE analysis_texts
    DROP CONSTRAINT analysis_texts_round_id_fkey,
    DROP CONSTRAINT analysis_texts_provision_id_fkey,
    DROP CONSTRAINT analysis_texts_submission_id_fkey;
