/* The demo region (demo.h). */
#include "domain/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/mem.h"
#include "core/time.h"
#include "domain/appeal.h"
#include "domain/child.h"
#include "domain/deadlines.h"
#include "domain/demo_names.h"
#include "domain/prevention.h"

enum { BATCH = 5000, NSCHOOLS = 40, NPROGRAMME = 25 };

static const char *const demo_password = "qorgau-demo-2026";

/* ---------- the random choices ---------- */

struct weighted {
	const char *v;
	int w;
};

static const char *pick_weighted(uint64_t *rng, const struct weighted *t)
{
	int total = 0;
	for (const struct weighted *p = t; p->v; p++)
		total += p->w;
	int x = (int)demo_pick(rng, (size_t)total);
	for (const struct weighted *p = t; p->v; p++) {
		if (x < p->w)
			return p->v;
		x -= p->w;
	}
	return t[0].v;
}

static const struct weighted channels[] = {
	{"helpline_111", 34}, {"phone", 18}, {"walk_in", 16}, {"online", 16}, {"letter", 6}, {"school", 10}, {NULL, 0},
};
static const struct weighted kinds[] = {
	{"application", 40}, {"complaint", 20}, {"report", 25}, {"request", 10}, {"proposal", 3}, {"response", 2},
	{NULL, 0},
};
static const struct weighted categories[] = {
	{"psychological_support", 26}, {"bullying", 18},	  {"family_conflict", 16}, {"neglect", 9},
	{"physical_violence", 8},      {"legal_question", 10}, {"suicide_risk", 4},	   {"sexual_violence", 2},
	{"other", 7},		       {NULL, 0},
};
static const struct weighted applicants[] = {
	{"parent", 40}, {"child", 20}, {"teacher", 14}, {"guardian", 6}, {"other", 10}, {"anonymous", 10}, {NULL, 0},
};

static const char *risk_for(uint64_t *rng, const char *category)
{
	if (!strcmp(category, "suicide_risk") || !strcmp(category, "sexual_violence"))
		return demo_pick(rng, 3) ? "critical" : "high";
	if (!strcmp(category, "physical_violence") || !strcmp(category, "neglect"))
		return demo_pick(rng, 2) ? "high" : "medium";
	static const struct weighted risks[] = {{"low", 45}, {"medium", 40}, {"high", 12}, {"critical", 3}, {NULL, 0}};
	return pick_weighted(rng, risks);
}

/* What people write, by category: Kazakh and Russian. */
static const char *const summaries[][4] = {
	{"bullying", "Сыныптастары баланы мазақтап, әлеуметтік желіде қорлайды", "Одноклассники травят ребёнка и оскорбляют в соцсетях",
	 "Мектепте балаға күн көрсетпейді, сабаққа барғысы келмейді"},
	{"physical_violence", "Өгей әкесі баланы ұрады, денесінде көгерген іздер бар", "Отчим бьёт ребёнка, на теле синяки",
	 "Көршілердің айтуынша балаға күш көрсетіледі"},
	{"sexual_violence", "Балаға қатысты жыныстық зорлық-зомбылық туралы хабарлама", "Сообщение о сексуальном насилии в отношении ребёнка",
	 "Жасөспірім қызға бейтаныс ересек адам қысым көрсетуде"},
	{"neglect", "Ата-анасы балаға қарамайды, бала тамақсыз қалады", "Родители не заботятся о детях, дети голодают",
	 "Бала мектепке бармайды, үйде жалғыз қалады"},
	{"family_conflict", "Ата-анасы ажырасып жатыр, бала қатты уайымдайды", "Родители разводятся, ребёнок тяжело переживает",
	 "Отбасында үнемі ұрыс-керіс, бала үйден кетіп қалады"},
	{"suicide_risk", "Жасөспірім өзіне қол жұмсау туралы жазған", "Подросток пишет о желании покончить с собой",
	 "Оқушының күнделігінен өзіне зиян келтіру ойлары табылды"},
	{"psychological_support", "Бала емтихан алдында қатты қорқады, ұйықтамайды", "Ребёнок боится экзаменов, не спит",
	 "Жасөспірімге психологтың кеңесі керек"},
	{"legal_question", "Алимент және баланың құқықтары туралы сұрақ", "Вопрос об алиментах и правах ребёнка",
	 "Қорғаншылықты рәсімдеу тәртібі туралы сұрақ"},
	{"other", "Балалар алаңының қауіпсіздігі туралы өтініш", "Обращение о безопасности детской площадки",
	 "Мектептегі тамақтану сапасы туралы шағым"},
};

static int summary_index(const char *category)
{
	for (size_t i = 0; i < ARRAY_SIZE(summaries); i++)
		if (!strcmp(summaries[i][0], category))
			return (int)i;
	return (int)ARRAY_SIZE(summaries) - 1;
}

/* ---------- the region's organisations and people ---------- */

struct region {
	int64_t districts[16];
	int ndistricts;
	int64_t department, centre, prosecutor, ombudsman, police, health, guardianship;
	int64_t schools[NSCHOOLS];
	int64_t school_district[NSCHOOLS];
	int64_t meyirim[40];
	int64_t meyirim_user[40]; /* the account of each Meyirim organisation, who records its contacts */
	int nmeyirim;
	int64_t psychologists[8];
	int npsychologists;
	int64_t coordinator, head, school_user, mentor_user, lecturer_user, prosecutor_user, ombudsman_user;
};

static int add_org(struct db *db, const char *name, const char *name_ru, const char *kind, int64_t district,
		   int64_t *id)
{
	struct organisation o = {0, name, name_ru, kind, district, NULL, NULL, 1, time_now()};
	int rc = db_org_insert(db, &o);
	*id = o.id;
	return rc;
}

