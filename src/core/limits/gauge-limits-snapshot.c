/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limits-snapshot"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "gauge-clock.h"
#include "gauge-format.h"
#include "gauge-json.h"
#include "gauge-limit-kind.h"
#include "gauge-limits-snapshot.h"

struct _GaugeLimitsSnapshot
{
  GObject      parent_instance;

  GPtrArray   *windows;
  GDateTime   *fetched_at;
  GaugeSource  source;
};

G_DEFINE_FINAL_TYPE (GaugeLimitsSnapshot, gauge_limits_snapshot, G_TYPE_OBJECT)

typedef struct
{
  GaugeLimitWindow *window;
  GaugeLimitRank    rank;
} Entry;

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->window);
}

static void
gauge_limits_snapshot_finalize (GObject *object)
{
  GaugeLimitsSnapshot *self = (GaugeLimitsSnapshot *)object;

  g_clear_pointer (&self->windows, g_ptr_array_unref);
  g_clear_pointer (&self->fetched_at, g_date_time_unref);

  G_OBJECT_CLASS (gauge_limits_snapshot_parent_class)->finalize (object);
}

static void
gauge_limits_snapshot_class_init (GaugeLimitsSnapshotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gauge_limits_snapshot_finalize;
}

static void
gauge_limits_snapshot_init (GaugeLimitsSnapshot *self)
{
  self->windows = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * gauge_limits_snapshot_new:
 * @windows: (transfer none) (element-type GaugeLimitWindow): the windows, in display order
 * @source: where the reading came from
 * @fetched_at: (nullable) (transfer none): when it was read; %NULL means now
 *
 * The snapshot takes its own reference on every window (the array is copied), so the caller
 * keeps ownership of @windows and may change it afterwards.
 *
 * Returns: (transfer full): a new snapshot
 */
GaugeLimitsSnapshot *
gauge_limits_snapshot_new (GPtrArray   *windows,
                           GaugeSource  source,
                           GDateTime   *fetched_at)
{
  GaugeLimitsSnapshot *self;

  self = g_object_new (GAUGE_TYPE_LIMITS_SNAPSHOT, NULL);
  self->source = source;
  self->fetched_at = fetched_at != NULL ? g_date_time_ref (fetched_at) : gauge_clock_now_utc ();

  for (guint i = 0; windows != NULL && i < windows->len; i++)
    {
      GaugeLimitWindow *window = g_ptr_array_index (windows, i);

      g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (window), self);
      g_ptr_array_add (self->windows, g_object_ref (window));
    }

  return self;
}

