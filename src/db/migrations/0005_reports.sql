-- Figures for reports, kept as the data changes rather than counted from
-- a million rows on every dashboard: appeals received (in all, and by
-- category, channel, kind and risk), resolved, and consultations held, per day
-- and district.
ALTER TABLE appeal ADD COLUMN resolved_on TEXT;

--sqlite CREATE TABLE appeal_stat (day TEXT NOT NULL, district_id INTEGER NOT NULL, dim TEXT NOT NULL, val TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (dim, day, district_id, val)) WITHOUT ROWID;
--pg CREATE TABLE appeal_stat (day TEXT NOT NULL, district_id BIGINT NOT NULL, dim TEXT NOT NULL, val TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (dim, day, district_id, val));

-- What was there before: the appeals and consultations already recorded
-- (resolutions before this version left no date, so they are not counted).
INSERT INTO appeal_stat (day, district_id, dim, val, n)
	SELECT registered_on, district_id, 'received', '', count(*) FROM appeal GROUP BY registered_on, district_id;
INSERT INTO appeal_stat (day, district_id, dim, val, n)
	SELECT registered_on, district_id, 'category', category, count(*) FROM appeal GROUP BY registered_on, district_id, category;
INSERT INTO appeal_stat (day, district_id, dim, val, n)
	SELECT registered_on, district_id, 'channel', channel, count(*) FROM appeal GROUP BY registered_on, district_id, channel;
INSERT INTO appeal_stat (day, district_id, dim, val, n)
	SELECT registered_on, district_id, 'kind', kind, count(*) FROM appeal GROUP BY registered_on, district_id, kind;
INSERT INTO appeal_stat (day, district_id, dim, val, n)
	SELECT registered_on, district_id, 'risk', risk, count(*) FROM appeal GROUP BY registered_on, district_id, risk;
--sqlite INSERT INTO appeal_stat (day, district_id, dim, val, n) SELECT date(c.held_at + 18000, 'unixepoch'), a.district_id, 'consultation', '', count(*) FROM consultation c JOIN appeal a ON a.id = c.appeal_id GROUP BY 1, 2;
--pg INSERT INTO appeal_stat (day, district_id, dim, val, n) SELECT to_char(to_timestamp(c.held_at + 18000) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), a.district_id, 'consultation', '', count(*) FROM consultation c JOIN appeal a ON a.id = c.appeal_id GROUP BY 1, 2;

-- The child's district beside the attachment, so a district's figures need no join.
ALTER TABLE mentorship ADD COLUMN child_district_id {{int}};
UPDATE mentorship SET child_district_id = (SELECT district_id FROM child WHERE child.id = mentorship.child_id);

-- Indexes the summary's counts run on.
CREATE INDEX mentorship_district_due ON mentorship(child_district_id, COALESCE(last_contact_on, started_on)) WHERE ended_on IS NULL;
DROP INDEX appeal_open_due;
CREATE INDEX appeal_open_due ON appeal(status, due_on, district_id, created_org);
CREATE INDEX mentorship_contact_due ON mentorship(COALESCE(last_contact_on, started_on)) WHERE ended_on IS NULL;
CREATE INDEX lesson_report ON lesson(status, starts_at, school_id, attended);
CREATE INDEX prevention_event_report ON prevention_event(held_on, participants, district_id, organisation_id);
CREATE INDEX appeal_resolved ON appeal(resolved_on);
