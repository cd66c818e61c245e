/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * Reading untrusted JSON with json-glib: parse with a guard against nesting
 * deep enough to exhaust the stack, and read members so that a null or a
 * value of the wrong type reads as absent.
 */
JsonNode   *gauge_json_parse      (const char  *data,
                                   gssize       length,
                                   GError     **error);
JsonNode   *gauge_json_get_member (JsonObject  *object,
                                   const char  *member);
gboolean    gauge_json_get_finite (JsonObject  *object,
                                   const char  *member,
                                   double      *out);
gboolean    gauge_json_get_number (JsonObject  *object,
                                   const char  *member,
                                   double      *out);
const char *gauge_json_get_string (JsonObject  *object,
                                   const char  *member);
JsonObject *gauge_json_get_object (JsonObject  *object,
                                   const char  *member);
GDateTime  *gauge_json_get_time   (JsonObject  *object,
                                   const char  *member);

/* Writing: a member and its value in one call; a NULL string writes null. */
void        gauge_json_add_string (JsonBuilder *builder,
                                   const char  *member,
                                   const char  *value);
void        gauge_json_add_int    (JsonBuilder *builder,
                                   const char  *member,
                                   gint64       value);
void        gauge_json_add_double (JsonBuilder *builder,
                                   const char  *member,
                                   double       value);
char       *gauge_json_to_string  (JsonNode    *root);

G_END_DECLS
