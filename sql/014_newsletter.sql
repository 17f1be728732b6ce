-- The quarterly newsletter: subscribers (double opt-in), issues composed
-- from blocks, and one delivery row per address and issue so that a
-- sending stopped half-way resumes without mailing anyone twice.
-- Addresses are personal data: sealed with the column key, found through
-- a keyed hash (blind index).  Tokens are kept as keyed hashes only, but
-- the unsubscribe token is also sealed because every mail carries it.

CREATE TABLE newsletter_subscribers (
	id INTEGER PRIMARY KEY,
	email_hash TEXT NOT NULL UNIQUE,        -- keyed hash of the address,
	                                        -- lower-cased
	email_sealed BLOB NOT NULL,
	name_sealed BLOB,                       -- optional, sealed
	status TEXT NOT NULL CHECK (status IN
	    ('pending', 'confirmed', 'bounced')),
	confirm_hash TEXT UNIQUE,               -- keyed hash of the link's
	                                        -- token; NULL once used
	confirm_expires INTEGER,                -- Unix seconds
	unsubscribe_hash TEXT NOT NULL UNIQUE,  -- keyed hash of the token of
	                                        -- the unsubscribe links
	unsubscribe_sealed BLOB NOT NULL,       -- the same token, sealed
	bounces INTEGER NOT NULL DEFAULT 0,     -- permanent refusals in a row
	created_at INTEGER NOT NULL,
	confirmed_at INTEGER
);

CREATE INDEX newsletter_subscribers_status
    ON newsletter_subscribers (status);

CREATE TABLE newsletter_issues (
	id INTEGER PRIMARY KEY,
	number INTEGER UNIQUE,                  -- given when sending starts
	title TEXT NOT NULL,
	period TEXT NOT NULL,                   -- "Automne 2026"
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
	    ('draft', 'sending', 'sent')),
	content TEXT,                           -- JSON: the blocks as sent,
	                                        -- frozen when sending starts
	created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	sending_at INTEGER,
	sent_at INTEGER
);

CREATE TABLE newsletter_blocks (
	id INTEGER PRIMARY KEY,
	issue_id INTEGER NOT NULL REFERENCES newsletter_issues (id)
	    ON DELETE CASCADE,
	position INTEGER NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN
	    ('text', 'watch', 'barometer', 'resources', 'trainings')),
	data TEXT NOT NULL                      -- JSON: the block's settings
);

CREATE INDEX newsletter_blocks_issue ON newsletter_blocks (issue_id, position);

-- One row per address of an issue, made when sending starts.  A row is
-- marked 'sending' (committed) before its SMTP transaction and 'sent'
-- after: a row still 'sending' after a crash becomes 'uncertain' and is
-- never sent again (at most once).
CREATE TABLE newsletter_deliveries (
	id INTEGER PRIMARY KEY,
	issue_id INTEGER NOT NULL REFERENCES newsletter_issues (id)
	    ON DELETE CASCADE,
	subscriber_id INTEGER REFERENCES newsletter_subscribers (id)
	    ON DELETE SET NULL,                 -- NULL once unsubscribed
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
	    ('pending', 'sending', 'sent', 'failed', 'bounced', 'uncertain',
	     'cancelled')),
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL DEFAULT 0,     -- not before (retries)
	answer TEXT,                            -- the SMTP server's last answer
	updated_at INTEGER NOT NULL,
	UNIQUE (issue_id, subscriber_id)
);

CREATE INDEX newsletter_deliveries_next
    ON newsletter_deliveries (issue_id, status, next_at);

-- Who sends: one process at a time (the server's tick or `vigie
-- newsletter send`) holds this lease and renews it before each mail.  A
-- lease taken over from another owner means that owner died: its rows
-- still 'sending' become 'uncertain'.
CREATE TABLE newsletter_sender (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	owner TEXT NOT NULL,
	expires_at INTEGER NOT NULL
);
