#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

#ifndef VIGIE_SHAREDIR
#define VIGIE_SHAREDIR "/usr/share/vigie"
#endif

void
vg_config_defaults(vg_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
	snprintf(c->data, sizeof(c->data), "./var");
	snprintf(c->share, sizeof(c->share), "%s", VIGIE_SHAREDIR);
	snprintf(c->quick_exit_url, sizeof(c->quick_exit_url),
	    "https://meteofrance.com/");
	snprintf(c->public_url, sizeof(c->public_url),
	    "http://127.0.0.1:8080");
	c->threads = 0;
	c->session_idle = 30 * 60;
	c->session_max = 12 * 60 * 60;
	c->connection_timeout = 30;
	c->retention_days = 365;
	c->workgroup_retention_days = 365;
	c->vault_max_file = 20 << 20;
	c->vault_max_items = 500;
	snprintf(c->memory_tmp, sizeof(c->memory_tmp), "/dev/shm");
	c->suppress_threshold = 10;
	c->notice_days = 7;
	c->report_limit = 30;
	c->newsletter_rate = 60;
	c->watch_interval = 6 * 3600;
	c->watch_timeout = 30;
	c->secure_cookies = false;
	c->access_log = true;
}

vg_rc
vg_config_split_listen(const char *listen, char *addr, size_t addrlen,
    unsigned *port)
{
	const char *colon, *a = listen, *aend;
	char *end;
	unsigned long p;

	if (listen[0] == '[') {
		aend = strchr(listen, ']');
		if (aend == NULL || aend[1] != ':')
			return VG_EINVAL;
		a = listen + 1;
		colon = aend + 1;
	} else {
		colon = strrchr(listen, ':');
		if (colon == NULL)
			return VG_EINVAL;
		aend = colon;
	}
	if (aend == a || (size_t)(aend - a) >= addrlen)
		return VG_EINVAL;
	if (!isdigit((unsigned char)colon[1]))
		return VG_EINVAL;
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || p > 65535)
		return VG_EINVAL;
	memcpy(addr, a, (size_t)(aend - a));
	addr[aend - a] = '\0';
	*port = (unsigned)p;
	return VG_OK;
}

static vg_rc
set_int(int *dst, const char *v, int min, int max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v || n < min || n > max)
		return VG_EINVAL;
	*dst = (int)n;
	return VG_OK;
}

static vg_rc
set_bool(bool *dst, const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") ||
	    !strcmp(v, "1"))
		*dst = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") ||
	    !strcmp(v, "off") || !strcmp(v, "0"))
		*dst = false;
	else
		return VG_EINVAL;
	return VG_OK;
}

static vg_rc
set_str(char *dst, size_t cap, const char *v)
{
	if (strlen(v) >= cap || v[0] == '\0')
		return VG_EINVAL;
	memcpy(dst, v, strlen(v) + 1);
	return VG_OK;
}

