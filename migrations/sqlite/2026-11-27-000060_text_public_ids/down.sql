DROP INDEX report_texts_by_public_id;
ALTER TABLE report_texts DROP COLUMN public_id;
ALTER TABLE rounds DROP COLUMN report_salt;
