/*
 * Crash safety: a mixed write load (appeals, audited reads, consultations,
 * Meyirim contacts) from several connections while the server is killed
 * with SIGKILL at random moments, many times over. After every kill the
 * server restarts on the same database and every write that got a success
 * reply must still be there, with its audit row; every few rounds the
 * database as the crash left it passes PRAGMA integrity_check (SQLite) and
 * `qorgau audit verify`. Both backends.
 *
 * On PostgreSQL, also: PostgreSQL itself stops mid-load and comes back;
 * qorgau answers 503 (promptly) while it is away, recovers by itself, and
 * loses no acknowledged write.
 *
 * QORGAU_CRASH_ROUNDS sets the number of kills (default 50; the long mode
 * is e.g. 500); QORGAU_CRASH_SEED repeats a run's pauses and choices (not the
 * threads' interleaving).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/testlib.h"

enum {
	WRITERS = 4,
	CASES = 4, /* appeals assigned to the psychologist, for consultations */
	CHECK_EVERY = 10, /* rounds between integrity and audit-chain checks */
	MIN_LOAD_MS = 10,
	MAX_LOAD_MS = 150,
};

enum write_kind { W_APPEAL, W_READ, W_CONSULTATION, W_CONTACT, W_KINDS };

static const char *const kind_names[W_KINDS] = {"appeal", "audited read", "consultation", "contact"};

/* One write that got a success reply, with what it takes to find it again. */
struct ack {
	enum write_kind kind;
	int round;
	int64_t id; /* the appeal (also for a read), consultation or contact */
	int64_t parent; /* a consultation's appeal, a contact's attachment */
	char number[40]; /* the appeal's number (a consultation's: its appeal's) */
	char tag[48]; /* the unique text written with it */
};

struct acks {
	struct ack *v;
	size_t n, cap;
};

static void acks_add(struct acks *a, const struct ack *x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 256;
		a->v = realloc(a->v, a->cap * sizeof(*a->v));
		if (!a->v)
			abort();
	}
	a->v[a->n++] = *x;
}

/* What the whole run shares; set up once, read-only while writers run. */
static struct tl_server server;
static const char *db;
static struct tl_client admin, coord, psy;
static int64_t case_ids[CASES];
static char case_numbers[CASES][40];
static int64_t mentorship_id;
static char contact_day[11];
static char held_at[32];
static atomic_int stop_load; /* the writers finish */
static atomic_int killed; /* from now on, connection errors are the kill's doing */
static atomic_int pg_away; /* PostgreSQL may be down: 503 is a correct answer */

struct writer {
	pthread_t thread;
	int index, round;
	unsigned seed;
	struct acks acks;
	struct acks cut_writes; /* writes whose reply the kill cut short (reads aside) */
	long attempts, cut, unidentified, unavailable;
	int stopped;
	long unexpected;
	char first_unexpected[256];
};

/* A local date days ago, as the server counts days (UTC+5). */
static void local_date(int days_ago, char out[11])
{
	time_t t = time(NULL) + 5 * 3600 - (time_t)days_ago * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int64_t num(json_t *j, const char *key)
{
	return json_integer_value(json_object_get(j, key));
}

static const char *str(json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));
	return s ? s : "";
}

/*
 * Sort out a reply: 1 if it is the wanted success. A connection error once
 * the kill is under way ends this writer's round; any other failure is
 * remembered.
 */
static int accepted(struct writer *w, const struct ack *x, const char *what, int status, int want, json_t *j)
{
	w->attempts++;
	if (status == want)
		return 1;
	if (status == 503 && atomic_load(&pg_away)) {
		w->unavailable++;
		return 0;
	}
	if (status == 0 && atomic_load(&killed)) {
		w->cut++;
		w->stopped = 1;
		if (x)
			acks_add(&w->cut_writes, x);
		return 0;
	}
	if (!w->unexpected++) {
		char *body = json_dumps(j, JSON_COMPACT);
		snprintf(w->first_unexpected, sizeof(w->first_unexpected), "%s: %d %.180s", what, status, body ? body : "");
		free(body);
	}
	return 0;
}

