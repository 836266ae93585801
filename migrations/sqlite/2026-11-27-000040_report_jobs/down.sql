DROP INDEX users_deleted;
DROP INDEX submissions_round_updated;
DROP TABLE round_changes;
DROP TABLE report_job_csv_chunks;
DROP TABLE report_job_texts;
DROP TABLE report_jobs;
