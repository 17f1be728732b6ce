-- Notices to hosts (DSA art. 16): the text sent, to whom, when, and the
-- host's answer.  A notice with no answer after due_at is overdue.
CREATE TABLE notices (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	recipient TEXT,                         -- NULL: downloaded, not sent
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	created_by INTEGER NOT NULL REFERENCES users (id),
	sent_at INTEGER,
	due_at INTEGER,
	reply_at INTEGER,
	decision TEXT                           -- retire, refuse
);

CREATE INDEX notices_of ON notices (report_id);