/* A success reply without the id means the reply was cut short: counted, not checked. */
static int identified(struct writer *w, int64_t id)
{
	if (id > 0)
		return 1;
	w->unidentified++;
	return 0;
}

static void write_appeal(struct writer *w, struct ack *x)
{
	char body[768];
	int status;
	snprintf(body, sizeof(body),
		 "{\"channel\": \"helpline_111\", \"kind\": \"report\", \"applicant\": {\"type\": \"parent\", "
		 "\"name\": \"%s\", \"phone\": \"+7 701 234 56 78\"}, \"category\": \"bullying\", \"risk\": \"medium\", "
		 "\"district_id\": 1, \"summary\": \"Мектепте балаларымызды мазақтайды\"}",
		 x->tag);
	json_t *j = tl_api_json(&coord, "POST", "/api/v1/appeals", body, &status);
	x->kind = W_APPEAL;
	if (accepted(w, x, "POST /api/v1/appeals", status, 201, j) && identified(w, num(j, "id"))) {
		x->id = num(j, "id");
		snprintf(x->number, sizeof(x->number), "%s", str(j, "number"));
		acks_add(&w->acks, x);
		json_decref(j);
		/* Half the new appeals are read back: a read is answered only once its audit row is committed. */
		if (rand_r(&w->seed) % 2 || w->stopped)
			return;
		char path[64];
		snprintf(path, sizeof(path), "/api/v1/appeals/%lld", (long long)x->id);
		j = tl_api_json(&coord, "GET", path, NULL, &status);
		if (accepted(w, NULL, "GET /api/v1/appeals/{id}", status, 200, j)) {
			x->kind = W_READ;
			acks_add(&w->acks, x);
		}
	}
	json_decref(j);
}

static void write_consultation(struct writer *w, struct ack *x)
{
	int c = rand_r(&w->seed) % CASES;
	char path[96], body[512];
	int status;
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/consultations", (long long)case_ids[c]);
	snprintf(body, sizeof(body),
		 "{\"held_at\": \"%s\", \"duration_min\": 45, \"format\": \"phone\", \"participants\": \"%s\", "
		 "\"notes\": \"Бала мен анасымен сөйлесу\"}",
		 held_at, x->tag);
	json_t *j = tl_api_json(&psy, "POST", path, body, &status);
	x->kind = W_CONSULTATION;
	if (accepted(w, x, "POST /api/v1/appeals/{id}/consultations", status, 201, j) && identified(w, num(j, "id"))) {
		x->id = num(j, "id");
		x->parent = case_ids[c];
		snprintf(x->number, sizeof(x->number), "%s", case_numbers[c]);
		acks_add(&w->acks, x);
	}
	json_decref(j);
}

static void write_contact(struct writer *w, struct ack *x)
{
	static const char *const kinds[] = {"meeting", "call", "outing", "study_help"};
	char path[96], body[512];
	int status;
	snprintf(path, sizeof(path), "/api/v1/mentorships/%lld/contacts", (long long)mentorship_id);
	snprintf(body, sizeof(body), "{\"contact_on\": \"%s\", \"kind\": \"%s\", \"participants\": \"%s\"}", contact_day,
		 kinds[rand_r(&w->seed) % 4], x->tag);
	json_t *j = tl_api_json(&coord, "POST", path, body, &status);
	x->kind = W_CONTACT;
	if (accepted(w, x, "POST /api/v1/mentorships/{id}/contacts", status, 201, j) && identified(w, num(j, "id"))) {
		x->id = num(j, "id");
		x->parent = mentorship_id;
		acks_add(&w->acks, x);
	}
	json_decref(j);
}

