/*
 * test_config.c — defaults, the configuration file, the environment and
 * the listen address.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

static char tmpdir[256];
static char conf_path[512];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-test-config-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(conf_path, sizeof(conf_path), "%s/vigie.conf", tmpdir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(conf_path);
	rmdir(tmpdir);
	return 0;
}

/* Write text to conf_path. */
static void
write_conf(const char *text)
{
	FILE *f = fopen(conf_path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Read text as a file over the defaults. */
static vg_rc
read_conf(const char *text, vg_config *c, char *err, size_t errlen)
{
	write_conf(text);
	vg_config_defaults(c);
	err[0] = '\0';
	return vg_config_read_file(c, conf_path, err, errlen);
}

/* err must start with "path:line:". */
static void
assert_err_line(const char *err, int line)
{
	char want[600];

	snprintf(want, sizeof(want), "%s:%d:", conf_path, line);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("error \"%s\" does not start with \"%s\"", err, want);
}

static void
test_defaults(void **state)
{
	vg_config c;

	(void)state;
	memset(&c, 0x55, sizeof(c));
	vg_config_defaults(&c);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_string_equal(c.data, "./var");
	assert_int_equal(c.session_idle, 1800);
	assert_int_equal(c.session_max, 43200);
	assert_int_equal(c.threads, 0);
	assert_true(c.connection_timeout > 0);
	assert_false(c.secure_cookies);
	assert_true(c.access_log);
	assert_string_equal(c.config_file, "");
	assert_true(strlen(c.share) > 0);
	assert_int_equal(strncmp(c.quick_exit_url, "https://", 8), 0);
}

static void
test_file_every_key(void **state)
{
	vg_config c;
	char err[1024];

	(void)state;
	assert_int_equal(read_conf(
	    "# Vigie configuration\n"
	    "\n"
	    "   # indented comment\n"
	    "listen = [::1]:9090\n"
	    "data=/srv/vigie/var\n"
	    "  share   =   /usr/local/share/vigie  \n"
	    "\t\n"
	    "quick_exit_url = https://www.example.org/meteo\n"
	    "threads = 8\n"
	    "session_idle = 600\n"
	    "session_max = 7200\n"
	    "connection_timeout = 15\n"
	    "secure_cookies = yes\n"
	    "access_log = off\n"
	    "# the end, no newline after the last comment", &c, err,
	    sizeof(err)), VG_OK);
	assert_string_equal(c.listen, "[::1]:9090");
	assert_string_equal(c.data, "/srv/vigie/var");
	assert_string_equal(c.share, "/usr/local/share/vigie");
	assert_string_equal(c.quick_exit_url, "https://www.example.org/meteo");
	assert_int_equal(c.threads, 8);
	assert_int_equal(c.session_idle, 600);
	assert_int_equal(c.session_max, 7200);
	assert_int_equal(c.connection_timeout, 15);
	assert_true(c.secure_cookies);
	assert_false(c.access_log);
	assert_string_equal(c.config_file, conf_path);
}

static void
test_file_empty_and_partial(void **state)
{
	vg_config c;
	char err[1024];

	(void)state;
	/* Only comments: the defaults stay. */
	assert_int_equal(read_conf("# nothing\n\n#\n", &c, err, sizeof(err)),
	    VG_OK);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.session_idle, 1800);

	assert_int_equal(read_conf("", &c, err, sizeof(err)), VG_OK);
	assert_string_equal(c.data, "./var");

	/* A last line without a newline still counts; CRLF line ends. */
	assert_int_equal(read_conf("threads = 3\r\nsession_idle=60", &c, err,
	    sizeof(err)), VG_OK);
	assert_int_equal(c.threads, 3);
	assert_int_equal(c.session_idle, 60);
	assert_int_equal(c.session_max, 43200);

	/* Each spelling of the booleans. */
	assert_int_equal(read_conf("secure_cookies = true\naccess_log = no\n",
	    &c, err, sizeof(err)), VG_OK);
	assert_true(c.secure_cookies);
	assert_false(c.access_log);
	assert_int_equal(read_conf("secure_cookies = 1\naccess_log = false\n",
	    &c, err, sizeof(err)), VG_OK);
	assert_true(c.secure_cookies);
	assert_false(c.access_log);
	assert_int_equal(read_conf("secure_cookies = off\naccess_log = on\n",
	    &c, err, sizeof(err)), VG_OK);
	assert_false(c.secure_cookies);
	assert_true(c.access_log);
	assert_int_equal(read_conf("secure_cookies = 0\n", &c, err,
	    sizeof(err)), VG_OK);
	assert_false(c.secure_cookies);
}

static void
test_file_unknown_key(void **state)
{
	vg_config c;
	char err[1024];

	(void)state;
	assert_int_equal(read_conf("# c\nlisten = 127.0.0.1:1\n\nbogus = 1\n",
	    &c, err, sizeof(err)), VG_EINVAL);
	assert_err_line(err, 4);
	assert_non_null(strstr(err, "bogus"));
	assert_string_equal(c.config_file, "");
}

static void
test_file_repeated_key(void **state)
{
	vg_config c;
	char err[1024];

	(void)state;
	assert_int_equal(read_conf("threads = 2\ndata = /a\n# again\n"
	    "threads = 4\n", &c, err, sizeof(err)), VG_EINVAL);
	assert_err_line(err, 4);
	assert_non_null(strstr(err, "threads"));

	/* The same key written with other spacing is still the same. */
	assert_int_equal(read_conf("data=/a\n  data   =   /b\n", &c, err,
	    sizeof(err)), VG_EINVAL);
	assert_err_line(err, 2);
}

static void
test_file_bad_values(void **state)
{
	static const struct {
		const char *text;
		int line;
	} bad[] = {
		{"threads = many\n", 1},
		{"threads = 8x\n", 1},
		{"threads =\n", 1},
		{"threads = 4.5\n", 1},
		{"\nthreads = -1\n", 2},
		{"threads = 257\n", 1},
		{"threads = 99999999999999999999\n", 1},
		{"session_idle = 0\n", 1},
		{"# x\n\nsession_idle = 604801\n", 3},
		{"session_max = 0\n", 1},
		{"session_max = 2592001\n", 1},
		{"connection_timeout = 0\n", 1},
		{"connection_timeout = 3601\n", 1},
		{"secure_cookies = maybe\n", 1},
		{"access_log = YES please\n", 1},
		{"access_log = \n", 1},
		{"quick_exit_url = http://example.org/\n", 1},
		{"quick_exit_url = example.org\n", 1},
		{"quick_exit_url = javascript:alert(1)\n", 1},
		{"listen = nope\n", 1},
		{"listen = 127.0.0.1:99999\n", 1},
		{"data = \n", 1},
		{"data /srv\n", 1},
		{"just some words\n", 1},
		{"= value\n", 1},
	};
	vg_config c;
	char err[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vg_rc rc = read_conf(bad[i].text, &c, err, sizeof(err));

		if (rc != VG_EINVAL)
			fail_msg("\"%s\" gave %d, not VG_EINVAL", bad[i].text,
			    (int)rc);
		assert_err_line(err, bad[i].line);
		assert_true(strlen(err) > strlen(conf_path) + 4);
	}
	/* Range boundaries are accepted. */
	assert_int_equal(read_conf("threads = 256\nsession_idle = 1\n"
	    "session_max = 2592000\nconnection_timeout = 3600\n", &c, err,
	    sizeof(err)), VG_OK);
	assert_int_equal(c.threads, 256);
	assert_int_equal(c.session_idle, 1);
	assert_int_equal(c.session_max, 2592000);
	assert_int_equal(c.connection_timeout, 3600);
}

static void
test_file_long_line(void **state)
{
	vg_config c;
	char err[1024];
	char *text = malloc(5000);

	(void)state;
	assert_non_null(text);
	memcpy(text, "data = /", 8);
	memset(text + 8, 'a', 4000);
	memcpy(text + 4008, "\n", 2);
	assert_int_equal(read_conf(text, &c, err, sizeof(err)), VG_EINVAL);
	assert_err_line(err, 1);
	free(text);
}

static void
test_file_missing(void **state)
{
	vg_config c;
	char err[1024] = "";
	char path[600];

	(void)state;
	vg_config_defaults(&c);
	snprintf(path, sizeof(path), "%s/does-not-exist.conf", tmpdir);
	assert_int_equal(vg_config_read_file(&c, path, err, sizeof(err)),
	    VG_ENOTFOUND);
	assert_non_null(strstr(err, path));
	assert_string_equal(c.config_file, "");
	assert_string_equal(c.listen, "127.0.0.1:8080");
}

static void
test_split_listen(void **state)
{
	static const char *const bad[] = {
		"nope", ":80", "1.2.3.4:", "1.2.3.4:99999", "[::1]80",
		"[::1]", "[::1", "[]:80", "1.2.3.4:80x", "1.2.3.4:x80",
		"1.2.3.4:65536", "", ":", "host:-1",
	};
	char addr[64];
	unsigned port = 1;
	size_t i;

	(void)state;
	assert_int_equal(vg_config_split_listen("127.0.0.1:8080", addr,
	    sizeof(addr), &port), VG_OK);
	assert_string_equal(addr, "127.0.0.1");
	assert_int_equal(port, 8080);

	assert_int_equal(vg_config_split_listen("[::1]:80", addr,
	    sizeof(addr), &port), VG_OK);
	assert_string_equal(addr, "::1");
	assert_int_equal(port, 80);

	port = 1;
	assert_int_equal(vg_config_split_listen("localhost:0", addr,
	    sizeof(addr), &port), VG_OK);
	assert_string_equal(addr, "localhost");
	assert_int_equal(port, 0);

	assert_int_equal(vg_config_split_listen("0.0.0.0:65535", addr,
	    sizeof(addr), &port), VG_OK);
	assert_string_equal(addr, "0.0.0.0");
	assert_int_equal(port, 65535);

	assert_int_equal(vg_config_split_listen("[2001:db8::1]:443", addr,
	    sizeof(addr), &port), VG_OK);
	assert_string_equal(addr, "2001:db8::1");
	assert_int_equal(port, 443);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(addr, "untouched");
		port = 4242;
		if (vg_config_split_listen(bad[i], addr, sizeof(addr), &port) !=
		    VG_EINVAL)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_int_equal(port, 4242);
	}

	/* An address too long for the caller's buffer. */
	assert_int_equal(vg_config_split_listen("averyveryverylonghostname:80",
	    addr, 8, &port), VG_EINVAL);
}

