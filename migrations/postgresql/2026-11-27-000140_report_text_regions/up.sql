-- A published text's region stays when its country is withheld from a small
-- cell (as in report.csv), so the public search's region filter finds it.
ALTER TABLE report_texts ADD COLUMN region TEXT;
ALTER TABLE report_job_texts ADD COLUMN region TEXT;
