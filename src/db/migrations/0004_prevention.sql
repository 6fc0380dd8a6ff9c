-- The prevention programme: schools taking part, prosecutor-approved
-- lecturers, lessons, and large prevention events.

-- What the programme needs to know of a school or college (an organisation).
CREATE TABLE school_profile (
	organisation_id {{int}} PRIMARY KEY REFERENCES organisation(id),
	pupils INTEGER NOT NULL DEFAULT 0,
	in_programme INTEGER NOT NULL DEFAULT 0,
	programme_since TEXT,
	updated_at {{int}} NOT NULL
);

CREATE TABLE lecturer (
	id {{id}},
	full_name TEXT NOT NULL,
	agency TEXT NOT NULL CHECK (agency IN ('police', 'juvenile_police', 'prosecutor', 'justice', 'emergency', 'other')),
	position TEXT,
	phone TEXT,
	email TEXT,
	user_id {{int}} REFERENCES app_user(id),
	feed_hash {{blob}}, -- keyed hash of the secret iCalendar feed token
	created_by {{int}} REFERENCES app_user(id),
	created_at {{int}} NOT NULL,
	updated_at {{int}} NOT NULL
);
CREATE UNIQUE INDEX lecturer_user ON lecturer(user_id);
CREATE UNIQUE INDEX lecturer_feed ON lecturer(feed_hash);

-- A prosecutor's approval: by order number and date, until a day; revocable.
CREATE TABLE lecturer_approval (
	id {{id}},
	lecturer_id {{int}} NOT NULL REFERENCES lecturer(id),
	order_number TEXT NOT NULL,
	order_date TEXT NOT NULL,
	valid_until TEXT NOT NULL,
	approved_by {{int}} NOT NULL REFERENCES app_user(id),
	approved_at {{int}} NOT NULL,
	revoked_at {{int}},
	revoked_by {{int}} REFERENCES app_user(id),
	revoke_reason TEXT
);
CREATE INDEX lecturer_approval_lecturer ON lecturer_approval(lecturer_id, id);

CREATE TABLE lesson (
	id {{id}},
	school_id {{int}} NOT NULL REFERENCES organisation(id),
	lecturer_id {{int}} NOT NULL REFERENCES lecturer(id),
	starts_at {{int}} NOT NULL,
	ends_at {{int}} NOT NULL,
	lesson_on TEXT NOT NULL, -- the local date it starts on

	class_name TEXT NOT NULL,
	class_key TEXT NOT NULL, -- the class as compared for double booking (folded, no spaces)
	topic TEXT NOT NULL CHECK (topic IN ('bullying', 'violence', 'cyber_safety', 'offences', 'drugs', 'road_safety', 'other')),
	planned_pupils INTEGER NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
	cancel_reason TEXT,
	attended INTEGER,
	note TEXT,
	feedback TEXT,
	confirmed_at {{int}},
	sequence INTEGER NOT NULL DEFAULT 0,
	created_by {{int}} REFERENCES app_user(id),
	created_at {{int}} NOT NULL,
	updated_at {{int}} NOT NULL
);
CREATE INDEX lesson_lecturer ON lesson(lecturer_id, starts_at);
CREATE INDEX lesson_school ON lesson(school_id, starts_at);
CREATE INDEX lesson_start ON lesson(starts_at);

CREATE TABLE prevention_event (
	id {{id}},
	title TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('lecture', 'training', 'parents_meeting', 'campaign', 'sports_cultural', 'online')),
	held_on TEXT NOT NULL,
	district_id {{int}} NOT NULL REFERENCES district(id),
	place TEXT,
	organiser TEXT NOT NULL CHECK (organiser IN ('support_centre', 'department', 'school', 'police', 'prosecutor', 'ombudsman', 'other')),
	organisation_id {{int}} REFERENCES organisation(id),
	target_group TEXT,
	participants INTEGER NOT NULL DEFAULT 0,
	partners TEXT,
	note TEXT,
	created_by {{int}} REFERENCES app_user(id),
	created_at {{int}} NOT NULL,
	updated_at {{int}} NOT NULL
);
CREATE INDEX prevention_event_held ON prevention_event(held_on);
CREATE INDEX prevention_event_district ON prevention_event(district_id, held_on);
