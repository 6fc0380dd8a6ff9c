/* The in-memory name index of children (child_index.h). */
#include "domain/child_index.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/time.h"
#include "domain/child.h"
#include "text/names.h"

enum { LOAD_PAGE = 5000, BIRTH_SPAN = 50 * 366 };

struct entry {
	uint32_t key[3];  /* surname, given name, patronymic: ids in the key dictionary (0 = none) */
	uint32_t full[3]; /* the same parts folded with their endings kept (typo tolerance) */
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
	uint32_t *mask; /* the letters a key uses: a cheap lower bound on edit distances */
	uint32_t nkeys, cap_keys;
	uint32_t *slots; /* open addressing: key id + 1, 0 = empty */
	size_t nslots;
	/* postings: for each key id, the live children having it as a key or a folded form */
	struct posting *post;
	/* and for each birth date from 1990 on, the live children born that day */
	struct posting *bpost;
	int32_t bbase;
} ix = {.lock = PTHREAD_RWLOCK_INITIALIZER, .refreshing = PTHREAD_MUTEX_INITIALIZER};

struct posting {
	uint32_t *ids;
	uint32_t n, cap;
};

static uint64_t key_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* One bit per letter a-z (anything else shares bit 26). */
static uint32_t letter_mask(const char *s, size_t n)
{
	uint32_t m = 0;
	for (size_t i = 0; i < n; i++)
		m |= s[i] >= 'a' && s[i] <= 'z' ? 1u << (s[i] - 'a') : 1u << 26;
	return m;
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
		ix.mask = xrealloc(ix.mask, ix.cap_keys * sizeof(*ix.mask));
		ix.post = xrealloc(ix.post, ix.cap_keys * sizeof(*ix.post));
	}
	if (ix.pool_len + n + 1 > ix.pool_cap) {
		ix.pool_cap = ix.pool_cap ? ix.pool_cap * 2 : 16384;
		ix.pool = xrealloc(ix.pool, ix.pool_cap);
	}
	uint32_t id = ix.nkeys++;
	memset(&ix.post[id], 0, sizeof(ix.post[id]));
	ix.off[id] = (uint32_t)ix.pool_len;
	ix.len[id] = (unsigned char)n;
	ix.mask[id] = letter_mask(s ? s : "", n);
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

static void post_add(uint32_t key, uint32_t child)
{
	struct posting *p = &ix.post[key];
	for (uint32_t i = 0; i < p->n; i++)
		if (p->ids[i] == child)
			return; /* the same key in two parts */
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4;
		p->ids = xrealloc(p->ids, p->cap * sizeof(*p->ids));
	}
	p->ids[p->n++] = child;
}

static void post_remove(uint32_t key, uint32_t child)
{
	struct posting *p = &ix.post[key];
	for (uint32_t i = 0; i < p->n; i++)
		if (p->ids[i] == child) {
			p->ids[i] = p->ids[--p->n];
			return;
		}
}

/* The keys of an entry that carry postings (key 0, "", never does). */
static void entry_posts(const struct entry *e, uint32_t child, int add)
{
	for (int i = 0; i < 3; i++) {
		if (e->key[i])
			(add ? post_add : post_remove)(e->key[i], child);
		if (e->full[i] && e->full[i] != e->key[i])
			(add ? post_add : post_remove)(e->full[i], child);
	}
}

/* The birth-date posting of a day, or NULL when out of range. */
static struct posting *birth_posting(int32_t day)
{
	if (!ix.bpost) {
		ix.bpost = xcalloc(BIRTH_SPAN, sizeof(*ix.bpost));
		ix.bbase = (int32_t)days_from_civil(1990, 1, 1);
	}
	if (day == INT32_MIN || day < ix.bbase || day - ix.bbase >= BIRTH_SPAN)
		return NULL;
	return &ix.bpost[day - ix.bbase];
}

static void birth_post(int32_t day, uint32_t child, int add)
{
	struct posting *p = birth_posting(day);
	if (!p)
		return;
	if (add) {
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 4;
			p->ids = xrealloc(p->ids, p->cap * sizeof(*p->ids));
		}
		p->ids[p->n++] = child;
		return;
	}
	for (uint32_t i = 0; i < p->n; i++)
		if (p->ids[i] == child) {
			p->ids[i] = p->ids[--p->n];
			return;
		}
}

