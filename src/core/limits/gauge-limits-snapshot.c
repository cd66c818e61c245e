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
  GaugeSeverity     server_severity;  /* the highest any of its twins was given */
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

/* "critical" from limits[] or spend; anything else (or nothing) says nothing. */
static GaugeSeverity
get_severity (JsonObject *object)
{
  const char *severity = gauge_json_get_string (object, "severity");

  if (g_strcmp0 (severity, "critical") == 0)
    return GAUGE_SEVERITY_CRITICAL;
  if (g_strcmp0 (severity, "warning") == 0)
    return GAUGE_SEVERITY_WARNING;

  return GAUGE_SEVERITY_NORMAL;
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
  GHashTable *twins;    /* twin key (owned) → index in entries */
} Builder;

/* Windows that are one limit share a key: their id, or for a kind of the table scoped by a
 * model or a surface, that scope (seven_day_fable and seven_day_fable5 are one limit). */
static char *
twin_key (const char *id)
{
  const GaugeLimitKind *kind = gauge_limit_kind_lookup (id);

  if (kind != NULL && kind->scope != NULL)
    return g_strconcat ("scope:", kind->scope, NULL);

  return g_strdup (id);
}

/* First come, first served: flat windows are added before limits[], so they win; a twin
 * that comes later only passes on what the server said of the limit's severity. */
static void
builder_take (Builder          *builder,
              GaugeLimitWindow *window,
              GaugeLimitRank    rank,
              GaugeSeverity     server_severity)
{
  char *key = twin_key (gauge_limit_window_get_id (window));
  Entry entry = { window, rank, server_severity };
  gpointer index;

  if (g_hash_table_lookup_extended (builder->twins, key, NULL, &index))
    {
      Entry *first = &g_array_index (builder->entries, Entry, GPOINTER_TO_UINT (index));

      g_debug ("Window “%s” already known; duplicate ignored", gauge_limit_window_get_id (window));
      first->server_severity = MAX (first->server_severity, server_severity);
      g_object_unref (window);
      g_free (key);
      return;
    }

  g_hash_table_insert (builder->twins, key, GUINT_TO_POINTER (builder->entries->len));
  g_array_append_val (builder->entries, entry);
}

static double
percent_of (double used,
            double limit)
{
  return limit > 0 ? used / limit * 100.0 : 0.0;
}

/* @amount in minor units of @exponent decimals, in @currency's own minor units (cents, yen).
 * Returns: %FALSE when it does not fit */
static gboolean
to_currency_minor (double      amount,
                   guint       exponent,
                   const char *currency,
                   gint64     *out)
{
  g_autofree char *code = g_ascii_strup (currency != NULL ? currency : "USD", -1);
  int shift = (int) gauge_limit_currency_get_exponent (code) - (int) exponent;
  double value = amount * pow (10.0, shift);

  if (!isfinite (value) || fabs (value) > 1e15)
    {
      g_debug ("An amount of %g is out of range; ignored", amount);
      return FALSE;
    }

  *out = (gint64) round (value);
  return TRUE;
}

/* A count of decimals (exponent, decimal_places): 0–9. */
static gboolean
get_exponent (JsonObject *object,
              const char *member,
              guint      *out)
{
  double value;

  if (!gauge_json_get_number (object, member, &value) || value < 0 || value > 9 ||
      value != floor (value))
    return FALSE;

  *out = (guint) value;
  return TRUE;
}

