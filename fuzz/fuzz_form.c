/*
 * fuzz_form.c — libFuzzer target for the form body parser.
 *
 * Input format: one selector byte, then the body.
 *   selector & 3:   0  application/x-www-form-urlencoded
 *                   1  multipart/form-data; boundary=XyZzY
 *                   2  multipart/form-data; boundary="Xy Zz(Y)"  (quoted)
 *                   3  the Content-Type is the body's first line (up to
 *                      the first '\n', excluded); the rest is the body
 *   selector >> 2:  chunk size for feed(): 0 means the whole body at
 *                   once, else 1..63 bytes per call
 * The body is also given whole to vg_form_parse_urlencoded.
 *
 * Uploads go to a directory made once under /tmp; limits are small so the
 * disk never fills, and cleanup must leave the directory empty (checked),
 * with no fd left open.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* mkdtemp */
#endif

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char updir[] = "/tmp/vg-fuzz-form-XXXXXX";

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_form: %s\n", what);
		abort();
	}
}

/* The lowest free fd: it moves when one leaks. */
static int
free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	check(fd >= 0, "open /dev/null");
	close(fd);
	return fd;
}

static void
remove_updir(void)
{
	rmdir(updir);
}

static int
dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	check(d != NULL, "opendir");
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

/* What the parser promises about a form it accepted. */
static void
check_form(const vg_form *f, const vg_form_limits *lim)
{
	const vg_form_field *fl;
	struct stat st;
	size_t n = 0;

	for (fl = f->first; fl != NULL; fl = fl->next, n++) {
		check(fl->name[0] != '\0', "empty name");
		check(strlen(fl->name) <= lim->max_name, "name too long");
		check(vg_utf8_valid_text(fl->name, strlen(fl->name)),
		    "name not text");
		check(strlen(fl->value) == fl->len, "value len");
		check(fl->len <= lim->max_value, "value too long");
		check(vg_utf8_valid_text(fl->value, fl->len), "value not text");
		if (fl->filename == NULL) {
			check(fl->path == NULL && fl->size == 0, "text field");
			continue;
		}
		check(strchr(fl->filename, '/') == NULL &&
		    strchr(fl->filename, '\\') == NULL, "filename path");
		check(fl->size <= lim->max_file, "file too big");
		if (fl->path == NULL) {
			check(fl->filename[0] == '\0' && fl->size == 0,
			    "file without path");
			continue;
		}
		check(stat(fl->path, &st) == 0, "stat upload");
		check((size_t)st.st_size == fl->size, "upload size");
		check((st.st_mode & 07777) == 0600, "upload mode");
	}
	check(n == f->count, "count");
	check(n <= lim->max_fields, "too many fields");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready, fd0;
	static const char *types[] = {
		"application/x-www-form-urlencoded",
		"multipart/form-data; boundary=XyZzY",
		"multipart/form-data; boundary=\"Xy Zz(Y)\"",
	};
	vg_form_limits lim = {
		.max_fields = 8,
		.max_name = 32,
		.max_value = 256,
		.max_file = 4096,
		.upload_dir = updir,
	};
	const char *body, *nl, *ct;
	char *ctbuf = NULL;
	size_t n, chunk, at, k;
	vg_form_parser *p;
	vg_form *f;
	vg_arena *a;
	vg_rc rc;

	if (!ready) {
		check(mkdtemp(updir) != NULL, "mkdtemp");
		atexit(remove_updir);
		fd0 = free_fd();
		ready = 1;
	}
	if (size < 1)
		return 0;
	body = (const char *)data + 1;
	n = size - 1;
	chunk = data[0] >> 2;
	if ((data[0] & 3) == 3) {
		nl = memchr(body, '\n', n);
		k = nl != NULL ? (size_t)(nl - body) : n;
		/* Not strndup: under strict_string_checks ASan wants a NUL
		 * inside the input, which fuzz data need not have. */
		ctbuf = malloc(k + 1);
		check(ctbuf != NULL, "malloc");
		memcpy(ctbuf, body, k);
		ctbuf[k] = '\0';
		ct = ctbuf;
		body += nl != NULL ? k + 1 : k;
		n -= nl != NULL ? k + 1 : k;
	} else {
		ct = types[data[0] & 3];
	}
	if (chunk == 0)
		chunk = n > 0 ? n : 1;

	a = vg_arena_new();
	check(a != NULL, "arena");
	rc = vg_form_parser_new(a, ct, &lim, &p);
	if (rc == VG_OK) {
		for (at = 0; at < n && rc == VG_OK; at += k) {
			k = n - at < chunk ? n - at : chunk;
			rc = vg_form_parser_feed(p, body + at, k);
		}
		if (rc == VG_OK)
			rc = vg_form_parser_finish(p, &f);
		if (rc == VG_OK)
			check_form(f, &lim);
		else
			check(vg_form_parser_feed(p, "x", 1) == rc, "sticky");
		vg_form_parser_cleanup(p);
		check(dir_empty(updir), "upload left behind");
	} else {
		check(p == NULL, "parser on error");
	}

	rc = vg_form_parse_urlencoded(a, body, n, &lim, &f);
	if (rc == VG_OK)
		check_form(f, &lim);
	else
		check(f == NULL, "form on error");

	vg_arena_free(a);
	free(ctbuf);
	check(free_fd() == fd0, "fd leaked");
	return 0;
}
