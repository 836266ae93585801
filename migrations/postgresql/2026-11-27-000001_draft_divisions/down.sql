ALTER TABLE provisions DROP COLUMN division_key;
DROP TABLE draft_divisions;
