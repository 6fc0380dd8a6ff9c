// Qorgau in a real browser: every role's day of work, in Kazakh and in Russian
// (side by side, each on its own fresh demo database and server), driven
// through the pages as a person would (Debian's chromium, playwright-core),
// axe-core on every page reached, screenshots of the main pages kept as
// artifacts. See README beside this file.
//
//   QORGAU_BIN        the program (default ../../build/qorgau from here)
//   QORGAU_ARTIFACTS  where screenshots and reports go (default ../../build/browser-artifacts)
//   QORGAU_CHROMIUM   the browser (default /usr/bin/chromium)
//   QORGAU_TEST_BACKEND  sqlite (default) or pg: then each language gets a fresh database
//                     on the PostgreSQL of QORGAU_TEST_PG_HOST/PORT/USER/BIN (scripts/with-postgres)
//
// Prints one closing line "browser: N passed, N failed[, N skipped]" and
// exits non-zero when anything failed.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const BIN = path.resolve(process.env.QORGAU_BIN || path.join(here, '../../build/qorgau'));
const ARTIFACTS = path.resolve(process.env.QORGAU_ARTIFACTS || path.join(here, '../../build/browser-artifacts'));
const CHROMIUM = process.env.QORGAU_CHROMIUM || '/usr/bin/chromium';
const BACKEND = process.env.QORGAU_TEST_BACKEND || 'sqlite';
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const DEMO_PASSWORD = 'qorgau-demo-2026';
const ADMIN_NEW_PASSWORD = 'Browser-test-Qorgau-2026';
const UTC_OFFSET_MIN = 5 * 60; // the demo region's clock (qorgau's default utc_offset)
const DEADLINE_MS = 400_000; // a safety net: a quiet machine takes one to two minutes
const STEP_TIMEOUT_MS = 10_000;
const LANGS = ['kk', 'ru'];
// The order of the headline cards (web_summary_cards in src/web/reports.c).
const CARDS = ['appeals_received', 'appeals_resolved', 'appeals_overdue', 'consultations_held', 'prevention_events',
	'event_participants', 'schools_covered', 'lessons_held', 'pupils_reached', 'children_attached',
	'without_recent_contact'];

// What the people of each language type into the forms.
const WORDS = {
	kk: {
		home: 'Басты бет',
		applicant: 'Ляззат Серікқызы',
		summary: 'Сыныптастары баланы үнемі мазақтайды, бала мектепке барғысы келмейді.',
		participants: 'Бала және анасы',
		notes: 'Бала қорқынышын айтты; сынып жетекшісімен сөйлесу керек.',
		referral: 'Мектептегі қорлау фактісін тексеру қажет.',
		answer: 'Тексеру басталды.',
		child: { surname: 'Жұмабекова', given: 'Аружан', patronymic: 'Ерланқызы', birth: '2012-05-14', sex: 'F' },
		guardian: 'Гүлнар Жұмабекова',
		school: '№ 12 мектеп-гимназия',
		mentor: 'Сая Бекқызы',
		position: 'әлеуметтік педагог',
		goal: 'Колледжге түсуге дайындалу',
		contact: 'Кітапханаға бірге барды',
		nextStep: 'Келесі аптада математикадан көмек',
		klass: '4 Б',
		lessonNote: 'Оқушылар белсенді қатысты',
		feedback: 'Сабақ оқушыларға ұнады',
	},
	ru: {
		home: 'Главная',
		applicant: 'Ольга Петренко',
		summary: 'Одноклассники постоянно дразнят ребёнка, он не хочет ходить в школу.',
		participants: 'Ребёнок и мать',
		notes: 'Ребёнок рассказал о страхах; нужно поговорить с классным руководителем.',
		referral: 'Нужно проверить факт травли в школе.',
		answer: 'Проверка начата.',
		child: { surname: 'Ковальчук', given: 'Дмитрий', patronymic: 'Сергеевич', birth: '2011-09-03', sex: 'M' },
		guardian: 'Ирина Ковальчук',
		school: 'Школа-лицей № 5',
		mentor: 'Андрей Соколов',
		position: 'социальный педагог',
		goal: 'Подготовиться к поступлению в колледж',
		contact: 'Вместе сходили в библиотеку',
		nextStep: 'На следующей неделе помощь с математикой',
		klass: '3 В',
		lessonNote: 'Ученики активно участвовали',
		feedback: 'Урок понравился ученикам',
	},
};

class Skip extends Error {}

/* ---------------- results ---------------- */

const results = [];
const violations = []; // every serious or critical axe finding: {lang, page, url, rule, impact, help, nodes}
const pageProblems = []; // script errors, CSP reports, failed subresources: {lang, url, text}
const audited = new Set(); // "lang page" of every page axe ran on
const unlabelled = []; // form controls no label names, ids used twice, regions named alike: {lang, role, page, url, text}

function log(line) {
	process.stdout.write(line + '\n');
}

// The two languages run side by side; each keeps its lines together.
class Output {
	constructor() {
		this.lines = [];
	}

	log(line) {
		this.lines.push(line);
	}

	flush() {
		for (const l of this.lines.splice(0))
			log(l);
	}
}

function need(value, what) {
	if (value === undefined || value === null || value === false)
		throw new Skip(`needs ${what}, which an earlier step did not produce`);
	return value;
}

function expect(cond, message) {
	if (!cond)
		throw new Error(message);
}

