DROP INDEX report_texts_position;
DROP TRIGGER report_texts_fts_delete;
DROP TRIGGER report_texts_fts_insert;
DROP TABLE report_texts_fts;
