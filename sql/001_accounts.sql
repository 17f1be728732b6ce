-- Accounts and sessions.  Portable SQL: runs on SQLite and PostgreSQL.
-- Times are Unix seconds (UTC).

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,             -- lower-cased
	password_hash TEXT NOT NULL,            -- argon2id, libsodium format
	role TEXT NOT NULL CHECK (role IN
	    ('professional', 'analyst', 'editor', 'admin')),
	status TEXT NOT NULL CHECK (status IN
	    ('pending', 'active', 'rejected', 'disabled')),
	name TEXT NOT NULL,
	organisation TEXT,
	profession TEXT,
	request_note BLOB,                      -- sealed with the column key
	created_at INTEGER NOT NULL,
	decided_by INTEGER REFERENCES users (id),
	decided_at INTEGER
);

CREATE INDEX users_status ON users (status);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,            -- hash of the cookie's token
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	seen_at INTEGER NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per address, whether an account exists or not, so that
-- the lock says nothing about which addresses have accounts.  The address
-- is stored as a keyed hash only.
CREATE TABLE login_throttle (
	address_hash TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	locked_until INTEGER NOT NULL
);
