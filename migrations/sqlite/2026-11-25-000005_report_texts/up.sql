-- Published texts leave the JSON snapshot so the report page reads one page of
-- them at a time, whatever the round's size; the CSV is kept in chunks so it is
-- written and served without holding it whole in memory.
CREATE TABLE report_texts (
    id INTEGER PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    -- '' for general comments.
    provision_key TEXT NOT NULL,
    -- 0, 1, 2… per (report, provision), in publication order.
    seq INTEGER NOT NULL CHECK (seq >= 0),
    position_id BIGINT,
    name TEXT,
    organization TEXT,
    stakeholder_group TEXT,
    country TEXT,
    stance TEXT,
    comment TEXT NOT NULL,
    proposed_text TEXT NOT NULL,
    hidden_reason TEXT,
    UNIQUE (report_id, provision_key, seq)
);

CREATE TABLE report_csv_chunks (
    report_id BIGINT NOT NULL REFERENCES reports (id),
    seq INTEGER NOT NULL CHECK (seq >= 0),
    data TEXT NOT NULL,
    PRIMARY KEY (report_id, seq)
);

INSERT INTO report_csv_chunks (report_id, seq, data) SELECT id, 0, csv FROM reports;
ALTER TABLE reports DROP COLUMN csv;
