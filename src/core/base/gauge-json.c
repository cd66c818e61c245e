/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-json"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "gauge-json.h"

/* Real payloads nest four levels deep. */
#define MAX_DEPTH 64

/* Numbers beyond this are nonsense here, and would overflow a gint64 once rounded. */
#define MAX_NUMBER 1e15

/* json-glib recurses once per level of nesting, so a payload of nested brackets could exhaust
 * the stack: count the depth first, lexing as json-glib does. json-glib 1.6 takes "strings"
 * with escapes, 'strings' without, and treats everything from one '/' to the next as a
 * comment; other versions end a comment at a star followed by a slash. Either reading is
 * checked, so that brackets json-glib sees are never hidden from the count. */
static gboolean
nesting_exceeds (const char *data,
                 gsize       length,
                 gboolean    c_comments)
{
  enum { CODE, DQ_STRING, SQ_STRING, COMMENT } state = CODE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      switch (state)
        {
        case DQ_STRING:
          if (c == '\\')
            i++;
          else if (c == '"')
            state = CODE;
          break;

        case SQ_STRING:
          if (c == '\'')
            state = CODE;
          break;

        case COMMENT:
          if (!c_comments && c == '/')
            state = CODE;
          else if (c_comments && c == '*' && i + 1 < length && data[i + 1] == '/')
            {
              state = CODE;
              i++;
            }
          break;

        case CODE:
        default:
          if (c == '"')
            state = DQ_STRING;
          else if (c == '\'')
            state = SQ_STRING;
          else if (c == '/' && !c_comments)
            state = COMMENT;
          else if (c == '/' && i + 1 < length && data[i + 1] == '*')
            {
              state = COMMENT;
              i++;
            }
          else if ((c == '[' || c == '{') && ++depth > MAX_DEPTH)
            return TRUE;
          else if ((c == ']' || c == '}') && depth > 0)
            depth--;
          break;
        }
    }

  return FALSE;
}

static gboolean
nesting_is_sane (const char *data,
                 gsize       length)
{
  return !nesting_exceeds (data, length, FALSE) && !nesting_exceeds (data, length, TRUE);
}

/**
 * gauge_json_parse:
 * @error: %G_IO_ERROR_INVALID_DATA, with json-glib's message (which may quote the input)
 *
 * Returns: (transfer full) (nullable): the root node, a null node for empty input
 */
JsonNode *
gauge_json_parse (const char  *data,
                  gssize       length,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length <= 0, NULL);

  if (length < 0)
    length = data != NULL ? strlen (data) : 0;

  if (!nesting_is_sane (data, length))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("it is nested too deeply"));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, length > 0 ? data : "", length, &local_error))
    {
      /* The parser's words ("<data>:1:49: Parse error: …") are for the log, not for people. */
      g_debug ("Not JSON: %s", local_error->message);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("it is not well-formed JSON"));
      return NULL;
    }

  /* Empty input parses to no root at all: hand back a null, which no caller takes for an object. */
  if (json_parser_get_root (parser) == NULL)
    return json_node_new (JSON_NODE_NULL);

  return json_parser_steal_root (parser);
}

