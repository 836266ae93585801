DELETE FROM audit_log WHERE action = 'round.link';
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
    'disposition.propose', 'disposition.confirm'));

ALTER TABLE positions DROP COLUMN changed_mind;
