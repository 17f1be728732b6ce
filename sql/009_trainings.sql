-- Trainings for professionals: the catalogue, dated sessions, and the
-- registrations with their waiting list.  Portable SQL.
-- Times are Unix seconds (UTC); a session's date and times are also kept
-- as typed (Europe/Paris local time), which is what people are shown.

CREATE TABLE trainings (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	objectives TEXT NOT NULL,
	audience TEXT NOT NULL,                 -- who it is for, in words
	duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
	format TEXT NOT NULL CHECK (format IN ('onsite', 'remote')),
	themes TEXT NOT NULL,                   -- codes separated by spaces
	trainer TEXT NOT NULL,
	published INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	modified_at INTEGER NOT NULL
);

CREATE TABLE training_sessions (
	id INTEGER PRIMARY KEY,
	training_id INTEGER NOT NULL REFERENCES trainings (id),
	day TEXT NOT NULL,                      -- YYYY-MM-DD, Europe/Paris
	start_time TEXT NOT NULL,               -- HH:MM, Europe/Paris
	end_time TEXT NOT NULL,                 -- HH:MM, Europe/Paris
	starts_at INTEGER NOT NULL,             -- the same instants, UTC
	ends_at INTEGER NOT NULL,
	place TEXT,                             -- address, on site
	departement TEXT,                       -- code of the place ("42", "2A")
	link TEXT,                              -- https:// link, remote
	capacity INTEGER NOT NULL CHECK (capacity > 0),
	-- Questionnaires answered before and after (the surveys area's ids;
	-- kept as text until that area exists).
	survey_before TEXT,
	survey_after TEXT,
	created_at INTEGER NOT NULL,
	modified_at INTEGER NOT NULL
);

CREATE INDEX training_sessions_of ON training_sessions (training_id, starts_at);
CREATE INDEX training_sessions_when ON training_sessions (starts_at);

-- One row per person and session.  A cancelled registration is kept (and
-- reused if the person registers again, at the end of the queue): the
-- waiting list is the 'waiting' rows in order of seq.
CREATE TABLE training_registrations (
	id INTEGER PRIMARY KEY,
	session_id INTEGER NOT NULL REFERENCES training_sessions (id),
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	status TEXT NOT NULL CHECK (status IN
	    ('registered', 'waiting', 'cancelled')),
	seq INTEGER NOT NULL,                   -- order of arrival in the session
	attendance TEXT NOT NULL DEFAULT 'unknown' CHECK (attendance IN
	    ('present', 'absent', 'unknown')),
	registered_at INTEGER NOT NULL,         -- last (re)registration
	promoted_at INTEGER,                    -- moved up from the waiting list
	cancelled_at INTEGER,
	reminded_at INTEGER,                    -- reminder mail sent
	UNIQUE (session_id, user_id)
);

CREATE INDEX training_registrations_queue ON training_registrations
    (session_id, status, seq);
CREATE INDEX training_registrations_user ON training_registrations (user_id);
