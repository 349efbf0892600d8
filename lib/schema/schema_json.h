/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A minimal JSON tree for the tracker's saved form (schema_json.c).
 */
#ifndef DM_LIB_SCHEMA_JSON_H
#define DM_LIB_SCHEMA_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "dm/util.h"

typedef enum sjson_kind {
	SJSON_NULL,
	SJSON_BOOL,
	SJSON_NUMBER,
	SJSON_STRING,
	SJSON_ARRAY,
	SJSON_OBJECT
} sjson_kind;

typedef struct sjson sjson;
struct sjson {
	sjson_kind kind;
	long long num;   /* NUMBER (integers only), BOOL */
	char *str;       /* STRING */
	sjson **items;   /* ARRAY, OBJECT */
	char **keys;     /* OBJECT */
	size_t n;
};

/* 0 and the tree in *out; DM_E_SCHEMA_TRACKER_INVALID_JSON when the text
 * is not one valid JSON value, *stop then being the byte offset where
 * reading stopped; DM_E_NO_MEMORY. */
int dm__sjson_parse(sjson **out, const char *text, size_t len, size_t *stop);
void dm__sjson_free(sjson *v);
const sjson *dm__sjson_get(const sjson *obj, const char *key);
/* A JSON string (or null for NULL). */
int dm__sjson_put_string(dm_buf *b, const char *s);

#endif
