/* SPDX-License-Identifier: Apache-2.0 */
#include "dm/util.h"

#include <mysql.h>
#include <pthread.h>

static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned global_refs;

int dm_global_init(dm_error **err)
{
	int rc = 0;

	pthread_mutex_lock(&global_lock);
	if (global_refs == 0 && mysql_library_init(0, NULL, NULL) != 0)
		rc = dm_error_set(err, DM_E_DB_DRIVER_ERROR,
				  "MariaDB client library failed to initialise");
	if (rc == 0)
		global_refs++;
	pthread_mutex_unlock(&global_lock);
	return rc;
}

void dm_global_cleanup(void)
{
	pthread_mutex_lock(&global_lock);
	if (global_refs > 0 && --global_refs == 0)
		mysql_library_end();
	pthread_mutex_unlock(&global_lock);
}