static int add_orgs(struct db *db, uint64_t *rng, struct region *rg)
{
	int64_t semey = rg->districts[0];
	int rc = add_org(db, "Абай облысының балалардың құқықтарын қорғау басқармасы",
			 "Управление по защите прав детей области Абай", "department", semey, &rg->department);
	if (!rc)
		rc = add_org(db, "Психологиялық қолдау көрсетудің өңірлік әдістемелік орталығы",
			     "Региональный методический центр психологической поддержки", "support_centre", semey,
			     &rg->centre);
	if (!rc)
		rc = add_org(db, "Абай облысының прокуратурасы", "Прокуратура области Абай", "prosecutor", semey,
			     &rg->prosecutor);
	if (!rc)
		rc = add_org(db, "Абай облысы бойынша бала құқықтары жөніндегі уәкіл",
			     "Уполномоченный по правам ребёнка по области Абай", "ombudsman", semey, &rg->ombudsman);
	if (!rc)
		rc = add_org(db, "Абай облысының полиция департаменті", "Департамент полиции области Абай", "police",
			     semey, &rg->police);
	if (!rc)
		rc = add_org(db, "Семей қаласының қорғаншылық және қамқоршылық бөлімі",
			     "Отдел опеки и попечительства города Семей", "guardianship", semey, &rg->guardianship);
	/* The Meyirim collectives: regional departments, akimat departments, health, colleges, universities. */
	static const char *const meyirim[][3] = {
		{"Абай облысының денсаулық сақтау басқармасы", "Управление здравоохранения области Абай", "regional_department"},
		{"Абай облысының білім басқармасы", "Управление образования области Абай", "regional_department"},
		{"Абай облысының жастар саясаты басқармасы", "Управление молодёжной политики области Абай",
		 "regional_department"},
		{"Абай облысының мәдениет басқармасы", "Управление культуры области Абай", "regional_department"},
		{"Абай облысының дене шынықтыру және спорт басқармасы", "Управление физической культуры и спорта",
		 "regional_department"},
		{"Абай облысының жұмыспен қамту басқармасы", "Управление занятости области Абай", "regional_department"},
		{"Семей қаласы әкімдігінің білім бөлімі", "Отдел образования акимата города Семей", "akimat_department"},
		{"Семей қаласы әкімдігінің жұмыспен қамту бөлімі", "Отдел занятости акимата города Семей",
		 "akimat_department"},
		{"Аягөз ауданы әкімдігінің білім бөлімі", "Отдел образования акимата Аягозского района",
		 "akimat_department"},
		{"Үржар ауданы әкімдігінің білім бөлімі", "Отдел образования акимата Урджарского района",
		 "akimat_department"},
		{"Курчатов қаласы әкімдігінің мәдениет бөлімі", "Отдел культуры акимата города Курчатов",
		 "akimat_department"},
		{"Бесқарағай ауданы әкімдігінің әлеуметтік бөлімі", "Социальный отдел акимата Бескарагайского района",
		 "akimat_department"},
		{"Жарма ауданы әкімдігінің білім бөлімі", "Отдел образования акимата Жарминского района",
		 "akimat_department"},
		{"Көкпекті ауданы әкімдігінің білім бөлімі", "Отдел образования акимата Кокпектинского района",
		 "akimat_department"},
		{"Семей қаласының №1 ауруханасы", "Городская больница №1 города Семей", "health"},
		{"Семей қаласының №2 емханасы", "Городская поликлиника №2 города Семей", "health"},
		{"Абай облыстық балалар ауруханасы", "Областная детская больница", "health"},
		{"Аягөз аудандық ауруханасы", "Аягозская районная больница", "health"},
		{"Облыстық перинаталдық орталық", "Областной перинатальный центр", "health"},
		{"Семей медициналық колледжі", "Семипалатинский медицинский колледж", "college"},
		{"Семей политехникалық колледжі", "Семипалатинский политехнический колледж", "college"},
		{"Аягөз көпсалалы колледжі", "Аягозский многопрофильный колледж", "college"},
		{"Семей педагогикалық колледжі", "Семипалатинский педагогический колледж", "college"},
		{"Шәкәрім атындағы университет", "Университет имени Шакарима", "university"},
		{"Семей медицина университеті", "Медицинский университет Семей", "university"},
		{"Alikhan Bokeikhan University", "Alikhan Bokeikhan University", "university"},
		{"«Мейірім жүрегі» қоғамдық бірлестігі", "Общественное объединение «Мейірім жүрегі»", "other"},
		{"Семей кәсіпкерлер палатасы", "Палата предпринимателей города Семей", "other"},
	};
	for (size_t i = 0; !rc && i < ARRAY_SIZE(meyirim); i++) {
		int64_t d = strstr(meyirim[i][0], "Аягөз")	   ? rg->districts[3 % rg->ndistricts]
			    : strstr(meyirim[i][0], "Үржар")	   ? rg->districts[9 % rg->ndistricts]
			    : strstr(meyirim[i][0], "Курчатов")   ? rg->districts[1 % rg->ndistricts]
			    : strstr(meyirim[i][0], "Бесқарағай") ? rg->districts[5 % rg->ndistricts]
			    : strstr(meyirim[i][0], "Жарма")	   ? rg->districts[7 % rg->ndistricts]
			    : strstr(meyirim[i][0], "Көкпекті")   ? rg->districts[8 % rg->ndistricts]
								   : semey;
		rc = add_org(db, meyirim[i][0], meyirim[i][1], meyirim[i][2], d, &rg->meyirim[rg->nmeyirim++]);
	}
	/* Schools: the first 25 take part in the prevention programme; a few also mentor children. */
	for (int i = 0; !rc && i < NSCHOOLS; i++) {
		int64_t d = rg->districts[i < 14 ? 0 : (i % rg->ndistricts)];
		char kk[96], ru[96];
		snprintf(kk, sizeof(kk), "№%d жалпы білім беретін мектеп", i + 1);
		snprintf(ru, sizeof(ru), "Общеобразовательная школа №%d", i + 1);
		rc = add_org(db, kk, ru, "school", d, &rg->schools[i]);
		rg->school_district[i] = d;
		if (!rc)
			rc = db_school_profile_set(db, rg->schools[i], 300 + (int64_t)demo_pick(rng, 1200), i < NPROGRAMME,
						   i < NPROGRAMME ? (i < 10 ? "2024-09-01" : "2025-01-13") : NULL, time_now());
		if (!rc && i < 4)
			rg->meyirim[rg->nmeyirim++] = rg->schools[i];
	}
	return rc;
}

static int add_user_listed(struct db *db, const char *login, const char *name, const char *role, int head,
			   int64_t org, int64_t district, const char *hash, struct demo_result *out, int64_t *id, int listed)
{
	struct user u = {0};
	u.login = login;
	u.full_name = name;
	u.role = role;
	u.is_head = head;
	u.organisation_id = org;
	u.district_id = district;
	u.lang = "kk";
	u.active = 1;
	u.password_hash = hash;
	u.created_at = time_now();
	int rc = db_user_insert(db, &u);
	if (id)
		*id = u.id;
	if (!rc && listed && out->nlogins < DEMO_MAX_LOGINS && strncmp(login, "psychologist", 12) != 0) {
		snprintf(out->logins[out->nlogins].login, sizeof(out->logins[0].login), "%s", login);
		snprintf(out->logins[out->nlogins].role, sizeof(out->logins[0].role), "%s%s", role, head ? " (head)" : "");
		out->nlogins++;
	}
	return rc;
}

/* An account the demo prints among its logins. */
static int add_user(struct db *db, const char *login, const char *name, const char *role, int head, int64_t org,
		    int64_t district, const char *hash, struct demo_result *out, int64_t *id)
{
	return add_user_listed(db, login, name, role, head, org, district, hash, out, id, 1);
}

static int add_users(struct db *db, struct region *rg, struct demo_result *out, struct buf *err)
{
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(demo_password, hash) < 0) {
		buf_printf(err, "not enough memory to hash a password");
		return DB_ERROR;
	}
	/* One password for every demo account, hashed once: this is a demo, never a real region. */
	int rc = add_user(db, "coordinator", "Айгерім Сейітқызы", "coordinator", 0, rg->department, 0, hash, out,
			  &rg->coordinator);
	if (!rc)
		rc = add_user(db, "head", "Гүлмира Тоқтарова", "psychologist", 1, rg->centre, 0, hash, out, &rg->head);
	static const char *const psy[] = {"Дана Ермекова", "Ольга Ким", "Асель Нұрланқызы", "Марат Жақсылықов",
					  "Елена Павлова"};
	for (size_t i = 0; !rc && i < ARRAY_SIZE(psy); i++) {
		char login[32];
		snprintf(login, sizeof(login), i ? "psychologist%zu" : "psychologist", i + 1);
		rc = add_user(db, login, psy[i], "psychologist", 0, rg->centre, 0, hash, out,
			      &rg->psychologists[rg->npsychologists++]);
		if (!rc && i == 0 && out->nlogins < DEMO_MAX_LOGINS) {
			snprintf(out->logins[out->nlogins].login, sizeof(out->logins[0].login), "psychologist");
			snprintf(out->logins[out->nlogins].role, sizeof(out->logins[0].role), "psychologist");
			out->nlogins++;
		}
	}
	if (!rc)
		rc = add_user(db, "prosecutor", "Ерлан Бекмұхамбетов", "prosecutor", 0, rg->prosecutor, 0, hash, out,
			      &rg->prosecutor_user);
	if (!rc)
		rc = add_user(db, "ombudsman", "Сәуле Әбдірахманова", "ombudsman", 0, rg->ombudsman, 0, hash, out,
			      &rg->ombudsman_user);
	if (!rc)
		rc = add_user(db, "school", "Жанар Оспанова", "school", 0, rg->schools[0], 0, hash, out, &rg->school_user);
	if (!rc)
		rc = add_user(db, "mentor", "Бауыржан Сағынтаев", "mentor_org", 0, rg->meyirim[0], 0, hash, out,
			      &rg->mentor_user);
	rg->meyirim_user[0] = rg->mentor_user;
	/* Every other Meyirim organisation has its coordinator too (not printed: one per role is). */
	static const char *const coordinators[] = {"Ақмарал Есенова", "Сергей Ковалёв",   "Гүлнұр Жұмабаева",
						   "Ержан Төлеуов",   "Наталья Орлова",   "Айдос Құрманғали",
						   "Мадина Сәрсенова", "Виктор Ли",	   "Жазира Омарова"};
	for (int i = 1; !rc && i < rg->nmeyirim; i++) {
		char login[32];
		snprintf(login, sizeof(login), "mentor.%d", i + 1);
		rc = add_user_listed(db, login, coordinators[(size_t)i % ARRAY_SIZE(coordinators)], "mentor_org", 0,
				     rg->meyirim[i], 0, hash, out, &rg->meyirim_user[i], 0);
	}
	if (!rc)
		rc = add_user(db, "lecturer", "Нұржан Ахметов", "lecturer", 0, 0, 0, hash, out, &rg->lecturer_user);
	if (!rc)
		rc = add_user(db, "coordinator.ayagoz", "Әсел Мұратқызы", "coordinator", 0, rg->department,
			      rg->districts[3 % rg->ndistricts], hash, out, NULL);
	return rc;
}

