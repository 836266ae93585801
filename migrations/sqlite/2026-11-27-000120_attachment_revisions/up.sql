-- A position paper added to or removed from a submission is a revision of
-- its own ('attach', 'detach'), whose content lists the files held after it.
-- SQLite cannot alter a CHECK: the table is rebuilt (no table refers to it).
CREATE TABLE submission_revisions_new (
    id INTEGER PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions (id),
    revision INTEGER NOT NULL CHECK (revision >= 1),
    action TEXT NOT NULL CHECK (action IN ('save', 'submit', 'withdraw', 'attach', 'detach')),
    -- The whole submission as it stood after this action, as JSON.
    content TEXT NOT NULL,
    -- Each submit gets its own receipt, so an earlier receipt stays checkable.
    receipt_code TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    author_id BIGINT REFERENCES users (id),
    UNIQUE (submission_id, revision)
);
INSERT INTO submission_revisions_new (id, submission_id, revision, action, content, receipt_code, created_at, author_id)
    SELECT id, submission_id, revision, action, content, receipt_code, created_at, author_id FROM submission_revisions;
DROP TABLE submission_revisions;
ALTER TABLE submission_revisions_new RENAME TO submission_revisions;