/* One client connection at a time, writing until the round is over. */
static void *write_load(void *p)
{
	struct writer *w = p;
	for (int n = 0; !w->stopped && !atomic_load(&stop_load); n++) {
		struct ack x = {.round = w->round};
		snprintf(x.tag, sizeof(x.tag), "Crash r%d w%d n%d", w->round, w->index, n);
		int pick = rand_r(&w->seed) % 10;
		if (pick < 4)
			write_appeal(w, &x);
		else if (pick < 7)
			write_consultation(w, &x);
		else
			write_contact(w, &x);
	}
	return NULL;
}

/* ---------- what the database holds ---------- */

/* The rows of a query as sorted lines, for lookups. */
struct rowset {
	struct buf text;
	char **line;
	size_t n;
};

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void rowset_load(struct rowset *s, const char *sql)
{
	buf_init(&s->text);
	long rows = tl_sql_rows(db, sql, &s->text);
	s->line = calloc((size_t)rows + 1, sizeof(*s->line));
	s->n = 0;
	for (char *p = s->text.ptr; *p; s->n++) {
		char *nl = strchr(p, '\n');
		s->line[s->n] = p;
		*nl = '\0';
		p = nl + 1;
	}
	qsort(s->line, s->n, sizeof(*s->line), compare_lines);
}

static void rowset_release(struct rowset *s)
{
	free(s->line);
	buf_release(&s->text);
}

/* Whether a line equals key (or, with prefix, starts with it). */
static int rowset_has(const struct rowset *s, const char *key, int prefix)
{
	size_t lo = 0, hi = s->n, klen = strlen(key);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->line[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && (prefix ? !strncmp(s->line[lo], key, klen) : !strcmp(s->line[lo], key));
}

/*
 * Look for every acknowledged write and its audit row; print each one that
 * is missing. Returns how many are missing.
 */
static size_t count_lost(const struct acks *a)
{
	struct rowset appeals, consultations, contacts, audit;
	rowset_load(&appeals, "SELECT id, number, applicant_name FROM appeal");
	rowset_load(&consultations, "SELECT id, appeal_id, participants FROM consultation");
	rowset_load(&contacts, "SELECT id, mentorship_id, participants FROM mentor_contact");
	rowset_load(&audit, "SELECT action, resource, resource_id, detail FROM audit_log "
			    "WHERE action IN ('create', 'read', 'contact')");
	size_t lost = 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct ack *x = &a->v[i];
		char row[160] = "", audited[160];
		const struct rowset *table = NULL;
		int read_prefix = 0;
		switch (x->kind) {
		case W_APPEAL:
			table = &appeals;
			snprintf(row, sizeof(row), "%lld\t%s\t%s", (long long)x->id, x->number, x->tag);
			snprintf(audited, sizeof(audited), "create\tappeal\t%lld\t%s", (long long)x->id, x->number);
			break;
		case W_READ:
			snprintf(audited, sizeof(audited), "read\tappeal\t%lld\t", (long long)x->id);
			read_prefix = 1;
			break;
		case W_CONSULTATION:
			table = &consultations;
			snprintf(row, sizeof(row), "%lld\t%lld\t%s", (long long)x->id, (long long)x->parent, x->tag);
			snprintf(audited, sizeof(audited), "create\tconsultation\t%lld\t%s", (long long)x->id, x->number);
			break;
		default:
			table = &contacts;
			snprintf(row, sizeof(row), "%lld\t%lld\t%s", (long long)x->id, (long long)x->parent, x->tag);
			snprintf(audited, sizeof(audited), "contact\tmentorship\t%lld\tcontact %lld", (long long)x->parent,
				 (long long)x->id);
			break;
		}
		int row_ok = !table || rowset_has(table, row, 0);
		int audit_ok = rowset_has(&audit, audited, read_prefix);
		if (row_ok && audit_ok)
			continue;
		if (lost++ < 20)
			fprintf(stderr, "crash: lost %s %lld ('%s', number %s), acknowledged in round %d:%s%s\n",
				kind_names[x->kind], (long long)x->id, x->tag, x->number[0] ? x->number : "-", x->round,
				row_ok ? "" : " row missing", audit_ok ? "" : " audit row missing");
	}
	rowset_release(&appeals);
	rowset_release(&consultations);
	rowset_release(&contacts);
	rowset_release(&audit);
	return lost;
}