static void
test_env(void **state)
{
	vg_config c;
	char err[1024] = "";

	(void)state;
	unsetenv("VIGIE_LISTEN");
	unsetenv("VIGIE_DATA");
	unsetenv("VIGIE_SHARE");

	vg_config_defaults(&c);
	assert_int_equal(vg_config_read_env(&c, err, sizeof(err)), VG_OK);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_string_equal(c.data, "./var");

	setenv("VIGIE_LISTEN", "0.0.0.0:8443", 1);
	setenv("VIGIE_DATA", "/var/lib/vigie", 1);
	setenv("VIGIE_SHARE", "/opt/vigie/share", 1);
	vg_config_defaults(&c);
	assert_int_equal(vg_config_read_env(&c, err, sizeof(err)), VG_OK);
	assert_string_equal(c.listen, "0.0.0.0:8443");
	assert_string_equal(c.data, "/var/lib/vigie");
	assert_string_equal(c.share, "/opt/vigie/share");

	/* An empty variable is as good as unset. */
	setenv("VIGIE_DATA", "", 1);
	vg_config_defaults(&c);
	assert_int_equal(vg_config_read_env(&c, err, sizeof(err)), VG_OK);
	assert_string_equal(c.data, "./var");

	/* The environment overrides the file. */
	unsetenv("VIGIE_SHARE");
	assert_int_equal(read_conf("listen = 127.0.0.1:1\ndata = /file\n", &c,
	    err, sizeof(err)), VG_OK);
	setenv("VIGIE_DATA", "/env", 1);
	assert_int_equal(vg_config_read_env(&c, err, sizeof(err)), VG_OK);
	assert_string_equal(c.listen, "0.0.0.0:8443");
	assert_string_equal(c.data, "/env");

	setenv("VIGIE_LISTEN", "not-an-address", 1);
	vg_config_defaults(&c);
	err[0] = '\0';
	assert_int_equal(vg_config_read_env(&c, err, sizeof(err)), VG_EINVAL);
	assert_non_null(strstr(err, "VIGIE_LISTEN"));
	assert_non_null(strstr(err, "not-an-address"));
	assert_string_equal(c.listen, "127.0.0.1:8080");

	unsetenv("VIGIE_LISTEN");
	unsetenv("VIGIE_DATA");
}