static GDateTime *
get_date_time (JsonObject *object,
               const char *member)
{
  const char *str = gauge_json_get_string (object, member);
  g_autoptr(GDateTime) parsed = NULL;

  if (str == NULL)
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

/* "seven_day_foo" → "Seven day foo" */
static char *
generic_name (const char *key)
{
  g_autofree char *spaced = g_strdelimit (g_strdup (key), "_", ' ');
  g_autofree char *first = NULL;
  const char *rest;

  g_assert (g_utf8_validate (key, -1, NULL));

  if (*spaced == '\0')
    return g_steal_pointer (&spaced);

  first = g_utf8_strup (spaced, g_utf8_next_char (spaced) - spaced);
  rest = g_utf8_next_char (spaced);

  return g_strconcat (first, rest, NULL);
}

/* "Claude 5 Opus" → "claude_5_opus" */
static char *
id_fragment (const char *name)
{
  char *fragment = g_ascii_strdown (name, -1);

  for (char *p = fragment; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      *p = '_';

  return fragment;
}

typedef struct
{
  GArray     *entries;  /* of Entry */
  GHashTable *ids;      /* borrowed from the windows */
} Builder;

/* First come, first served: flat windows are added before limits[], so they win. */
static void
builder_take (Builder          *builder,
              GaugeLimitWindow *window,
              GaugeLimitRank    rank)
{
  const char *id = gauge_limit_window_get_id (window);
  Entry entry = { window, rank };

  if (g_hash_table_contains (builder->ids, id))
    {
      g_debug ("Window “%s” already known; duplicate ignored", id);
      g_object_unref (window);
      return;
    }

  g_hash_table_add (builder->ids, (gpointer)id);
  g_array_append_val (builder->entries, entry);
}

static double
percent_of (double used,
            double limit)
{
  return limit > 0 ? used / limit * 100.0 : 0.0;
}

/* A window object: {utilization, resets_at}, maybe with dollar amounts (a credit grant). */
static GaugeLimitWindow *
parse_window (JsonObject *object,
              const char *id,
              const char *name,
              GTimeSpan   length,
              gboolean    allow_money)
{
  g_autoptr(GDateTime) resets_at = get_date_time (object, "resets_at");
  double utilization = 0;
  gboolean has_utilization = gauge_json_get_finite (object, "utilization", &utilization);
  double used = 0, limit = 0, remaining = 0;
  gboolean has_used = gauge_json_get_number (object, "used_dollars", &used);
  gboolean has_limit = gauge_json_get_number (object, "limit_dollars", &limit);

  if (allow_money && (has_used || has_limit))
    {
      if (!has_used && has_limit && gauge_json_get_number (object, "remaining_dollars", &remaining))
        used = limit - remaining;
      if (!has_utilization)
        utilization = percent_of (used, limit);

      return gauge_limit_window_new_money (id, name, utilization,
                                           (gint64)round (used * 100.0),
                                           (gint64)round (limit * 100.0),
                                           "USD", resets_at);
    }

  if (!has_utilization)
    {
      g_debug ("Window “%s” has no utilization; skipped", id);
      return NULL;
    }

  return gauge_limit_window_new (id, name, utilization, resets_at, length);
}

static void
parse_flat_windows (Builder    *builder,
                    JsonObject *root)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  json_object_iter_init (&iter, root);
  while (json_object_iter_next (&iter, &key, &node))
    {
      const GaugeLimitKind *known;
      GaugeLimitWindow *window;
      g_autofree char *name = NULL;

      if (JSON_NODE_HOLDS_NULL (node))
        continue;

      if (g_str_equal (key, "extra_usage") || g_str_equal (key, "limits"))
        continue;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_debug ("Top-level “%s” is not a window object; ignored", key);
          continue;
        }

      if ((known = gauge_limit_kind_lookup (key)))
        {
          window = parse_window (json_node_get_object (node), known->id, _(known->name),
                                 known->length, FALSE);
          if (window != NULL)
            builder_take (builder, window, known->rank);
          continue;
        }

      if (*key == '\0' || !g_utf8_validate (key, -1, NULL))
        continue;

      /* Anything else shaped like a window is a limit we do not know yet: show it. */
      name = generic_name (key);
      window = parse_window (json_node_get_object (node), key, name,
                             gauge_limit_kind_guess_length (key), TRUE);
      if (window != NULL)
        builder_take (builder, window, GAUGE_LIMIT_RANK_UNKNOWN);
    }
}

static void
parse_extra_usage (Builder    *builder,
                   JsonObject *root)
{
  const GaugeLimitKind *kind = gauge_limit_kind_lookup ("extra_usage");
  JsonObject *extra = gauge_json_get_object (root, kind->id);
  JsonNode *enabled;
  g_autoptr(GDateTime) resets_at = NULL;
  double used = 0, limit = 0, utilization = 0;
  const char *currency;

  if (extra == NULL)
    return;

  enabled = gauge_json_get_member (extra, "is_enabled");
  if (enabled == NULL || !JSON_NODE_HOLDS_VALUE (enabled) ||
      json_node_get_value_type (enabled) != G_TYPE_BOOLEAN ||
      !json_node_get_boolean (enabled))
    return;

  gauge_json_get_number (extra, "used_credits", &used);
  gauge_json_get_number (extra, "monthly_limit", &limit);
  if (!gauge_json_get_finite (extra, "utilization", &utilization))
    utilization = percent_of (used, limit);

  currency = gauge_json_get_string (extra, "currency");
  resets_at = get_date_time (extra, "resets_at");

  builder_take (builder,
                gauge_limit_window_new_money (kind->id, _(kind->name), utilization,
                                              (gint64)round (used), (gint64)round (limit),
                                              currency, resets_at),
                kind->rank);
}