vg_rc
vg_config_set(vg_config *c, const char *key, const char *value, char *err,
    size_t errlen)
{
	char addr[256];
	unsigned port;
	vg_rc rc;

	if (!strcmp(key, "listen")) {
		rc = vg_config_split_listen(value, addr, sizeof(addr), &port);
		if (rc == VG_OK)
			rc = set_str(c->listen, sizeof(c->listen), value);
		if (rc != VG_OK)
			snprintf(err, errlen, _("adresse d'écoute invalide « %s » "
			    "(attendu ADRESSE:PORT, par exemple 127.0.0.1:8080)"),
			    value);
		return rc;
	}
	if (!strcmp(key, "data"))
		rc = set_str(c->data, sizeof(c->data), value);
	else if (!strcmp(key, "share"))
		rc = set_str(c->share, sizeof(c->share), value);
	else if (!strcmp(key, "quick_exit_url"))
		rc = strncmp(value, "https://", 8) != 0 ? VG_EINVAL :
		    set_str(c->quick_exit_url, sizeof(c->quick_exit_url), value);
	else if (!strcmp(key, "threads"))
		rc = set_int(&c->threads, value, 0, 256);
	else if (!strcmp(key, "session_idle"))
		rc = set_int(&c->session_idle, value, 1, 7 * 24 * 3600);
	else if (!strcmp(key, "session_max"))
		rc = set_int(&c->session_max, value, 1, 30 * 24 * 3600);
	else if (!strcmp(key, "connection_timeout"))
		rc = set_int(&c->connection_timeout, value, 1, 3600);
	else if (!strcmp(key, "retention_days"))
		rc = set_int(&c->retention_days, value, 1, 3650);
	else if (!strcmp(key, "workgroup_retention_days"))
		rc = set_int(&c->workgroup_retention_days, value, 1, 3650);
	else if (!strcmp(key, "vault_max_file"))
		rc = set_int(&c->vault_max_file, value, 1024, 1 << 30);
	else if (!strcmp(key, "memory_tmp") && (!strcmp(value, "no") ||
	    value[0] == '\0')) {
		c->memory_tmp[0] = '\0';       /* uploads transit on disk */
		rc = VG_OK;
	}
	else if (!strcmp(key, "memory_tmp"))
		rc = set_str(c->memory_tmp, sizeof(c->memory_tmp), value);
	else if (!strcmp(key, "vault_max_items"))
		rc = set_int(&c->vault_max_items, value, 1, 100000);
	else if (!strcmp(key, "report_limit"))
		rc = set_int(&c->report_limit, value, 1, 10000000);
	else if (!strcmp(key, "suppress_threshold"))
		rc = set_int(&c->suppress_threshold, value, 5, 1000);
	else if (!strcmp(key, "notice_days"))
		rc = set_int(&c->notice_days, value, 1, 90);
	else if (!strcmp(key, "smtp_url"))
		rc = strncmp(value, "smtp://", 7) && strncmp(value, "smtps://", 8)
		    ? VG_EINVAL : set_str(c->smtp_url, sizeof(c->smtp_url), value);
	else if (!strcmp(key, "notifier_name"))
		rc = set_str(c->notifier_name, sizeof(c->notifier_name), value);
	else if (!strcmp(key, "public_url"))
		rc = strncmp(value, "https://", 8) && strncmp(value, "http://", 7)
		    ? VG_EINVAL : set_str(c->public_url, sizeof(c->public_url),
		    value);
	else if (!strcmp(key, "smtp_user"))
		rc = set_str(c->smtp_user, sizeof(c->smtp_user), value);
	else if (!strcmp(key, "smtp_password"))
		rc = set_str(c->smtp_password, sizeof(c->smtp_password), value);
	else if (!strcmp(key, "smtp_starttls"))
		rc = set_bool(&c->smtp_starttls, value);
	else if (!strcmp(key, "smtp_ca_file"))
		rc = set_str(c->smtp_ca_file, sizeof(c->smtp_ca_file), value);
	else if (!strcmp(key, "newsletter_rate"))
		rc = set_int(&c->newsletter_rate, value, 1, 100000);
	else if (!strcmp(key, "watch_interval"))
		rc = !strcmp(value, "0") ? (c->watch_interval = 0, VG_OK) :
		    set_int(&c->watch_interval, value, 10, 30 * 24 * 3600);
	else if (!strcmp(key, "watch_timeout"))
		rc = set_int(&c->watch_timeout, value, 1, 600);
	else if (!strcmp(key, "iocs"))
		rc = set_str(c->iocs, sizeof(c->iocs), value);
	else if (!strcmp(key, "notifier_email"))
		rc = strchr(value, '@') == NULL ? VG_EINVAL :
		    set_str(c->notifier_email, sizeof(c->notifier_email), value);
	else if (!strcmp(key, "secure_cookies"))
		rc = set_bool(&c->secure_cookies, value);
	else if (!strcmp(key, "access_log"))
		rc = set_bool(&c->access_log, value);
	else if (!strcmp(key, "url_check_private"))
		rc = set_bool(&c->url_check_private, value);
	else {
		snprintf(err, errlen, _("clé inconnue « %s »"), key);
		return VG_EINVAL;
	}
	if (rc != VG_OK)
		snprintf(err, errlen, _("valeur invalide pour « %s » : « %s »"),
		    key, value);
	return rc;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

vg_rc
vg_config_read_file(vg_config *c, const char *path, char *err, size_t errlen)
{
	FILE *f;
	char line[2048], msg[512];
	char seen[16][32];
	int nseen = 0, lineno = 0, i;
	vg_rc rc = VG_OK;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, _("%s : impossible de lire le fichier (%s)"),
		    path, strerror(errno));
		return errno == ENOENT ? VG_ENOTFOUND : VG_EIO;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s, *eq, *key, *value;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, _("%s:%d: ligne trop longue"), path,
			    lineno);
			rc = VG_EINVAL;
			break;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen, _("%s:%d: « clé = valeur » attendu"),
			    path, lineno);
			rc = VG_EINVAL;
			break;
		}
		*eq = '\0';
		key = trim(s);
		value = trim(eq + 1);
		for (i = 0; i < nseen; i++)
			if (!strcmp(seen[i], key))
				break;
		if (i < nseen) {
			snprintf(err, errlen, _("%s:%d: « %s » est déjà défini"),
			    path, lineno, key);
			rc = VG_EINVAL;
			break;
		}
		if ((rc = vg_config_set(c, key, value, msg, sizeof(msg))) !=
		    VG_OK) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			break;
		}
		if (nseen < 16)
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", key);
	}
	fclose(f);
	if (rc == VG_OK)
		snprintf(c->config_file, sizeof(c->config_file), "%s", path);
	return rc;
}

vg_rc
vg_config_read_env(vg_config *c, char *err, size_t errlen)
{
	static const struct {
		const char *env, *key;
	} map[] = {
		{"VIGIE_LISTEN", "listen"},
		{"VIGIE_DATA", "data"},
		{"VIGIE_SHARE", "share"},
		{"VIGIE_IOCS", "iocs"},
	};
	char msg[512];
	size_t i;

	for (i = 0; i < VG_ARRAY_LEN(map); i++) {
		const char *v = getenv(map[i].env);

		if (v == NULL || *v == '\0')
			continue;
		if (vg_config_set(c, map[i].key, v, msg, sizeof(msg)) != VG_OK) {
			snprintf(err, errlen, "%s : %s", map[i].env, msg);
			return VG_EINVAL;
		}
	}
	return VG_OK;
}