/* A window object: {utilization, resets_at}, maybe with dollar amounts (a credit grant). */
static GaugeLimitWindow *
parse_window (JsonObject *object,
              const char *id,
              const char *name,
              GTimeSpan   length)
{
  g_autoptr(GDateTime) resets_at = gauge_json_get_time (object, "resets_at");
  double utilization = 0;
  gboolean has_utilization = gauge_json_get_finite (object, "utilization", &utilization);
  double used = 0, limit = 0, remaining = 0;
  gboolean has_used = gauge_json_get_number (object, "used_dollars", &used);
  gboolean has_limit = gauge_json_get_number (object, "limit_dollars", &limit);
  gint64 used_minor = 0, limit_minor = 0;

  if (has_used || has_limit)
    {
      if (!has_used && has_limit && gauge_json_get_number (object, "remaining_dollars", &remaining))
        used = limit - remaining;
      if (!has_utilization)
        utilization = percent_of (used, limit);
      if (!to_currency_minor (used, 0, "USD", &used_minor) ||
          !to_currency_minor (limit, 0, "USD", &limit_minor))
        return NULL;

      return gauge_limit_window_new_money (id, name, utilization, used_minor, limit_minor,
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

      if (g_str_equal (key, "extra_usage") || g_str_equal (key, "limits") ||
          g_str_equal (key, "spend"))
        continue;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_debug ("Top-level “%s” is not a window object; ignored", key);
          continue;
        }

      if ((known = gauge_limit_kind_lookup (key)))
        {
          window = parse_window (json_node_get_object (node), known->id, _(known->name),
                                 known->length);
          if (window != NULL)
            builder_take (builder, window, known->rank, GAUGE_SEVERITY_NORMAL);
          continue;
        }

      if (*key == '\0' || !g_utf8_validate (key, -1, NULL))
        continue;

      /* Anything else shaped like a window is a limit we do not know yet: show it. A credit
       * grant's codename means nothing to a user: it is "Credit", the codename a tooltip. */
      name = generic_name (key);
      window = parse_window (json_node_get_object (node), key, name,
                             gauge_limit_kind_guess_length (key));
      if (window != NULL && gauge_limit_window_is_money (window))
        {
          GaugeLimitWindow *credit =
            /* Translators: a grant of money usable for Claude use, as a limit's name */
            gauge_limit_window_new_money (key, _("Credit"),
                                          gauge_limit_window_get_utilization (window),
                                          gauge_limit_window_get_used_minor (window),
                                          gauge_limit_window_get_limit_minor (window),
                                          gauge_limit_window_get_currency (window),
                                          gauge_limit_window_get_resets_at (window));

          g_object_unref (window);
          builder_take (builder, credit, GAUGE_LIMIT_RANK_CREDIT, GAUGE_SEVERITY_NORMAL);
        }
      else if (window != NULL)
        builder_take (builder, window, GAUGE_LIMIT_RANK_UNKNOWN, GAUGE_SEVERITY_NORMAL);
    }
}

/* One amount of the spend block: {"amount_minor": 763, "currency": "EUR", "exponent": 2}. */
static gboolean
get_money (JsonObject  *parent,
           const char  *member,
           gint64      *minor,
           const char **currency)
{
  JsonObject *money = gauge_json_get_object (parent, member);
  double amount;
  guint exponent;

  if (money == NULL || !gauge_json_get_number (money, "amount_minor", &amount))
    return FALSE;

  *currency = gauge_json_get_string (money, "currency");
  if (gauge_json_get_member (money, "exponent") != NULL)
    {
      if (!get_exponent (money, "exponent", &exponent))
        {
          g_debug ("“%s” has an exponent that is no count of decimals; ignored", member);
          return FALSE;
        }
    }
  else
    {
      g_autofree char *code = g_ascii_strup (*currency != NULL ? *currency : "USD", -1);

      exponent = gauge_limit_currency_get_exponent (code);
    }

  return to_currency_minor (amount, exponent, *currency, minor);
}

/* Returns: %FALSE when a boolean @member says no */
static gboolean
is_enabled (JsonObject *object,
            const char *member,
            gboolean    absent)
{
  JsonNode *enabled = gauge_json_get_member (object, member);

  if (enabled == NULL)
    return absent;

  return JSON_NODE_HOLDS_VALUE (enabled) &&
         json_node_get_value_type (enabled) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (enabled);
}

/* The newer money-typed block for extra usage, which knows its currency's decimals.
 * Returns: %TRUE when it was there to read (extra_usage is then not read) */
