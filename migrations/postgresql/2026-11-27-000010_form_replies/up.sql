-- The outcome of each state-changing form, by its one-time token (hashed with
-- the session's CSRF token), so that a form sent twice (a double click, a
-- reload, a retry) has its effect once and both requests get the same answer.
-- `status` is NULL while the first request is being served.
CREATE TABLE form_replies (
    key TEXT PRIMARY KEY NOT NULL,
    status INTEGER,
    location TEXT,
    content_type TEXT,
    body BYTEA,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX form_replies_created_at ON form_replies (created_at);