static void
test_set(void **state)
{
	vg_config c;
	char err[512] = "";

	(void)state;
	vg_config_defaults(&c);
	assert_int_equal(vg_config_set(&c, "session_max", "100", err,
	    sizeof(err)), VG_OK);
	assert_int_equal(c.session_max, 100);
	assert_int_equal(vg_config_set(&c, "nope", "1", err, sizeof(err)),
	    VG_EINVAL);
	assert_non_null(strstr(err, "nope"));
	assert_int_equal(vg_config_set(&c, "session_max", "abc", err,
	    sizeof(err)), VG_EINVAL);
	assert_int_equal(c.session_max, 100);
	assert_non_null(strstr(err, "session_max"));
}

/* memory_tmp: /dev/shm by default, a path, or "no" for the disk. */
static void
test_memory_tmp(void **state)
{
	vg_config c;
	char err[512] = "";

	(void)state;
	vg_config_defaults(&c);
	assert_string_equal(c.memory_tmp, "/dev/shm");
	assert_int_equal(vg_config_set(&c, "memory_tmp", "/run/vigie", err,
	    sizeof(err)), VG_OK);
	assert_string_equal(c.memory_tmp, "/run/vigie");
	assert_int_equal(vg_config_set(&c, "memory_tmp", "no", err,
	    sizeof(err)), VG_OK);
	assert_string_equal(c.memory_tmp, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_file_every_key),
		cmocka_unit_test(test_file_empty_and_partial),
		cmocka_unit_test(test_file_unknown_key),
		cmocka_unit_test(test_file_repeated_key),
		cmocka_unit_test(test_file_bad_values),
		cmocka_unit_test(test_file_long_line),
		cmocka_unit_test(test_file_missing),
		cmocka_unit_test(test_split_listen),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_memory_tmp),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
