-- The index as 2026-11-27-000051_analysis_search made it.
DROP TRIGGER analysis_texts_fts_insert;
DROP TRIGGER analysis_texts_fts_delete;
DROP TRIGGER analysis_texts_fts_update;
DROP TABLE analysis_texts_fts;
CREATE VIRTUAL TABLE analysis_texts_fts USING fts5(
    document, content = 'analysis_texts', content_rowid = 'id', tokenize = 'unicode61'
);
INSERT INTO analysis_texts_fts (analysis_texts_fts) VALUES ('rebuild');
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
