CREATE TABLE audit_log_old (
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
INSERT INTO audit_log_old (id, actor_id, action, consultation_id, round_id, subject, details, public, created_at)
    SELECT id, actor_id, action, consultation_id, round_id, subject, details, public, created_at
    FROM audit_log WHERE action <> 'round.link';
DROP TABLE audit_log;
ALTER TABLE audit_log_old RENAME TO audit_log;
CREATE INDEX audit_log_public ON audit_log (public, id);

ALTER TABLE positions DROP COLUMN changed_mind;