/* ---------- batches ---------- */

struct batch {
	struct db *db;
	int open;
	int rows;
};

/* A row of work: commits every BATCH rows and goes on in a new transaction, so one is always open. */
static int batch_row(struct batch *b)
{
	int rc = DB_OK;
	if (b->open && b->rows >= BATCH) {
		b->rows = 0;
		b->open = 0;
		if ((rc = db_commit(b->db)) != DB_OK)
			return rc;
	}
	if (!b->open) {
		if ((rc = db_begin_write(b->db)) != DB_OK)
			return rc;
		b->open = 1;
	}
	b->rows++;
	return rc;
}

static int batch_end(struct batch *b)
{
	if (!b->open)
		return DB_OK;
	b->open = 0;
	b->rows = 0;
	return db_commit(b->db);
}

/* ---------- children and Meyirim ---------- */

struct people {
	int64_t *children; /* every child, for appeals to point at */
	size_t nchildren;
};

static const char *goal_texts[][2] = {
	{"education", "ҰБТ-ға дайындалу, математикадан қосымша сабақ"},
	{"education", "Колледжге түсу"},
	{"career", "Мамандық таңдау: медицина саласымен танысу"},
	{"career", "Жазғы жұмысқа орналасу"},
	{"skills", "Тамақ дайындауды және ақша жоспарлауды үйрену"},
	{"skills", "Жүргізуші куәлігін алу"},
	{"health", "Спорт секциясына тұрақты қатысу"},
	{"other", "Туған күнін бірге тойлау, достар табу"},
};

/* The writers of one phase, opened together, closed together (children before what refers to them). */
static int bulks_open(struct db *db, const enum db_bulk_table *t, const int *parent, struct db_bulk **b, int n)
{
	int rc = DB_OK;
	for (int i = 0; !rc && i < n; i++)
		rc = db_bulk_open(db, t[i], parent[i] >= 0 ? b[parent[i]] : NULL, &b[i]);
	return rc;
}

static int bulks_close(struct db_bulk **b, int n, int rc)
{
	/* Those that refer to others first: a parent's rows are written by its children's flush where needed. */
	for (int i = n - 1; i >= 0; i--) {
		int crc = db_bulk_close(b[i], !rc);
		rc = rc ? rc : crc;
		b[i] = NULL;
	}
	return rc;
}

enum { B_CHILD, B_MENTORSHIP, B_MENTOR, B_GOAL, B_CONTACT, B_CHILD_TABLES };

static int add_children(struct db *db, uint64_t *rng, const struct region *rg, int scale, struct people *pp,
			struct demo_result *out)
{
	int64_t today = today_days(), now = time_now();
	int64_t nattached = (int64_t)DEMO_CHILDREN * scale, nwaiting = (int64_t)DEMO_UNATTACHED * scale;
	int64_t total = nattached + nwaiting + (int64_t)DEMO_OTHER_CHILDREN * scale;
	pp->children = xcalloc((size_t)total, sizeof(*pp->children));
	struct demo_name nm = {BUF_INIT, BUF_INIT, BUF_INIT};
	struct buf adult = BUF_INIT;
	struct batch b = {db, 0, 0};
	struct arena ar;
	arena_init(&ar);
	static const enum db_bulk_table tables[B_CHILD_TABLES] = {BULK_CHILD, BULK_MENTORSHIP, BULK_MENTOR, BULK_GOAL,
								 BULK_CONTACT};
	static const int parents[B_CHILD_TABLES] = {-1, B_CHILD, B_MENTORSHIP, B_MENTORSHIP, B_MENTORSHIP};
	struct db_bulk *bk[B_CHILD_TABLES] = {0};
	int64_t ver = 0;
	int rc = batch_row(&b);
	if (!rc)
		rc = bulks_open(db, tables, parents, bk, B_CHILD_TABLES);
	if (!rc)
		rc = db_child_meta_ver(db, &ver);
	int64_t first_birth = days_from_civil(2008, 1, 1), birth_span = days_from_civil(2024, 1, 1) - first_birth;
	/* Room for a contact every two weeks from the earliest start to today, the shortest gap. */
	size_t ncontact_days = (size_t)(today - days_from_civil(2024, 3, 1)) / 14 + 2;
	int64_t *contact_days = xcalloc(ncontact_days, sizeof(*contact_days));
	for (int64_t i = 0; !rc && i < total; i++) {
		if ((rc = batch_row(&b)) != DB_OK)
			break;
		int female = (int)demo_pick(rng, 2);
		buf_reset(&nm.surname);
		buf_reset(&nm.given);
		buf_reset(&nm.patronymic);
		demo_child_name(rng, female, &nm);
		char birth[11];
		date_format(first_birth + (int64_t)demo_pick(rng, (size_t)birth_span), birth);
		struct child c = {0};
		c.surname = nm.surname.ptr;
		c.given_name = nm.given.ptr;
		c.patronymic = nm.patronymic.ptr;
		c.birth_date = birth;
		c.sex = female ? "F" : "M";
		c.district_id = rg->districts[demo_pick(rng, 3) ? 0 : demo_pick(rng, (size_t)rg->ndistricts)];
		int attached = i < nattached, waiting = !attached && i < nattached + nwaiting;
		c.care_status = attached || waiting ? (demo_pick(rng, 3) ? "without_parental_care" : "orphan")
						    : demo_care_statuses[demo_pick(rng, demo_ncare_statuses)];
		if (attached && demo_pick(rng, 4) == 0)
			c.institution = "Семей қаласының балалар үйі";
		c.created_at = c.updated_at = now;
		child_set_keys(&c, &ar);
		c.id = db_bulk_id(bk[B_CHILD]);
		c.ver = ++ver;
		if ((rc = db_bulk_child(bk[B_CHILD], &c)) != DB_OK)
			break;
		pp->children[pp->nchildren++] = c.id;
		out->children++;
		if (b.rows == BATCH)
			arena_release(&ar), arena_init(&ar);
		if (!attached)
			continue;
		/* The attachment: since 2024, one or two mentors, goals, contacts. */
		struct mentorship m = {0};
		char started[11], last[11] = "";
		int64_t start = days_from_civil(2024, 3, 1) + (int64_t)demo_pick(rng, (size_t)(today - days_from_civil(2024, 3, 1) - 20));
		date_format(start, started);
		m.id = db_bulk_id(bk[B_MENTORSHIP]);
		m.child_id = c.id;
		m.child_district_id = c.district_id;
		size_t org_at = i == 0 ? 0 : demo_pick(rng, (size_t)rg->nmeyirim);
		m.organisation_id = rg->meyirim[org_at];
		m.started_on = started;
		m.created_at = now;
		/* Contacts about every three weeks; one in seven has gone quiet for over a month. */
		int quiet = demo_pick(rng, 7) == 0, ncontacts = 0;
		int64_t until = quiet ? today - 35 - (int64_t)demo_pick(rng, 60) : today - (int64_t)demo_pick(rng, 20);
		for (int64_t d = start + 7 + (int64_t)demo_pick(rng, 14); d <= until && (size_t)ncontacts < ncontact_days;
		     d += 14 + (int64_t)demo_pick(rng, 21))
			contact_days[ncontacts++] = d;
		if (ncontacts)
			date_format(contact_days[ncontacts - 1], last);
		m.last_contact_on = ncontacts ? last : NULL;
		if ((rc = db_bulk_mentorship(bk[B_MENTORSHIP], &m)) != DB_OK)
			break;
		out->mentorships++;
		int nmentors = 1 + (int)demo_pick(rng, 2);
		for (int k = 0; !rc && k < nmentors; k++) {
			buf_reset(&adult);
			demo_adult_name(rng, &adult);
			struct mentor mt = {db_bulk_id(bk[B_MENTOR]), m.id, adult.ptr, k ? "маман" : "бөлім басшысы",
					    "+7 701 555 00 00", 1};
			rc = db_bulk_mentor(bk[B_MENTOR], &mt, now);
		}
		int ngoals = (int)demo_pick(rng, 20) == 0 ? 0 : 1 + (int)demo_pick(rng, 3); /* a few have none: alerts */
		for (int k = 0; !rc && k < ngoals; k++) {
			size_t gi = demo_pick(rng, ARRAY_SIZE(goal_texts));
			struct goal g = {db_bulk_id(bk[B_GOAL]), m.id, goal_texts[gi][0], goal_texts[gi][1], "agreed", started,
					 NULL, 0, now};
			char reached[11];
			if (demo_pick(rng, 3) == 0) {
				date_format(start + 30 + (int64_t)demo_pick(rng, (size_t)(today - start > 31 ? today - start - 30 : 1)),
					    reached);
				g.status = "reached";
				g.reached_on = reached;
			}
			rc = db_bulk_goal(bk[B_GOAL], &g);
		}
		for (int k = 0; !rc && k < ncontacts; k++) {
			static const char *const kinds_of_contact[] = {"meeting", "call", "outing", "career_guidance",
								       "study_help", "material_help", "holiday"};
			struct mentor_contact mc = {0};
			char on[11];
			date_format(contact_days[k], on);
			mc.id = db_bulk_id(bk[B_CONTACT]);
			mc.mentorship_id = m.id;
			mc.contact_on = on;
			mc.kind = kinds_of_contact[demo_pick(rng, ARRAY_SIZE(kinds_of_contact))];
			mc.participants = "тәлімгер, бала";
			/* Recorded by the organisation's own account where it has one (the demo's "mentor"). */
			mc.created_by = rg->meyirim_user[org_at];
			mc.created_at = now;
			rc = db_bulk_contact(bk[B_CONTACT], &mc);
			out->contacts++;
		}
	}
	rc = bulks_close(bk, B_CHILD_TABLES, rc);
	/* The name index's change number goes on after the last child's. */
	if (!rc)
		rc = db_demo_child_ver(db, ver);
	if (!rc)
		rc = batch_end(&b);
	free(contact_days);
	arena_release(&ar);
	buf_release(&nm.surname);
	buf_release(&nm.given);
	buf_release(&nm.patronymic);
	buf_release(&adult);
	return rc;
}