/* One entry of limits[]: the newer list form of the same windows. */
static void
parse_limit (Builder    *builder,
             JsonObject *limit)
{
  const char *kind = gauge_json_get_string (limit, "kind");
  const char *group = gauge_json_get_string (limit, "group");
  const GaugeLimitKind *known;
  g_autoptr(GDateTime) resets_at = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  GTimeSpan length = 0;
  GaugeLimitRank rank = GAUGE_LIMIT_RANK_UNKNOWN;
  double percent;

  if (kind == NULL)
    {
      g_debug ("Limit without a kind; skipped");
      return;
    }

  if (!gauge_json_get_finite (limit, "percent", &percent))
    {
      g_debug ("Limit “%s” without a percent; skipped", kind);
      return;
    }

  if ((known = gauge_limit_kind_lookup_limits_kind (kind)) != NULL)
    {
      id = g_strdup (known->id);
    }
  else if (g_str_equal (kind, "weekly_scoped"))
    {
      JsonObject *scope = gauge_json_get_object (limit, "scope");
      JsonObject *model = scope != NULL ? gauge_json_get_object (scope, "model") : NULL;
      g_autofree char *model_name =
        gauge_format_clean_text (model != NULL ? gauge_json_get_string (model, "display_name")
                                               : NULL, FALSE);
      g_autofree char *fragment = NULL;

      if (model_name == NULL || *model_name == '\0')
        {
          g_debug ("Scoped limit without a model name; skipped");
          return;
        }

      /* "Opus" → "seven_day_opus", the flat twin's id, when there is one. */
      fragment = id_fragment (model_name);
      id = g_strconcat (gauge_limit_group_get_id_prefix (GAUGE_LIMIT_GROUP_MODEL_WEEKLY), fragment,
                        NULL);
      if (gauge_limit_kind_lookup (id) == NULL)
        {
          /* Translators: a weekly limit on one model, e.g. "Weekly · Haiku" */
          name = g_strdup_printf (_("Weekly · %s"), model_name);
          length = GAUGE_WINDOW_LENGTH_WEEK;
          rank = GAUGE_LIMIT_RANK_WEEKLY_SCOPED;
        }
    }
  else
    {
      g_autofree char *fragment = id_fragment (kind);

      id = g_strconcat ("limit_", fragment, NULL);
      name = generic_name (kind);
      if (g_strcmp0 (group, "session") == 0)
        length = GAUGE_WINDOW_LENGTH_FIVE_HOUR;
      else if (g_strcmp0 (group, "weekly") == 0)
        length = GAUGE_WINDOW_LENGTH_WEEK;
    }

  if (g_hash_table_contains (builder->ids, id))
    return;

  if (name == NULL)
    {
      known = gauge_limit_kind_lookup (id);

      g_assert (known != NULL);
      name = g_strdup (_(known->name));
      length = known->length;
      rank = known->rank;
    }

  resets_at = get_date_time (limit, "resets_at");
  builder_take (builder, gauge_limit_window_new (id, name, percent, resets_at, length), rank);
}

static void
parse_limits (Builder    *builder,
              JsonObject *root)
{
  JsonNode *node = gauge_json_get_member (root, "limits");
  JsonArray *limits;

  if (node == NULL)
    return;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_debug ("“limits” is not an array; ignored");
      return;
    }

  limits = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (limits); i++)
    {
      JsonNode *element = json_array_get_element (limits, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        parse_limit (builder, json_node_get_object (element));
      else
        g_debug ("limits[%u] is not an object; ignored", i);
    }
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = a;
  const Entry *eb = b;
  const char *id_a = gauge_limit_window_get_id (ea->window);
  const char *id_b = gauge_limit_window_get_id (eb->window);
  int ret;

  if (ea->rank != eb->rank)
    return ea->rank < eb->rank ? -1 : 1;

  if (ea->rank == GAUGE_LIMIT_RANK_WEEKLY_SCOPED)
    {
      ret = g_utf8_collate (gauge_limit_window_get_display_name (ea->window),
                            gauge_limit_window_get_display_name (eb->window));
      if (ret != 0)
        return ret;
    }

  return strcmp (id_a, id_b);
}

