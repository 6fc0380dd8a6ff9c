/* Translated labels for the stored values of appeals and casework. */
#include <string.h>

#include "web/page.h"
#include "web/web.h"

struct label {
	const char *value, *text;
};

static const char *find(struct request *r, const struct label *l, size_t n, const char *value)
{
	for (size_t i = 0; value && i < n; i++)
		if (!strcmp(l[i].value, value))
			return _(r, l[i].text);
	return value ? value : "";
}

#define FIND(table, v) find(r, table, sizeof(table) / sizeof(table[0]), v)

const char *web_channel_label(struct request *r, const char *v)
{
	static const struct label t[] = {
		{"helpline_111", N_("Helpline 111")}, {"phone", N_("Phone")}, {"walk_in", N_("In person")},
		{"online", N_("Online (eOtinish)")},   {"letter", N_("Letter")}, {"school", N_("From a school")},
	};
	return FIND(t, v);
}

const char *web_kind_label(struct request *r, const char *v)
{
	static const struct label t[] = {
		{"application", N_("Application")}, {"complaint", N_("Complaint")}, {"proposal", N_("Proposal")},
		{"request", N_("Request")},	    {"response", N_("Response")},   {"report", N_("Report")},
	};
	return FIND(t, v);
}

const char *web_applicant_label(struct request *r, const char *v)
{
	static const struct label t[] = {
		{"child", N_("The child")}, {"parent", N_("Parent")}, {"guardian", N_("Guardian")},
		{"teacher", N_("Teacher")}, {"other", N_("Other person")}, {"anonymous", N_("Anonymous")},
	};
	return FIND(t, v);
}

const char *web_category_label(struct request *r, const char *v)
{
	static const struct label t[] = {
		{"bullying", N_("Bullying")},
		{"physical_violence", N_("Physical violence")},
		{"sexual_violence", N_("Sexual violence")},
		{"neglect", N_("Neglect")},
		{"family_conflict", N_("Family conflict")},
		{"suicide_risk", N_("Suicide risk")},
		{"psychological_support", N_("Psychological support")},
		{"legal_question", N_("Legal question")},
		{"other", N_("Other")},
	};
	return FIND(t, v);
}

const char *web_risk_label(struct request *r, const char *v)
{
	static const struct label t[] = {
		{"low", N_("low")}, {"medium", N_("medium")}, {"high", N_("high")}, {"critical", N_("critical")},
	};
	return FIND(t, v);
}

const char *web_status_label(struct request *r, const char *v)
{
	static const struct label t[] = {
		{"open", N_("open")},
		{"registered", N_("registered")},
		{"assigned", N_("assigned")},
		{"in_progress", N_("in progress")},
		{"referred", N_("referred")},
		{"resolved", N_("resolved")},
		{"closed", N_("closed")},
		{"rejected", N_("rejected")},
	};
	return FIND(t, v);
}

const char *web_history_label(struct request *r, const char *v)
{
	static const struct label t[] = {
		{"registered", N_("Registered")},
		{"assigned", N_("Assigned")},
		{"status", N_("Status changed")},
		{"reopened", N_("Reopened")},
		{"extended", N_("Deadline extended")},
		{"forwarded", N_("Forwarded by jurisdiction")},
		{"applicant_notified", N_("Applicant notified")},
		{"flagged", N_("Flagged")},
		{"unflagged", N_("Flag removed")},
		{"consultation", N_("Consultation recorded")},
		{"referred", N_("Referred")},
		{"referral_answered", N_("Referral answered")},
	};
	return FIND(t, v);
}

const char *web_format_label(struct request *r, const char *v)
{
	static const struct label t[] = {
		{"in_person", N_("in person")}, {"phone", N_("by phone")}, {"online", N_("online")},
	};
	return FIND(t, v);
}

const char *web_consent_label(struct request *r, const char *v)
{
	static const struct label t[] = {
		{"given", N_("consent given")}, {"not_required", N_("without consent, on a legal ground")},
	};
	return FIND(t, v);
}

const char *web_referral_status_label(struct request *r, const char *v)
{
	static const struct label t[] = {
		{"pending", N_("waiting for an answer")}, {"accepted", N_("accepted")}, {"rejected", N_("rejected")},
		{"done", N_("done")},			  {"revoked", N_("revoked")},
	};
	return FIND(t, v);
}

/* Options for a select from a NULL-terminated value list and a label function. */
struct option *web_options(struct request *r, const char *const *values,
			   const char *(*label)(struct request *r, const char *v))
{
	size_t n = 0;
	while (values[n])
		n++;
	struct option *o = arena_zalloc(&r->arena, (n + 1) * sizeof(*o));
	for (size_t i = 0; i < n; i++) {
		o[i].value = values[i];
		o[i].label = label(r, values[i]);
	}
	return o;
}
