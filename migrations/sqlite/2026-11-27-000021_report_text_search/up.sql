-- Finding what was said in a published report: a full-text index over the
-- texts as published (hidden ones are stored empty), kept by triggers since
-- report_texts rows are only ever inserted (and deleted with their report).
-- unicode61 with remove_diacritics folds "réglementation" and
-- "reglementation" together, and case, in both languages.
CREATE VIRTUAL TABLE report_texts_fts USING fts5(
    comment,
    proposed_text,
    content = 'report_texts',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO report_texts_fts (report_texts_fts) VALUES ('rebuild');

CREATE TRIGGER report_texts_fts_insert AFTER INSERT ON report_texts BEGIN
    INSERT INTO report_texts_fts (rowid, comment, proposed_text)
    VALUES (new.id, new.comment, new.proposed_text);
END;
CREATE TRIGGER report_texts_fts_delete AFTER DELETE ON report_texts BEGIN
    INSERT INTO report_texts_fts (report_texts_fts, rowid, comment, proposed_text)
    VALUES ('delete', old.id, old.comment, old.proposed_text);
END;

-- A permalink names the position a text came from, in the latest version.
CREATE INDEX report_texts_position ON report_texts (report_id, position_id);
