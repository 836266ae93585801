-- Parts, chapters, sections and annexes of a draft version: headings above
-- the provision level, keyed like provisions so that versions and languages
-- can be matched. A provision names the innermost division it sits in (NULL
-- for drafts without divisions, as every draft imported before this was).
CREATE TABLE draft_divisions (
    id INTEGER PRIMARY KEY,
    draft_version_id BIGINT NOT NULL REFERENCES draft_versions (id),
    ordinal INTEGER NOT NULL CHECK (ordinal >= 1),
    division_key TEXT NOT NULL CHECK (length(division_key) BETWEEN 1 AND 64),
    -- The enclosing division's key; NULL at the top.
    parent_key TEXT,
    depth INTEGER NOT NULL CHECK (depth >= 1),
    label TEXT NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    translated_label TEXT,
    translated_heading TEXT,
    translated_body TEXT,
    UNIQUE (draft_version_id, division_key),
    UNIQUE (draft_version_id, ordinal)
);

ALTER TABLE provisions ADD COLUMN division_key TEXT;
