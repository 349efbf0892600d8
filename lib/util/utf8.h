/* SPDX-License-Identifier: Apache-2.0 */
/* Internal: UTF-8 encoding of one code point. */
#ifndef DM_LIB_UTIL_UTF8_H
#define DM_LIB_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Writes `cp` (at most 0x10FFFF) as 1 to 4 UTF-8 bytes to `out`; returns
 * how many. */
static inline size_t dm__utf8_encode(unsigned char out[4], uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xC0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xE0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

#endif