static gboolean
parse_spend (Builder    *builder,
             JsonObject *root)
{
  const GaugeLimitKind *kind = gauge_limit_kind_lookup ("extra_usage");
  JsonObject *spend = gauge_json_get_object (root, "spend");
  g_autoptr(GDateTime) resets_at = NULL;
  const char *currency = NULL, *limit_currency = NULL;
  gint64 used = 0, limit = 0;
  double utilization;

  if (spend == NULL)
    return FALSE;

  if (!is_enabled (spend, "enabled", TRUE))
    return TRUE;

  if (!get_money (spend, "used", &used, &currency))
    {
      g_debug ("“spend” without an amount used; extra_usage is read instead");
      return FALSE;
    }

  if (get_money (spend, "limit", &limit, &limit_currency) &&
      g_ascii_strcasecmp (limit_currency != NULL ? limit_currency : "USD",
                          currency != NULL ? currency : "USD") != 0)
    {
      g_debug ("“spend” has its limit in another currency; the limit is ignored");
      limit = 0;
    }

  if (!gauge_json_get_finite (spend, "percent", &utilization))
    utilization = percent_of (used, limit);

  resets_at = gauge_json_get_time (spend, "resets_at");
  builder_take (builder,
                gauge_limit_window_new_money (kind->id, _(kind->name), utilization, used, limit,
                                              currency, resets_at),
                kind->rank, get_severity (spend));
  return TRUE;
}

static void
parse_extra_usage (Builder    *builder,
                   JsonObject *root)
{
  const GaugeLimitKind *kind = gauge_limit_kind_lookup ("extra_usage");
  JsonObject *extra = gauge_json_get_object (root, kind->id);
  g_autoptr(GDateTime) resets_at = NULL;
  double used = 0, limit = 0, utilization = 0;
  gint64 used_minor = 0, limit_minor = 0;
  const char *currency;
  g_autofree char *code = NULL;
  guint decimals;

  if (parse_spend (builder, root) || extra == NULL || !is_enabled (extra, "is_enabled", FALSE))
    return;

  gauge_json_get_number (extra, "used_credits", &used);
  gauge_json_get_number (extra, "monthly_limit", &limit);
  if (!gauge_json_get_finite (extra, "utilization", &utilization))
    utilization = percent_of (used, limit);

  currency = gauge_json_get_string (extra, "currency");
  code = g_ascii_strup (currency != NULL ? currency : "USD", -1);
  /* Amounts are minor units: cents, unless decimal_places says otherwise. */
  if (!get_exponent (extra, "decimal_places", &decimals))
    decimals = gauge_limit_currency_get_exponent (code);
  if (!to_currency_minor (used, decimals, currency, &used_minor) ||
      !to_currency_minor (limit, decimals, currency, &limit_minor))
    return;

  resets_at = gauge_json_get_time (extra, "resets_at");
  builder_take (builder,
                gauge_limit_window_new_money (kind->id, _(kind->name), utilization,
                                              used_minor, limit_minor, currency, resets_at),
                kind->rank, GAUGE_SEVERITY_NORMAL);
}

/* A limits[] entry's scope: a model ({"display_name": "Fable"}), a surface ("code", or an
 * object), or both. @key is what the kinds table knows it by (NULL for both), @fragment a
 * part of an id, @label its name in a row's. Returns: %FALSE when it has neither */
