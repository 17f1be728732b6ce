/*
 * netaddr.h — which addresses Vigie must not reach on a user's say-so.
 */
#ifndef VG_NETADDR_H
#define VG_NETADDR_H

#include <stdbool.h>
#include <sys/socket.h>

/* True for an address of the server's own networks or of no one:
 * loopback, private (10/8, 172.16/12, 192.168/16, unique local fc00::/7),
 * link-local, shared (100.64/10), "this network" (0/8), multicast and
 * reserved ranges, IPv4 inside IPv6 by the same rules, and any family
 * other than IPv4 and IPv6.  URL checks and watch fetches refuse them,
 * unless url_check_private (tests). */
bool vg_addr_private(const struct sockaddr *sa);

#endif