// One test: passed (with the note fn may return), failed (with a screenshot of
// where each person involved, by role or '*' for all, stood), or skipped when
// an earlier step did not produce what it needs.
async function runStep(run, name, fn, roles = []) {
	const out = run.out;
	const t0 = Date.now();
	try {
		const note = await fn();
		results.push({ name, status: 'passed' });
		out.log(`ok    ${name} (${Date.now() - t0} ms)`);
		if (typeof note === 'string')
			out.log(`      ${note}`);
	} catch (e) {
		if (e instanceof Skip) {
			results.push({ name, status: 'skipped' });
			out.log(`skip  ${name}: ${e.message}`);
			return;
		}
		results.push({ name, status: 'failed', error: e.message });
		out.log(`FAIL  ${name}: ${e.message.split('\n')[0]}`);
		const sessions = roles === '*' ? [...run.sessions.values()] : roles.map((r) => run.sessions.get(r));
		for (const s of sessions) {
			if (!s)
				continue;
			const file = path.join(ARTIFACTS, `FAILED-${slug(name)}-${slug(s.role)}.png`);
			await s.page.screenshot({ path: file, fullPage: true }).catch(() => {});
			out.log(`      at ${s.page.url()}; screenshot ${file}`);
		}
	}
}

function slug(s) {
	return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/* ---------------- time in the region ---------------- */

function localParts(ms) {
	const d = new Date(ms + UTC_OFFSET_MIN * 60_000);
	return d.toISOString().slice(0, 16); // YYYY-MM-DDTHH:MM, the value of a datetime-local field
}

function localDate(ms) {
	return localParts(ms).slice(0, 10);
}

/* ---------------- the server ---------------- */

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

// A fresh database for one language: a file in tmp (SQLite) or a new PostgreSQL database.
function createDatabase(tmp, lang) {
	if (BACKEND === 'sqlite')
		return { url: `sqlite:${path.join(tmp, 'qorgau.db')}`, args: [], drop() {} };
	expect(BACKEND === 'pg', `QORGAU_TEST_BACKEND is '${BACKEND}', not sqlite or pg`);
	const host = need(process.env.QORGAU_TEST_PG_HOST, 'QORGAU_TEST_PG_HOST (run under scripts/with-postgres)');
	const port = process.env.QORGAU_TEST_PG_PORT || '5432';
	const user = process.env.QORGAU_TEST_PG_USER || 'qorgau';
	const bin = process.env.QORGAU_TEST_PG_BIN || '/usr/bin';
	const name = `qorgau_browser_${lang}_${process.pid}`;
	const conn = ['-h', host, '-p', port, '-U', user];
	execFileSync(path.join(bin, 'createdb'), [...conn, name], { stdio: 'pipe' });
	return {
		url: `postgresql://${user}@/${name}?host=${encodeURIComponent(host)}&port=${port}`,
		// The key that seals notes and contacts: beside a SQLite file, here in tmp.
		args: ['--key-file', path.join(tmp, 'qorgau.key')],
		drop() {
			try {
				execFileSync(path.join(bin, 'dropdb'), ['--force', ...conn, name], { stdio: 'pipe' });
			} catch {
				/* the server may be gone already; with-postgres removes it all */
			}
		},
	};
}

function runDemo(db) {
	return new Promise((resolve, reject) => {
		const child = spawn(BIN, ['demo', '--database', db.url, ...db.args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '', err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0)
				return reject(new Error(`qorgau demo exited ${code}: ${err.trim().split('\n').pop()}`));
			const m = /login 'admin', one-time password '([^']+)'/.exec(out + err);
			if (!m)
				return reject(new Error("qorgau demo printed no one-time password for 'admin'"));
			resolve(m[1]);
		});
	});
}

