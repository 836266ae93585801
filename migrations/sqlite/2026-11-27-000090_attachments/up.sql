-- Position papers: up to a few files attached to a submission (PDF, Word,
-- OpenDocument), their type checked by content. The bytes live in
-- attachment_chunks (storage 'db') or in a file named by public_id under
-- storage.attachments_dir (storage 'dir'); each attachment remembers where,
-- so changing the setting leaves earlier files readable.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    -- 128 random bits, hex: the public address of a published paper, which
    -- must not reveal (as consecutive ids would) which papers one person sent.
    public_id TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pdf', 'docx', 'odt')),
    size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
    sha256 TEXT NOT NULL,
    storage TEXT NOT NULL CHECK (storage IN ('db', 'dir')),
    extracted_text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_submission ON attachments (submission_id, id);

-- Rows of at most 256 KB, so that neither storing nor serving a file holds
-- it whole in memory.
CREATE TABLE attachment_chunks (
    attachment_id BIGINT NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL CHECK (seq >= 0),
    data BLOB NOT NULL,
    PRIMARY KEY (attachment_id, seq)
);
