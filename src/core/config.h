/*
 * config.h — Vigie's configuration: defaults, then the file, then the
 * environment, then the command line, each overriding the one before.
 *
 * The file (DATA/vigie.conf, or --config / VIGIE_CONFIG) holds lines of
 * "key = value" and "# comments".  Parsing is strict: an unknown key, a bad
 * value or a repeated key is an error naming the file and the line.
 */
#ifndef VG_CONFIG_H
#define VG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/vg.h"

typedef struct vg_config {
	char listen[256];          /* ADDR:PORT */
	char data[1024];           /* data directory: database, key, uploads */
	char share[1024];          /* templates, static, content, sql */
	char quick_exit_url[512];  /* the neutral site of the quick exit */
	char smtp_url[256];        /* "smtp://host:port"; "": no mail sent */
	char notifier_name[200];   /* who signs notices (the organisation) */
	char notifier_email[254];  /* its address: From of every mail */
	char public_url[256];      /* the site's address, for links in mails */
	char iocs[1024];           /* stalkerware indicators folder, or "" */
	char smtp_user[256];       /* SMTP authentication, or "" for none */
	char smtp_password[256];
	bool smtp_starttls;        /* require STARTTLS on smtp:// */
	char smtp_ca_file[1024];   /* CA bundle to check the SMTP server's
	                              certificate, or "": the system's */
	int newsletter_rate;       /* newsletter mails sent a minute */
	int watch_interval;        /* seconds between two fetches of the watch
	                              sources by the server; 0: never */
	int watch_timeout;         /* seconds a source's fetch may take */
	int suppress_threshold;    /* barometer cells under it are hidden */
	int threads;               /* worker threads; 0: one per core */
	int session_idle;          /* seconds */
	int session_max;           /* seconds */
	int connection_timeout;    /* seconds */
	int retention_days;        /* personal data of closed reports */
	int workgroup_retention_days; /* closed working group cases */
	int vault_max_file;        /* bytes of one evidence vault file */
	int vault_max_items;       /* items in one evidence vault */
	char memory_tmp[1024];     /* a tmpfs where the vault's uploads and
	                              exports transit ("" (config "no"): on
	                              disk) */
	int notice_days;           /* a host's answer is overdue after */
	int report_limit;          /* reports an hour from one visitor */
	bool secure_cookies;       /* served over TLS (behind a proxy) */
	bool access_log;
	bool url_check_private;    /* let URL checks reach private addresses
	                              (tests on loopback only) */
	char config_file[1024];    /* the file read, or "" */
} vg_config;

/* Fill c with the built-in defaults (share from VIGIE_SHAREDIR at build
 * time). */
void vg_config_defaults(vg_config *c);

/* Read the file at path into c.  Missing file: VG_ENOTFOUND.  Error:
 * VG_EINVAL with "path:line: message" (French) in err. */
vg_rc vg_config_read_file(vg_config *c, const char *path, char *err,
    size_t errlen);

/* Apply VIGIE_LISTEN, VIGIE_DATA, VIGIE_SHARE (VG_EINVAL with a message
 * when one is malformed). */
vg_rc vg_config_read_env(vg_config *c, char *err, size_t errlen);

/* Set one key from its text value, as the file would. */
vg_rc vg_config_set(vg_config *c, const char *key, const char *value,
    char *err, size_t errlen);

/* Split "ADDR:PORT" ("[::1]:8080" for IPv6).  VG_EINVAL when malformed. */
vg_rc vg_config_split_listen(const char *listen, char *addr, size_t addrlen,
    unsigned *port);

#endif