async function startServer(db, port, lang) {
	const logName = path.join(ARTIFACTS, `server-${lang}.log`);
	const logFile = fs.openSync(logName, 'w');
	const child = spawn(BIN, ['serve', '--database', db.url, ...db.args, '--listen', `127.0.0.1:${port}`], {
		stdio: ['ignore', logFile, logFile],
		env: { ...process.env, QORGAU_PASSWORD_COST: 'minimum' },
	});
	fs.closeSync(logFile);
	let exited = null;
	child.on('exit', (code) => (exited = code));
	const until = Date.now() + 10_000;
	while (Date.now() < until) {
		if (exited !== null)
			throw new Error(`qorgau serve exited ${exited}; see ${logName}`);
		try {
			const r = await fetch(`http://127.0.0.1:${port}/healthz`);
			if (r.ok)
				return child;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	child.kill('SIGTERM');
	throw new Error(`qorgau serve did not answer on port ${port} within 10 s`);
}

/* ---------------- one person in the browser ---------------- */

// A page's name for reports: the path with numbers as {id}.
function pageName(url) {
	return new URL(url).pathname.replace(/\/\d+(?=\/|$)/g, '/{id}');
}

class Session {
	constructor(run, role, context, page) {
		this.run = run;
		this.role = role;
		this.context = context;
		this.page = page;
		this.name = null;
	}

	get lang() {
		return this.run.lang;
	}

	url(p) {
		return this.run.base + p;
	}

	// Open an address, check the answer, audit the page.
	async visit(p, { shot, status = 200 } = {}) {
		const resp = await this.page.goto(this.url(p), { waitUntil: 'load' });
		expect(resp, `no response for ${p}`);
		expect(resp.status() === status, `${p} answered ${resp.status()}, not ${status}`);
		await this.arrived(shot, { status });
		return resp;
	}

	// Click a submit button and wait for the page the form leads to.
	async submit(button, { shot, status = 200 } = {}) {
		const nav = this.page.waitForNavigation({ waitUntil: 'load' });
		await button.click();
		const resp = await nav;
		expect(resp, 'the form led nowhere');
		if (resp.status() !== status) {
			const notice = await this.page.locator('.notice.error, p.error').allInnerTexts().catch(() => []);
			throw new Error(`the form answered ${resp.status()}, not ${status}` +
				(notice.length ? `: ${notice.join(' / ')}` : ''));
		}
		await this.arrived(shot, { status });
		return resp;
	}

	// Every page reached: in the run's language, audited, perhaps a screenshot.
	// (Script errors and CSP reports are gathered by the page's listeners.)
	async arrived(shot, { status = 200, as = this.role } = {}) {
		const lang = await this.page.getAttribute('html', 'lang');
		expect(lang === this.lang, `${this.page.url()} is in '${lang}', not '${this.lang}'`);
		await this.audit(`${as} ${status}`);
		if (shot)
			await this.page.screenshot({ path: path.join(ARTIFACTS, `${this.lang}-${shot}.png`), fullPage: true });
	}

	// axe on the page, unless this person saw the same page in the same state already.
	async audit(state) {
		const page = this.page;
		const url = page.url();
		const label = `${this.lang} ${pageName(url)}`;
		const seen = `${label} ${state}`;
		if (this.run.audits.has(seen))
			return;
		this.run.audits.add(seen);
		// Injected through the DevTools protocol, which the page's CSP does not govern:
		// the pages themselves keep their CSP for the whole scenario.
		await page.evaluate(AXE_SOURCE);
		const found = await page.evaluate(async () => {
			const r = await window.axe.run(document, { resultTypes: ['violations'] });
			return r.violations.map((v) => ({
				rule: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
				nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), impact: n.impact,
					summary: n.failureSummary })),
			}));
		});
		audited.add(label);
		for (const v of found) {
			const nodes = v.nodes.filter((n) => n.impact === 'serious' || n.impact === 'critical');
			if (!nodes.length)
				continue;
			violations.push({ lang: this.lang, role: this.role, page: pageName(url), url, rule: v.rule, impact: v.impact,
				help: v.help, helpUrl: v.helpUrl, nodes });
		}
		// axe 4.14 no longer reports ids used twice, yet a label's "for" finds only the
		// first: the browser's own label association (control.labels) tells.
		const labels = await page.evaluate(() => {
			const count = {};
			for (const e of document.querySelectorAll('[id]'))
				count[e.id] = (count[e.id] || 0) + 1;
			const controls = document.querySelectorAll('input:not([type="hidden"]):not([type="submit"]), select, textarea');
			// Regions (the scrolling tables) are landmarks: each needs a name of its own.
			const regions = {};
			for (const e of document.querySelectorAll('[role="region"]')) {
				const name = e.getAttribute('aria-label') || '';
				regions[name] = (regions[name] || 0) + 1;
			}
			return {
				sameRegions: Object.keys(regions).filter((k) => regions[k] > 1 || !k),
				twice: Object.keys(count).filter((k) => count[k] > 1),
				nameless: [...controls].filter((e) => !e.labels.length && !e.hasAttribute('aria-label') &&
					!e.hasAttribute('aria-labelledby'))
					.map((e) => `${e.tagName.toLowerCase()} name="${e.name}" in form ${e.form ? e.form.getAttribute('action') : '-'}`),
			};
		});
		for (const c of labels.nameless)
			unlabelled.push({ lang: this.lang, role: this.role, page: pageName(url), url, text: `no label names ${c}` });
		if (labels.twice.length)
			unlabelled.push({ lang: this.lang, role: this.role, page: pageName(url), url,
				text: `ids used more than once: ${labels.twice.join(', ')}` });
		if (labels.sameRegions.length)
			unlabelled.push({ lang: this.lang, role: this.role, page: pageName(url), url,
				text: `regions without a name of their own: ${labels.sameRegions.map((n) => `"${n}"`).join(', ')}` });
	}

	async text(selector) {
		return (await this.page.locator(selector).first().innerText()).trim();
	}

	form(action) {
		return this.page.locator(`main form[action$="${action}"]`);
	}

	async close() {
		await this.context.close().catch(() => {});
	}
}

class Run {
	constructor(browser, base, lang, slot, adminPassword, out) {
		this.browser = browser;
		this.base = base;
		this.lang = lang;
		this.words = WORDS[lang];
		this.slot = slot;
		this.admin = { password: adminPassword, changed: false };
		this.out = out;
		this.sessions = new Map();
		this.audits = new Set();
		this.langChosen = false;
		this.s = {}; // what the steps hand on: appeal id, number, child id, ...
	}

