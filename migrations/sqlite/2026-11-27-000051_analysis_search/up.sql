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
    id INTEGER PRIMARY KEY,
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

-- Documents are already folded and stemmed: unicode61 only splits words.
CREATE VIRTUAL TABLE analysis_texts_fts USING fts5(
    document,
    content = 'analysis_texts',
    content_rowid = 'id',
    tokenize = 'unicode61'
);

CREATE TRIGGER analysis_texts_fts_insert AFTER INSERT ON analysis_texts BEGIN
    INSERT INTO analysis_texts_fts (rowid, document) VALUES (new.id, new.document);
END;
CREATE TRIGGER analysis_texts_fts_delete AFTER DELETE ON analysis_texts BEGIN
    INSERT INTO analysis_texts_fts (analysis_texts_fts, rowid, document)
    VALUES ('delete', old.id, old.document);
END;
CREATE TRIGGER analysis_texts_fts_update AFTER UPDATE OF document ON analysis_texts BEGIN
    INSERT INTO analysis_texts_fts (analysis_texts_fts, rowid, document)
    VALUES ('delete', old.id, old.document);
    INSERT INTO analysis_texts_fts (rowid, document) VALUES (new.id, new.document);
END;

-- Which rounds have had their texts from before this migration indexed.
CREATE TABLE analysis_indexed_rounds (
    round_id BIGINT PRIMARY KEY REFERENCES rounds (id),
    indexed_at TIMESTAMP NOT NULL
);

-- Naming analysts, changing the codebook and assigning texts are audited.
-- SQLite cannot alter a CHECK: the audit log is rebuilt with the new actions
-- (no table refers to it, so nothing else moves).
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    actor_id BIGINT REFERENCES users (id),
    action TEXT NOT NULL CHECK (action IN (
        'admin.create', 'user.promote', 'participant.verify',
        'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
        'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
        'response.update', 'moderation.hide', 'rule.create', 'rule.delete',
        'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete',
        'analysis.assign')),
    consultation_id BIGINT REFERENCES consultations (id),
    round_id BIGINT REFERENCES rounds (id),
    subject TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    public BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO audit_log_new (id, actor_id, action, consultation_id, round_id, subject, details, public, created_at)
    SELECT id, actor_id, action, consultation_id, round_id, subject, details, public, created_at
    FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_public ON audit_log (public, id);