/* ---------- appeals ---------- */

static const char *status_for(uint64_t *rng, int64_t age)
{
	if (age > 60) {
		static const struct weighted old[] = {{"resolved", 62}, {"closed", 28}, {"rejected", 5}, {"in_progress", 3},
						      {"referred", 2}, {NULL, 0}};
		return pick_weighted(rng, old);
	}
	if (age > 15) {
		static const struct weighted mid[] = {{"resolved", 45}, {"closed", 10}, {"in_progress", 20}, {"referred", 10},
						      {"assigned", 10}, {"registered", 5}, {NULL, 0}};
		return pick_weighted(rng, mid);
	}
	static const struct weighted fresh[] = {{"registered", 30}, {"assigned", 30}, {"in_progress", 30}, {"resolved", 10},
						{NULL, 0}};
	return pick_weighted(rng, fresh);
}

/*
 * The report figures (appeal_stat) of the loaded appeals, counted as they are
 * made: a count per figure, day and district, written once at the end.
 */
enum { FIG_RECEIVED, FIG_CATEGORY, FIG_CHANNEL = FIG_CATEGORY + 9, FIG_KIND = FIG_CHANNEL + 6, FIG_RISK = FIG_KIND + 6,
       FIG_RESOLVED = FIG_RISK + 4, FIG_CONSULTATION, FIG_SLOTS };

static const char *const risk_values[] = {"low", "medium", "high", "critical"};

struct figures {
	int64_t first_day;
	int ndays, ndistricts;
	int32_t *n;	     /* [slot][day][district] */
	int64_t outside; /* a day that fell outside (a fault of the loader), 0 none */
};

struct fig_row {
	const char *dim, *val;
	char day[11];
	int64_t district_id, n;
};

static int slot_of(const struct weighted *t, const char *v)
{
	for (int i = 0; t[i].v; i++)
		if (!strcmp(t[i].v, v))
			return i;
	return 0;
}

static int figure_add(struct figures *f, int slot, int64_t day, int district)
{
	int64_t d = day - f->first_day;
	if (d < 0 || d >= f->ndays || district < 0 || district >= f->ndistricts) {
		f->outside = day;
		return DB_ERROR;
	}
	f->n[((size_t)slot * (size_t)f->ndays + (size_t)d) * (size_t)f->ndistricts + (size_t)district]++;
	return DB_OK;
}

static void figure_name(int slot, const char **dim, const char **val)
{
	*val = "";
	if (slot == FIG_RECEIVED)
		*dim = "received";
	else if (slot == FIG_RESOLVED)
		*dim = "resolved";
	else if (slot == FIG_CONSULTATION)
		*dim = "consultation";
	else if (slot < FIG_CHANNEL)
		*dim = "category", *val = categories[slot - FIG_CATEGORY].v;
	else if (slot < FIG_KIND)
		*dim = "channel", *val = channels[slot - FIG_CHANNEL].v;
	else if (slot < FIG_RISK)
		*dim = "kind", *val = kinds[slot - FIG_KIND].v;
	else
		*dim = "risk", *val = risk_values[slot - FIG_RISK];
}

static int figure_cmp(const void *a, const void *b)
{
	const struct fig_row *x = a, *y = b;
	int c = strcmp(x->dim, y->dim);
	if (!c)
		c = strcmp(x->day, y->day);
	if (!c)
		c = x->district_id < y->district_id ? -1 : x->district_id > y->district_id;
	return c ? c : strcmp(x->val, y->val);
}

/* Every figure counted, in the table's key order. */
static int figures_write(struct db *db, const struct figures *f, const struct region *rg)
{
	size_t cap = 1024, n = 0;
	struct fig_row *rows = xmalloc(cap * sizeof(*rows));
	for (int slot = 0; slot < FIG_SLOTS; slot++)
		for (int d = 0; d < f->ndays; d++)
			for (int k = 0; k < f->ndistricts; k++) {
				int32_t v = f->n[((size_t)slot * (size_t)f->ndays + (size_t)d) * (size_t)f->ndistricts + (size_t)k];
				if (!v)
					continue;
				if (n == cap)
					rows = xrealloc(rows, (cap *= 2) * sizeof(*rows));
				struct fig_row *r = &rows[n++];
				figure_name(slot, &r->dim, &r->val);
				date_format(f->first_day + d, r->day);
				r->district_id = rg->districts[k];
				r->n = v;
			}
	qsort(rows, n, sizeof(*rows), figure_cmp);
	struct db_bulk *b = NULL;
	int rc = db_bulk_open(db, BULK_APPEAL_STAT, NULL, &b);
	for (size_t i = 0; !rc && i < n; i++)
		rc = db_bulk_stat(b, rows[i].day, rows[i].district_id, rows[i].dim, rows[i].val, rows[i].n);
	rc = rc ? (db_bulk_close(b, 0), rc) : db_bulk_close(b, 1);
	free(rows);
	return rc;
}

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* What the later passes need of each appeal, kept small: a million of them fit in a few tens of MB. */
struct appeal_brief {
	int64_t received_at, psychologist;
	uint8_t tpl, district, consulted;
};

/* A referral, written after the appeals (it refers to one); its times are those of the appeal's history. */
struct demo_referral {
	int64_t appeal_id, created_at, answered_at;
	uint8_t which, answered;
};

/*
 * Where referrals go: the police, a hospital, guardianship, and the two
 * bodies of the memorandum that oversee (the prosecutor's office, the
 * commissioner), whose referral pages would be empty otherwise.
 */
static const struct weighted referral_to[] = {
	{"police", 30}, {"health", 15}, {"guardianship", 25}, {"prosecutor", 18}, {"ombudsman", 12}, {NULL, 0},
};
static const char *const referral_reasons[] = {
	"Құқық бұзушылық белгілері бар",
	"Медициналық көмек қажет",
	"Қорғаншылық органының шешімі керек",
	"Құқық бұзушылық бойынша прокурорлық тексеру қажет",
	"Баланың құқықтары бұзылды: уәкілдің араласуы қажет",
};

static int64_t referral_org(const struct region *rg, int which)
{
	const int64_t orgs[] = {rg->police, rg->meyirim[14], rg->guardianship, rg->prosecutor, rg->ombudsman};
	return orgs[which];
}

/* Who answers a referral in the system: the body's own account, else the coordinator who records its letter. */
static int64_t referral_answerer(const struct region *rg, int which)
{
	return which == 3 ? rg->prosecutor_user : which == 4 ? rg->ombudsman_user : rg->coordinator;
}

/*
 * Search terms in the index's order (term, appeal): for each term of any
 * template, the appeals written from a template that has it. Ids run on
 * from first_id in the order the appeals were made.
 */
