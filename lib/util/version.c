/* SPDX-License-Identifier: Apache-2.0 */
#include "dm/version.h"

int dm_version_number(void)
{
	return DM_VERSION_NUMBER;
}

const char *dm_version_string(void)
{
	return DM_VERSION_STRING;
}
