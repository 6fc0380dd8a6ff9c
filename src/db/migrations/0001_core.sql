-- Core: districts, organisations, accounts, sessions, API tokens, the audit chain.
-- Tokens: {{id}} {{int}} {{blob}} {{real}} differ by backend; "--sqlite " and "--pg " lines are for one only.
-- Times are Unix seconds (UTC) in {{int}} columns; dates are 'YYYY-MM-DD' text.

CREATE TABLE district (
	id {{id}},
	code TEXT NOT NULL UNIQUE,
	name_kk TEXT NOT NULL,
	name_ru TEXT NOT NULL,
	name_en TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('city', 'district')),
	active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE organisation (
	id {{id}},
	name TEXT NOT NULL,
	name_ru TEXT,
	kind TEXT NOT NULL,
	district_id {{int}} REFERENCES district(id),
	phone TEXT,
	address TEXT,
	active INTEGER NOT NULL DEFAULT 1,
	created_at {{int}} NOT NULL
);
CREATE INDEX organisation_kind ON organisation(kind, name);

CREATE TABLE app_user (
	id {{id}},
	login TEXT NOT NULL UNIQUE,
	full_name TEXT NOT NULL,
	role TEXT NOT NULL,
	is_head INTEGER NOT NULL DEFAULT 0,
	organisation_id {{int}} REFERENCES organisation(id),
	district_id {{int}} REFERENCES district(id),
	lang TEXT NOT NULL DEFAULT 'kk',
	active INTEGER NOT NULL DEFAULT 1,
	password_hash TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	locked_until {{int}} NOT NULL DEFAULT 0,
	created_at {{int}} NOT NULL,
	updated_at {{int}} NOT NULL
);
CREATE INDEX app_user_role ON app_user(role);

-- Sessions: only a hash of the cookie token is stored.
CREATE TABLE session (
	id {{id}},
	token_hash {{blob}} NOT NULL UNIQUE,
	user_id {{int}} NOT NULL REFERENCES app_user(id),
	csrf TEXT NOT NULL,
	created_at {{int}} NOT NULL,
	last_seen_at {{int}} NOT NULL,
	ended_at {{int}},
	client TEXT
);
CREATE INDEX session_by_user ON session(user_id);

CREATE TABLE api_token (
	id {{id}},
	token_hash {{blob}} NOT NULL UNIQUE,
	user_id {{int}} NOT NULL REFERENCES app_user(id),
	label TEXT,
	created_at {{int}} NOT NULL,
	expires_at {{int}},
	revoked_at {{int}}
);
CREATE INDEX api_token_by_user ON api_token(user_id);

-- Failed logins, for lockout per account and throttling per client address.
CREATE TABLE login_failure (
	id {{id}},
	login TEXT NOT NULL,
	client TEXT NOT NULL,
	at {{int}} NOT NULL
);
CREATE INDEX login_failure_login ON login_failure(login, at);
CREATE INDEX login_failure_client ON login_failure(client, at);

-- Break-the-glass grants: one record, one user, one hour.
CREATE TABLE access_grant (
	id {{id}},
	user_id {{int}} NOT NULL REFERENCES app_user(id),
	resource TEXT NOT NULL,
	resource_id {{int}} NOT NULL,
	reason TEXT NOT NULL,
	granted_at {{int}} NOT NULL,
	expires_at {{int}} NOT NULL
);
CREATE INDEX access_grant_lookup ON access_grant(user_id, resource, resource_id, expires_at);

-- The audit log: append-only, each row's hash covers the previous row's hash.
CREATE TABLE audit_log (
	id {{id}},
	at {{int}} NOT NULL,
	user_id {{int}},
	role TEXT,
	action TEXT NOT NULL,
	resource TEXT NOT NULL,
	resource_id {{int}},
	client TEXT,
	outcome TEXT NOT NULL,
	detail TEXT,
	prev_hash {{blob}} NOT NULL,
	hash {{blob}} NOT NULL
);
CREATE INDEX audit_log_user ON audit_log(user_id, id);
CREATE INDEX audit_log_resource ON audit_log(resource, resource_id, id);
CREATE INDEX audit_log_at ON audit_log(at);

-- The chain head: one row, locked by whoever appends (several instances on PostgreSQL).
CREATE TABLE audit_head (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	last_id {{int}} NOT NULL,
	hash {{blob}} NOT NULL
);

-- The program never updates or deletes audit rows; the database refuses too.
--sqlite CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
--sqlite CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;
--pg CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit rows are append-only'; END $$;
--pg CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- The chain starts from 32 zero bytes.
--sqlite INSERT INTO audit_head (one, last_id, hash) VALUES (1, 0, zeroblob(32));
--pg INSERT INTO audit_head (one, last_id, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));
