DROP TABLE text_assignments;
DROP TABLE text_dispositions;
DROP TABLE text_tags;
DROP TABLE analysis_tags;
DROP TABLE consultation_analysts;
