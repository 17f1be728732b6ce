-- Reports of the phone check (/verification-telephone) that a professional
-- chose to keep.  Nothing is kept otherwise: the uploaded capture or list
-- is removed when the request ends.  The report and the user's label are
-- sealed (they say which spy apps a person's phone carries); the verdict
-- stays in clear so that the list shows it without opening each report.

CREATE TABLE scan_reports (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created TEXT NOT NULL,                  -- ISO 8601, UTC
	label TEXT NOT NULL,                    -- sealed: the user's own label
	verdict TEXT NOT NULL CHECK (verdict IN
	    ('stalkerware', 'clues', 'watchware', 'nothing', 'incomplete')),
	report BLOB NOT NULL                    -- sealed JSON, as vigie scan --json
);

CREATE INDEX scan_reports_user ON scan_reports (user_id, created);
