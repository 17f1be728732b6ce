/*
 * test_netaddr.c — the addresses URL checks and watch fetches refuse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "core/netaddr.h"

static bool
is_private(const char *text)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, text, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		return vg_addr_private((struct sockaddr *)&sin);
	}
	if (inet_pton(AF_INET6, text, &sin6.sin6_addr) != 1)
		fail_msg("not an address: %s", text);
	sin6.sin6_family = AF_INET6;
	return vg_addr_private((struct sockaddr *)&sin6);
}

static void
test_refused(void **state)
{
	static const char *refused[] = {"127.0.0.1", "127.255.0.9", "10.1.2.3",
	    "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
	    "100.64.0.1", "100.127.255.255", "0.0.0.0", "224.0.0.1",
	    "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12::1",
	    "fec0::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
	    "::ffff:192.168.0.1"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (!is_private(refused[i]))
			fail_msg("%s let through", refused[i]);
}

static void
test_public(void **state)
{
	static const char *public[] = {"8.8.8.8", "172.15.255.255",
	    "172.32.0.1", "100.63.255.255", "100.128.0.1", "192.169.0.1",
	    "1.1.1.1", "2001:4860:4860::8888", "2a01:e0a::1",
	    "::ffff:8.8.8.8"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(public) / sizeof(public[0]); i++)
		if (is_private(public[i]))
			fail_msg("%s refused", public[i]);
}

static void
test_other_families(void **state)
{
	struct sockaddr sa;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	assert_true(vg_addr_private(&sa));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_public),
		cmocka_unit_test(test_other_families),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
