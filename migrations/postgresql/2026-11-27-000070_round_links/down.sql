ALTER TABLE rounds DROP COLUMN follows_round_id;