/**
 * gauge_limits_snapshot_new_from_json:
 * @data: the body of the OAuth usage response
 * @length: its length, or -1 when it is nul-terminated
 * @source: where it came from
 * @fetched_at: (nullable): when it was read; %NULL means now
 * @error: a #GError, %G_IO_ERROR_INVALID_DATA when @data is not a JSON object
 *
 * Reads every window it can. Absent, null and mistyped fields read as absent; unknown windows
 * are kept with a generic name.
 *
 * Returns: (transfer full) (nullable): the snapshot, or %NULL with @error set
 */
/* Parses @data into a JSON object, naming @what in the error. */
static JsonNode *
parse_object (const char  *data,
              gssize       length,
              const char  *what,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = gauge_json_parse (data, length, &local_error);

  if (root == NULL)
    {
      /* Translators: the first %s is "The usage response" or "The statusline input"; the
       * second says what is wrong, e.g. "it is not well-formed JSON" */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s cannot be used: %s"), what, local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s is not a JSON object"), what);
      return NULL;
    }

  return g_steal_pointer (&root);
}

static void
builder_init (Builder *builder)
{
  builder->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (builder->entries, entry_clear);
  builder->ids = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Sorts what the builder holds into a snapshot, and frees the builder. */
static GaugeLimitsSnapshot *
builder_finish (Builder     *builder,
                GaugeSource  source,
                GDateTime   *fetched_at)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);

  g_array_sort (builder->entries, compare_entries);
  for (guint i = 0; i < builder->entries->len; i++)
    g_ptr_array_add (windows, g_object_ref (g_array_index (builder->entries, Entry, i).window));

  g_clear_pointer (&builder->entries, g_array_unref);
  g_clear_pointer (&builder->ids, g_hash_table_unref);

  return gauge_limits_snapshot_new (windows, source, fetched_at);
}

GaugeLimitsSnapshot *
gauge_limits_snapshot_new_from_json (const char   *data,
                                     gssize        length,
                                     GaugeSource   source,
                                     GDateTime    *fetched_at,
                                     GError      **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  Builder builder;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, _("The usage response"), error);
  if (root == NULL)
    return NULL;

  object = json_node_get_object (root);
  builder_init (&builder);
  parse_flat_windows (&builder, object);
  parse_limits (&builder, object);
  parse_extra_usage (&builder, object);

  return builder_finish (&builder, source, fetched_at);
}

/* The statusline's resets_at: epoch seconds (or milliseconds), or an ISO string. */
static GDateTime *
get_statusline_time (JsonObject *object,
                     const char *member)
{
  double epoch;

  if (!gauge_json_get_number (object, member, &epoch))
    return get_date_time (object, member);

  if (epoch > 1e11)  /* milliseconds: 1e11 seconds is the year 5138 */
    epoch /= 1000.0;
  if (epoch <= 0 || epoch > 253402300799.0)
    return NULL;

  return g_date_time_new_from_unix_utc ((gint64) epoch);
}

/**
 * gauge_limits_snapshot_new_from_statusline:
 *
 * Reads the `rate_limits` Claude Code pipes into its statusline command
 * (`{"rate_limits": {"five_hour": {"used_percentage": 41, "resets_at": 1795012800}}}`).
 *
 * Returns: (transfer full) (nullable): the official windows it carries, with
 *   source %GAUGE_SOURCE_STATUSLINE; %NULL without an error when the input has
 *   no rate limits (older Claude Code, API-key users)
 */
GaugeLimitsSnapshot *
gauge_limits_snapshot_new_from_statusline (const char  *data,
                                           gssize       length,
                                           GDateTime   *fetched_at,
                                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *rate_limits;
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;
  Builder builder;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_object (data, length, _("The statusline input"), error);
  if (root == NULL)
    return NULL;

  rate_limits = gauge_json_get_object (json_node_get_object (root), "rate_limits");
  if (rate_limits == NULL)
    return NULL;

  builder_init (&builder);
  json_object_iter_init (&iter, rate_limits);
  while (json_object_iter_next (&iter, &key, &node))
    {
      const GaugeLimitKind *known = gauge_limit_kind_lookup (key);
      g_autoptr(GDateTime) resets_at = NULL;
      g_autofree char *name = NULL;
      double percent;

      if (!JSON_NODE_HOLDS_OBJECT (node) || *key == '\0' || !g_utf8_validate (key, -1, NULL) ||
          !gauge_json_get_finite (json_node_get_object (node), "used_percentage", &percent))
        continue;

      resets_at = get_statusline_time (json_node_get_object (node), "resets_at");
      if (known == NULL)
        name = generic_name (key);
      builder_take (&builder,
                    gauge_limit_window_new (key, known != NULL ? _(known->name) : name, percent,
                                            resets_at, gauge_limit_kind_guess_length (key)),
                    known != NULL ? known->rank : GAUGE_LIMIT_RANK_UNKNOWN);
    }

  if (builder.entries->len == 0)
    {
      g_clear_pointer (&builder.entries, g_array_unref);
      g_clear_pointer (&builder.ids, g_hash_table_unref);
      return NULL;
    }

  return builder_finish (&builder, GAUGE_SOURCE_STATUSLINE, fetched_at);
}

