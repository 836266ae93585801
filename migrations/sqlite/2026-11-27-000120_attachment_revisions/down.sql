CREATE TABLE submission_revisions_new (
    id INTEGER PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions (id),
    revision INTEGER NOT NULL CHECK (revision >= 1),
    action TEXT NOT NULL CHECK (action IN ('save', 'submit', 'withdraw')),
    content TEXT NOT NULL,
    receipt_code TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    author_id BIGINT REFERENCES users (id),
    UNIQUE (submission_id, revision)
);
INSERT INTO submission_revisions_new (id, submission_id, revision, action, content, receipt_code, created_at, author_id)
    SELECT id, submission_id, revision, action, content, receipt_code, created_at, author_id FROM submission_revisions
    WHERE action NOT IN ('attach', 'detach');
DROP TABLE submission_revisions;
ALTER TABLE submission_revisions_new RENAME TO submission_revisions;