static int add_terms(struct db *db, const struct appeal_brief *ap, int64_t n, int64_t first_id)
{
	_Static_assert(ARRAY_SIZE(summaries) * 3 <= 32, "a template is a bit of a 32-bit mask");
	struct arena keep;
	arena_init(&keep);
	int64_t *all = NULL;
	uint32_t *masks = NULL;
	size_t nall = 0, cap = 0;
	for (size_t i = 0; i < ARRAY_SIZE(summaries); i++)
		for (int k = 0; k < 3; k++) {
			int64_t *terms;
			size_t nt;
			appeal_terms(&keep, summaries[i][k + 1], &terms, &nt);
			for (size_t t = 0; t < nt; t++) {
				size_t j = 0;
				while (j < nall && all[j] != terms[t])
					j++;
				if (j == nall) {
					if (nall == cap) {
						cap = cap ? cap * 2 : 64;
						all = xrealloc(all, cap * sizeof(*all));
						masks = xrealloc(masks, cap * sizeof(*masks));
					}
					all[nall] = terms[t];
					masks[nall++] = 0;
				}
				masks[j] |= 1u << (i * 3 + (size_t)k);
			}
		}
	arena_release(&keep);
	/* Terms ascending (insertion sort: a few hundred). */
	for (size_t i = 1; i < nall; i++)
		for (size_t j = i; j > 0 && all[j - 1] > all[j]; j--) {
			int64_t t = all[j];
			all[j] = all[j - 1];
			all[j - 1] = t;
			uint32_t m = masks[j];
			masks[j] = masks[j - 1];
			masks[j - 1] = m;
		}
	struct db_bulk *b = NULL;
	int rc = db_bulk_open(db, BULK_APPEAL_TERM, NULL, &b);
	for (size_t t = 0; !rc && t < nall; t++)
		for (int64_t i = 0; !rc && i < n; i++)
			if (masks[t] >> ap[i].tpl & 1u)
				rc = db_bulk_term(b, all[t], first_id + i);
	rc = rc ? (db_bulk_close(b, 0), rc) : db_bulk_close(b, 1);
	free(all);
	free(masks);
	return rc;
}

/*
 * Consultations of the appeals being worked on or done: one, or two for
 * every other appeal, a few days apart, none in the future.
 */
static int add_consultations(struct db *db, const struct appeal_brief *ap, int64_t n, int64_t first_id, int64_t now,
			     struct figures *fig, int64_t *count)
{
	struct db_bulk *b = NULL;
	int rc = db_bulk_open(db, BULK_CONSULTATION, NULL, &b);
	static const char *const formats[] = {"phone", "online", "in_person", "in_person", "in_person"};
	for (int64_t i = 0; !rc && i < n; i++) {
		if (!ap[i].consulted)
			continue;
		int64_t id = first_id + i;
		for (int k = 0; !rc && k < (id % 2 ? 2 : 1); k++) {
			int64_t held = ap[i].received_at + 86400 * (1 + 4 * k + id % 3);
			if (held > now)
				break;
			struct consultation c = {0};
			c.id = db_bulk_id(b);
			c.appeal_id = id;
			c.psychologist_id = ap[i].psychologist;
			c.held_at = held;
			c.duration_min = 30 + 15 * (int)(id % 4);
			c.format = formats[id % 5];
			c.participants = "психолог, бала, ата-анасы";
			c.created_at = held;
			rc = db_bulk_consultation(b, &c);
			if (!rc)
				rc = figure_add(fig, FIG_CONSULTATION, local_days(held), ap[i].district);
			++*count;
		}
	}
	rc = rc ? (db_bulk_close(b, 0), rc) : db_bulk_close(b, 1);
	return rc;
}

static int add_referrals(struct db *db, const struct region *rg, const struct demo_referral *rf, size_t n)
{
	const struct calendar *cal = deadlines_calendar();
	struct db_bulk *b = NULL;
	int rc = db_bulk_open(db, BULK_REFERRAL, NULL, &b);
	for (size_t i = 0; !rc && i < n; i++) {
		struct referral r = {0};
		char rdue[11];
		date_format(calendar_add_working_days(cal, local_days(rf[i].created_at), REFERRAL_DUE_DAYS), rdue);
		r.id = db_bulk_id(b);
		r.appeal_id = rf[i].appeal_id;
		r.to_org = referral_org(rg, rf[i].which);
		r.reason = referral_reasons[rf[i].which];
		r.consent = "given";
		r.status = "pending";
		r.due_on = rdue;
		r.created_by = rg->coordinator;
		r.created_at = rf[i].created_at;
		if (rf[i].answered) {
			r.status = "done";
			r.answer = "Шаралар қабылданды";
			r.answered_at = rf[i].answered_at;
		}
		rc = db_bulk_referral(b, &r);
	}
	return rc ? (db_bulk_close(b, 0), rc) : db_bulk_close(b, 1);
}

/*
 * An appeal's history as the real actions write it (domain/appeal.c): the
 * registration, the assignment, each consultation, status changes,
 * referrals and their answers, with who did each and when.
 */
struct history_entry {
	int64_t at, user;
	const char *action, *from, *to;
	char detail[64];
};

struct history {
	struct history_entry e[12];
	int n;
	int64_t last;	    /* the latest entry's time */
	const char *status; /* the status so far */
};

/* An entry; a change of status when to is given (from: the status so far). */
static void history_add(struct history *h, int64_t at, int64_t user, const char *action, const char *to,
			const char *detail)
{
	if (h->n == (int)ARRAY_SIZE(h->e))
		return;
	struct history_entry *e = &h->e[h->n++];
	e->at = at;
	e->user = user;
	e->action = action;
	e->from = to ? h->status : NULL;
	e->to = to;
	snprintf(e->detail, sizeof(e->detail), "%s", detail ? detail : "");
	if (to)
		h->status = to;
	if (at > h->last)
		h->last = at;
}

/* When a step is wanted, but never before the one it follows nor after now (a fresh appeal's steps crowd today). */
static int64_t next_at(int64_t prev, int64_t want, int64_t now)
{
	int64_t t = want > prev + 60 ? want : prev + 60;
	return t <= now ? t : prev > now ? prev : now;
}

/* In time order (the page lists them by id: the order they are written); equal times keep their order. */
static int history_write(struct db_bulk *be, int64_t appeal_id, struct history *h)
{
	for (int i = 1; i < h->n; i++)
		for (int j = i; j > 0 && h->e[j - 1].at > h->e[j].at; j--) {
			struct history_entry t = h->e[j];
			h->e[j] = h->e[j - 1];
			h->e[j - 1] = t;
		}
	int rc = DB_OK;
	for (int i = 0; !rc && i < h->n; i++)
		rc = db_bulk_appeal_event_detail(be, appeal_id, h->e[i].at, h->e[i].user, h->e[i].action, h->e[i].from,
						 h->e[i].to, h->e[i].detail[0] ? h->e[i].detail : NULL);
	return rc;
}

/* The id a table's bulk writer would give next: the consultations and referrals the history names come later. */
static int next_id_of(struct db *db, enum db_bulk_table t, int64_t *id)
{
	struct db_bulk *b = NULL;
	int rc = db_bulk_open(db, t, NULL, &b);
	if (!rc)
		*id = db_bulk_id(b);
	int crc = db_bulk_close(b, 0);
	return rc ? rc : crc;
}

