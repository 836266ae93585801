DROP INDEX analysis_texts_filters;
CREATE INDEX analysis_texts_round ON analysis_texts (round_id, provision_id);
ALTER TABLE analysis_texts DROP COLUMN verified;
ALTER TABLE analysis_texts DROP COLUMN disclosure;
ALTER TABLE analysis_texts DROP COLUMN country;
ALTER TABLE analysis_texts DROP COLUMN stakeholder_group;