static gboolean
read_scope (JsonObject  *limit,
            char       **key,
            char       **fragment,
            char       **label)
{
  JsonObject *scope = gauge_json_get_object (limit, "scope");
  JsonObject *model = scope != NULL ? gauge_json_get_object (scope, "model") : NULL;
  JsonObject *surface_object = scope != NULL ? gauge_json_get_object (scope, "surface") : NULL;
  g_autofree char *model_name = NULL;
  g_autofree char *surface = NULL;
  g_autofree char *surface_name = NULL;
  const GaugeLimitKind *kind;

  if (model != NULL)
    model_name = gauge_format_clean_text (gauge_json_get_string (model, "display_name"), FALSE);

  if (surface_object != NULL)
    {
      const char *id = gauge_json_get_string (surface_object, "id");

      surface = gauge_format_clean_text (id != NULL ? id : gauge_json_get_string (surface_object,
                                                                                  "name"),
                                         FALSE);
      surface_name = gauge_format_clean_text (gauge_json_get_string (surface_object,
                                                                     "display_name"), FALSE);
    }
  else if (scope != NULL)
    surface = gauge_format_clean_text (gauge_json_get_string (scope, "surface"), FALSE);

  if (model_name != NULL && *model_name == '\0')
    g_clear_pointer (&model_name, g_free);
  if (surface != NULL && *surface == '\0')
    g_clear_pointer (&surface, g_free);
  if (surface == NULL && surface_name != NULL && *surface_name != '\0')
    surface = g_strdup (surface_name);
  if (surface != NULL && (surface_name == NULL || *surface_name == '\0'))
    {
      g_free (surface_name);
      /* "code" is "Claude Code": the kinds table names the surfaces it knows. */
      kind = gauge_limit_kind_lookup_scope (surface);
      surface_name = kind != NULL && g_strrstr (_(kind->name), "· ") != NULL
                     ? g_strdup (g_strrstr (_(kind->name), "· ") + strlen ("· "))
                     : generic_name (surface);
    }

  if (model_name == NULL && surface == NULL)
    return FALSE;

  if (model_name != NULL && surface != NULL)
    {
      g_autofree char *joined = g_strconcat (model_name, " ", surface, NULL);

      *key = NULL;
      *fragment = id_fragment (joined);
      /* Translators: a model within a surface, "Opus · Claude Code" */
      *label = g_strdup_printf (_("%s · %s"), model_name, surface_name);
      return TRUE;
    }

  *key = g_strdup (model_name != NULL ? model_name : surface);
  *fragment = id_fragment (*key);
  *label = g_strdup (model_name != NULL ? model_name : surface_name);
  return TRUE;
}

/* A scoped entry of limits[]: "Weekly · Fable", "Weekly · Claude Code", "5-hour · Opus". */
static void
parse_scoped_limit (Builder    *builder,
                    JsonObject *limit,
                    const char *period_id,
                    double      percent)
{
  const GaugeLimitKind *period = gauge_limit_kind_lookup (period_id);
  const GaugeLimitKind *known = NULL;
  g_autoptr(GDateTime) resets_at = gauge_json_get_time (limit, "resets_at");
  g_autofree char *key = NULL;
  g_autofree char *fragment = NULL;
  g_autofree char *label = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;

  if (!read_scope (limit, &key, &fragment, &label))
    {
      g_debug ("Scoped limit without a model or a surface; skipped");
      return;
    }

  /* The table's row for it ("Fable" is seven_day_fable), so its flat twin is found. */
  if (key != NULL && (known = gauge_limit_kind_lookup_scope (key)) != NULL &&
      gauge_limit_kind_guess_length (known->id) != period->length)
    known = NULL;

  if (known != NULL)
    {
      id = g_strdup (known->id);
      name = g_strdup (_(known->name));
    }
  else
    {
      id = g_strconcat (period->id, "_", fragment, NULL);
      /* Translators: a limit and what it is scoped to, "Weekly · Haiku" */
      name = g_strdup_printf (_("%s · %s"), _(period->name), label);
    }

  builder_take (builder, gauge_limit_window_new (id, name, percent, resets_at, period->length),
                GAUGE_LIMIT_RANK_WEEKLY_SCOPED, get_severity (limit));
}

