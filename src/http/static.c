/*
 * static.c — the static assets (CSS, JS, images), read once at start and
 * served from memory.  Every asset is Vigie's own: nothing is ever loaded
 * from a third party.
 */
#include "http/static.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/crypto.h"
#include "core/log.h"

static const struct {
	const char *ext, *type;
} mimes[] = {
	{".css", "text/css; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".svg", "image/svg+xml"},
	{".png", "image/png"},
	{".ico", "image/x-icon"},
	{".txt", "text/plain; charset=utf-8"},
	{".json", "application/json"},
	{".woff2", "font/woff2"},
	{".html", "text/html; charset=utf-8"},
};

static const char *
mime_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot != NULL)
		for (i = 0; i < VG_ARRAY_LEN(mimes); i++)
			if (strcmp(dot, mimes[i].ext) == 0)
				return mimes[i].type;
	return "application/octet-stream";
}

static vg_rc
add_file(struct vg_static *s, const char *path, const char *name)
{
	struct vg_static_file *f;
	FILE *fp;
	struct stat sb;
	char hash[VG_TOKEN_CHARS + 1];

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		void *p = realloc(s->files, cap * sizeof(*s->files));

		if (p == NULL)
			return VG_ENOMEM;
		s->files = p;
		s->cap = cap;
	}
	f = &s->files[s->n];
	memset(f, 0, sizeof(*f));
	if ((fp = fopen(path, "rb")) == NULL)
		return VG_EIO;
	if (fstat(fileno(fp), &sb) != 0 || sb.st_size > 16 * 1024 * 1024) {
		fclose(fp);
		return VG_EIO;
	}
	f->len = (size_t)sb.st_size;
	f->data = malloc(f->len + 1);
	f->name = strdup(name);
	if (f->data == NULL || f->name == NULL ||
	    fread(f->data, 1, f->len, fp) != f->len) {
		fclose(fp);
		free(f->data);
		free(f->name);
		return VG_EIO;
	}
	fclose(fp);
	vg_hash_text(NULL, f->data, f->len, hash);
	snprintf(f->etag, sizeof(f->etag), "\"%.16s\"", hash);
	f->type = mime_of(name);
	s->n++;
	return VG_OK;
}

static vg_rc
walk(struct vg_static *s, const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	vg_rc rc = VG_OK;

	if (d == NULL) {
		vg_error("static: %s: %s", dir, strerror(errno));
		return VG_EIO;
	}
	while (rc == VG_OK && (e = readdir(d)) != NULL) {
		char path[2048], name[1024];
		struct stat sb;
		int nl;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		nl = snprintf(name, sizeof(name) - 1, "%s%s", prefix, e->d_name);
		if (nl < 0 || (size_t)nl >= sizeof(name) - 1 ||
		    stat(path, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			name[nl] = '/';
			name[nl + 1] = '\0';
			rc = walk(s, path, name);
		} else if (S_ISREG(sb.st_mode)) {
			rc = add_file(s, path, name);
		}
	}
	closedir(d);
	return rc;
}

vg_rc
vg_static_load(const char *dir, struct vg_static **out, char **version)
{
	struct vg_static *s;
	char hash[VG_TOKEN_CHARS + 1];
	char *all = NULL;
	size_t i;
	vg_rc rc;

	*out = NULL;
	*version = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return VG_ENOMEM;
	if ((rc = walk(s, dir, "")) != VG_OK)
		goto fail;
	/* The version hashes every ETag, so it changes with any asset. */
	all = calloc(s->n + 1, sizeof(s->files[0].etag));
	if (all == NULL) {
		rc = VG_ENOMEM;
		goto fail;
	}
	for (i = 0; i < s->n; i++)
		strcat(all, s->files[i].etag);
	vg_hash_text(NULL, all, strlen(all), hash);
	free(all);
	hash[10] = '\0';
	if ((*version = strdup(hash)) == NULL) {
		rc = VG_ENOMEM;
		goto fail;
	}
	*out = s;
	return VG_OK;
fail:
	vg_static_free(s);
	return rc;
}

const struct vg_static_file *
vg_static_find(const struct vg_static *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->files[i].name, name) == 0)
			return &s->files[i];
	return NULL;
}

void
vg_static_free(struct vg_static *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->files[i].data);
		free(s->files[i].name);
	}
	free(s->files);
	free(s);
}