/*
 * How many of the writes cut short by this round's kill were committed all
 * the same: the kill fell between the commit and the reply. Either fate is
 * correct; the count shows the kills land where it matters.
 */
static size_t count_committed_unanswered(int round, const struct acks *cut)
{
	char sql[512];
	struct rowset tags;
	snprintf(sql, sizeof(sql),
		 "SELECT 'a' || applicant_name FROM appeal WHERE applicant_name LIKE 'Crash r%d %%' "
		 "UNION ALL SELECT 'c' || participants FROM consultation WHERE participants LIKE 'Crash r%d %%' "
		 "UNION ALL SELECT 'k' || participants FROM mentor_contact WHERE participants LIKE 'Crash r%d %%'",
		 round, round, round);
	rowset_load(&tags, sql);
	size_t n = 0;
	for (size_t i = 0; i < cut->n; i++) {
		char key[64];
		const struct ack *x = &cut->v[i];
		snprintf(key, sizeof(key), "%c%s", x->kind == W_APPEAL ? 'a' : x->kind == W_CONSULTATION ? 'c' : 'k', x->tag);
		n += (size_t)rowset_has(&tags, key, 0);
	}
	rowset_release(&tags);
	return n;
}

/* The database as a crash left it: no corruption, and an unbroken audit chain. */
static void check_consistency(int round)
{
	if (!tl_is_pg()) {
		struct buf out = BUF_INIT;
		tl_sql_rows(db, "PRAGMA integrity_check", &out);
		if (strcmp(out.ptr, "ok\n"))
			fail_msg("round %d: integrity_check: %.500s", round, out.ptr);
		buf_reset(&out);
		tl_sql_rows(db, "PRAGMA foreign_key_check", &out);
		if (out.len)
			fail_msg("round %d: foreign_key_check: %.500s", round, out.ptr);
		buf_release(&out);
	}
	struct tl_run run;
	tl_run_qorgau(&run, NULL, NULL, (const char *const[]){"audit", "verify", "--database", db, NULL});
	if (run.status != 0)
		fail_msg("round %d: audit verify failed (%d): %.300s %.300s", round, run.status, run.out.ptr, run.err.ptr);
	tl_run_release(&run);
}

/* ---------- set-up ---------- */

static json_t *post_created(struct tl_client *c, const char *path, const char *body)
{
	int status;
	json_t *j = tl_api_json(c, "POST", path, body, &status);
	if (status != 201) {
		char *text = json_dumps(j, JSON_COMPACT);
		fail_msg("POST %s: %d %.300s", path, status, text ? text : "");
	}
	return j;
}

