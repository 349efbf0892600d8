/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The only I/O of lib/cfg: reading a configuration file before handing its
 * bytes to the (pure) parser. The copy is wiped once parsed.
 */
#include "cfg/cfg_private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Configuration files are small; this guards against reading a device. */
#define MAX_FILE (64u << 20)

int dm__cfg_read_file(dm_buf *out, const char *path, dm_error **err)
{
	char msg[128];
	struct stat st;
	int fd, rc = 0;

	if (!path)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT, "path is NULL");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto io_error;
	if (fstat(fd, &st) != 0)
		goto io_error;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto io_error;
	}
	for (;;) {
		ssize_t got;

		if (out->len > MAX_FILE) {
			rc = dm_error_set(err, DM_E_CONFIG_READ_CFG_FROM_FILE,
					  "%s: file larger than %u bytes", path,
					  MAX_FILE);
			goto out;
		}
		if (dm_buf_reserve(out, 4096)) {
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
			goto out;
		}
		got = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			goto io_error;
		}
		if (got == 0)
			break;
		out->len += (size_t)got;
		out->data[out->len] = '\0';
	}
	goto out;
io_error:
	msg[0] = '\0';
	rc = dm_error_set(err, DM_E_CONFIG_READ_CFG_FROM_FILE, "%s: %s", path,
			  strerror_r(errno, msg, sizeof(msg)));
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

int dm_cfg_source_load_file(dm_cfg_source **out, const char *path,
			    dm_error **err)
{
	dm_buf text = DM_BUF_INIT;
	int rc;

	if (out)
		*out = NULL;
	rc = dm__cfg_read_file(&text, path, err);
	if (!rc)
		rc = dm_cfg_source_parse(out, text.data ? text.data : "",
					 text.len, path, err);
	dm_buf_wipe(&text);
	return rc;
}

int dm_cfg_task_load_file(dm_cfg_task **out, const char *path, dm_error **err)
{
	dm_buf text = DM_BUF_INIT;
	int rc;

	if (out)
		*out = NULL;
	rc = dm__cfg_read_file(&text, path, err);
	if (!rc)
		rc = dm_cfg_task_parse(out, text.data ? text.data : "", text.len,
				       path, err);
	dm_buf_wipe(&text);
	return rc;
}
