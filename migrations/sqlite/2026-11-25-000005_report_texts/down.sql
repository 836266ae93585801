ALTER TABLE reports ADD COLUMN csv TEXT NOT NULL DEFAULT '';
UPDATE reports SET csv = COALESCE((SELECT group_concat(data, '') FROM
    (SELECT data FROM report_csv_chunks c WHERE c.report_id = reports.id ORDER BY seq)), '');
DROP TABLE report_csv_chunks;
DROP TABLE report_texts;