/* Accounts, appeals for consultations, and a child attached to a Meyirim organisation. */
static void set_up(void)
{
	char pw[64], body[768], path[96], started[11];
	int status;
	db = tl_init_database(pw, sizeof(pw));
	tl_server_start(&server, db, NULL);
	tl_admin_session(&admin, server.port, pw);
	tl_create_user(&admin, "coord", "coordinator", "Strong-Pass-2026", NULL);
	int64_t psy_id = tl_create_user(&admin, "psy", "psychologist", "Strong-Pass-2026", NULL);
	assert_int_equal(tl_login(&coord, server.port, "coord", "Strong-Pass-2026"), 200);
	assert_int_equal(tl_login(&psy, server.port, "psy", "Strong-Pass-2026"), 200);

	for (int i = 0; i < CASES; i++) {
		snprintf(body, sizeof(body),
			 "{\"channel\": \"helpline_111\", \"kind\": \"request\", \"applicant\": {\"type\": \"child\", "
			 "\"name\": \"Case %d\"}, \"category\": \"family_conflict\", \"risk\": \"low\", \"district_id\": 1, "
			 "\"summary\": \"Ата-анасымен ұрсысады\"}",
			 i);
		json_t *j = post_created(&coord, "/api/v1/appeals", body);
		case_ids[i] = num(j, "id");
		snprintf(case_numbers[i], sizeof(case_numbers[i]), "%s", str(j, "number"));
		json_decref(j);
		snprintf(path, sizeof(path), "/api/v1/appeals/%lld/assign", (long long)case_ids[i]);
		snprintf(body, sizeof(body), "{\"psychologist_id\": %lld}", (long long)psy_id);
		json_decref(tl_api_json(&coord, "POST", path, body, &status));
		assert_int_equal(status, 200);
	}

	json_t *j = post_created(&admin, "/api/v1/organisations",
				 "{\"name\": \"Семей қалалық №2 аурухана\", \"kind\": \"health\", \"district_id\": 1}");
	int64_t org = num(j, "id");
	json_decref(j);
	j = post_created(&coord, "/api/v1/children",
			 "{\"surname\": \"Бекова\", \"given_name\": \"Айым\", \"birth_date\": \"2010-04-04\", "
			 "\"district_id\": 1, \"care_status\": \"orphan\"}");
	int64_t child = num(j, "id");
	json_decref(j);
	local_date(60, started);
	snprintf(body, sizeof(body),
		 "{\"child_id\": %lld, \"organisation_id\": %lld, \"started_on\": \"%s\", \"mentors\": [{\"name\": "
		 "\"Айгүл Серікқызы\", \"position\": \"бөлім басшысы\", \"phone\": \"+7 701 000 11 22\"}]}",
		 (long long)child, (long long)org, started);
	j = post_created(&coord, "/api/v1/mentorships", body);
	mentorship_id = num(j, "id");
	json_decref(j);

	local_date(2, contact_day);
	snprintf(held_at, sizeof(held_at), "%sT10:00:00+05:00", contact_day);
}

static int env_int(const char *name, int fallback)
{
	const char *v = getenv(name);
	return v && *v ? atoi(v) : fallback;
}

/* ---------- the test ---------- */