static void apply(const struct child_key_row *k)
{
	if (k->id <= 0 || k->id > UINT32_MAX)
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
	if (e->live) {
		entry_posts(e, (uint32_t)id, 0);
		birth_post(e->birth, (uint32_t)id, 0);
	}
	int live = k->merged_into == 0;
	ix.live += live - e->live;
	e->live = (unsigned char)live;
	char full[NAME_KEY_MAX];
	const char *parts[3] = {k->surname, k->given_name, k->patronymic};
	const char *keys[3] = {k->surname_key, k->given_key, k->patronymic_key};
	for (int i = 0; i < 3; i++) {
		e->key[i] = key_intern(keys[i]);
		name_part_folded(parts[i], full);
		e->full[i] = key_intern(full);
	}
	e->birth = birth_days(k->birth_date);
	e->district = k->district_id;
	e->org = k->organisation_id;
	e->care = care_code(k->care_status);
	if (live) {
		entry_posts(e, (uint32_t)id, 1);
		birth_post(e->birth, (uint32_t)id, 1);
	}
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
	for (uint32_t k = 0; k < ix.nkeys; k++)
		free(ix.post[k].ids);
	free(ix.post);
	ix.post = NULL;
	for (int d = 0; ix.bpost && d < BIRTH_SPAN; d++)
		free(ix.bpost[d].ids);
	free(ix.bpost);
	ix.bpost = NULL;
	free(ix.e);
	free(ix.pool);
	free(ix.off);
	free(ix.len);
	free(ix.mask);
	ix.mask = NULL;
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

/* Edits a word of this many letters may carry and still match. */
static int typo_budget(size_t len)
{
	return len >= 8 ? 2 : len >= 4 ? 1 : 0;
}

/*
 * Each edit changes the set of letters a word uses by at most two (a
 * substitution), so words whose sets differ in more than 2 * maxd letters
 * are further apart than maxd: most pairs end here, before any table.
 */
static int typo_score(const char *q, size_t ql, uint32_t qm, const char *k, size_t kl, uint32_t km, int maxd)
{
	size_t diff = kl > ql ? kl - ql : ql - kl;
	if (!maxd || !kl || diff > (size_t)maxd || __builtin_popcount(qm ^ km) > 2 * maxd)
		return 0;
	int d = text_edit_distance(q, k, maxd); /* maxd + 1 means "further" */
	return d == 1 ? 70 : d == 2 && maxd >= 2 ? 45 : 0;
}

/*
 * A query word against a key of the dictionary, as a reduced key (the
 * spelling-independent base: exact, prefix, typos) and as a folded form
 * with its ending (typos that fall in the ending, short bases like Ирина's).
 */
static int key_score(const char *q, size_t ql, uint32_t qm, uint32_t k)
{
	const char *ks = key_str(k);
	size_t kl = ix.len[k];
	if (kl == ql && memcmp(q, ks, ql) == 0)
		return 100;
	int best = ql >= 3 && kl > ql && memcmp(ks, q, ql) == 0 ? 60 : 0;
	int t = typo_score(q, ql, qm, ks, kl, ix.mask[k], typo_budget(ql));
	return t > best ? t : best;
}

static int full_score(const char *q, size_t ql, uint32_t qm, uint32_t k)
{
	const char *ks = key_str(k);
	size_t kl = ix.len[k];
	if (kl == ql && memcmp(q, ks, ql) == 0)
		return 100;
	return typo_score(q, ql, qm, ks, kl, ix.mask[k], typo_budget(ql > kl ? ql : kl));
}

/*
 * A word's score for one child: the best of its parts, a patronymic
 * counting a little less (a surname Серікбаев should rank the Серікбаевs
 * above the children of a Серікбай).
 */
static int entry_word_score(const struct entry *e, const unsigned char *sk, const unsigned char *sf)
{
	int best = 0;
	for (int p = 0; p < 3; p++) {
		int v = sk[e->key[p]] > sf[e->full[p]] ? sk[e->key[p]] : sf[e->full[p]];
		if (p == 2 && v)
			v -= 15;
		if (v > best)
			best = v;
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
	char words[CHILD_QUERY_WORDS][NAME_KEY_MAX], folded[CHILD_QUERY_WORDS][NAME_KEY_MAX];
	int nw = name_query_words(names, words, folded, CHILD_QUERY_WORDS);
	if (nw == 0 && birth == INT32_MIN)
		return DB_OK;

	int cap = limit;
	struct child_hit *top = arena_alloc(ar, sizeof(*top) * (size_t)cap);
	int ntop = 0;

	pthread_rwlock_rdlock(&ix.lock);
	/* Each word against every distinct key once (a few thousand, not every child). */
	unsigned char *sk[CHILD_QUERY_WORDS], *sf[CHILD_QUERY_WORDS];
	size_t reach[CHILD_QUERY_WORDS];
	int rarest = -1;
	for (int w = 0; w < nw; w++) {
		sk[w] = arena_alloc(ar, ix.nkeys ? ix.nkeys : 1);
		sf[w] = arena_alloc(ar, ix.nkeys ? ix.nkeys : 1);
		size_t ql = strlen(words[w]), fl = strlen(folded[w]);
		uint32_t qm = letter_mask(words[w], ql), fm = letter_mask(folded[w], fl);
		reach[w] = 0;
		for (uint32_t k = 0; k < ix.nkeys; k++) {
			sk[w][k] = (unsigned char)key_score(words[w], ql, qm, k);
			sf[w][k] = (unsigned char)full_score(folded[w], fl, fm, k);
			if (sk[w][k] || sf[w][k])
				reach[w] += ix.post[k].n;
		}
		if (rarest < 0 || reach[w] < reach[rarest])
			rarest = w;
	}
	/*
	 * Candidates: the children reached by the rarest word's keys (a child
	 * must match every word); a query of a birth date alone looks at all.
	 */
	unsigned char *seen = rarest >= 0 ? arena_zalloc(ar, ix.ne / 8 + 1) : NULL;
	const struct posting *born = rarest < 0 ? birth_posting(birth) : NULL;
	uint32_t k = 0, i = 0;
	for (;;) {
		uint32_t id;
		if (born) {
			if (i >= born->n)
				break;
			id = born->ids[i++];
		} else if (rarest >= 0) {
			while (k < ix.nkeys && (i >= ix.post[k].n || (!sk[rarest][k] && !sf[rarest][k]))) {
				k++;
				i = 0;
			}
			if (k >= ix.nkeys)
				break;
			id = ix.post[k].ids[i++];
			if (seen[id / 8] & (1u << (id % 8)))
				continue;
			seen[id / 8] |= (unsigned char)(1u << (id % 8));
		} else {
			if (++k >= ix.ne)
				break;
			id = k;
		}
		const struct entry *e = &ix.e[id];
		if (!e->live || !in_scope(e, (int64_t)id, &ss))
			continue;
		int total = 0, w;
		for (w = 0; w < nw; w++) {
			int v = entry_word_score(e, sk[w], sf[w]);
			if (!v)
				break;
			total += v;
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
