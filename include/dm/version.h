/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libdm version and the export marker every public header uses.
 * See dm_version(3).
 */
#ifndef DM_VERSION_H
#define DM_VERSION_H

#define DM_VERSION_MAJOR 0
#define DM_VERSION_MINOR 1
#define DM_VERSION_PATCH 0
#define DM_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, comparable with dm_version_number(). */
#define DM_VERSION_NUMBER \
	(DM_VERSION_MAJOR * 10000 + DM_VERSION_MINOR * 100 + DM_VERSION_PATCH)

#if defined(DM_BUILDING_LIBRARY) && defined(__GNUC__)
#define DM_API __attribute__((visibility("default")))
#else
#define DM_API
#endif

#if defined(__GNUC__)
#define DM_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define DM_PRINTF(fmt, args)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Run-time version of the library, as DM_VERSION_NUMBER computes it. */
DM_API int dm_version_number(void);
/* Run-time version as "MAJOR.MINOR.PATCH"; a static string. */
DM_API const char *dm_version_string(void);

#ifdef __cplusplus
}
#endif

#endif
