-- A draft version's translation keeps its preamble and the Markdown it was
-- imported from (so the organizer can correct it), and each provision its
-- translated label ("Recommandation 1.2" for "Recommendation 1.2").
ALTER TABLE draft_versions ADD COLUMN translated_preamble TEXT;
ALTER TABLE draft_versions ADD COLUMN translated_source_markdown TEXT;
ALTER TABLE provisions ADD COLUMN translated_label TEXT;

-- SQLite cannot alter a CHECK: the audit log is rebuilt with the new action
-- (no table refers to it, so nothing else moves).
CREATE TABLE audit_log_new (
    id INTEGER PRIMARY KEY,
    actor_id BIGINT REFERENCES users (id),
    action TEXT NOT NULL CHECK (action IN (
        'admin.create', 'user.promote', 'participant.verify',
        'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
        'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
        'response.update', 'moderation.hide')),
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