JsonNode *
gauge_json_get_member (JsonObject *object,
                       const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

/* A decimal number written as a string, "37" or "-12.5e1": nothing else (g_ascii_strtod()
 * alone would also take "nan", "inf", hex and leading spaces). */
static gboolean
parse_decimal (const char *text,
               double     *out)
{
  const char *p = text;
  char *end = NULL;
  gboolean digits = FALSE;

  if (*p == '-')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;

  *out = g_ascii_strtod (text, &end);
  return end == p;
}

/**
 * gauge_json_get_finite:
 *
 * A finite number of any size: a JSON number, or a string that holds one in decimal ("37":
 * some payloads quote their numbers). Range checks are the caller's.
 *
 * Returns: %TRUE with @out set, %FALSE when the member is absent, null or not a number
 */
gboolean
gauge_json_get_finite (JsonObject *object,
                       const char *member,
                       double     *out)
{
  JsonNode *node = gauge_json_get_member (object, member);
  GType type;
  double value;

  if (node == NULL)
    return FALSE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else if (type != G_TYPE_STRING || !parse_decimal (json_node_get_string (node), &value))
    {
      g_debug ("“%s” is not a number; ignored", member);
      return FALSE;
    }

  if (!isfinite (value))
    {
      g_debug ("“%s” is not a finite number; ignored", member);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/* gauge_json_get_finite() within ±MAX_NUMBER: amounts and counts. */
gboolean
gauge_json_get_number (JsonObject *object,
                       const char *member,
                       double     *out)
{
  double value;

  if (!gauge_json_get_finite (object, member, &value))
    return FALSE;

  if (fabs (value) > MAX_NUMBER)
    {
      g_debug ("“%s” is out of range; ignored", member);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

/* Returns: (nullable): the string, only when it is valid UTF-8 and not empty */
const char *
gauge_json_get_string (JsonObject *object,
                       const char *member)
{
  JsonNode *node = gauge_json_get_member (object, member);
  const char *str;

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_debug ("“%s” is not a string; ignored", member);
      return NULL;
    }

  str = json_node_get_string (node);
  if (str == NULL || *str == '\0' || !g_utf8_validate (str, -1, NULL))
    return NULL;

  return str;
}

JsonObject *
gauge_json_get_object (JsonObject *object,
                       const char *member)
{
  JsonNode *node = gauge_json_get_member (object, member);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_debug ("“%s” is not an object; ignored", member);
      return NULL;
    }

  return json_node_get_object (node);
}

/**
 * gauge_json_get_time:
 *
 * A time in either form Anthropic and Claude Code send, in one answer even: RFC 3339
 * ("…+00:00", "…Z") or epoch seconds (milliseconds too, as the statusline has sent).
 *
 * Returns: (transfer full) (nullable): the time in UTC, or %NULL when absent or not a time
 */
GDateTime *
gauge_json_get_time (JsonObject *object,
                     const char *member)
{
  JsonNode *node = gauge_json_get_member (object, member);
  const char *str;
  g_autoptr(GDateTime) parsed = NULL;
  double epoch;

  if (node == NULL)
    return NULL;

  if (json_node_get_value_type (node) != G_TYPE_STRING &&
      gauge_json_get_number (object, member, &epoch))
    {
      if (epoch > 1e11)  /* milliseconds: 1e11 seconds is the year 5138 */
        epoch /= 1000.0;
      if (epoch <= 0 || epoch > 253402300799.0)
        {
          g_debug ("“%s” is not a time; ignored", member);
          return NULL;
        }

      return g_date_time_new_from_unix_utc ((gint64) epoch);
    }

  if ((str = gauge_json_get_string (object, member)) == NULL)
    return NULL;

  /* No default time zone: a time without an offset is as good as none. */
  parsed = g_date_time_new_from_iso8601 (str, NULL);
  if (parsed == NULL)
    {
      g_debug ("“%s” is not an RFC 3339 time; ignored", member);
      return NULL;
    }

  return g_date_time_to_utc (parsed);
}

void
gauge_json_add_string (JsonBuilder *builder,
                       const char  *member,
                       const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
gauge_json_add_int (JsonBuilder *builder,
                    const char  *member,
                    gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

void
gauge_json_add_double (JsonBuilder *builder,
                       const char  *member,
                       double       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_double_value (builder, value);
}

/* The shortest of "%.1g" … "%.17g" that reads back as the same double, as JavaScript (and so
 * ccusage) prints numbers; a decimal point kept, so a double stays a double to typed readers. */
static void
append_shortest (GString    *out,
                 const char *number,
                 gsize       length)
{
  g_autofree char *copy = g_strndup (number, length);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  double value = g_ascii_strtod (copy, NULL);

  if (!isfinite (value))
    {
      g_string_append (out, copy);
      return;
    }

  for (int digits = 1; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  g_string_append (out, buffer);
  if (strpbrk (buffer, ".eEn") == NULL)
    g_string_append (out, ".0");
}

/* JSON-GLib writes every double with 17 digits ("2.1692248499999995"); each number with a
 * fraction or an exponent is written again at its shortest. Strings are copied as they are. */
static char *
shorten_numbers (const char *json)
{
  GString *out = g_string_sized_new (strlen (json));
  const char *p = json;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          const char *start = p++;

          while (*p != '\0' && *p != '"')
            p += (*p == '\\' && p[1] != '\0') ? 2 : 1;
          if (*p == '"')
            p++;
          g_string_append_len (out, start, p - start);
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          const char *start = p;
          gboolean fraction = FALSE;

          while (*p == '-' || *p == '+' || *p == '.' || *p == 'e' || *p == 'E' ||
                 g_ascii_isdigit (*p))
            fraction |= (*p == '.' || *p == 'e' || *p == 'E'), p++;
          if (fraction)
            append_shortest (out, start, p - start);
          else
            g_string_append_len (out, start, p - start);
        }
      else
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

/* Pretty-printed, as the CLI prints it, each number at its shortest. */
char *
gauge_json_to_string (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  return shorten_numbers (text);
}
