-- The children registry's history and the Meyirim campaign: attachments of
-- a child to an organisation's collective, its mentors, goals and contacts.

-- Bumped by every change to a child's name, district, status or attachment;
-- the change's rows carry the new value (child.ver), so a reader catches up
-- with "ver > what I have seen". The row lock orders concurrent writers.
CREATE TABLE child_meta (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	ver {{int}} NOT NULL
);
INSERT INTO child_meta (one, ver) VALUES (1, 0);

-- Everything that happened to a child's record, in order.
CREATE TABLE child_event (
	id {{id}},
	child_id {{int}} NOT NULL REFERENCES child(id),
	at {{int}} NOT NULL,
	user_id {{int}} REFERENCES app_user(id),
	action TEXT NOT NULL,
	detail TEXT
);
CREATE INDEX child_event_child ON child_event(child_id, id);

CREATE TABLE mentorship (
	id {{id}},
	child_id {{int}} NOT NULL REFERENCES child(id),
	organisation_id {{int}} NOT NULL REFERENCES organisation(id),
	started_on TEXT NOT NULL,
	ended_on TEXT,
	end_reason TEXT,
	last_contact_on TEXT,
	created_by {{int}} REFERENCES app_user(id),
	created_at {{int}} NOT NULL,
	updated_at {{int}} NOT NULL
);
-- At most one active attachment per child.
CREATE UNIQUE INDEX mentorship_active ON mentorship(child_id) WHERE ended_on IS NULL;
CREATE INDEX mentorship_child ON mentorship(child_id, id);
CREATE INDEX mentorship_org ON mentorship(organisation_id, ended_on);

-- The named staff of the organisation who act as the child's mentors.
CREATE TABLE mentor (
	id {{id}},
	mentorship_id {{int}} NOT NULL REFERENCES mentorship(id),
	name TEXT NOT NULL,
	position TEXT,
	phone TEXT,
	active INTEGER NOT NULL DEFAULT 1,
	created_at {{int}} NOT NULL
);
CREATE INDEX mentor_mentorship ON mentor(mentorship_id);

-- Goals agreed with the child, and how they go.
CREATE TABLE goal (
	id {{id}},
	mentorship_id {{int}} NOT NULL REFERENCES mentorship(id),
	area TEXT NOT NULL CHECK (area IN ('education', 'career', 'skills', 'health', 'other')),
	description TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('agreed', 'in_progress', 'reached', 'dropped')),
	agreed_on TEXT NOT NULL,
	reached_on TEXT,
	created_by {{int}} REFERENCES app_user(id),
	updated_at {{int}} NOT NULL
);
CREATE INDEX goal_mentorship ON goal(mentorship_id);
CREATE INDEX goal_status ON goal(status, reached_on);

CREATE TABLE goal_note (
	id {{id}},
	goal_id {{int}} NOT NULL REFERENCES goal(id),
	at {{int}} NOT NULL,
	user_id {{int}} REFERENCES app_user(id),
	status TEXT,
	note TEXT NOT NULL
);
CREATE INDEX goal_note_goal ON goal_note(goal_id, id);

-- The contact log: what the mentors did with the child, and when.
CREATE TABLE mentor_contact (
	id {{id}},
	mentorship_id {{int}} NOT NULL REFERENCES mentorship(id),
	contact_on TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('meeting', 'call', 'outing', 'career_guidance', 'study_help', 'material_help', 'holiday')),
	participants TEXT,
	notes TEXT,
	next_step TEXT,
	created_by {{int}} REFERENCES app_user(id),
	created_at {{int}} NOT NULL
);
CREATE INDEX mentor_contact_mentorship ON mentor_contact(mentorship_id, contact_on);
CREATE INDEX mentor_contact_on ON mentor_contact(contact_on);