static int add_appeals(struct db *db, uint64_t *rng, const struct region *rg, const struct people *pp,
		       const struct demo_options *o, struct demo_result *out, struct buf *err)
{
	const struct calendar *cal = deadlines_calendar();
	int64_t today = today_days(), first = days_from_civil(2024, 1, 9), now = time_now();
	int64_t total = (int64_t)DEMO_APPEALS * o->scale;
	int offset = (int)-local_midnight(0);
	int64_t counters[8] = {0}; /* by year from 2024 */
	struct batch b = {db, 0, 0};
	struct buf name = BUF_INIT, sealed = BUF_INIT;
	struct appeal_brief *ap = xcalloc((size_t)total, sizeof(*ap));
	struct demo_referral *rf = NULL;
	size_t nrf = 0, caprf = 0;
	struct figures fig = {days_from_civil(2024, 1, 1), 0, rg->ndistricts, NULL, 0};
	/* Registration can fall a few working days after today's appeals (a weekend, a holiday). */
	fig.ndays = (int)(today + 60 - fig.first_day);
	fig.n = xcalloc((size_t)FIG_SLOTS * (size_t)fig.ndays * (size_t)fig.ndistricts, sizeof(*fig.n));
	struct db_bulk *ba = NULL, *be = NULL;
	int rc = batch_row(&b);
	if (!rc)
		rc = db_bulk_open(db, BULK_APPEAL, NULL, &ba);
	if (!rc && o->scale == 1)
		rc = db_bulk_open(db, BULK_APPEAL_EVENT, ba, &be);
	int64_t first_id = ba ? db_bulk_id(ba) : 0, next_consultation = 0, next_referral = 0;
	if (!rc)
		rc = next_id_of(db, BULK_CONSULTATION, &next_consultation);
	if (!rc)
		rc = next_id_of(db, BULK_REFERRAL, &next_referral);
	/*
	 * When each appeal came, first: they are registered in that order, so
	 * ids and numbers run with the dates as in a region that has worked since 2024.
	 * More appeals in recent months: the service grew.
	 */
	int64_t *when = xcalloc((size_t)total, sizeof(*when));
	for (int64_t i = 0; i < total; i++) {
		int64_t span = today - first;
		int64_t day = first + (int64_t)(span - 1 - (int64_t)(demo_pick(rng, (size_t)span) * demo_pick(rng, 1000) / 1000));
		when[i] = local_midnight(day) + 8 * 3600 + (int64_t)demo_pick(rng, 11 * 3600);
	}
	qsort(when, (size_t)total, sizeof(*when), cmp_int64);
	for (int64_t i = 0; !rc && i < total; i++) {
		if ((rc = batch_row(&b)) != DB_OK)
			break;
		int64_t received = when[i], day = local_days(received);
		struct appeal a = {0};
		char registered[11], due[11], forward[11], resolved[11], number[48];
		appeal_dates(cal, received, offset, registered, due, forward);
		int year = (registered[0] - '0') * 1000 + (registered[1] - '0') * 100 + (registered[2] - '0') * 10 +
			   (registered[3] - '0');
		int yi = year - 2024 >= 0 && year - 2024 < 8 ? year - 2024 : 7;
		snprintf(number, sizeof(number), "A-%04d-%06lld", year, (long long)++counters[yi]);
		a.id = db_bulk_id(ba);
		a.number = number;
		a.channel = pick_weighted(rng, channels);
		a.kind = pick_weighted(rng, kinds);
		a.category = pick_weighted(rng, categories);
		a.risk = risk_for(rng, a.category);
		a.applicant_type = pick_weighted(rng, applicants);
		if (!strcmp(a.applicant_type, "anonymous") && !appeal_anonymous_allowed(a.category, a.risk))
			a.applicant_type = "parent";
		buf_reset(&name);
		if (strcmp(a.applicant_type, "anonymous")) {
			demo_adult_name(rng, &name);
			a.applicant_name = name.ptr;
			a.applicant_phone = "+7 705 000 00 00";
		}
		int ru = demo_pick(rng, 3) == 0;
		a.applicant_lang = ru ? "ru" : "kk";
		int si = summary_index(a.category), variant = ru ? 1 : (int)demo_pick(rng, 2) * 2;
		const char *summary = summaries[si][variant + 1];
		a.sensitive = !strcmp(a.category, "sexual_violence") || !strcmp(a.category, "suicide_risk");
		if (a.sensitive) {
			buf_reset(&sealed);
			seal(summary, strlen(summary), "appeal_summary", &sealed);
			a.summary_sealed = sealed.ptr;
			a.summary_sealed_len = sealed.len;
		} else {
			a.summary = summary;
		}
		int district = demo_pick(rng, 2) ? 0 : (int)demo_pick(rng, (size_t)rg->ndistricts);
		a.district_id = rg->districts[district];
		if (pp->nchildren && demo_pick(rng, 4) == 0)
			a.child_id = pp->children[demo_pick(rng, pp->nchildren)];
		a.received_at = received;
		a.registered_on = registered;
		a.due_on = due;
		a.forward_due_on = forward;
		a.status = status_for(rng, today - day);
		if (strcmp(a.status, "registered"))
			a.assignee_id = demo_pick(rng, 5) ? rg->psychologists[demo_pick(rng, (size_t)rg->npsychologists)] : rg->head;
		if (!strcmp(a.status, "rejected"))
			a.status_reason = "Өтініш балалардың құқықтарына қатысты емес";
		a.prio = appeal_prio(a.status, a.risk, a.category);
		a.created_by = rg->coordinator;
		a.created_org = !strcmp(a.channel, "school") ? rg->schools[demo_pick(rng, NPROGRAMME)] : rg->centre;
		a.created_at = received;
		int64_t psy = a.assignee_id ? a.assignee_id : rg->head;
		int consulted = !strcmp(a.status, "in_progress") || !strcmp(a.status, "referred") ||
				!strcmp(a.status, "resolved") || !strcmp(a.status, "closed");
		/* A referral: every appeal referred now, and now and then one worked on or done. */
		int referred = !strcmp(a.status, "referred") ||
			       (demo_pick(rng, 12) == 0 && strcmp(a.status, "registered") && strcmp(a.status, "rejected"));
		int which = referred ? slot_of(referral_to, pick_weighted(rng, referral_to)) : 0;
		/*
		 * Its history, consistent with where it stands: registered by the
		 * coordinator, assigned by the head psychologist, taken into work by
		 * its first consultation (appeal_consult), referred (appeal_refer),
		 * answered, resolved, closed or rejected; each step after the last.
		 */
		struct history h = {.n = 0, .last = received, .status = NULL};
		char detail[64];
		history_add(&h, received, a.created_by, "registered", "registered", NULL);
		int64_t step = received; /* the last change of status */
		if (a.assignee_id) {
			step = next_at(step, received + 3600 * (1 + (int64_t)demo_pick(rng, 4)), now);
			snprintf(detail, sizeof(detail), "user=%lld", (long long)a.assignee_id);
			history_add(&h, step, rg->head, "assigned", "assigned", detail);
		}
		if (consulted) {
			/* The consultations add_consultations writes, with the ids it will give them. */
			for (int k = 0; k < (a.id % 2 ? 2 : 1); k++) {
				int64_t held = received + 86400 * (1 + 4 * k + a.id % 3);
				if (held > now)
					break;
				if (k == 0)
					history_add(&h, step = held, psy, "status", "in_progress", NULL);
				snprintf(detail, sizeof(detail), "consultation=%lld", (long long)next_consultation++);
				history_add(&h, held, psy, "consultation", NULL, detail);
			}
			if (strcmp(h.status, "in_progress")) /* too fresh for its first consultation */
				history_add(&h, step = next_at(step, received + 86400, now), psy, "status", "in_progress", NULL);
		}
		int64_t referred_at = 0, answered_at = 0;
		if (referred) {
			referred_at = step = next_at(step, step + 20 * 3600, now);
			if (!strcmp(h.status, "in_progress"))
				history_add(&h, step, rg->coordinator, "status", "referred", NULL);
			snprintf(detail, sizeof(detail), "referral=%lld organisation=%lld", (long long)next_referral,
				 (long long)referral_org(rg, which));
			history_add(&h, step, rg->coordinator, "referred", NULL, detail);
			/* Answered, but for the appeals waiting on it now. */
			if (strcmp(a.status, "referred")) {
				answered_at = step = next_at(step, step + 3 * 86400, now);
				snprintf(detail, sizeof(detail), "referral=%lld done", (long long)next_referral);
				history_add(&h, step, referral_answerer(rg, which), "referral_answered", NULL, detail);
				if (!strcmp(a.status, "in_progress") && !strcmp(h.status, "referred"))
					history_add(&h, step = next_at(step, step + 3600, now), psy, "status", "in_progress", NULL);
			}
			next_referral++;
		}
		int64_t done = -1;
		if (!strcmp(a.status, "resolved") || !strcmp(a.status, "closed")) {
			/* After every consultation (a resolved appeal takes none); counted on its day. */
			step = next_at(h.last, local_midnight(day + 3 + (int64_t)demo_pick(rng, 20)) + 16 * 3600, now);
			history_add(&h, step, psy, "status", "resolved", NULL);
			done = local_days(step);
			date_format(done, resolved);
			a.resolved_on = resolved;
			if (!strcmp(a.status, "closed"))
				history_add(&h, step = next_at(step, step + 86400 * (1 + (int64_t)demo_pick(rng, 10)), now),
					    rg->coordinator, "status", "closed", NULL);
		} else if (!strcmp(a.status, "rejected")) {
			step = next_at(step, received + 86400 * (1 + (int64_t)demo_pick(rng, 3)), now);
			history_add(&h, step, psy, "status", "rejected", a.status_reason);
		}
		a.updated_at = h.last;
		if ((rc = db_bulk_appeal(ba, &a)) != DB_OK)
			break;
		out->appeals++;
		struct appeal_brief *br = &ap[i];
		br->received_at = received;
		br->psychologist = psy;
		br->tpl = (uint8_t)(si * 3 + variant);
		br->district = (uint8_t)district;
		br->consulted = (uint8_t)consulted;
		/* Its figures: received on the day it was registered, by each breakdown; resolved on its day. */
		int64_t reg_day;
		if (date_to_days(registered, &reg_day) != 0)
			rc = DB_ERROR, fig.outside = -1;
		if (!rc)
			rc = figure_add(&fig, FIG_RECEIVED, reg_day, district);
		if (!rc)
			rc = figure_add(&fig, FIG_CATEGORY + slot_of(categories, a.category), reg_day, district);
		if (!rc)
			rc = figure_add(&fig, FIG_CHANNEL + slot_of(channels, a.channel), reg_day, district);
		if (!rc)
			rc = figure_add(&fig, FIG_KIND + slot_of(kinds, a.kind), reg_day, district);
		for (int r = 0; !rc && r < (int)ARRAY_SIZE(risk_values); r++)
			if (!strcmp(risk_values[r], a.risk))
				rc = figure_add(&fig, FIG_RISK + r, reg_day, district);
		if (!rc && done >= 0)
			rc = figure_add(&fig, FIG_RESOLVED, done, district);
		if (!rc && be)
			rc = history_write(be, a.id, &h);
		if (!rc && referred) {
			if (nrf == caprf)
				rf = xrealloc(rf, (caprf = caprf ? caprf * 2 : 256) * sizeof(*rf));
			rf[nrf++] = (struct demo_referral){a.id, referred_at, answered_at, (uint8_t)which,
							   (uint8_t)(answered_at != 0)};
			out->referrals++;
		}
		if (o->progress && (i % 10000 == 0 || i + 1 == total))
			o->progress(i + 1, total, o->arg);
	}
	int crc = db_bulk_close(be, !rc);
	rc = rc ? rc : crc;
	crc = db_bulk_close(ba, !rc);
	rc = rc ? rc : crc;
	for (int y = 0; !rc && y < 8; y++)
		if (counters[y])
			rc = db_appeal_counter_raise(db, 2024 + y, counters[y]);
	if (!rc)
		rc = batch_end(&b);
	/* Terms, consultations and figures, from what was kept of each appeal. */
	if (o->stage)
		o->stage("search terms", o->arg);
	if (!rc && (rc = db_begin_write(db)) == DB_OK) {
		rc = add_terms(db, ap, out->appeals, first_id);
		rc = rc ? (db_rollback(db), rc) : db_commit(db);
	}
	if (o->stage)
		o->stage("consultations, referrals and report figures", o->arg);
	if (!rc && (rc = db_begin_write(db)) == DB_OK) {
		rc = add_consultations(db, ap, out->appeals, first_id, now, &fig, &out->consultations);
		if (!rc)
			rc = figures_write(db, &fig, rg);
		if (!rc)
			rc = add_referrals(db, rg, rf, nrf);
		rc = rc ? (db_rollback(db), rc) : db_commit(db);
	}
	buf_release(&name);
	buf_release(&sealed);
	if (rc && fig.outside) {
		char d[11] = "?";
		if (fig.outside > 0)
			date_format(fig.outside, d);
		buf_printf(err, "the loader made a date (%s) outside the report figures' span", d);
	}
	free(when);
	free(ap);
	free(rf);
	free(fig.n);
	return rc;
}

