DROP INDEX positions_provision;
CREATE INDEX positions_provision ON positions (provision_id);
ALTER TABLE reports ADD COLUMN csv TEXT NOT NULL DEFAULT '';
UPDATE reports SET csv = COALESCE((SELECT string_agg(data, '' ORDER BY seq) FROM report_csv_chunks c
    WHERE c.report_id = reports.id), '');
DROP TABLE report_csv_chunks;
DROP TABLE report_texts;
