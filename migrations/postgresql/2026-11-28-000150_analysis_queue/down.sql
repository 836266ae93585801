ALTER TABLE analysis_texts
    ADD CONSTRAINT analysis_texts_round_id_fkey FOREIGN KEY (round_id) REFERENCES rounds (id),
    ADD CONSTRAINT analysis_texts_provision_id_fkey FOREIGN KEY (provision_id) REFERENCES provisions (id),
    ADD CONSTRAINT analysis_texts_submission_id_fkey FOREIGN KEY (submission_id) REFERENCES submissions (id);
DROP TABLE analysis_queue;
