/* The in-memory name index of children (child_index.h). */
#include "domain/child_index.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/time.h"
#include "domain/child.h"
#include "text/names.h"

enum { LOAD_PAGE = 5000 };

struct entry {
	uint32_t key[3]; /* surname, given name, patronymic: ids in the key dictionary (0 = none) */
	int32_t birth;   /* days since 1970, or INT32_MIN when unknown */
	int64_t district;
	int64_t org; /* organisation of the active attachment, 0 = none */
	unsigned char live;
	unsigned char care; /* 1 + index in care_statuses, 0 = unknown */
};

static struct {
	pthread_rwlock_t lock;
	pthread_mutex_t refreshing;
	int64_t ver; /* the last change applied (atomic) */
	struct entry *e; /* by child id */
	size_t ne;
	int64_t live;
	/* the key dictionary: NUL-terminated strings in pool; 0 is "" */
	char *pool;
	size_t pool_len, pool_cap;
	uint32_t *off;
	unsigned char *len;
	uint32_t nkeys, cap_keys;
	uint32_t *slots; /* open addressing: key id + 1, 0 = empty */
	size_t nslots;
} ix = {.lock = PTHREAD_RWLOCK_INITIALIZER, .refreshing = PTHREAD_MUTEX_INITIALIZER};

static uint64_t key_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static const char *key_str(uint32_t id)
{
	return ix.pool + ix.off[id];
}

static void slots_put(uint32_t id)
{
	size_t mask = ix.nslots - 1;
	size_t i = key_hash(key_str(id), ix.len[id]) & mask;
	while (ix.slots[i])
		i = (i + 1) & mask;
	ix.slots[i] = id + 1;
}

static void slots_grow(void)
{
	free(ix.slots);
	ix.nslots = ix.nslots ? ix.nslots * 2 : 1024;
	ix.slots = xcalloc(ix.nslots, sizeof(*ix.slots));
	for (uint32_t id = 0; id < ix.nkeys; id++)
		slots_put(id);
}

/* The id of key s, added if new. Caller holds the write lock. */
static uint32_t key_intern(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n >= NAME_KEY_MAX)
		n = NAME_KEY_MAX - 1;
	if (!ix.nkeys && n) /* key 0 is "" */
		key_intern("");
	if ((ix.nkeys + 1) * 2 > ix.nslots)
		slots_grow();
	size_t mask = ix.nslots - 1;
	for (size_t i = key_hash(s ? s : "", n) & mask; ix.slots[i]; i = (i + 1) & mask) {
		uint32_t id = ix.slots[i] - 1;
		if (ix.len[id] == n && memcmp(key_str(id), s ? s : "", n) == 0)
			return id;
	}
	if (ix.nkeys == ix.cap_keys) {
		ix.cap_keys = ix.cap_keys ? ix.cap_keys * 2 : 1024;
		ix.off = xrealloc(ix.off, ix.cap_keys * sizeof(*ix.off));
		ix.len = xrealloc(ix.len, ix.cap_keys);
	}
	if (ix.pool_len + n + 1 > ix.pool_cap) {
		ix.pool_cap = ix.pool_cap ? ix.pool_cap * 2 : 16384;
		ix.pool = xrealloc(ix.pool, ix.pool_cap);
	}
	uint32_t id = ix.nkeys++;
	ix.off[id] = (uint32_t)ix.pool_len;
	ix.len[id] = (unsigned char)n;
	memcpy(ix.pool + ix.pool_len, s ? s : "", n);
	ix.pool[ix.pool_len + n] = 0;
	ix.pool_len += n + 1;
	slots_put(id);
	return id;
}

static int32_t birth_days(const char *s)
{
	int y, m, d;
	if (!s || date_parse(s, strlen(s), &y, &m, &d))
		return INT32_MIN;
	return (int32_t)days_from_civil(y, m, d);
}

