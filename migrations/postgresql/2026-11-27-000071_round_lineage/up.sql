-- A participant of a round that follows another may say, per provision, what
-- changed their mind since the earlier round.
ALTER TABLE positions ADD COLUMN changed_mind TEXT NOT NULL DEFAULT '';

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
    'disposition.propose', 'disposition.confirm',
    'round.link'));
