-- Anonymous reports of illicit content.  Nothing here identifies the
-- person who reports: no address, no user agent, no account.  What they
-- wrote is sealed with the column key; the URLs stay readable so that
-- analysts can group reports about the same content.

CREATE TABLE reports (
	id INTEGER PRIMARY KEY,
	submission_hash TEXT NOT NULL UNIQUE,   -- one report per form sent
	receipt_hash TEXT NOT NULL UNIQUE,      -- keyed hash of the follow-up code
	category TEXT NOT NULL,
	priority INTEGER NOT NULL,
	seen_where BLOB,                        -- sealed
	description BLOB,                       -- sealed
	seen_on TEXT,                           -- YYYY-MM-DD
	minor TEXT NOT NULL CHECK (minor IN ('oui', 'non', 'ne-sais-pas')),
	relation TEXT NOT NULL,
	contact BLOB,                           -- sealed, optional
	contact_safe BLOB,                      -- sealed, optional
	status TEXT NOT NULL DEFAULT 'nouveau',
	outcome TEXT,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE INDEX reports_queue ON reports (status, priority, created_at);

CREATE TABLE report_urls (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	url TEXT NOT NULL,
	host TEXT NOT NULL,
	platform TEXT
);

CREATE INDEX report_urls_host ON report_urls (host);

-- Every change of a report, timestamped and kept.
CREATE TABLE report_events (
	id INTEGER PRIMARY KEY,
	report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	at INTEGER NOT NULL,
	kind TEXT NOT NULL,                     -- created, status, outcome…
	detail TEXT,
	actor_id INTEGER REFERENCES users (id)  -- NULL: the anonymous reporter
);
