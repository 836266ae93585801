ALTER TABLE report_job_texts DROP COLUMN region;
ALTER TABLE report_texts DROP COLUMN region;