/* ---------- the prevention programme ---------- */

/*
 * A day lessons and events can fall on: a working day of the school year,
 * September to May, outside the autumn, winter and spring holidays (their
 * usual dates), so the programme looks like one that follows the schools.
 */
static int school_day(const struct calendar *cal, int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	if (m >= 6 && m <= 8)
		return 0;
	if ((m == 10 && d >= 28) || (m == 11 && d <= 3) || (m == 12 && d >= 30) || (m == 1 && d <= 8) ||
	    (m == 3 && d >= 19 && d <= 29))
		return 0;
	return calendar_is_working(cal, day);
}

/*
 * The school days from the first school year of the programme (September
 * 2024) to today and the coming weeks: lessons are spread over them, so
 * every current view (this month, this quarter, this school year, the
 * lessons ahead) has some, whatever day the demo is made on.
 */
enum { PLANNED_AHEAD = 42 }; /* days of lessons already planned beyond today */

static int64_t *school_days(int64_t from, int64_t until, size_t *n)
{
	const struct calendar *cal = deadlines_calendar();
	size_t cap = (size_t)(until - from + 1), k = 0;
	int64_t *days = xcalloc(cap ? cap : 1, sizeof(*days));
	for (int64_t d = from; d <= until; d++)
		if (school_day(cal, d))
			days[k++] = d;
	*n = k;
	return days;
}

static int add_prevention(struct db *db, uint64_t *rng, const struct region *rg, int scale, struct demo_result *out)
{
	int64_t today = today_days();
	struct batch b = {db, 0, 0};
	int rc = batch_row(&b);
	/* Lecturers: most approved, two lapsed, one revoked; the demo lecturer account is the first. */
	static const char *const agencies[] = {"juvenile_police", "police", "prosecutor", "justice", "emergency"};
	int nlect = 15 * scale;
	int64_t *lect = xcalloc((size_t)nlect, sizeof(*lect));
	struct buf name = BUF_INIT;
	for (int i = 0; !rc && i < nlect; i++) {
		buf_reset(&name);
		demo_adult_name(rng, &name);
		struct lecturer l = {0};
		l.full_name = i == 0 ? "Нұржан Ахметов" : name.ptr;
		l.agency = agencies[i % ARRAY_SIZE(agencies)];
		l.position = "аға инспектор";
		l.phone = "+7 702 000 00 00";
		l.user_id = i == 0 ? rg->lecturer_user : 0;
		if ((rc = db_lecturer_insert(db, &l, rg->coordinator, time_now())) != DB_OK)
			break;
		lect[i] = l.id;
		out->lecturers++;
		char until[11], order[11];
		int lapsed = i % 15 == 13 || i % 15 == 14, revoked = i % 15 == 12;
		date_format(lapsed ? today - 20 - i % 40 : today + 200, until);
		date_format(days_from_civil(2024, 8, 15), order);
		int64_t aid;
		char number[24];
		snprintf(number, sizeof(number), "%d-П", 100 + i);
		rc = db_approval_insert(db, l.id, number, order, until, rg->coordinator, time_now(), &aid);
		if (!rc && revoked)
			rc = db_approval_revoke(db, l.id, rg->coordinator, "Қызметтен босатылды", time_now());
		if (!rc)
			rc = batch_row(&b);
	}
	/*
	 * Lessons: every school of the programme, spread evenly over the school
	 * days from September 2024 to a few weeks ahead (held or cancelled in the
	 * past, planned from today). Lessons run in order of their day, so those
	 * of one day are neighbours: each (school, day, class) once (a school's
	 * lessons of a day have consecutive k, so different classes and hours),
	 * each lecturer in one school a day (neighbours have different
	 * lecturers). Only lecturers approved today give them (12 of each 15), so
	 * nothing planned falls to a lapsed or revoked one.
	 */
	static const char *const classes[] = {"5 А", "6 Б", "7 А", "7 Б", "8 А", "8 В", "9 А", "9 Б", "10 А", "11 А"};
	static const char *const topics[] = {"bullying", "violence", "cyber_safety", "offences", "drugs", "road_safety"};
	int64_t nlessons = (int64_t)DEMO_LESSONS * scale;
	size_t ndays;
	int64_t *days = school_days(days_from_civil(2024, 9, 2), today + PLANNED_AHEAD, &ndays);
	int napproved = 12 * scale;
	for (int64_t i = 0; !rc && ndays && i < nlessons; i++) {
		int school = (int)(i % NPROGRAMME);
		int64_t k = i / NPROGRAMME;
		int64_t day = days[(size_t)(i * (int64_t)ndays / nlessons)];
		int64_t m = (i + k) % napproved;
		int klass = (int)((k + school) % (int64_t)ARRAY_SIZE(classes));
		int slot = (int)(k % 6);
		struct lesson l = {0};
		char on[11], key[32];
		date_format(day, on);
		l.school_id = rg->schools[school];
		l.lecturer_id = lect[(m / 12) * 15 + m % 12];
		l.starts_at = local_midnight(day) + (9 + slot) * 3600;
		l.ends_at = l.starts_at + 45 * 60;
		l.lesson_on = on;
		l.class_name = classes[klass];
		lesson_class_key(l.class_name, key);
		l.class_key = key;
		l.topic = topics[(i / 3) % ARRAY_SIZE(topics)];
		l.planned_pupils = 20 + (int64_t)demo_pick(rng, 12);
	if ((rc = db_lesson_insert(db, &l, rg->coordinator, time_now())) != DB_OK)
			break;
		out->lessons++;
		if (day < today) {
			if (demo_pick(rng, 10) == 0)
				rc = db_lesson_outcome(db, l.id, "cancelled", -1, NULL, "Мектепте карантин", time_now());
			else
				rc = db_lesson_outcome(db, l.id, "held", l.planned_pupils - (int64_t)demo_pick(rng, 5),
						       "Сабақ белсенді өтті", NULL, time_now());
		}
		if (!rc)
			rc = batch_row(&b);
	}
	/* Large prevention events. */
	static const char *const titles[][2] = {
		{"«Балалық шақ – қауіпсіз мекен» акциясы", "campaign"},
		{"Ата-аналарға арналған «Бала мен заң» жиналысы", "parents_meeting"},
		{"«Мен және Заң» форумы", "lecture"},
		{"Кибербуллингке қарсы тренинг", "training"},
		{"«Спорт – зиянды әдеттерге қарсы» жарысы", "sports_cultural"},
		{"Онлайн-вебинар: жасөспірімдердің психологиялық денсаулығы", "online"},
	};
	static const char *const organisers[] = {"support_centre", "department", "police", "school", "prosecutor"};
	int64_t nevents = (int64_t)DEMO_EVENTS * scale;
	size_t npast = 0;
	while (npast < ndays && days[npast] <= today)
		npast++;
	for (int64_t i = 0; !rc && npast && i < nevents; i++) {
		struct prevention_event e = {0};
		char on[11];
		/* Held on a school day of the programme's years, today at the latest. */
		date_format(days[demo_pick(rng, npast)], on);
		size_t t = demo_pick(rng, ARRAY_SIZE(titles));
		e.title = titles[t][0];
		e.kind = titles[t][1];
		e.held_on = on;
		e.district_id = rg->districts[demo_pick(rng, (size_t)rg->ndistricts)];
		e.place = "Семей, Абай атындағы мәдениет үйі";
		e.organiser = organisers[demo_pick(rng, ARRAY_SIZE(organisers))];
		e.organisation_id = !strcmp(e.organiser, "school") ? rg->schools[demo_pick(rng, NPROGRAMME)] : 0;
		e.target_group = "оқушылар мен ата-аналар";
		e.participants = 40 + (int64_t)demo_pick(rng, 600);
		e.partners = "полиция, прокуратура, ювеналды сот";
		e.created_by = rg->coordinator;
		if ((rc = db_event_insert(db, &e, time_now())) != DB_OK)
			break;
		out->events++;
		rc = batch_row(&b);
	}
	if (!rc)
		rc = batch_end(&b);
	buf_release(&name);
	free(days);
	free(lect);
	return rc;
}