	async open(role) {
		const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
		const page = await context.newPage();
		page.setDefaultTimeout(STEP_TIMEOUT_MS);
		const where = () => page.url();
		page.on('pageerror', (e) => pageProblems.push({ lang: this.lang, url: where(), text: `script error: ${e.message}` }));
		page.on('console', (m) => {
			const t = m.text();
			if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(t))
				pageProblems.push({ lang: this.lang, url: where(), text: t });
		});
		page.on('response', (r) => {
			const req = r.request();
			if (!req.isNavigationRequest() && r.status() >= 400 && !r.url().endsWith('/favicon.ico'))
				pageProblems.push({ lang: this.lang, url: where(), text: `${r.status()} for ${r.url()}` });
		});
		page.on('dialog', (d) => d.accept());
		return new Session(this, role, context, page);
	}

	// Sign in as a person would: the sign-in page, its language switch, the form.
	// The first person picks the language with the switch; the others' browsers
	// remember it already (its cookie), which saves time and tests that path too.
	async login(role, login = role, password = DEMO_PASSWORD, { expectPath = '/' } = {}) {
		const old = this.sessions.get(role);
		if (old)
			await old.close();
		const s = await this.open(role);
		this.sessions.set(role, s);
		if (this.langChosen)
			await s.context.addCookies([{ name: 'qorgau_lang', value: this.lang, url: this.base }]);
		const first = await s.page.goto(s.url('/login'));
		expect(first.status() === 200, `/login answered ${first.status()}`);
		if (!this.langChosen) {
			expect(await s.page.getAttribute('html', 'lang') !== this.lang, `the sign-in page speaks ${this.lang} unasked`);
			const nav = s.page.waitForNavigation();
			await s.page.locator(`form.lang button[value="${this.lang}"]`).click();
			await nav;
			this.langChosen = true;
		}
		await s.arrived(role === 'coordinator' ? 'login' : undefined, { as: 'anonymous' });
		await s.page.fill('#f-login', login);
		await s.page.fill('#f-password', password);
		await s.submit(s.page.locator('main form button[type="submit"]'));
		const at = new URL(s.page.url()).pathname;
		expect(at === expectPath, `signed in as ${login}, but landed on ${at}, not ${expectPath}`);
		if (expectPath === '/') {
			const nav = await s.page.locator('nav a[href="/"]').innerText();
			expect(nav.trim() === this.words.home, `the menu says '${nav}', not '${this.words.home}'`);
			s.name = await s.text('header .who a');
		}
		return s;
	}

	as(role) {
		return need(this.sessions.get(role), `a signed-in ${role}`);
	}

	async closeAll() {
		for (const s of this.sessions.values())
			await s.close();
	}
}

/* ---------------- reading pages ---------------- */

async function readCards(s) {
	const counts = await s.page.locator('main ul.cards.figures li .count').allInnerTexts();
	expect(counts.length === CARDS.length, `${counts.length} figure cards, expected ${CARDS.length}`);
	const out = {};
	CARDS.forEach((k, i) => (out[k] = Number(counts[i].replace(/\s/g, ''))));
	return out;
}

// The dashboard over a month either side of today, the same before and after:
// whatever the hour, it holds the day's work (an appeal received on a day off
// is registered on the next working day, which may lie ahead).
async function dashboard(s, shot) {
	await s.visit('/dashboard');
	const now = Date.now();
	await s.page.fill('#f-from', localDate(now - 31 * 86400_000));
	await s.page.fill('#f-to', localDate(now + 31 * 86400_000));
	await s.submit(s.page.locator('main form.filters button[type="submit"]'), { shot });
	return readCards(s);
}

async function selectByLabelStart(select, start) {
	const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent })));
	const hit = options.find((o) => o.label.trim().startsWith(start));
	expect(hit, `no option starting with '${start}'`);
	await select.selectOption(hit.value);
	return options;
}

async function firstRealOption(select) {
	const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
	expect(values.length, 'a list with no choice in it');
	return values[0];
}

/* ---------------- the scenario ---------------- */

