-- The evidence vault (/coffre): a victim's files, links and texts, kept
-- for as long as needed and handed to a lawyer or the police when ready.
--
-- Nothing here can be read without the person's passphrase.  Each vault
-- has a random 32-byte key (VK); argon2id of the passphrase gives a key
-- that wraps VK, and VK encrypts everything of the vault: the chain's id,
-- each item's record (metadata, hashes, link, signature), its text or
-- link, its note, and the files under DATA/uploads/vault/.  The server
-- keeps neither the passphrase nor VK (src/vault/session.c holds VK in
-- memory while a vault is open).
--
-- The vault's identifier is not stored either: `lookup` is a keyed hash
-- (the vault sub-key of the master key) of the normalised identifier.
-- What stays in clear is what the server needs to find rows and keep the
-- chain in order: sequence numbers, whether an item was deleted, its
-- random file name, dates of creation and of shares' expiry.

CREATE TABLE vaults (
	id INTEGER PRIMARY KEY,
	lookup TEXT NOT NULL UNIQUE,            -- keyed hash of the identifier
	salt BLOB NOT NULL,                     -- argon2id salt (16 bytes)
	opslimit INTEGER NOT NULL,              -- argon2id parameters used
	memlimit INTEGER NOT NULL,
	wrapped_key BLOB NOT NULL,              -- VK, secretbox'ed (nonce first)
	chain BLOB NOT NULL,                    -- the chain's id, under VK
	created_at INTEGER NOT NULL
);

-- One row per item, kept as a tombstone when the person deletes it: the
-- record (seq, hashes, link, signature) stays so that the chain can still
-- be checked, the content, the note and the file are erased.
CREATE TABLE vault_items (
	id INTEGER PRIMARY KEY,
	vault_id INTEGER NOT NULL REFERENCES vaults (id) ON DELETE CASCADE,
	seq INTEGER NOT NULL CHECK (seq > 0),
	record BLOB NOT NULL,                   -- JSON under VK
	content BLOB,                           -- text, or a link's
	                                        -- description, under VK
	note BLOB,                              -- under VK, or NULL
	file TEXT,                              -- random name in
	                                        -- uploads/vault/, or NULL
	deleted INTEGER NOT NULL DEFAULT 0,
	UNIQUE (vault_id, seq)
);

-- Read-only accesses given to a professional: a code shown once, VK
-- wrapped by argon2id of the code.  The purge erases the wrapped key once
-- expired (the row stays 30 days so that the code gets a clear "expired"
-- answer), revoking deletes the row.
CREATE TABLE vault_shares (
	id INTEGER PRIMARY KEY,
	vault_id INTEGER NOT NULL REFERENCES vaults (id) ON DELETE CASCADE,
	lookup TEXT NOT NULL UNIQUE,            -- keyed hash of the code
	salt BLOB,                              -- NULL once expired
	wrapped_key BLOB,                       -- NULL once expired
	label BLOB,                             -- for whom, under VK, or NULL
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);

CREATE INDEX vault_shares_vault ON vault_shares (vault_id);
CREATE INDEX vault_shares_expiry ON vault_shares (expires_at);