/* ---------- all of it ---------- */

/*
 * Indexes the loader's rows reach at their end (children, attachments and
 * their rows, appeals and what hangs off them go in in that order): kept up
 * as the rows go in, cheaper than a sort afterwards.
 */
static const char *const demo_kept_indexes[] = {
	"child_ver",	     "mentorship_active",   "mentorship_child",	  "mentor_mentorship", "goal_mentorship",
	"mentor_contact_mentorship", "appeal_registered", "consultation_appeal", "referral_appeal",
	"appeal_event_appeal", NULL,
};

int demo_fill(struct db *db, const struct demo_options *o, struct demo_result *out, struct buf *err)
{
	memset(out, 0, sizeof(*out));
	out->password = demo_password;
	uint64_t rng = o->seed ? o->seed : 2026;
	struct arena ar;
	arena_init(&ar);
	struct region *rg = xcalloc(1, sizeof(*rg));
	struct people pp = {0};
	int rc;
	/* An empty database only: the demo never mixes with real data. */
	struct appeal_scope all = {APPEAL_SCOPE_REGION, 0};
	struct appeal_filter none = {0};
	int64_t n = 0;
	if ((rc = db_appeal_count(db, &all, &none, &n)) != DB_OK) {
		buf_printf(err, "cannot count appeals: %s", db_errmsg(db));
		goto out;
	}
	if (n > 0) {
		buf_printf(err, "the database holds appeals already: the demo fills only a new, empty database");
		rc = DB_CONSTRAINT;
		goto out;
	}
	struct district *d;
	size_t nd;
	if ((rc = db_district_list(db, &ar, &d, &nd)) != DB_OK || nd == 0) {
		buf_printf(err, "no districts: run 'qorgau init' first");
		rc = rc ? rc : DB_ERROR;
		goto out;
	}
	/* The districts in the seeded order (Semey first), not the alphabetical one. */
	for (size_t i = 0; i < nd && rg->ndistricts < 16; i++)
		rg->districts[rg->ndistricts++] = d[i].id;
	for (int i = 1; i < rg->ndistricts; i++)
		for (int j = i; j > 0 && rg->districts[j - 1] > rg->districts[j]; j--) {
			int64_t t = rg->districts[j];
			rg->districts[j] = rg->districts[j - 1];
			rg->districts[j - 1] = t;
		}
	if ((rc = db_bulk_load(db, 1)) != DB_OK || (rc = db_begin_write(db)) != DB_OK)
		goto out;
	rc = add_orgs(db, &rng, rg);
	if (!rc)
		rc = add_users(db, rg, out, err);
	if (!rc)
		rc = db_commit(db);
	else
		db_rollback(db);
	uint64_t t0 = time_mono_ns();
	int loading = !rc;
	/*
	 * Indexes are made faster from sorted data than kept up row by row: off while
	 * the children and the appeals go in (the loader looks rows up by id only).
	 */
	static const char *const child_tables[] = {"child", "mentorship", "mentor", "goal", "mentor_contact", NULL};
	static const char *const appeal_tables[] = {"appeal", "consultation", "referral", "appeal_event", NULL};
	struct buf saved = BUF_INIT;
	for (const char *const *t = child_tables; !rc && *t; t++)
		rc = db_bulk_drop_indexes(db, *t, demo_kept_indexes, &ar, &saved);
	if (o->stage)
		o->stage("children, Meyirim attachments and contacts", o->arg);
	if (!rc)
		rc = add_children(db, &rng, rg, o->scale, &pp, out);
	if (o->stage)
		o->stage("indexes of the children's tables", o->arg);
	if (!rc)
		rc = db_bulk_restore_indexes(db, &saved);
	buf_reset(&saved);
	uint64_t t1 = time_mono_ns();
	for (const char *const *t = appeal_tables; !rc && *t; t++)
		rc = db_bulk_drop_indexes(db, *t, demo_kept_indexes, &ar, &saved);
	if (o->stage)
		o->stage("appeals", o->arg);
	if (!rc)
		rc = add_appeals(db, &rng, rg, &pp, o, out, err);
	if (o->stage)
		o->stage("indexes of the appeals' tables", o->arg);
	if (!rc)
		rc = db_bulk_restore_indexes(db, &saved);
	buf_release(&saved);
	uint64_t t2 = time_mono_ns();
	if (o->stage)
		o->stage("lecturers, lessons and events", o->arg);
	if (!rc)
		rc = add_prevention(db, &rng, rg, o->scale, out);
	if (o->stage)
		o->stage(NULL, o->arg);
	out->children_secs = (double)(t1 - t0) / 1e9;
	out->appeals_secs = (double)(t2 - t1) / 1e9;
	out->prevention_secs = (double)(time_mono_ns() - t2) / 1e9;
	if (rc && !err->len)
		buf_printf(err, "cannot write the demo data: %s", db_errmsg(db));
	/* A bulk load stopped halfway is no region to trust or to fill again. */
	if (rc && loading)
		buf_printf(err, "; the database is left half-filled: delete it and run the demo again");
	/* Durable again, and everything on disk before the command says it is done. */
	if (db_bulk_load(db, 0) != DB_OK && !rc) {
		buf_printf(err, "cannot make the database durable again: %s", db_errmsg(db));
		rc = DB_IO;
	}
out:
	free(pp.children);
	free(rg);
	arena_release(&ar);
	return rc;
}