static unsigned char care_code(const char *s)
{
	for (int i = 0; s && care_statuses[i]; i++)
		if (!strcmp(care_statuses[i], s))
			return (unsigned char)(i + 1);
	return 0;
}

static void apply(const struct child_key_row *k)
{
	if (k->id <= 0)
		return;
	size_t id = (size_t)k->id;
	if (id >= ix.ne) {
		size_t ne = ix.ne ? ix.ne : 1024;
		while (ne <= id)
			ne *= 2;
		ix.e = xrealloc(ix.e, ne * sizeof(*ix.e));
		memset(ix.e + ix.ne, 0, (ne - ix.ne) * sizeof(*ix.e));
		ix.ne = ne;
	}
	struct entry *e = &ix.e[id];
	int live = k->merged_into == 0;
	ix.live += live - e->live;
	e->live = (unsigned char)live;
	e->key[0] = key_intern(k->surname_key);
	e->key[1] = key_intern(k->given_key);
	e->key[2] = key_intern(k->patronymic_key);
	e->birth = birth_days(k->birth_date);
	e->district = k->district_id;
	e->org = k->organisation_id;
	e->care = care_code(k->care_status);
}

int child_index_refresh(struct db *db)
{
	int64_t latest = 0;
	int rc = db_child_meta_ver(db, &latest);
	if (rc)
		return rc;
	if (latest <= __atomic_load_n(&ix.ver, __ATOMIC_ACQUIRE))
		return DB_OK;
	pthread_mutex_lock(&ix.refreshing);
	for (;;) {
		struct arena ar;
		arena_init(&ar);
		int64_t from = __atomic_load_n(&ix.ver, __ATOMIC_ACQUIRE);
		if (from >= latest)
			break;
		struct child_key_row *rows;
		size_t n;
		rc = db_child_changes(db, from, LOAD_PAGE, &ar, &rows, &n);
		if (rc) {
			arena_release(&ar);
			break;
		}
		pthread_rwlock_wrlock(&ix.lock);
		for (size_t i = 0; i < n; i++)
			apply(&rows[i]);
		if (n)
			__atomic_store_n(&ix.ver, rows[n - 1].ver, __ATOMIC_RELEASE);
		pthread_rwlock_unlock(&ix.lock);
		arena_release(&ar);
		if (n < LOAD_PAGE)
			break;
	}
	pthread_mutex_unlock(&ix.refreshing);
	return rc;
}

void child_index_reset(void)
{
	pthread_mutex_lock(&ix.refreshing);
	pthread_rwlock_wrlock(&ix.lock);
	free(ix.e);
	free(ix.pool);
	free(ix.off);
	free(ix.len);
	free(ix.slots);
	ix.e = NULL;
	ix.pool = NULL;
	ix.off = NULL;
	ix.len = NULL;
	ix.slots = NULL;
	ix.ne = ix.pool_len = ix.pool_cap = ix.nslots = 0;
	ix.nkeys = ix.cap_keys = 0;
	ix.live = 0;
	__atomic_store_n(&ix.ver, 0, __ATOMIC_RELEASE);
	pthread_rwlock_unlock(&ix.lock);
	pthread_mutex_unlock(&ix.refreshing);
}

void child_index_size(int64_t *children, int64_t *keys)
{
	pthread_rwlock_rdlock(&ix.lock);
	*children = ix.live;
	*keys = ix.nkeys;
	pthread_rwlock_unlock(&ix.lock);
}

/* ---------- search ---------- */

static int word_score(const char *q, size_t ql, const char *k, size_t kl)
{
	if (kl == ql && memcmp(q, k, ql) == 0)
		return 100;
	int best = 0;
	if (ql >= 3 && kl > ql && memcmp(k, q, ql) == 0)
		best = 60;
	int maxd = ql >= 7 ? 2 : ql >= 4 ? 1 : 0;
	size_t diff = kl > ql ? kl - ql : ql - kl;
	if (maxd && diff <= (size_t)maxd && kl) {
		int d = text_edit_distance(q, k, maxd); /* maxd + 1 means "further" */
		if (d == 1 && best < 70)
			best = 70;
		else if (d == 2 && maxd >= 2 && best < 45)
			best = 45;
	}
	return best;
}

