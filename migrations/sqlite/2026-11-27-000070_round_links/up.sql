ALTER TABLE rounds ADD COLUMN follows_round_id BIGINT;