async function scenario(run) {
	const L = run.lang, w = run.words, st = run.s, admin = run.admin;
	const t = (name) => `[${L}] ${name}`;
	const step = (name, fn, roles) => runStep(run, name, fn, roles);

	await step(t('every role signs in, in its language'), async () => {
		for (const role of ['coordinator', 'head', 'psychologist', 'prosecutor', 'ombudsman', 'school', 'mentor',
			'lecturer', 'coordinator.ayagoz'])
			await run.login(role);
	}, '*');

	await step(t('each home page shows its role'), async () => {
		for (const s of run.sessions.values()) {
			await s.visit('/', { shot: `home-${slug(s.role)}` });
			const lead = await s.text('main p.lead');
			expect(lead.startsWith(`${s.name} · `), `${s.role}: the home page's lead line is '${lead}'`);
		}
		// Names and organisations the later forms choose among.
		for (const role of ['prosecutor', 'mentor']) {
			const s = run.as(role);
			await s.visit('/account');
			st[`${role}Org`] = (await s.page.locator('main table.facts tr').nth(3).locator('td').innerText()).trim();
			expect(st[`${role}Org`] && st[`${role}Org`] !== '—', `${role} has no organisation on /account`);
		}
	}, '*');

	await step(t('the head psychologist notes the dashboard figures'), async () => {
		st.before = await dashboard(run.as('head'));
	}, ['head']);

	await step(t('the coordinator registers an appeal (after a form with errors)'), async () => {
		const s = run.as('coordinator');
		await s.visit('/appeals', { shot: 'appeals' });
		await s.page.locator('main a.button[href="/appeals/new"]').click();
		await s.page.waitForURL('**/appeals/new');
		await s.arrived('appeal-new');
		// Nothing filled in: the form comes back with its errors marked.
		await s.submit(s.form('/appeals/new').locator('button[type="submit"]'), { status: 422, shot: 'appeal-new-errors' });
		expect(await s.page.locator('main [aria-invalid="true"]').count() > 0, 'no field is marked invalid');
		await s.page.selectOption('#f-channel', 'helpline_111');
		await s.page.selectOption('#f-kind', 'application');
		await s.page.selectOption('#f-applicant\\.type', 'parent');
		await s.page.fill('#f-applicant\\.name', w.applicant);
		await s.page.fill('#f-applicant\\.phone', '+7 701 234 56 78');
		await s.page.selectOption('#f-applicant\\.lang', L);
		await s.page.selectOption('#f-category', 'bullying');
		await s.page.selectOption('#f-risk', 'high');
		const district = s.page.locator('#f-district_id');
		await district.selectOption(await firstRealOption(district));
		await s.page.fill('#f-summary', w.summary);
		// A call taken two hours ago, registered now; the consultation follows it.
		await s.page.fill('#f-received_at', localParts(Date.now() - 2 * 3600_000));
		await s.submit(s.form('/appeals/new').locator('button[type="submit"]'), { shot: 'appeal' });
		const m = /\/appeals\/(\d+)\?registered=1$/.exec(s.page.url());
		expect(m, `registered, but at ${s.page.url()}`);
		st.appealId = m[1];
		expect(await s.page.locator('main .notice.ok').count() === 1, 'no "registered" notice');
		st.appealNumber = (await s.text('main h1')).split(' ').pop();
		expect(await s.page.locator('main p.summary').innerText() === w.summary, 'the summary is not shown as typed');
		// The slip for the applicant, in the applicant's language (the run's, here).
		await s.page.locator(`main a[href="/appeals/${st.appealId}/slip"]`).click();
		await s.page.waitForURL(`**/appeals/${st.appealId}/slip`);
		await s.arrived('slip');
		expect((await s.page.locator('main').innerText()).includes(st.appealNumber), 'the slip lacks the number');
	}, ['coordinator']);

	await step(t('the coordinator assigns it to a psychologist'), async () => {
		const s = run.as('coordinator');
		const id = need(st.appealId, 'the appeal');
		const psy = need(run.as('psychologist').name, "the psychologist's name");
		await s.visit(`/appeals/${id}`);
		await selectByLabelStart(s.page.locator('#f-psychologist_id'), psy);
		await s.submit(s.form(`/appeals/${id}/assign`).locator('button[type="submit"]'));
		const facts = await s.page.locator('main table.facts').innerText();
		expect(facts.includes(psy), `the appeal does not show ${psy} as its psychologist`);
	}, ['coordinator']);

	await step(t('the psychologist records a consultation'), async () => {
		const s = run.as('psychologist');
		const id = need(st.appealId, 'the appeal');
		await s.visit('/appeals');
		await s.page.locator(`main table a[href="/appeals/${id}"]`).click();
		await s.page.waitForURL(`**/appeals/${id}`);
		await s.arrived();
		const before = await s.page.locator('main .entry').count();
		const f = s.form(`/appeals/${id}/consultations`);
		await f.locator('[name="held_at"]').fill(localParts(Date.now() - 3600_000));
		await f.locator('[name="duration_min"]').fill('50');
		await f.locator('[name="format"]').selectOption('in_person');
		await f.locator('[name="participants"]').fill(w.participants);
		await f.locator('[name="notes"]').fill(w.notes);
		await s.submit(f.locator('button[type="submit"]'));
		const after = await s.page.locator('main .entry').count();
		expect(after === before + 1, `consultations shown: ${before} before, ${after} after`);
		expect((await s.page.locator('main').innerText()).includes(w.notes), 'the notes are not shown to their author');
	}, ['psychologist']);

	await step(t("the psychologist refers it to the prosecutor's office"), async () => {
		const s = run.as('psychologist');
		const id = need(st.appealId, 'the appeal');
		const org = need(st.prosecutorOrg, "the prosecutor's organisation");
		const f = s.form(`/appeals/${id}/referrals`);
		await selectByLabelStart(f.locator('[name="organisation_id"]'), org);
		await f.locator('[name="reason"]').fill(w.referral);
		await f.locator('[name="consent"]').selectOption('given');
		await s.submit(f.locator('button[type="submit"]'), { shot: 'appeal-psychologist' });
		const text = await s.page.locator('main').innerText();
		expect(text.includes(w.referral), 'the referral is not listed on the appeal');
	}, ['psychologist']);

	await step(t("the prosecutor's office accepts the referral"), async () => {
		const s = run.as('prosecutor');
		const number = need(st.appealNumber, 'the appeal number');
		await s.visit('/referrals');
		const entry = s.page.locator('main div.entry', { hasText: number });
		expect(await entry.count() === 1, `the referral of ${number} is not among the referrals`);
		await entry.locator('select[name="status"]').selectOption('accepted');
		await entry.locator('textarea[name="answer"]').fill(w.answer);
		await s.submit(entry.locator('button[type="submit"]'), { shot: 'referrals' });
		// Accepted: what is left to say is that it is done.
		const left = await s.page.locator('main div.entry', { hasText: number }).locator('select[name="status"] option')
			.evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
		expect(left.join() === 'done', `after accepting, the answers offered are '${left.join()}', not 'done'`);
		await s.visit(`/appeals/${st.appealId}`);
		expect((await s.page.locator('main').innerText()).includes(w.answer), 'the appeal does not show the answer');
	}, ['prosecutor']);

	await step(t('the commissioner and the second coordinator look around'), async () => {
		const o = run.as('ombudsman');
		await o.visit('/appeals');
		await o.visit('/referrals');
		await o.visit('/dashboard');
		const a = run.as('coordinator.ayagoz');
		await a.visit('/appeals');
		await a.visit('/deadlines');
	}, ['ombudsman', 'coordinator.ayagoz']);

	await step(t('the coordinator registers a child and attaches them to an organisation'), async () => {
		const s = run.as('coordinator');
		const org = need(st.mentorOrg, "the mentor's organisation");
		await s.visit('/children', { shot: 'children' });
		await s.page.locator('main a.button[href="/children/new"]').click();
		await s.page.waitForURL('**/children/new');
		await s.arrived('child-new');
		const c = w.child;
		await s.page.fill('#f-surname', c.surname);
		await s.page.fill('#f-given_name', c.given);
		await s.page.fill('#f-patronymic', c.patronymic);
		await s.page.fill('#f-birth_date', c.birth);
		await s.page.selectOption('#f-sex', c.sex);
		const district = s.page.locator('#f-district_id');
		await district.selectOption(await firstRealOption(district));
		await s.page.selectOption('#f-care_status', 'without_parental_care');
		await s.page.fill('#f-guardian\\.name', w.guardian);
		await s.page.fill('#f-guardian\\.phone', '+7 702 111 22 33');
		await s.page.fill('#f-school', w.school);
		await s.submit(s.form('/children/new').locator('button[type="submit"]'), { shot: 'child' });
		const m = /\/children\/(\d+)\?saved=1$/.exec(s.page.url());
		expect(m, `registered, but at ${s.page.url()}`);
		st.childId = m[1];
		await s.page.locator(`main a.button[href="/meyirim/new?child_id=${st.childId}"]`).click();
		await s.page.waitForURL('**/meyirim/new?child_id=*');
		await s.arrived('meyirim-new');
		await selectByLabelStart(s.page.locator('#f-organisation_id'), org);
		await s.page.fill('#f-mentors\\.0\\.name', w.mentor);
		await s.page.fill('#f-mentors\\.0\\.position', w.position);
		await s.page.fill('#f-mentors\\.0\\.phone', '+7 705 333 44 55');
		await s.page.selectOption('#f-goals\\.0\\.area', 'education');
		await s.page.fill('#f-goals\\.0\\.description', w.goal);
		await s.submit(s.form('/meyirim/new').locator('button[type="submit"]'));
		const mm = /\/meyirim\/(\d+)(\?saved=1)?$/.exec(s.page.url());
		expect(mm, `attached, but at ${s.page.url()}`);
		st.mentorshipId = mm[1];
		expect((await s.page.locator('main').innerText()).includes(w.mentor), 'the mentor is not shown');
	}, ['coordinator']);

	await step(t("the organisation's mentor logs a contact"), async () => {
		const s = run.as('mentor');
		const id = need(st.mentorshipId, 'the attachment');
		await s.visit('/meyirim', { shot: 'meyirim' });
		const link = s.page.locator(`main a[href="/meyirim/${id}"]`);
		expect(await link.count() > 0, 'the new attachment is not in the organisation\'s list');
		await link.first().click();
		await s.page.waitForURL(`**/meyirim/${id}`);
		await s.arrived();
		const f = s.form(`/meyirim/${id}/contacts`);
		await f.locator('[name="kind"]').selectOption('study_help');
		await f.locator('[name="participants"]').fill(w.mentor);
		await f.locator('[name="notes"]').fill(w.contact);
		await f.locator('[name="next_step"]').fill(w.nextStep);
		await s.submit(f.locator('button[type="submit"]'), { shot: 'mentorship' });
		const table = await s.page.locator('main table.list').last().innerText();
		expect(table.includes(w.nextStep) || table.includes(w.contact), 'the contact is not in the table');
	}, ['mentor']);

	await step(t('the school schedules a lesson'), async () => {
		const s = run.as('school');
		const lecturer = need(run.as('lecturer').name, "the lecturer's name");
		await s.visit('/lessons', { shot: 'lessons' });
		await s.visit('/lessons/new', { shot: 'lesson-new' });
		const school = s.page.locator('#f-school_id');
		await school.selectOption(await firstRealOption(school));
		const options = await selectByLabelStart(s.page.locator('#f-lecturer_id'), lecturer);
		await s.page.fill('#f-starts_at', run.slot.start);
		await s.page.fill('#f-duration_min', String(run.slot.minutes));
		await s.page.fill('#f-class_name', w.klass);
		await s.page.selectOption('#f-topic', 'bullying');
		await s.page.fill('#f-planned_pupils', '28');
		const nav = s.page.waitForNavigation();
		await s.form('/lessons/new').locator('button[type="submit"]').click();
		let resp = await nav;
		if (resp.status() === 409) {
			// The demo lecturer has a demo lesson then: another lecturer gives this one.
			await s.arrived(undefined, { status: 409 });
			const other = options.find((o) => o.value && !o.label.trim().startsWith(lecturer));
			expect(other, 'the demo lecturer is busy and there is no other');
			await s.page.locator('#f-lecturer_id').selectOption(other.value);
			resp = await s.submit(s.form('/lessons/new').locator('button[type="submit"]'));
			run.out.log(`      (the demo lecturer was busy; ${other.label.trim()} gives the lesson)`);
		} else {
			expect(resp.status() === 200, `the form answered ${resp.status()}`);
			st.lecturerConfirms = true;
			await s.arrived();
		}
		const m = /\/lessons\/(\d+)(\?saved=1)?$/.exec(s.page.url());
		expect(m, `scheduled, but at ${s.page.url()}`);
		st.lessonId = m[1];
	}, ['school']);

	await step(t('the lecturer confirms the lesson'), async () => {
		const s = run.as('lecturer');
		const id = need(st.lessonId, 'the lesson');
		need(st.lecturerConfirms, 'a lesson given by the demo lecturer');
		await s.visit('/lessons');
		await s.visit(`/lessons/${id}`);
		await s.submit(s.form(`/lessons/${id}/confirm`).locator('button[type="submit"]'));
		expect(await s.form(`/lessons/${id}/confirm`).count() === 0, 'the confirm button is still there');
	}, ['lecturer']);

	await step(t('the school records the lesson as held, with feedback'), async () => {
		const s = run.as('school');
		const id = need(st.lessonId, 'the lesson');
		await s.visit(`/lessons/${id}`);
		const f = s.form(`/lessons/${id}/outcome`);
		await f.locator('[name="status"]').selectOption('held');
		await f.locator('[name="attended"]').fill('25');
		await f.locator('[name="note"]').fill(w.lessonNote);
		await s.submit(f.locator('button[type="submit"]'));
		expect(await s.form(`/lessons/${id}/outcome`).count() === 0, 'the outcome form is still offered');
		const fb = s.form(`/lessons/${id}/feedback`);
		await fb.locator('[name="feedback"]').fill(w.feedback);
		await s.submit(fb.locator('button[type="submit"]'), { shot: 'lesson' });
		const facts = await s.page.locator('main table.facts').innerText();
		expect(facts.includes(w.feedback) && facts.includes(w.lessonNote), 'the outcome and feedback are not shown');
	}, ['school']);

	await step(t('the dashboard figures went up'), async () => {
		const before = need(st.before, 'the figures before');
		const after = await dashboard(run.as('head'), 'dashboard');
		const want = { appeals_received: 1, consultations_held: 1, lessons_held: 1, pupils_reached: 25,
			children_attached: 1 };
		const wrong = Object.entries(want).filter(([k, d]) => after[k] - before[k] !== d)
			.map(([k, d]) => `${k} ${before[k]} -> ${after[k]} (expected +${d})`);
		expect(!wrong.length, wrong.join('; '));
		return Object.keys(want).map((k) => `${k} ${before[k]} -> ${after[k]}`).join(', ');
	}, ['head']);

	await step(t('reports and programme pages open'), async () => {
		const h = run.as('head');
		await h.visit('/reports', { shot: 'reports' });
		await h.visit('/reports/quarterly', { shot: 'quarterly' });
		await h.visit('/events', { shot: 'events' });
		const c = run.as('coordinator');
		await c.visit('/programme', { shot: 'programme' });
		await c.visit('/meyirim/alerts');
		await c.visit('/meyirim/campaign');
		await c.visit('/deadlines');
		await c.visit('/caseload');
		await c.visit('/calendar');
		await c.visit('/lecturers');
		await c.visit('/schools');
	}, ['head', 'coordinator']);

	await step(t('the administrator signs in and sees users and the audit log'), async () => {
		let s;
		if (!admin.changed) {
			s = await run.login('admin', 'admin', admin.password, { expectPath: '/account/password' });
			await s.arrived('password-change');
			await s.page.fill('#f-current_password', admin.password);
			await s.page.fill('#f-new_password', ADMIN_NEW_PASSWORD);
			await s.page.fill('#f-new_password_again', ADMIN_NEW_PASSWORD);
			await s.submit(s.form('/account/password').locator('button[type="submit"]'));
			expect(await s.page.locator('main .notice.ok').count() === 1, 'no notice that the password changed');
			admin.changed = true;
			admin.password = ADMIN_NEW_PASSWORD;
		} else {
			s = await run.login('admin', 'admin', admin.password);
		}
		await s.visit('/admin/users', { shot: 'admin-users' });
		await s.visit('/admin/organisations');
		await s.visit('/admin/districts');
		await s.visit('/admin/permissions');
		await s.visit('/audit', { shot: 'audit' });
	}, ['admin']);

	await step(t('everyone signs out'), async () => {
		for (const s of run.sessions.values()) {
			const form = s.page.locator('header form[action="/logout"]');
			if (!(await form.count()))
				await s.visit('/');
			const nav = s.page.waitForNavigation();
			await s.page.locator('header form[action="/logout"] button').click();
			await nav;
			expect(new URL(s.page.url()).pathname === '/login', `${s.role} signed out to ${s.page.url()}`);
		}
	}, '*');
}

