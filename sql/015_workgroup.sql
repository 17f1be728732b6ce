-- The working group (/groupe): its members, the cases they discuss, the
-- thread of contributions with attachments, who follows which case, and
-- the notifications waiting to be mailed.
--
-- Titles, summaries, contributions, attachment names and contents are
-- sealed with the column key: they are about real people, pseudonymised
-- by their authors but never enough to be left in clear.  Attachments
-- live in the database (sealed blobs) rather than in files, so that a
-- case and everything attached to it are written and deleted in one
-- transaction: nothing half-written, nothing half-purged.
--
-- Readings and changes go to the reports' chained audit_log, with an
-- action starting with "wg-" and the case id in report_id.

CREATE TABLE wg_members (
	user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	added_at INTEGER NOT NULL,
	added_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE wg_cases (
	id INTEGER PRIMARY KEY,
	title BLOB NOT NULL,                    -- sealed
	summary BLOB NOT NULL,                  -- sealed Markdown
	kinds TEXT NOT NULL,                    -- codes separated by spaces
	departement TEXT,                       -- code, or NULL
	professions TEXT NOT NULL,              -- codes separated by spaces
	status TEXT NOT NULL CHECK (status IN ('open', 'followed', 'closed')),
	restricted INTEGER NOT NULL DEFAULT 0,  -- 1: named members only
	confirmed INTEGER NOT NULL DEFAULT 0,   -- saved despite the detector
	author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	closed_at INTEGER                       -- when the status became closed
);

CREATE INDEX wg_cases_closed ON wg_cases (status, closed_at);

-- The members named on a restricted case (its author always is).
CREATE TABLE wg_case_access (
	case_id INTEGER NOT NULL REFERENCES wg_cases (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (case_id, user_id)
);

CREATE TABLE wg_contributions (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES wg_cases (id) ON DELETE CASCADE,
	author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	body BLOB NOT NULL,                     -- sealed Markdown
	confirmed INTEGER NOT NULL DEFAULT 0    -- saved despite the detector
);

CREATE INDEX wg_contributions_case ON wg_contributions (case_id, id);

CREATE TABLE wg_attachments (
	id INTEGER PRIMARY KEY,
	contribution_id INTEGER NOT NULL
	    REFERENCES wg_contributions (id) ON DELETE CASCADE,
	case_id INTEGER NOT NULL REFERENCES wg_cases (id) ON DELETE CASCADE,
	name BLOB NOT NULL,                     -- sealed: the file's name
	type TEXT NOT NULL,                     -- recognised by content
	size INTEGER NOT NULL,                  -- bytes, before sealing
	data BLOB NOT NULL                      -- sealed content
);

CREATE INDEX wg_attachments_contribution ON wg_attachments (contribution_id);

CREATE TABLE wg_follows (
	case_id INTEGER NOT NULL REFERENCES wg_cases (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (case_id, user_id)
);

-- A mail to send to a follower about a new contribution; deleted once
-- sent (or when the case goes).  The mail carries a link only.
CREATE TABLE wg_notifications (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES wg_cases (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL
);

-- Meetings of the group: a date and time (Europe/Paris, as typed), a
-- place or link, an agenda, the cases to discuss, notes, and decisions
-- (who does what by when).  Agenda, notes and decisions are sealed: they
-- speak of the cases.
CREATE TABLE wg_meetings (
	id INTEGER PRIMARY KEY,
	day TEXT NOT NULL,                      -- YYYY-MM-DD
	time TEXT NOT NULL,                     -- HH:MM, Europe/Paris
	place BLOB NOT NULL,                    -- sealed
	agenda BLOB NOT NULL,                   -- sealed Markdown
	notes BLOB,                             -- sealed Markdown
	created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	reminded_at INTEGER                     -- the reminder mail went
);

CREATE TABLE wg_meeting_cases (
	meeting_id INTEGER NOT NULL REFERENCES wg_meetings (id)
	    ON DELETE CASCADE,
	case_id INTEGER NOT NULL REFERENCES wg_cases (id) ON DELETE CASCADE,
	PRIMARY KEY (meeting_id, case_id)
);

CREATE TABLE wg_decisions (
	id INTEGER PRIMARY KEY,
	meeting_id INTEGER NOT NULL REFERENCES wg_meetings (id)
	    ON DELETE CASCADE,
	what BLOB NOT NULL,                     -- sealed
	who_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	due TEXT                                -- YYYY-MM-DD, or NULL
);