/* One entry of limits[]: the newer list form of the same windows. */
static void
parse_limit (Builder    *builder,
             JsonObject *limit)
{
  const char *kind = gauge_json_get_string (limit, "kind");
  const char *group = gauge_json_get_string (limit, "group");
  JsonObject *scope = gauge_json_get_object (limit, "scope");
  const GaugeLimitKind *known;
  g_autoptr(GDateTime) resets_at = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  GTimeSpan length = 0;
  GaugeLimitRank rank = GAUGE_LIMIT_RANK_UNKNOWN;
  gboolean weekly, session;
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

  weekly = g_strcmp0 (group, "weekly") == 0 || g_str_has_prefix (kind, "weekly");
  session = g_strcmp0 (group, "session") == 0 || g_str_has_prefix (kind, "session");

  if (scope != NULL && (weekly || session) &&
      (gauge_json_get_member (scope, "model") != NULL ||
       gauge_json_get_member (scope, "surface") != NULL))
    {
      parse_scoped_limit (builder, limit, weekly ? "seven_day" : "five_hour", percent);
      return;
    }

  if ((known = gauge_limit_kind_lookup_limits_kind (kind)) != NULL)
    {
      id = g_strdup (known->id);
      name = g_strdup (_(known->name));
      length = known->length;
      rank = known->rank;
    }
  else if (g_str_equal (kind, "weekly_scoped"))
    {
      g_debug ("Scoped limit without a model or a surface; skipped");
      return;
    }
  else
    {
      g_autofree char *fragment = id_fragment (kind);

      id = g_strconcat ("limit_", fragment, NULL);
      name = generic_name (kind);
      if (session)
        length = GAUGE_WINDOW_LENGTH_FIVE_HOUR;
      else if (weekly)
        length = GAUGE_WINDOW_LENGTH_WEEK;
    }

  resets_at = gauge_json_get_time (limit, "resets_at");
  builder_take (builder, gauge_limit_window_new (id, name, percent, resets_at, length), rank,
                get_severity (limit));
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
  builder->twins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
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
    {
      Entry *entry = &g_array_index (builder->entries, Entry, i);

      if (entry->server_severity > GAUGE_SEVERITY_NORMAL)
        g_ptr_array_add (windows, gauge_limit_window_new_flagged (entry->window,
                                                                  entry->server_severity));
      else
        g_ptr_array_add (windows, g_object_ref (entry->window));
    }

  g_clear_pointer (&builder->entries, g_array_unref);
  g_clear_pointer (&builder->twins, g_hash_table_unref);

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

/* The gateway spend limit (Claude Code 2.1.251+): a percentage, and from 2.1.284 dollars.
 * Returns: (nullable): a money window when the dollars are there, else %NULL */
static GaugeLimitWindow *
parse_statusline_spend (JsonObject           *object,
                        const GaugeLimitKind *kind,
                        GDateTime            *resets_at)
{
  double used, limit = 0, percent;
  gint64 used_minor, limit_minor = 0;

  if (!gauge_json_get_number (object, "used_usd", &used) ||
      !to_currency_minor (used, 0, "USD", &used_minor))
    return NULL;
  if (gauge_json_get_number (object, "limit_usd", &limit) &&
      !to_currency_minor (limit, 0, "USD", &limit_minor))
    limit_minor = 0;
  if (!gauge_json_get_finite (object, "used_percentage", &percent))
    percent = percent_of (used, limit);

  return gauge_limit_window_new_money (kind->id, _(kind->name), percent, used_minor, limit_minor,
                                       "USD", resets_at);
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
      GaugeLimitWindow *money = NULL;
      JsonObject *object;
      double percent;

      if (!JSON_NODE_HOLDS_OBJECT (node) || *key == '\0' || !g_utf8_validate (key, -1, NULL))
        continue;

      object = json_node_get_object (node);
      resets_at = gauge_json_get_time (object, "resets_at");
      if (known != NULL && known->rank == GAUGE_LIMIT_RANK_SPEND_LIMIT &&
          (money = parse_statusline_spend (object, known, resets_at)) != NULL)
        {
          builder_take (&builder, money, known->rank, GAUGE_SEVERITY_NORMAL);
          continue;
        }

      if (!gauge_json_get_finite (object, "used_percentage", &percent))
        continue;

      if (known == NULL)
        name = generic_name (key);
      builder_take (&builder,
                    gauge_limit_window_new (key, known != NULL ? _(known->name) : name, percent,
                                            resets_at, gauge_limit_kind_guess_length (key)),
                    known != NULL ? known->rank : GAUGE_LIMIT_RANK_UNKNOWN,
                    GAUGE_SEVERITY_NORMAL);
    }

  if (builder.entries->len == 0)
    {
      g_clear_pointer (&builder.entries, g_array_unref);
      g_clear_pointer (&builder.twins, g_hash_table_unref);
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