/* ---------------- the report ---------------- */

function reportAccessibility(lang, out) {
	const pages = [...audited.keys()].filter((k) => k.startsWith(lang + ' '));
	for (const key of pages.sort()) {
		const page = key.slice(lang.length + 1);
		const mine = violations.filter((v) => v.lang === lang && v.page === page);
		const name = `[${lang}] axe: no serious or critical violation on ${page}`;
		if (!mine.length) {
			results.push({ name, status: 'passed' });
			out.log(`ok    ${name}`);
			continue;
		}
		results.push({ name, status: 'failed' });
		out.log(`FAIL  ${name}`);
		const seen = new Set();
		for (const v of mine) {
			for (const n of v.nodes) {
				const k = `${v.rule} ${n.target}`;
				if (seen.has(k))
					continue;
				seen.add(k);
				out.log(`      ${n.impact} ${v.rule} (${v.help}) at ${v.url.replace(/^https?:\/\/[^/]+/, '')} as ${v.role}`);
				out.log(`        target: ${n.target}`);
				out.log(`        html:   ${n.html}`);
			}
		}
	}
}

function reportLabels(lang, out) {
	const mine = unlabelled.filter((p) => p.lang === lang);
	const name = `[${lang}] every form control and region is named by a label of its own`;
	if (!mine.length) {
		results.push({ name, status: 'passed' });
		out.log(`ok    ${name}`);
		return;
	}
	results.push({ name, status: 'failed' });
	out.log(`FAIL  ${name}`);
	for (const p of [...new Set(mine.map((p) => `${p.page} as ${p.role}: ${p.text}`))])
		out.log(`      ${p}`);
}

