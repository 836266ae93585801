DROP TABLE form_replies;