static void test_kill_during_writes(void **state)
{
	(void)state;
	int rounds = env_int("QORGAU_CRASH_ROUNDS", 50);
	/* A slow server (under valgrind) needs longer loads before each kill to see every kind of write. */
	int load_scale = env_int("QORGAU_CRASH_LOAD_SCALE", 1);
	if (load_scale < 1 || load_scale > 100)
		fail_msg("QORGAU_CRASH_LOAD_SCALE=%d: from 1 to 100", load_scale);
	const char *given = getenv("QORGAU_CRASH_SEED");
	unsigned seed = given && *given ? (unsigned)strtoul(given, NULL, 10) : (unsigned)time(NULL) ^ (unsigned)getpid();
	printf("crash: %s, %d rounds, QORGAU_CRASH_SEED=%u\n", tl_backend(), rounds, seed);
	fflush(stdout);
	set_up();

	struct acks all = {0};
	long attempts = 0, cut = 0, unidentified = 0;
	size_t committed_unanswered = 0;
	struct acks cut_writes = {0};
	long per_kind[W_KINDS] = {0};
	for (int round = 1; round <= rounds; round++) {
		if (server.pid <= 0)
			tl_server_start(&server, db, NULL);
		coord.port = psy.port = server.port;
		atomic_store(&stop_load, 0);
		atomic_store(&killed, 0);
		struct writer w[WRITERS];
		for (int i = 0; i < WRITERS; i++) {
			w[i] = (struct writer){.index = i, .round = round, .seed = seed + (unsigned)(round * WRITERS + i)};
			pthread_create(&w[i].thread, NULL, write_load, &w[i]);
		}
		unsigned pause = seed + (unsigned)round;
		usleep((useconds_t)((MIN_LOAD_MS + rand_r(&pause) % (MAX_LOAD_MS - MIN_LOAD_MS + 1)) * load_scale) * 1000);
		/* The server must still be running when it is killed: dying on its own is a crash too. */
		atomic_store(&killed, 1);
		assert_int_equal(tl_server_kill(&server), 128 + SIGKILL);
		atomic_store(&stop_load, 1);
		for (int i = 0; i < WRITERS; i++) {
			pthread_join(w[i].thread, NULL);
			if (w[i].unexpected)
				fail_msg("round %d, writer %d: %ld unexpected replies, the first %s", round, i, w[i].unexpected,
					 w[i].first_unexpected);
			for (size_t k = 0; k < w[i].acks.n; k++) {
				acks_add(&all, &w[i].acks.v[k]);
				per_kind[w[i].acks.v[k].kind]++;
			}
			attempts += w[i].attempts;
			cut += w[i].cut;
			unidentified += w[i].unidentified;
			for (size_t k = 0; k < w[i].cut_writes.n; k++)
				acks_add(&cut_writes, &w[i].cut_writes.v[k]);
			free(w[i].acks.v);
			free(w[i].cut_writes.v);
		}
		if (round % CHECK_EVERY == 0 || round == rounds)
			check_consistency(round);
		tl_server_start(&server, db, NULL);
		size_t lost = count_lost(&all);
		if (lost)
			fail_msg("round %d: %zu of %zu acknowledged writes lost (QORGAU_CRASH_SEED=%u)", round, lost, all.n,
				 seed);
		committed_unanswered += count_committed_unanswered(round, &cut_writes);
		cut_writes.n = 0;
	}
	assert_int_equal(tl_server_stop(&server), 0);
	check_consistency(rounds);
	/* A run that acknowledged nothing, or never cut a request short, tested nothing. */
	assert_true(per_kind[W_APPEAL] > 0 && per_kind[W_READ] > 0 && per_kind[W_CONSULTATION] > 0 &&
		    per_kind[W_CONTACT] > 0);
	assert_true(cut > 0);
	printf("crash: %ld appeals, %ld audited reads, %ld consultations, %ld contacts acknowledged; "
	       "%ld requests, %ld cut short by kills (%zu of them committed before the kill), "
	       "%ld successes without an id\n",
	       per_kind[W_APPEAL], per_kind[W_READ], per_kind[W_CONSULTATION], per_kind[W_CONTACT], attempts,
	       cut, committed_unanswered, unidentified);
	printf("crash: %d kills survived, %zu acknowledged writes checked, 0 lost\n", rounds, all.n);
	free(all.v);
	free(cut_writes.v);
}

