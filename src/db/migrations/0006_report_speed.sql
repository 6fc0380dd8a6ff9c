-- Faster headline figures (reports/summary over a million appeals).

-- The schools that held lessons in a period, and their lessons and pupils: one
-- range per school on (school, status, time) read from the index alone,
-- instead of a walk over every held lesson of the period (lesson_report leads
-- with status).
CREATE INDEX lesson_school_held ON lesson(school_id, status, starts_at, attended);

-- The children attached now, per child's district (0: none recorded), kept by
-- triggers on every insert, end, move or delete of an attachment, so that the
-- count is a dozen rows rather than a walk over every attachment.
--sqlite CREATE TABLE attached_count (district_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
--pg CREATE TABLE attached_count (district_id BIGINT PRIMARY KEY, n BIGINT NOT NULL);
INSERT INTO attached_count (district_id, n)
	SELECT COALESCE(child_district_id, 0), count(*) FROM mentorship WHERE ended_on IS NULL GROUP BY COALESCE(child_district_id, 0);

--sqlite CREATE TRIGGER attached_count_insert AFTER INSERT ON mentorship WHEN NEW.ended_on IS NULL BEGIN INSERT INTO attached_count (district_id, n) VALUES (COALESCE(NEW.child_district_id, 0), 1) ON CONFLICT (district_id) DO UPDATE SET n = n + 1; END;
--sqlite CREATE TRIGGER attached_count_update AFTER UPDATE OF ended_on, child_district_id ON mentorship BEGIN UPDATE attached_count SET n = n - 1 WHERE OLD.ended_on IS NULL AND district_id = COALESCE(OLD.child_district_id, 0); INSERT INTO attached_count (district_id, n) SELECT COALESCE(NEW.child_district_id, 0), 1 WHERE NEW.ended_on IS NULL ON CONFLICT (district_id) DO UPDATE SET n = n + 1; END;
--sqlite CREATE TRIGGER attached_count_delete AFTER DELETE ON mentorship WHEN OLD.ended_on IS NULL BEGIN UPDATE attached_count SET n = n - 1 WHERE district_id = COALESCE(OLD.child_district_id, 0); END;

--pg CREATE FUNCTION attached_count_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'INSERT' THEN IF OLD.ended_on IS NULL THEN UPDATE attached_count SET n = n - 1 WHERE district_id = COALESCE(OLD.child_district_id, 0); END IF; END IF; IF TG_OP <> 'DELETE' THEN IF NEW.ended_on IS NULL THEN INSERT INTO attached_count (district_id, n) VALUES (COALESCE(NEW.child_district_id, 0), 1) ON CONFLICT (district_id) DO UPDATE SET n = attached_count.n + 1; END IF; END IF; RETURN NULL; END $$;
--pg CREATE TRIGGER attached_count_keep AFTER INSERT OR UPDATE OF ended_on, child_district_id OR DELETE ON mentorship FOR EACH ROW EXECUTE FUNCTION attached_count_keep();
