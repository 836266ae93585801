DROP INDEX analysis_texts_words;
ALTER TABLE analysis_texts DROP COLUMN words;
CREATE INDEX analysis_texts_search ON analysis_texts USING GIN (to_tsvector('simple', document));
