-- The analysts' work on reports: qualification, and an audit log of every
-- view and change by staff, append-only and chained by hashes so that a
-- removed or altered entry shows (vigie audit verify).

ALTER TABLE reports ADD COLUMN in_remit INTEGER;          -- NULL: not decided
ALTER TABLE reports ADD COLUMN qualification TEXT;        -- an article code
ALTER TABLE reports ADD COLUMN assignee_id INTEGER REFERENCES users (id);

CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	actor_id INTEGER NOT NULL REFERENCES users (id),
	action TEXT NOT NULL,                   -- view, status, qualify, outcome
	report_id INTEGER,
	detail TEXT,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
	SELECT RAISE (ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
	SELECT RAISE (ABORT, 'audit_log is append-only');
END;

-- The URL reduced for grouping: lower-case host and path, no query, no
-- fragment, no trailing slash.
ALTER TABLE report_urls ADD COLUMN canonical TEXT;
CREATE INDEX report_urls_canonical ON report_urls (canonical);

-- When the personal data of a report was removed (vigie purge).
ALTER TABLE reports ADD COLUMN purged_at INTEGER;
