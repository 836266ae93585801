-- A published text carries what the organizers decided about it (a confirmed
-- disposition and its reason, as written in Markdown) and the labels of the
-- themes it was tagged with, frozen with the report version. Texts published
-- before this have none.
ALTER TABLE report_texts ADD COLUMN disposition TEXT
    CHECK (disposition IN ('accepted', 'partly_accepted', 'not_accepted', 'out_of_scope'));
ALTER TABLE report_texts ADD COLUMN disposition_reason TEXT;
-- Tag labels joined by "; ", as report.csv carries them.
ALTER TABLE report_texts ADD COLUMN tags TEXT NOT NULL DEFAULT '';

-- SQLite cannot alter a CHECK: the audit log is rebuilt with the disposition
-- actions (no table refers to it, so nothing else moves).
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    actor_id BIGINT REFERENCES users (id),
    action TEXT NOT NULL CHECK (action IN (
        'admin.create', 'user.promote', 'participant.verify',
        'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
        'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
        'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
        'disposition.propose', 'disposition.confirm')),
    consultation_id BIGINT REFERENCES consultations (id),
    round_id BIGINT REFERENCES rounds (id),
    subject TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    public BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO audit_log_new (id, actor_id, action, consultation_id, round_id, subject, details, public, created_at)
    SELECT id, actor_id, action, consultation_id, round_id, subject, details, public, created_at FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_public ON audit_log (public, id);
