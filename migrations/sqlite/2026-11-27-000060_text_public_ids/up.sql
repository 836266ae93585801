-- A round's secret salt: published texts are named and ordered by a keyed
-- hash of what they are (see reports/privacy.rs), so that a permalink or a
-- row's place in report.csv never tells which texts one person wrote.
ALTER TABLE rounds ADD COLUMN report_salt TEXT NOT NULL DEFAULT '';
UPDATE rounds SET report_salt = lower(hex(randomblob(16)));

-- Older versions were published before texts had public ids: they keep no
-- permalinks.
ALTER TABLE report_texts ADD COLUMN public_id TEXT;
CREATE INDEX report_texts_by_public_id ON report_texts (report_id, public_id);
