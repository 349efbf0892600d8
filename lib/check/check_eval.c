/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The instance items over the values a source returned: version,
 * server_id, log_bin, binlog_format, binlog_row_image, gtid_mode.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/check_private.h"

static bool parse_uint(unsigned *out, const char *s, size_t len)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 9)
		return false;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = (unsigned)v;
	return true;
}

int dm__check_version_parse(dm__check_version *out, const char *text)
{
	unsigned parts[3];
	const char *p, *end;
	int i;

	memset(out, 0, sizeof(*out));
	if (!text)
		return DM_E_INVALID_ARGUMENT;
	end = strchr(text, '-');
	if (!end)
		end = text + strlen(text);
	p = text;
	for (i = 0; i < 3; i++) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		const char *stop = (i < 2) ? dot : end;

		if (!stop || (i == 2 && dot) ||
		    !parse_uint(&parts[i], p, (size_t)(stop - p)))
			return DM_E_INVALID_ARGUMENT;
		p = stop + 1;
	}
	out->major = parts[0];
	out->minor = parts[1];
	out->patch = parts[2];
	out->mariadb = strstr(text, "MariaDB") != NULL;
	return 0;
}

static bool version_ge(const dm__check_version *v, unsigned a, unsigned b,
		       unsigned c)
{
	if (v->major != a)
		return v->major > a;
	if (v->minor != b)
		return v->minor > b;
	return v->patch >= c;
}

static int version_invalid(dm__check_item *it, const char *text)
{
	return dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL, NULL,
				    "MySQL version %s not valid",
				    text ? text : "");
}

int dm__check_eval_version(dm__check_item *it, const char *text,
			   const char *flavor)
{
	dm__check_version v;
	unsigned min[3];
	int rc;

	if (dm__check_version_parse(&v, text) != 0)
		return version_invalid(it, text);
	if (v.mariadb) {
		min[0] = 10, min[1] = 1, min[2] = 2;
	} else {
		min[0] = 5, min[1] = 6, min[2] = 0;
	}
	if (!version_ge(&v, min[0], min[1], min[2])) {
		rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL, NULL,
					  "version required at least %u.%u.%u "
					  "but got %u.%u.%u",
					  min[0], min[1], min[2], v.major,
					  v.minor, v.patch);
		if (!rc)
			rc = dm__check_item_set_instruction(
				it, "Please upgrade your database system");
		return rc;
	}
	/* libdm's addition: the source's flavor decides how its binlog and
	 * GTIDs are read, so a wrong one is worth a word. */
	if (flavor && *flavor &&
	    (strcasecmp(flavor, "mariadb") == 0) != v.mariadb) {
		rc = dm__check_item_error(
			it, DM_CHECK_WARN, NULL, NULL,
			v.mariadb ? "Set flavor: mariadb in the source "
				    "configuration." :
				    "Set flavor: mysql in the source "
				    "configuration.",
			"flavor is %s but the server is %s %u.%u.%u", flavor,
			v.mariadb ? "MariaDB" : "MySQL", v.major, v.minor,
			v.patch);
		return rc;
	}
	return 0;
}

int dm__check_eval_server_id(dm__check_item *it, bool found,
			     const char *value)
{
	char *end = NULL;
	unsigned long long id;
	int rc;

	if (!found || !value) {
		rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL, NULL,
					  "server_id not set");
		return rc ? rc : dm__check_item_set_instruction(
					 it, "please set server_id in your "
					     "database");
	}
	errno = 0;
	id = strtoull(value, &end, 10);
	if (errno || end == value || *end)
		return dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL,
					    NULL, "server_id %s is not a number",
					    value);
	if (id == 0) {
		rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL, NULL,
					  "server_id is 0");
		return rc ? rc : dm__check_item_set_instruction(
					 it, "please set server_id greater "
					     "than 0");
	}
	return 0;
}

int dm__check_eval_log_bin(dm__check_item *it, const char *value)
{
	int rc;

	if (value && strcasecmp(value, "ON") == 0)
		return 0;
	rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL, NULL,
				  "log_bin is %s, and should be ON",
				  value ? value : "");
	return rc ? rc : dm__check_item_set_instruction(
				 it, "ref document: https://dev.mysql.com/doc/"
				     "refman/5.7/en/"
				     "replication-howto-masterbaseconfig.html");
}

int dm__check_eval_binlog_format(dm__check_item *it, const char *value)
{
	int rc;

	if (value && strcasecmp(value, "ROW") == 0)
		return 0;
	rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL, NULL,
				  "binlog_format is %s, and should be ROW",
				  value ? value : "");
	return rc ? rc : dm__check_item_set_instruction(
				 it, "please execute 'set global "
				     "binlog_format=ROW;'");
}

int dm__check_eval_row_image(dm__check_item *it, const char *version,
			     const char *row_image)
{
	dm__check_version v;
	int rc;

	if (dm__check_version_parse(&v, version) != 0)
		return version_invalid(it, version);
	/* binlog_row_image came with MySQL 5.6.2 and MariaDB 10.1.6; before,
	 * rows were always logged in full. */
	if ((v.mariadb && !version_ge(&v, 10, 1, 6)) ||
	    (!v.mariadb && !version_ge(&v, 5, 6, 2)))
		return 0;
	if (row_image && strcasecmp(row_image, "FULL") == 0)
		return 0;
	rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL, NULL,
				  "binlog_row_image is %s, and should be FULL",
				  row_image ? row_image : "");
	return rc ? rc : dm__check_item_set_instruction(
				 it, "please execute 'set global "
				     "binlog_row_image = FULL;'");
}

int dm__check_eval_gtid_mode(dm__check_item *it, bool mariadb,
			     const char *gtid_mode)
{
	int rc;

	/* MariaDB always writes GTIDs; there is nothing to turn on. */
	if (mariadb || (gtid_mode && strcasecmp(gtid_mode, "ON") == 0))
		return 0;
	rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL, NULL,
				  "gtid_mode is %s, and should be ON when "
				  "enable-gtid is true",
				  gtid_mode ? gtid_mode : "not available");
	return rc ? rc : dm__check_item_set_instruction(
				 it, "Turn GTID on (enforce_gtid_consistency "
				     "= ON, then gtid_mode = ON), or set "
				     "enable-gtid: false in the source "
				     "configuration.");
}
