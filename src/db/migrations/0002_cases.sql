-- Cases: the working-day calendar, children, appeals with their history,
-- consultations and referrals.

-- The working-day calendar as data: DATE is YYYY-MM-DD, or *-MM-DD for every year.
CREATE TABLE calendar_entry (
	id {{id}},
	day TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'religious', 'dayoff', 'workday')),
	name TEXT
);
CREATE TABLE calendar_meta (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	version {{int}} NOT NULL,
	updated_at {{int}} NOT NULL
);
INSERT INTO calendar_meta (one, version, updated_at) VALUES (1, 0, 0);

-- A sealed known text: tells at start-up whether the key file fits this database.
CREATE TABLE key_check (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	sealed {{blob}} NOT NULL
);

-- A child. The IIN is kept sealed, with a keyed hash for uniqueness and lookup;
-- the name keys (text/names.h) are what search and duplicate checks use; ver
-- orders changes for the in-memory name index (child_meta.ver).
CREATE TABLE child (
	id {{id}},
	surname TEXT NOT NULL,
	given_name TEXT NOT NULL,
	patronymic TEXT,
	iin_hash {{int}} UNIQUE,
	iin_sealed {{blob}},
	birth_date TEXT,
	sex TEXT CHECK (sex IN ('M', 'F')),
	district_id {{int}} REFERENCES district(id),
	care_status TEXT NOT NULL,
	institution TEXT,
	guardian_name TEXT,
	guardian_phone TEXT,
	school TEXT,
	notes TEXT,
	surname_key TEXT NOT NULL,
	given_key TEXT NOT NULL,
	patronymic_key TEXT NOT NULL DEFAULT '',
	merged_into {{int}} REFERENCES child(id),
	ver {{int}} NOT NULL DEFAULT 0,
	created_by {{int}} REFERENCES app_user(id),
	created_at {{int}} NOT NULL,
	updated_at {{int}} NOT NULL
);
CREATE INDEX child_names ON child(surname_key, given_key, id);
CREATE INDEX child_district ON child(district_id, surname_key, given_key, id);
CREATE INDEX child_ver ON child(ver);

CREATE TABLE appeal_counter (
	year INTEGER PRIMARY KEY,
	last {{int}} NOT NULL
);

CREATE TABLE appeal (
	id {{id}},
	number TEXT NOT NULL UNIQUE,
	channel TEXT NOT NULL,
	kind TEXT NOT NULL,
	applicant_type TEXT NOT NULL,
	applicant_name TEXT,
	applicant_phone TEXT,
	applicant_lang TEXT NOT NULL DEFAULT 'kk',
	child_id {{int}} REFERENCES child(id),
	category TEXT NOT NULL,
	risk TEXT NOT NULL,
	prio INTEGER NOT NULL,
	district_id {{int}} NOT NULL REFERENCES district(id),
	summary TEXT,
	summary_sealed {{blob}},
	sensitive INTEGER NOT NULL DEFAULT 0,
	received_at {{int}} NOT NULL,
	registered_on TEXT NOT NULL,
	due_on TEXT NOT NULL,
	status TEXT NOT NULL,
	assignee_id {{int}} REFERENCES app_user(id),
	extended_until TEXT,
	extension_reason TEXT,
	notify_by TEXT,
	forwarded_to {{int}} REFERENCES organisation(id),
	forward_due_on TEXT,
	forwarded_on TEXT,
	applicant_notified_on TEXT,
	status_reason TEXT,
	flagged INTEGER NOT NULL DEFAULT 0,
	created_by {{int}} REFERENCES app_user(id),
	created_org {{int}} REFERENCES organisation(id),
	created_at {{int}} NOT NULL,
	updated_at {{int}} NOT NULL
);
-- Every list is ordered by prio (open, critical, risk) then due date; one index per scope.
CREATE INDEX appeal_order ON appeal(prio DESC, due_on, id);
CREATE INDEX appeal_district ON appeal(district_id, prio DESC, due_on, id);
CREATE INDEX appeal_assignee ON appeal(assignee_id, prio DESC, due_on, id);
CREATE INDEX appeal_created_org ON appeal(created_org, prio DESC, due_on, id);
CREATE INDEX appeal_open_due ON appeal(status, due_on);
CREATE INDEX appeal_registered ON appeal(registered_on);
CREATE INDEX appeal_child ON appeal(child_id);

-- Everything that happened to an appeal, in order.
CREATE TABLE appeal_event (
	id {{id}},
	appeal_id {{int}} NOT NULL REFERENCES appeal(id),
	at {{int}} NOT NULL,
	user_id {{int}} REFERENCES app_user(id),
	action TEXT NOT NULL,
	from_status TEXT,
	to_status TEXT,
	detail TEXT
);
CREATE INDEX appeal_event_appeal ON appeal_event(appeal_id, id);

-- Search terms of an appeal (summary words, applicant and child names) as keyed
-- hashes: searchable without keeping the words in the clear.
--sqlite CREATE TABLE appeal_term (term INTEGER NOT NULL, appeal_id INTEGER NOT NULL REFERENCES appeal(id), PRIMARY KEY (term, appeal_id)) WITHOUT ROWID;
--pg CREATE TABLE appeal_term (term BIGINT NOT NULL, appeal_id BIGINT NOT NULL REFERENCES appeal(id), PRIMARY KEY (term, appeal_id));

CREATE TABLE consultation (
	id {{id}},
	appeal_id {{int}} NOT NULL REFERENCES appeal(id),
	psychologist_id {{int}} NOT NULL REFERENCES app_user(id),
	held_at {{int}} NOT NULL,
	duration_min INTEGER NOT NULL,
	format TEXT NOT NULL CHECK (format IN ('in_person', 'phone', 'online')),
	participants TEXT,
	notes_sealed {{blob}},
	next_at {{int}},
	created_at {{int}} NOT NULL
);
CREATE INDEX consultation_appeal ON consultation(appeal_id, held_at);
CREATE INDEX consultation_held ON consultation(held_at);

CREATE TABLE referral (
	id {{id}},
	appeal_id {{int}} NOT NULL REFERENCES appeal(id),
	to_org {{int}} NOT NULL REFERENCES organisation(id),
	reason TEXT NOT NULL,
	consent TEXT NOT NULL CHECK (consent IN ('given', 'not_required')),
	legal_ground TEXT,
	status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected', 'done', 'revoked')),
	due_on TEXT NOT NULL,
	answer TEXT,
	created_by {{int}} REFERENCES app_user(id),
	created_at {{int}} NOT NULL,
	answered_by {{int}} REFERENCES app_user(id),
	answered_at {{int}},
	updated_at {{int}} NOT NULL
);
CREATE INDEX referral_appeal ON referral(appeal_id);
CREATE INDEX referral_to ON referral(to_org, status, due_on);
