-- A published text carries what the organizers decided about it (a confirmed
-- disposition and its reason, as written in Markdown) and the labels of the
-- themes it was tagged with, frozen with the report version. Texts published
-- before this have none.
ALTER TABLE report_texts ADD COLUMN disposition TEXT
    CHECK (disposition IN ('accepted', 'partly_accepted', 'not_accepted', 'out_of_scope'));
ALTER TABLE report_texts ADD COLUMN disposition_reason TEXT;
-- Tag labels joined by "; ", as report.csv carries them.
ALTER TABLE report_texts ADD COLUMN tags TEXT NOT NULL DEFAULT '';

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
    'admin.create', 'user.promote', 'participant.verify',
    'consultation.create', 'consultation.update', 'draft.import', 'draft.translate',
    'round.create', 'round.open', 'round.close', 'round.extend', 'round.publish',
    'response.update', 'moderation.hide', 'rule.create', 'rule.delete', 'analyst.add', 'analyst.remove', 'tag.create', 'tag.update', 'tag.delete', 'analysis.assign',
    'disposition.propose', 'disposition.confirm'));
