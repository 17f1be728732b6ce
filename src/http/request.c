/*
 * request.c — small helpers handlers use to read input and report errors.
 */
#include "http/http.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"

static const char *role_names[VG_ROLE_COUNT] = {
	"public", "professional", "analyst", "editor", "admin",
};

const char *
vg_role_name(vg_role role)
{
	if ((unsigned)role >= VG_ROLE_COUNT)
		return NULL;
	return role_names[role];
}

const char *
vg_role_label(vg_role role)
{
	static const char *labels[VG_ROLE_COUNT] = {
		N_("public"),
		N_("professionnel·le"),
		N_("analyste"),
		N_("éditeur·rice"),
		N_("administrateur·rice"),
	};

	if ((unsigned)role >= VG_ROLE_COUNT)
		return "";
	return _(labels[role]);
}

int
vg_role_parse(const char *s)
{
	int i;

	for (i = 0; i < VG_ROLE_COUNT; i++)
		if (strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}

vg_rc
vg_fail(vg_resp *resp, vg_rc rc, const char *message, const char *field)
{
	resp->message = message;
	resp->field = field;
	return rc;
}

int64_t
vg_req_param_id(const vg_req *r, int i)
{
	const char *s;
	char *end;
	long long v;

	if (i < 0 || i >= VG_MAX_PARAMS || (s = r->params[i]) == NULL ||
	    !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return -1;
	return v;
}

vg_rc
vg_req_text(vg_req *r, vg_resp *resp, const char *name, size_t max_chars,
    bool required, const char **out)
{
	const vg_form *f = strcmp(r->method, "GET") == 0 ? r->query : r->form;
	const char *v = vg_form_get(f, name);
	size_t n;
	char *copy;

	*out = NULL;
	if (v != NULL) {
		while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
			v++;
		n = strlen(v);
		while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' ||
		    v[n - 1] == '\r' || v[n - 1] == '\n'))
			n--;
		if (n > 0) {
			/* The parser checked UTF-8 already; check again for
			 * values that came another way (tests, the CLI). */
			if (!vg_utf8_valid_text(v, n))
				return vg_fail(resp, VG_EINVAL,
				    _("Ce champ contient des caractères non "
				    "valides."), name);
			if (vg_utf8_length(v, n) > max_chars)
				return vg_fail(resp, VG_EINVAL,
				    _("Ce champ est trop long."), name);
			if ((copy = vg_arena_strndup(r->arena, v, n)) == NULL)
				return VG_ENOMEM;
			*out = copy;
		}
	}
	if (*out == NULL && required)
		return vg_fail(resp, VG_EINVAL, _("Ce champ est obligatoire."),
		    name);
	return VG_OK;
}

vg_rc
vg_resp_body(vg_req *r, vg_resp *resp, vg_buf *b, const char *type,
    const char *filename)
{
	size_t len;
	char *data = vg_buf_detach(b, &len);

	if (data == NULL)
		return VG_ENOMEM;
	resp->body = vg_arena_strndup(r->arena, data, len);
	free(data);
	if (resp->body == NULL)
		return VG_ENOMEM;
	resp->body_len = len;
	resp->content_type = type;
	resp->filename = filename;
	return VG_OK;
}