/* pg_ctl on the test's PostgreSQL (scripts/with-postgres), as the user that owns it. */
static void pg_ctl(const char *action)
{
	const char *bin = getenv("QORGAU_TEST_PG_BIN"), *data = getenv("QORGAU_TEST_PG_DATA");
	const char *host = getenv("QORGAU_TEST_PG_HOST"), *port = getenv("QORGAU_TEST_PG_PORT");
	assert_non_null(bin);
	assert_non_null(data);
	char cmd[2048];
	const char *as = getuid() == 0 ? "runuser -u nobody -- " : "";
	if (!strcmp(action, "stop"))
		snprintf(cmd, sizeof(cmd), "%s'%s/pg_ctl' -D '%s' -m fast -w stop >/dev/null", as, bin, data);
	else
		snprintf(cmd, sizeof(cmd),
			 "%s'%s/pg_ctl' -D '%s' -l '%s/server.log' -w -o \"-c listen_addresses='' "
			 "-c unix_socket_directories='%s' -p %s -c fsync=off -c max_connections=200\" start >/dev/null",
			 as, bin, data, host, host, port);
	assert_int_equal(system(cmd), 0);
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void test_postgres_restart(void **state)
{
	(void)state;
	if (!tl_is_pg()) {
		printf("crash: PostgreSQL restart: only on PostgreSQL\n");
		return;
	}
	if (!db)
		set_up();
	if (server.pid <= 0)
		tl_server_start(&server, db, NULL);
	coord.port = psy.port = server.port;
	atomic_store(&stop_load, 0);
	atomic_store(&killed, 0);
	atomic_store(&pg_away, 1);
	const int round = 9000; /* tags apart from the kill rounds' */
	struct writer w[WRITERS];
	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){.index = i, .round = round, .seed = (unsigned)(round + i)};
		pthread_create(&w[i].thread, NULL, write_load, &w[i]);
	}
	usleep(300 * 1000);
	pg_ctl("stop");

	/* While it is away: 503 with a reason, promptly, for reads and writes; the server stays up. */
	int probes = 0;
	double slowest = 0;
	for (int i = 0; i < 10; i++) {
		int status;
		double t0 = now_ms();
		json_t *j = tl_api_json(&coord, "GET", "/api/v1/appeals?limit=1", NULL, &status);
		double t1 = now_ms();
		json_t *k = tl_api_json(&coord, "POST", "/api/v1/appeals",
					"{\"channel\": \"walk_in\", \"kind\": \"request\", \"applicant\": {\"type\": "
					"\"child\", \"name\": \"Away\"}, \"category\": \"other\", \"risk\": \"low\", "
					"\"district_id\": 1, \"summary\": \"PostgreSQL is away\"}",
					&status);
		int post_status = status;
		double t2 = now_ms();
		json_t *again = tl_api_json(&coord, "GET", "/api/v1/appeals?limit=1", NULL, &status);
		if (post_status != 503 || status != 503)
			fail_msg("PostgreSQL away: a read got %d, a write %d; expected 503", status, post_status);
		const char *code = json_string_value(json_object_get(json_object_get(k, "error"), "code"));
		if (!code || strcmp(code, "unavailable"))
			fail_msg("PostgreSQL away: the 503 says '%s', expected 'unavailable'", code ? code : "(nothing)");
		json_decref(j);
		json_decref(k);
		json_decref(again);
		slowest = t1 - t0 > slowest ? t1 - t0 : slowest;
		slowest = t2 - t1 > slowest ? t2 - t1 : slowest;
		probes += 3;
		usleep(50 * 1000);
	}
	assert_true(slowest < 5000);
	assert_true(kill(server.pid, 0) == 0);
	pg_ctl("start");

	/* Back by itself: a write succeeds within seconds, without restarting qorgau. */
	double back = now_ms(), recovered = -1;
	while (now_ms() - back < 15000) {
		int status;
		json_t *j = tl_api_json(&coord, "GET", "/api/v1/appeals?limit=1", NULL, &status);
		json_decref(j);
		if (status == 200) {
			recovered = now_ms() - back;
			break;
		}
		usleep(50 * 1000);
	}
	if (recovered < 0)
		fail_msg("qorgau did not recover within 15 s of PostgreSQL's return");
	long before[WRITERS];
	for (int i = 0; i < WRITERS; i++)
		before[i] = (long)w[i].acks.n;
	usleep(500 * 1000);
	atomic_store(&stop_load, 1);
	struct acks all = {0};
	long unavailable = 0, after = 0;
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(w[i].thread, NULL);
		if (w[i].unexpected)
			fail_msg("PostgreSQL restart, writer %d: %ld unexpected replies, the first %s", i, w[i].unexpected,
				 w[i].first_unexpected);
		for (size_t k = 0; k < w[i].acks.n; k++)
			acks_add(&all, &w[i].acks.v[k]);
		unavailable += w[i].unavailable;
		after += (long)w[i].acks.n - before[i];
		free(w[i].acks.v);
		free(w[i].cut_writes.v);
	}
	atomic_store(&pg_away, 0);
	/* The load went on after the return: every writer's connection works again. */
	assert_true(after > 0);
	assert_true(unavailable > 0);
	assert_int_equal(count_lost(&all), 0);
	assert_int_equal(tl_server_stop(&server), 0);
	check_consistency(round);
	printf("crash: PostgreSQL stopped mid-load and restarted: %d probes answered 503 (slowest %.0f ms), "
	       "%ld load requests refused with 503, back %.0f ms after PostgreSQL, %zu acknowledged writes checked, "
	       "0 lost\n",
	       probes, slowest, unavailable, recovered, all.n);
	free(all.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_during_writes),
		cmocka_unit_test(test_postgres_restart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
