DROP TABLE analysis_queue;