function reportPageProblems(lang, out) {
	const mine = pageProblems.filter((p) => p.lang === lang);
	const name = `[${lang}] no script errors, CSP reports or missing files`;
	if (!mine.length) {
		results.push({ name, status: 'passed' });
		out.log(`ok    ${name}`);
		return;
	}
	results.push({ name, status: 'failed' });
	out.log(`FAIL  ${name}`);
	for (const p of [...new Set(mine.map((p) => `${p.text} (on ${p.url})`))])
		out.log(`      ${p}`);
}

/* ---------------- main ---------------- */

// One language on its own fresh demo database and server; its lines in out.
async function runLanguage(browser, lang, slot, servers, out) {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `qorgau-browser-${lang}-`));
	let server = null;
	let database = null;
	try {
		database = createDatabase(tmp, lang);
		const adminPassword = await runDemo(database);
		const port = await freePort();
		server = await startServer(database, port, lang);
		servers.push(server);
		const run = new Run(browser, `http://127.0.0.1:${port}`, lang, slot, adminPassword, out);
		try {
			await scenario(run);
		} finally {
			await run.closeAll();
		}
		reportPageProblems(lang, out);
		reportLabels(lang, out);
		reportAccessibility(lang, out);
	} catch (e) {
		results.push({ name: `[${lang}] setting up`, status: 'failed' });
		out.log(`FAIL  [${lang}] setting up: ${e.message}`);
	} finally {
		if (server) {
			server.kill('SIGTERM');
			await new Promise((r) => (server.exitCode !== null || server.signalCode !== null ? r() : server.once('exit', r)));
		}
		if (database)
			database.drop();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

function closingLine() {
	const count = (k) => results.filter((r) => r.status === k).length;
	const skipped = count('skipped');
	return `browser: ${count('passed')} passed, ${count('failed')} failed` + (skipped ? `, ${skipped} skipped` : '');
}

async function main() {
	const started = Date.now();
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	for (const f of fs.readdirSync(ARTIFACTS))
		if (/\.png$|^server-..\.log$|^axe-violations\.json$/.test(f))
			fs.rmSync(path.join(ARTIFACTS, f));
	const servers = [];
	const outs = LANGS.map(() => new Output());
	const watchdog = setTimeout(() => {
		for (const s of servers)
			s.kill('SIGKILL');
		for (const o of outs)
			o.flush();
		results.push({ name: 'the whole run', status: 'failed' });
		log(`FAIL  the whole run took longer than ${DEADLINE_MS / 1000} s`);
		log(closingLine());
		process.exit(1);
	}, DEADLINE_MS);
	watchdog.unref();
	let browser = null;
	try {
		expect(fs.existsSync(BIN), `no program at ${BIN} (build it with make, or set QORGAU_BIN)`);
		expect(fs.existsSync(CHROMIUM), `no browser at ${CHROMIUM} (apt-get install chromium, or set QORGAU_CHROMIUM)`);
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
		log(`browser: ${BIN} on ${BACKEND}, chromium ${browser.version()}, axe-core ${require('axe-core/package.json').version}`);
		// Each language's lesson began within the last hour (a lesson may be entered up
		// to an hour late), so that it can be recorded as held; the two slots differ, so
		// the runs could share a lecturer without a clash.
		const t0 = Math.floor(Date.now() / 60_000) * 60_000;
		const slots = {
			kk: { start: localParts(t0 - 55 * 60_000), minutes: 25 },
			ru: { start: localParts(t0 - 27 * 60_000), minutes: 25 },
		};
		// The languages are independent (a server each), so they run side by side;
		// their lines come out in order.
		const runs = LANGS.map((lang, i) => runLanguage(browser, lang, slots[lang], servers, outs[i]));
		for (let i = 0; i < runs.length; i++) {
			await runs[i];
			outs[i].flush();
		}
	} catch (e) {
		results.push({ name: 'setting up', status: 'failed' });
		log(`FAIL  setting up: ${e.message}`);
	} finally {
		if (browser)
			await browser.close().catch(() => {});
	}
	fs.writeFileSync(path.join(ARTIFACTS, 'axe-violations.json'), JSON.stringify(violations, null, 1));
	log(`browser: ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots, server logs and axe-violations.json in ${ARTIFACTS}`);
	log(closingLine());
	process.exitCode = results.some((r) => r.status === 'failed') ? 1 : 0;
}

await main();
