-- Where a reported URL is hosted and whether it is still online: the
-- addresses its host resolved to and the HTTP status (never the body).
CREATE TABLE url_checks (
	id INTEGER PRIMARY KEY,
	report_url_id INTEGER NOT NULL REFERENCES report_urls (id)
	    ON DELETE CASCADE,
	at INTEGER NOT NULL,
	addresses TEXT,                         -- space-separated
	http_status INTEGER,                    -- NULL: no answer
	error TEXT
);

CREATE INDEX url_checks_of ON url_checks (report_url_id);
