/*
 * netaddr.c — one list of the addresses a fetch on a user's say-so must
 * not reach, so that the URL checks of reports and the watch's fetches
 * refuse the same ones.
 */
#include "core/netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>

static bool
private_v4(uint32_t a)
{
	return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
	    (a >> 20) == 0xac1 ||               /* 172.16/12 */
	    (a >> 16) == 0xc0a8 ||              /* 192.168/16 */
	    (a >> 16) == 0xa9fe ||              /* 169.254/16 */
	    (a >> 22) == 0x191 ||               /* 100.64/10 */
	    (a >> 28) >= 14;                    /* multicast, reserved */
}

bool
vg_addr_private(const struct sockaddr *sa)
{
	const struct in6_addr *a;

	if (sa->sa_family == AF_INET)
		return private_v4(ntohl(((const struct sockaddr_in *)sa)->
		    sin_addr.s_addr));
	if (sa->sa_family != AF_INET6)
		return true;
	a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a))
		return private_v4((uint32_t)a->s6_addr[12] << 24 |
		    (uint32_t)a->s6_addr[13] << 16 |
		    (uint32_t)a->s6_addr[14] << 8 | a->s6_addr[15]);
	return IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_UNSPECIFIED(a) ||
	    IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_SITELOCAL(a) ||
	    IN6_IS_ADDR_MULTICAST(a) || (a->s6_addr[0] & 0xfe) == 0xfc;
}
