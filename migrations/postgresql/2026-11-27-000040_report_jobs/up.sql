-- The organizers' draft report, computed by a background job on any instance
-- and kept until the round's data changes (see src/reports/jobs.rs).
CREATE TABLE report_jobs (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES rounds (id),
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    -- What the round's data looked like: asked for while queued, computed
    -- from once done. A result is current while the round's stamp is equal.
    stamp TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    -- The latest change to the round's submissions the result includes.
    submissions_as_of TIMESTAMP,
    -- The report as computed (JSON), once done.
    snapshot TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    -- A running job's claim; once past, another worker takes the job again.
    locked_until TIMESTAMP,
    error TEXT,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP
);
-- One job waiting or running per round, however many pages ask for it.
CREATE UNIQUE INDEX report_jobs_pending ON report_jobs (round_id)
    WHERE state IN ('queued', 'running');
CREATE INDEX report_jobs_round ON report_jobs (round_id, id);
CREATE INDEX report_jobs_due ON report_jobs (state, next_attempt_at);

-- A finished job's texts and open-data CSV, as a publication stores them;
-- `attempt` keeps a worker that lost its claim from mixing its rows with
-- those of the worker that took the job over.
CREATE TABLE report_job_texts (
    id BIGSERIAL PRIMARY KEY,
    job_id BIGINT NOT NULL REFERENCES report_jobs (id),
    attempt INTEGER NOT NULL,
    provision_key TEXT NOT NULL,
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
    public_id TEXT,
    disposition TEXT,
    disposition_reason TEXT,
    tags TEXT NOT NULL DEFAULT '',
    UNIQUE (job_id, attempt, provision_key, seq)
);

CREATE TABLE report_job_csv_chunks (
    job_id BIGINT NOT NULL REFERENCES report_jobs (id),
    attempt INTEGER NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 0),
    data TEXT NOT NULL,
    PRIMARY KEY (job_id, attempt, seq)
);

-- Rare organizer changes that alter a round's report (a response, a hidden
-- text; tags and dispositions): a counter the data stamp reads.
CREATE TABLE round_changes (
    round_id BIGINT PRIMARY KEY REFERENCES rounds (id),
    changes BIGINT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);

-- The data stamp's latest change to a round's submissions, and the latest
-- erased account, each found in one index lookup.
CREATE INDEX submissions_round_updated ON submissions (round_id, updated_at);
CREATE INDEX users_deleted ON users (deleted_at) WHERE deleted_at IS NOT NULL;