GaugeSource
gauge_limits_snapshot_get_source (GaugeLimitsSnapshot *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_SNAPSHOT (self), GAUGE_SOURCE_OFFICIAL);

  return self->source;
}

/**
 * gauge_limits_snapshot_get_fetched_at:
 *
 * Returns: (transfer none): when the reading was taken
 */
GDateTime *
gauge_limits_snapshot_get_fetched_at (GaugeLimitsSnapshot *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_SNAPSHOT (self), NULL);

  return self->fetched_at;
}

guint
gauge_limits_snapshot_get_n_windows (GaugeLimitsSnapshot *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_SNAPSHOT (self), 0);

  return self->windows->len;
}

/**
 * gauge_limits_snapshot_get_window:
 *
 * Returns: (transfer none): the window at @position, in display order
 */
GaugeLimitWindow *
gauge_limits_snapshot_get_window (GaugeLimitsSnapshot *self,
                                  guint               position)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_SNAPSHOT (self), NULL);
  g_return_val_if_fail (position < self->windows->len, NULL);

  return g_ptr_array_index (self->windows, position);
}

/**
 * gauge_limits_snapshot_lookup:
 * @id: a window id such as "five_hour"
 *
 * Returns: (transfer none) (nullable): the window, or %NULL when the snapshot has none by that id
 */
GaugeLimitWindow *
gauge_limits_snapshot_lookup (GaugeLimitsSnapshot *self,
                              const char         *id)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_SNAPSHOT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->windows->len; i++)
    {
      GaugeLimitWindow *window = g_ptr_array_index (self->windows, i);

      if (g_str_equal (gauge_limit_window_get_id (window), id))
        return window;
    }

  return NULL;
}

/**
 * gauge_limits_snapshot_get_severity:
 *
 * Returns: the worst severity of any window; normal when there are none
 */
GaugeSeverity
gauge_limits_snapshot_get_severity (GaugeLimitsSnapshot *self,
                                    double              warning,
                                    double              critical)
{
  GaugeSeverity severity = GAUGE_SEVERITY_NORMAL;

  g_return_val_if_fail (GAUGE_IS_LIMITS_SNAPSHOT (self), GAUGE_SEVERITY_NORMAL);

  for (guint i = 0; i < self->windows->len; i++)
    severity = MAX (severity,
                    gauge_limit_window_get_severity (g_ptr_array_index (self->windows, i),
                                                     warning, critical));

  return severity;
}

/**
 * gauge_limits_snapshot_get_next_reset:
 * @after: (nullable): only resets strictly later than this count; %NULL for any
 *
 * Returns: (transfer none) (nullable): the earliest reset after @after, or %NULL if none
 */
GDateTime *
gauge_limits_snapshot_get_next_reset (GaugeLimitsSnapshot *self,
                                      GDateTime          *after)
{
  GDateTime *next = NULL;

  g_return_val_if_fail (GAUGE_IS_LIMITS_SNAPSHOT (self), NULL);

  for (guint i = 0; i < self->windows->len; i++)
    {
      GaugeLimitWindow *window = g_ptr_array_index (self->windows, i);
      GDateTime *resets_at = gauge_limit_window_get_resets_at (window);

      if (resets_at == NULL)
        continue;
      if (after != NULL && g_date_time_compare (resets_at, after) <= 0)
        continue;
      if (next == NULL || g_date_time_compare (resets_at, next) < 0)
        next = resets_at;
    }

  return next;
}
