-- The observatory's questionnaires: forms imported from XLSForm, waves
-- (campaigns) that open and close, panels of invited participants, and the
-- answers, kept per wave.
--
-- Anonymous waves keep nothing that links an answer to a participant or a
-- code: the response row has no participant, a random id (so that the
-- order of rows tells nothing), and the day of submission only.

CREATE TABLE survey_forms (
	id INTEGER PRIMARY KEY,
	form_id TEXT NOT NULL UNIQUE,           -- XLSForm form_id, in /q/FORM_ID
	title TEXT NOT NULL,
	version TEXT,
	definition TEXT NOT NULL,               -- the form as JSON (xlsform.h)
	created_at INTEGER NOT NULL,
	modified_at INTEGER NOT NULL,
	created_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE survey_waves (
	id INTEGER PRIMARY KEY,
	form_id INTEGER NOT NULL REFERENCES survey_forms (id) ON DELETE CASCADE,
	name TEXT NOT NULL,                     -- "2026 — T1"
	opens_at INTEGER NOT NULL,
	closes_at INTEGER,                      -- NULL: until closed by hand
	access TEXT NOT NULL CHECK (access IN ('open', 'panel')),
	anonymous INTEGER NOT NULL DEFAULT 1,
	-- Pseudonymous linkage: the participant builds a code from personal
	-- cues, kept only as a keyed hash, so that a "before" and an "after"
	-- wave can be paired without knowing who answered.
	linkage INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	UNIQUE (form_id, name)
);

CREATE INDEX survey_waves_form ON survey_waves (form_id, opens_at);

CREATE TABLE survey_participants (
	id INTEGER PRIMARY KEY,
	wave_id INTEGER NOT NULL REFERENCES survey_waves (id) ON DELETE CASCADE,
	email_sealed BLOB NOT NULL,             -- encrypted at rest
	name_sealed BLOB,
	email_hash TEXT NOT NULL,               -- keyed, to refuse duplicates
	code_hash TEXT NOT NULL UNIQUE,         -- keyed hash of the invitation code
	code_sealed BLOB,                       -- the code, to mail it; cleared once used
	invited_at INTEGER,
	reminded_at INTEGER,
	used INTEGER NOT NULL DEFAULT 0,        -- the code has answered
	UNIQUE (wave_id, email_hash)
);

CREATE TABLE survey_responses (
	id INTEGER PRIMARY KEY,                 -- random in anonymous waves
	wave_id INTEGER NOT NULL REFERENCES survey_waves (id) ON DELETE CASCADE,
	submitted_on TEXT NOT NULL,             -- YYYY-MM-DD (UTC)
	submitted_at INTEGER,                   -- NULL in anonymous waves
	participant_id INTEGER REFERENCES survey_participants (id)
	    ON DELETE SET NULL,                 -- NULL in anonymous waves
	language TEXT NOT NULL DEFAULT 'fr',
	link_hash TEXT,                         -- pseudonymous linkage code
	answers BLOB NOT NULL                   -- sealed JSON {name: value}
);

CREATE INDEX survey_responses_wave ON survey_responses (wave_id, submitted_on);
CREATE INDEX survey_responses_link ON survey_responses (link_hash)
    WHERE link_hash IS NOT NULL;

-- Every sending carries a random nonce made when the person started:
-- the same answers cannot be sent twice.  Kept apart from the responses,
-- with no time, so that it links nothing.
CREATE TABLE survey_nonces (
	wave_id INTEGER NOT NULL REFERENCES survey_waves (id) ON DELETE CASCADE,
	nonce TEXT NOT NULL,
	PRIMARY KEY (wave_id, nonce)
) WITHOUT ROWID;

-- Saved answers waiting to be resumed with a resume code (30 days).
CREATE TABLE survey_drafts (
	code_hash TEXT PRIMARY KEY,             -- keyed hash of the resume code
	wave_id INTEGER NOT NULL REFERENCES survey_waves (id) ON DELETE CASCADE,
	state_sealed BLOB NOT NULL,
	saved_at INTEGER NOT NULL
);

-- Counts per day, for the completion rate: no personal data.
CREATE TABLE survey_wave_days (
	wave_id INTEGER NOT NULL REFERENCES survey_waves (id) ON DELETE CASCADE,
	day TEXT NOT NULL,
	started INTEGER NOT NULL DEFAULT 0,
	completed INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (wave_id, day)
);