/* What a search may return: the caller's scope and the list's filters. */
struct search_scope {
	const struct child_scope *scope;
	const int64_t *own; /* CHILD_SCOPE_OWN: the user's children, sorted */
	size_t nown;
	int64_t district;
	unsigned char care;
	int attached; /* 0 any, 1 yes, -1 no */
};

static int has_id(const int64_t *ids, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] == id)
			return 1;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int in_scope(const struct entry *e, int64_t id, const struct search_scope *ss)
{
	if ((ss->district && e->district != ss->district) || (ss->care && e->care != ss->care) ||
	    (ss->attached > 0 && !e->org) || (ss->attached < 0 && e->org))
		return 0;
	switch (ss->scope->kind) {
	case CHILD_SCOPE_REGION: return 1;
	case CHILD_SCOPE_DISTRICT: return e->district == ss->scope->id;
	case CHILD_SCOPE_ORG: return e->org == ss->scope->id;
	case CHILD_SCOPE_OWN: return has_id(ss->own, ss->nown, id);
	default: return 0;
	}
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Whether hit a ranks before hit b: higher score, then name-key order, then id. */
static int ranks_before(const struct child_hit *a, const struct child_hit *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	const struct entry *ea = &ix.e[a->id], *eb = &ix.e[b->id];
	for (int i = 0; i < 2; i++) {
		int c = strcmp(key_str(ea->key[i]), key_str(eb->key[i]));
		if (c)
			return c < 0;
	}
	return a->id < b->id;
}

/* "2014-05-03" or "03.05.2014": a birth date in a query. */
static int32_t query_date(const char *w, size_t n)
{
	char iso[11];
	if (n == 10 && w[2] == '.' && w[5] == '.') {
		memcpy(iso, w + 6, 4);
		iso[4] = '-';
		memcpy(iso + 5, w + 3, 2);
		iso[7] = '-';
		memcpy(iso + 8, w, 2);
		iso[10] = 0;
	} else if (n == 10 && w[4] == '-' && w[7] == '-') {
		memcpy(iso, w, 10);
		iso[10] = 0;
	} else {
		return INT32_MIN;
	}
	return birth_days(iso);
}

int child_index_search(struct db *db, const char *q, const struct child_scope *scope, const struct child_filter *f,
		       int limit, struct arena *ar, struct child_hit **hits, size_t *n)
{
	*hits = NULL;
	*n = 0;
	if (scope->kind == CHILD_SCOPE_NONE || limit <= 0)
		return DB_OK;
	int rc = child_index_refresh(db);
	if (rc)
		return rc;
	struct search_scope ss = {.scope = scope};
	if (f) {
		ss.district = f->district_id;
		ss.care = f->care_status && *f->care_status ? care_code(f->care_status) : 0;
		ss.attached = !f->attached || !*f->attached ? 0 : !strcmp(f->attached, "yes") ? 1 : -1;
		if (f->care_status && *f->care_status && !ss.care)
			return DB_OK; /* no such status: nothing matches */
	}
	if (scope->kind == CHILD_SCOPE_OWN) {
		int64_t *own;
		size_t nown;
		if ((rc = db_child_ids_of_assignee(db, scope->id, ar, &own, &nown)) != DB_OK)
			return rc;
		qsort(own, nown, sizeof(*own), cmp_id);
		ss.own = own;
		ss.nown = nown;
		if (!nown)
			return DB_OK;
	}

	/* Dates out; the rest is names. */
	size_t qlen = strlen(q);
	char *names = arena_alloc(ar, qlen + 1);
	size_t nl = 0;
	int32_t birth = INT32_MIN;
	for (size_t i = 0; i < qlen;) {
		while (i < qlen && (q[i] == ' ' || q[i] == '\t' || q[i] == ','))
			i++;
		size_t s = i;
		while (i < qlen && q[i] != ' ' && q[i] != '\t' && q[i] != ',')
			i++;
		if (i == s)
			break;
		int32_t d = query_date(q + s, i - s);
		if (d != INT32_MIN) {
			birth = d;
			continue;
		}
		memcpy(names + nl, q + s, i - s);
		nl += i - s;
		names[nl++] = ' ';
	}
	names[nl] = 0;
	char words[CHILD_QUERY_WORDS][NAME_KEY_MAX];
	int nw = name_query_keys(names, words, CHILD_QUERY_WORDS);
	if (nw == 0 && birth == INT32_MIN)
		return DB_OK;

	int cap = limit;
	struct child_hit *top = arena_alloc(ar, sizeof(*top) * (size_t)cap);
	int ntop = 0;

	pthread_rwlock_rdlock(&ix.lock);
	unsigned char *sc[CHILD_QUERY_WORDS];
	for (int w = 0; w < nw; w++) {
		sc[w] = arena_alloc(ar, ix.nkeys ? ix.nkeys : 1);
		size_t ql = strlen(words[w]);
		for (uint32_t k = 0; k < ix.nkeys; k++)
			sc[w][k] = (unsigned char)word_score(words[w], ql, key_str(k), ix.len[k]);
	}
	for (size_t id = 1; id < ix.ne; id++) {
		const struct entry *e = &ix.e[id];
		if (!e->live || !in_scope(e, (int64_t)id, &ss))
			continue;
		int total = 0, w;
		for (w = 0; w < nw; w++) {
			int s0 = sc[w][e->key[0]], s1 = sc[w][e->key[1]], s2 = sc[w][e->key[2]];
			int s = s0 > s1 ? s0 : s1;
			s = s > s2 ? s : s2;
			if (!s)
				break;
			total += s;
		}
		if (w < nw)
			continue;
		if (birth != INT32_MIN) {
			if (e->birth == birth)
				total += 50;
			else if (!nw)
				continue;
		}
		struct child_hit h = {(int64_t)id, total};
		if (ntop == cap && !ranks_before(&h, &top[ntop - 1]))
			continue;
		int at = ntop < cap ? ntop++ : cap - 1;
		while (at > 0 && ranks_before(&h, &top[at - 1])) {
			top[at] = top[at - 1];
			at--;
		}
		top[at] = h;
	}
	pthread_rwlock_unlock(&ix.lock);

	*hits = top;
	*n = (size_t)ntop;
	return DB_OK;
}

static int near(uint32_t a, const char *key, int exact)
{
	if (exact)
		return strcmp(key_str(a), key) == 0;
	return text_edit_distance(key_str(a), key, 1) <= 1;
}

int child_index_duplicates(struct db *db, const char *surname_key, const char *given_key, const char *birth_date,
			   int64_t exclude, struct arena *ar, int64_t **ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	int rc = child_index_refresh(db);
	if (rc)
		return rc;
	int32_t birth = birth_days(birth_date);
	int exact = birth == INT32_MIN;
	if (!*surname_key && !*given_key)
		return DB_OK; /* nothing to compare by */
	size_t cap = 16;
	int64_t *out = arena_alloc(ar, cap * sizeof(*out));
	pthread_rwlock_rdlock(&ix.lock);
	for (size_t id = 1; id < ix.ne && *n < cap; id++) {
		const struct entry *e = &ix.e[id];
		if (!e->live || (int64_t)id == exclude)
			continue;
		if (!exact && e->birth != INT32_MIN && e->birth != birth)
			continue;
		if ((near(e->key[0], surname_key, exact) && near(e->key[1], given_key, exact)) ||
		    (near(e->key[1], surname_key, exact) && near(e->key[0], given_key, exact)))
			out[(*n)++] = (int64_t)id;
	}
	pthread_rwlock_unlock(&ix.lock);
	*ids = out;
	return DB_OK;
}
