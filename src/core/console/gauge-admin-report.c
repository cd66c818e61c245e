/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-admin-report"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gauge-admin-report.h"
#include "gauge-format.h"
#include "gauge-json.h"

/* Whole cents that still fit once scaled, with room for the fraction and its rounding. */
#define MAX_WHOLE_CENTS ((G_MAXINT64 - GAUGE_MICROCENTS_PER_CENT) / GAUGE_MICROCENTS_PER_CENT)
#define FRACTION_DIGITS 6

/* --- Money ---------------------------------------------------------------- */

static gint64
add_sat (gint64 a,
         gint64 b)
{
  if (b > 0 && a > G_MAXINT64 - b)
    return G_MAXINT64;
  if (b < 0 && a < G_MININT64 + 1 - b)
    return G_MININT64 + 1;
  return a + b;
}

/**
 * gauge_admin_parse_cents:
 * @text: a decimal number of cents: "123.45", "-0.5", "7"
 *
 * Reads digits, never a double. Digits past the sixth decimal round half away
 * from zero. No exponent, sign other than '-', spaces or empty parts.
 */
gboolean
gauge_admin_parse_cents (const char      *text,
                         GaugeMicrocents *out)
{
  const char *p = text;
  gboolean negative = FALSE;
  guint64 whole = 0;
  guint64 fraction = 0;
  guint n_digits = 0;
  guint n_fraction = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  for (; g_ascii_isdigit (*p); p++, n_digits++)
    {
      whole = whole * 10 + (guint64) (*p - '0');
      if (whole > (guint64) MAX_WHOLE_CENTS)
        return FALSE;
    }

  if (*p == '.')
    {
      gboolean round_up = FALSE;

      p++;
      for (; g_ascii_isdigit (*p); p++, n_digits++)
        {
          if (n_fraction < FRACTION_DIGITS)
            fraction = fraction * 10 + (guint64) (*p - '0');
          else if (n_fraction == FRACTION_DIGITS)
            round_up = *p >= '5';
          n_fraction++;
        }
      if (n_fraction == 0)
        return FALSE;
      for (guint i = n_fraction; i < FRACTION_DIGITS; i++)
        fraction *= 10;
      if (round_up)
        fraction++;
    }

  if (*p != '\0' || n_digits == 0)
    return FALSE;

  *out = (gint64) (whole * (guint64) GAUGE_MICROCENTS_PER_CENT + fraction);
  if (negative)
    *out = -*out;

  return TRUE;
}

/* "$1.23", rounded to the cent, half away from zero. */
char *
gauge_admin_format_dollars (GaugeMicrocents amount)
{
  guint64 magnitude = amount < 0 ? (guint64) -(amount + 1) + 1 : (guint64) amount;
  guint64 cents = (magnitude + (guint64) GAUGE_MICROCENTS_PER_CENT / 2) /
                  (guint64) GAUGE_MICROCENTS_PER_CENT;

  return g_strdup_printf ("%s$%" G_GUINT64_FORMAT ".%02u", amount < 0 && cents > 0 ? "-" : "",
                          cents / 100, (guint) (cents % 100));
}

/* "1.2345": dollars with every digit we hold, at least two decimals; for JSON. */
char *
gauge_admin_format_exact_dollars (GaugeMicrocents amount)
{
  guint64 magnitude = amount < 0 ? (guint64) -(amount + 1) + 1 : (guint64) amount;
  char decimals[9];
  int len;

  g_snprintf (decimals, sizeof decimals, "%08" G_GUINT64_FORMAT,
              magnitude % (guint64) GAUGE_MICROCENTS_PER_DOLLAR);
  for (len = 8; len > 2 && decimals[len - 1] == '0'; len--)
    decimals[len - 1] = '\0';

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%s", amount < 0 ? "-" : "",
                          magnitude / (guint64) GAUGE_MICROCENTS_PER_DOLLAR, decimals);
}

/* --- Reading members ------------------------------------------------------ */

/* Names, e-mails and ids reach the terminal and the window: without control characters.
 * Only the cursors (next_page, last_id) are handed back to the server exactly as they came. */
static char *
dup_string (JsonObject *object,
            const char *member)
{
  return object != NULL ? gauge_format_clean_text (gauge_json_get_string (object, member), FALSE)
                        : NULL;
}

static char *
dup_cursor (JsonObject *object,
            const char *member)
{
  return g_strdup (gauge_json_get_string (object, member));
}

/* A count: a non-negative integer, else 0. */
static gint64
get_count (JsonObject *object,
           const char *member)
{
  double value;

  if (object == NULL || !gauge_json_get_number (object, member, &value))
    return 0;
  if (value < 0 || value != floor (value))
    return 0;

  return (gint64) value;
}

/* An amount in cents: a decimal string, or a whole number. */
static gboolean
get_cents (JsonObject      *object,
           const char      *member,
           GaugeMicrocents *out)
{
  const char *text;
  double value;

  if (object == NULL)
    return FALSE;

  text = gauge_json_get_string (object, member);
  if (text != NULL)
    return gauge_admin_parse_cents (text, out);

  /* A whole number below 2^53 is exact in a double; beyond MAX_WHOLE_CENTS it would overflow. */
  if (!gauge_json_get_number (object, member, &value) || value != floor (value) ||
      fabs (value) > (double) MAX_WHOLE_CENTS)
    return FALSE;

  *out = (gint64) value * GAUGE_MICROCENTS_PER_CENT;
  return TRUE;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = object != NULL ? gauge_json_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
get_boolean (JsonObject *object,
             const char *member)
{
  JsonNode *node = gauge_json_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static JsonObject *
element_object (JsonArray *array,
                guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* RFC 3339, or a bare YYYY-MM-DD (claude_code), as unix seconds; -1 if unreadable. */
static gint64
parse_day (const char *text)
{
  g_autoptr(GDateTime) date = NULL;

  if (text == NULL)
    return -1;

  date = g_date_time_new_from_iso8601 (text, NULL);
  if (date == NULL && strlen (text) == 10)
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00Z", NULL);

      date = g_date_time_new_from_iso8601 (midnight, NULL);
    }

  return date != NULL ? g_date_time_to_unix (date) : -1;
}

/* --- Rows ----------------------------------------------------------------- */

static void
organization_free (gpointer data)
{
  GaugeAdminOrganization *row = data;

  g_free (row->id);
  g_free (row->name);
  g_free (row);
}

static void
cost_free (gpointer data)
{
  GaugeAdminCost *row = data;

  g_free (row->workspace_id);
  g_free (row->description);
  g_free (row->model);
  g_free (row->token_type);
  g_free (row->cost_type);
  g_free (row);
}

static void
messages_free (gpointer data)
{
  GaugeAdminMessages *row = data;

  g_free (row->model);
  g_free (row->api_key_id);
  g_free (row->workspace_id);
  g_free (row);
}

static void
code_free (gpointer data)
{
  GaugeAdminCode *row = data;

  g_free (row->email);
  g_free (row->api_key_name);
  g_free (row);
}

static void
workspace_free (gpointer data)
{
  GaugeAdminWorkspace *row = data;

  g_free (row->id);
  g_free (row->name);
  g_free (row->color);
  g_free (row);
}

static void
user_free (gpointer data)
{
  GaugeAdminUser *row = data;

  g_free (row->id);
  g_free (row->email);
  g_free (row->name);
  g_free (row->role);
  g_free (row);
}

static void
api_key_free (gpointer data)
{
  GaugeAdminApiKey *row = data;

  g_free (row->id);
  g_free (row->name);
  g_free (row->status);
  g_free (row->workspace_id);
  g_free (row->hint);
  g_free (row);
}

/* Returns: (transfer full): an empty array that frees rows of @kind. */
GPtrArray *
gauge_admin_rows_new (GaugeAdminKind kind)
{
  static const GDestroyNotify free_funcs[GAUGE_ADMIN_N_KINDS] = {
    organization_free, cost_free, messages_free, code_free,
    workspace_free, user_free, api_key_free,
  };

  g_return_val_if_fail (kind < GAUGE_ADMIN_N_KINDS, NULL);

  return g_ptr_array_new_with_free_func (free_funcs[kind]);
}

static void
read_cost (JsonObject *result,
           gint64      day,
           GPtrArray  *rows)
{
  GaugeMicrocents amount;
  const char *currency = gauge_json_get_string (result, "currency");
  GaugeAdminCost *row;

  if (!get_cents (result, "amount", &amount))
    {
      g_debug ("A cost without a readable amount; skipped");
      return;
    }
  if (currency != NULL && g_ascii_strcasecmp (currency, "USD") != 0)
    {
      g_debug ("A cost in %s; only USD is summed", currency);
      return;
    }

  row = g_new0 (GaugeAdminCost, 1);
  row->day = day;
  row->amount = amount;
  row->workspace_id = dup_string (result, "workspace_id");
  row->description = dup_string (result, "description");
  row->model = dup_string (result, "model");
  row->token_type = dup_string (result, "token_type");
  row->cost_type = dup_string (result, "cost_type");
  g_ptr_array_add (rows, row);
}

static void
read_messages (JsonObject *result,
               gint64      day,
               GPtrArray  *rows)
{
  GaugeAdminMessages *row = g_new0 (GaugeAdminMessages, 1);
  JsonObject *cache_creation = gauge_json_get_object (result, "cache_creation");
  JsonObject *server_tools = gauge_json_get_object (result, "server_tool_use");

  row->day = day;
  row->model = dup_string (result, "model");
  row->api_key_id = dup_string (result, "api_key_id");
  row->workspace_id = dup_string (result, "workspace_id");
  row->uncached_input = get_count (result, "uncached_input_tokens");
  row->cache_write = add_sat (get_count (cache_creation, "ephemeral_5m_input_tokens"),
                              get_count (cache_creation, "ephemeral_1h_input_tokens"));
  row->cache_read = get_count (result, "cache_read_input_tokens");
  row->output = get_count (result, "output_tokens");
  row->web_searches = get_count (server_tools, "web_search_requests");
  g_ptr_array_add (rows, row);
}

static void
read_code (JsonObject *object,
           GPtrArray  *rows)
{
  GaugeAdminCode *row = g_new0 (GaugeAdminCode, 1);
  JsonObject *actor = gauge_json_get_object (object, "actor");
  JsonObject *core = gauge_json_get_object (object, "core_metrics");
  JsonObject *lines = core != NULL ? gauge_json_get_object (core, "lines_of_code") : NULL;
  JsonObject *tools = gauge_json_get_object (object, "tool_actions");
  JsonArray *models = get_array (object, "model_breakdown");

  row->day = parse_day (gauge_json_get_string (object, "date"));
  row->email = dup_string (actor, "email_address");
  row->api_key_name = dup_string (actor, "api_key_name");
  row->sessions = get_count (core, "num_sessions");
  row->lines_added = get_count (lines, "added");
  row->lines_removed = get_count (lines, "removed");
  row->commits = get_count (core, "commits_by_claude_code");
  row->pull_requests = get_count (core, "pull_requests_by_claude_code");

  if (tools != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (tools);

      for (const GList *l = members; l != NULL; l = l->next)
        {
          JsonObject *tool = gauge_json_get_object (tools, l->data);

          row->accepted = add_sat (row->accepted, get_count (tool, "accepted"));
          row->rejected = add_sat (row->rejected, get_count (tool, "rejected"));
        }
    }

  for (guint i = 0; models != NULL && i < json_array_get_length (models); i++)
    {
      JsonObject *model = element_object (models, i);
      JsonObject *tokens = model != NULL ? gauge_json_get_object (model, "tokens") : NULL;
      JsonObject *cost = model != NULL ? gauge_json_get_object (model, "estimated_cost") : NULL;
      GaugeMicrocents amount;

      row->input = add_sat (row->input, get_count (tokens, "input"));
      row->output = add_sat (row->output, get_count (tokens, "output"));
      row->cache_read = add_sat (row->cache_read, get_count (tokens, "cache_read"));
      row->cache_creation = add_sat (row->cache_creation, get_count (tokens, "cache_creation"));
      if (get_cents (cost, "amount", &amount))
        row->cost = add_sat (row->cost, amount);
    }

  g_ptr_array_add (rows, row);
}

static void
read_list_row (GaugeAdminKind  kind,
               JsonObject     *object,
               GPtrArray      *rows)
{
  if (gauge_json_get_string (object, "id") == NULL)
    {
      g_debug ("A list entry without an id; skipped");
      return;
    }

  if (kind == GAUGE_ADMIN_WORKSPACES)
    {
      GaugeAdminWorkspace *row = g_new0 (GaugeAdminWorkspace, 1);

      row->id = dup_string (object, "id");
      row->name = dup_string (object, "name");
      row->color = dup_string (object, "display_color");
      row->archived = gauge_json_get_string (object, "archived_at") != NULL;
      g_ptr_array_add (rows, row);
    }
  else if (kind == GAUGE_ADMIN_USERS)
    {
      GaugeAdminUser *row = g_new0 (GaugeAdminUser, 1);

      row->id = dup_string (object, "id");
      row->email = dup_string (object, "email");
      row->name = dup_string (object, "name");
      row->role = dup_string (object, "role");
      g_ptr_array_add (rows, row);
    }
  else
    {
      GaugeAdminApiKey *row = g_new0 (GaugeAdminApiKey, 1);

      row->id = dup_string (object, "id");
      row->name = dup_string (object, "name");
      row->status = dup_string (object, "status");
      row->workspace_id = dup_string (object, "workspace_id");
      row->hint = dup_string (object, "partial_key_hint");
      g_ptr_array_add (rows, row);
    }
}

static void
read_bucket (GaugeAdminKind  kind,
             JsonObject     *bucket,
             GPtrArray      *rows)
{
  gint64 day = parse_day (gauge_json_get_string (bucket, "starting_at"));
  JsonArray *results = get_array (bucket, "results");

  if (day < 0)
    {
      g_debug ("A bucket without a readable starting_at; skipped");
      return;
    }

  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    {
      JsonObject *result = element_object (results, i);

      if (result == NULL)
        continue;
      if (kind == GAUGE_ADMIN_COST)
        read_cost (result, day, rows);
      else
        read_messages (result, day, rows);
    }
}

void
gauge_admin_page_free (GaugeAdminPage *page)
{
  if (page == NULL)
    return;

  g_clear_pointer (&page->rows, g_ptr_array_unref);
  g_free (page->next);
  g_free (page);
}

/**
 * gauge_admin_page_parse:
 *
 * Reads one response of @kind. The rows that cannot be read are skipped; a
 * body that is not an object with a `data` array is an error
 * (%G_IO_ERROR_INVALID_DATA), as is `has_more` without a cursor.
 */
GaugeAdminPage *
gauge_admin_page_parse (GaugeAdminKind   kind,
                        const char      *data,
                        gsize            length,
                        GError         **error)
{
  g_autoptr(GaugeAdminPage) page = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *items;

  g_return_val_if_fail (kind < GAUGE_ADMIN_N_KINDS, NULL);

  root = gauge_json_parse (data, length, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("it is not an object"));
      return NULL;
    }
  object = json_node_get_object (root);

  page = g_new0 (GaugeAdminPage, 1);
  page->kind = kind;
  page->rows = gauge_admin_rows_new (kind);

  if (kind == GAUGE_ADMIN_ORGANIZATION)
    {
      GaugeAdminOrganization *org;

      if (gauge_json_get_string (object, "id") == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("it names no organization"));
          return NULL;
        }
      org = g_new0 (GaugeAdminOrganization, 1);
      org->id = dup_string (object, "id");
      org->name = dup_string (object, "name");
      g_ptr_array_add (page->rows, org);
      return g_steal_pointer (&page);
    }

  items = get_array (object, "data");
  if (items == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("it holds no data"));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = element_object (items, i);

      if (item == NULL)
        continue;

      switch (kind)
        {
        case GAUGE_ADMIN_COST:
        case GAUGE_ADMIN_MESSAGES:
          read_bucket (kind, item, page->rows);
          break;
        case GAUGE_ADMIN_CLAUDE_CODE:
          read_code (item, page->rows);
          break;
        case GAUGE_ADMIN_WORKSPACES:
        case GAUGE_ADMIN_USERS:
        case GAUGE_ADMIN_API_KEYS:
          read_list_row (kind, item, page->rows);
          break;
        case GAUGE_ADMIN_ORGANIZATION:
        case GAUGE_ADMIN_N_KINDS:
        default:
          g_assert_not_reached ();
        }
    }

  page->has_more = get_boolean (object, "has_more");
  if (kind == GAUGE_ADMIN_COST || kind == GAUGE_ADMIN_MESSAGES || kind == GAUGE_ADMIN_CLAUDE_CODE)
    page->next = dup_cursor (object, "next_page");
  else
    page->next = dup_cursor (object, "last_id");

  if (page->has_more && page->next == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("it announces more pages but says not where"));
      return NULL;
    }

  return g_steal_pointer (&page);
}

/* The claude_code rows of one day in the endpoint's own shape, for the cache; read back with
 * gauge_admin_page_parse(). Amounts go out as decimal strings of cents: exact. */
char *
gauge_admin_code_rows_to_json (GPtrArray *rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (rows != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      GaugeAdminCode *row = g_ptr_array_index (rows, i);
      g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (MAX (row->day, 0));
      g_autofree char *day = g_date_time_format (date, "%Y-%m-%d");
      guint64 magnitude = row->cost < 0 ? (guint64) -(row->cost + 1) + 1 : (guint64) row->cost;
      g_autofree char *cents = g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%06u",
                                                row->cost < 0 ? "-" : "",
                                                magnitude / (guint64) GAUGE_MICROCENTS_PER_CENT,
                                                (guint) (magnitude % (guint64) GAUGE_MICROCENTS_PER_CENT));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, day);

      json_builder_set_member_name (builder, "actor");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, row->email != NULL ? "email_address" : "api_key_name");
      json_builder_add_string_value (builder, row->email != NULL ? row->email : row->api_key_name);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "core_metrics");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "num_sessions");
      json_builder_add_int_value (builder, row->sessions);
      json_builder_set_member_name (builder, "lines_of_code");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "added");
      json_builder_add_int_value (builder, row->lines_added);
      json_builder_set_member_name (builder, "removed");
      json_builder_add_int_value (builder, row->lines_removed);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "commits_by_claude_code");
      json_builder_add_int_value (builder, row->commits);
      json_builder_set_member_name (builder, "pull_requests_by_claude_code");
      json_builder_add_int_value (builder, row->pull_requests);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "tool_actions");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "all");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "accepted");
      json_builder_add_int_value (builder, row->accepted);
      json_builder_set_member_name (builder, "rejected");
      json_builder_add_int_value (builder, row->rejected);
      json_builder_end_object (builder);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "model_breakdown");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "tokens");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "input");
      json_builder_add_int_value (builder, row->input);
      json_builder_set_member_name (builder, "output");
      json_builder_add_int_value (builder, row->output);
      json_builder_set_member_name (builder, "cache_read");
      json_builder_add_int_value (builder, row->cache_read);
      json_builder_set_member_name (builder, "cache_creation");
      json_builder_add_int_value (builder, row->cache_creation);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "estimated_cost");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, "USD");
      json_builder_set_member_name (builder, "amount");
      json_builder_add_string_value (builder, cents);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);

      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "has_more");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* --- The report ----------------------------------------------------------- */

struct _GaugeAdminReport
{
  GObject          parent_instance;

  char            *org_name;
  GDateTime       *now;
  GDateTime       *month_start;
  guint            days_in_month;
  GaugeMicrocents  total;
  GaugeMicrocents  projection;
  GaugeMicrocents  code_total;
  GPtrArray       *models;        /* GaugeAdminModelSummary */
  GPtrArray       *workspaces;    /* GaugeAdminWorkspaceSummary */
  GPtrArray       *api_keys;      /* GaugeAdminKeySummary */
  GPtrArray       *users;         /* GaugeAdminUserSummary */
  GPtrArray       *days;          /* GaugeAdminDay */
  GPtrArray       *user_list;     /* GaugeAdminUser, for names */
  GPtrArray       *workspace_list;
  GPtrArray       *key_list;
};

G_DEFINE_FINAL_TYPE (GaugeAdminReport, gauge_admin_report, G_TYPE_OBJECT)

static void
model_summary_free (gpointer data)
{
  GaugeAdminModelSummary *summary = data;

  g_free (summary->model);
  g_free (summary);
}

static void
workspace_summary_free (gpointer data)
{
  GaugeAdminWorkspaceSummary *summary = data;

  g_free (summary->id);
  g_free (summary);
}

static void
key_summary_free (gpointer data)
{
  GaugeAdminKeySummary *summary = data;

  g_free (summary->id);
  g_free (summary);
}

static void
user_summary_free (gpointer data)
{
  GaugeAdminUserSummary *summary = data;

  g_free (summary->actor);
  g_free (summary);
}

static void
day_free (gpointer data)
{
  GaugeAdminDay *day = data;

  g_clear_pointer (&day->by_model, g_array_unref);
  g_free (day);
}

static void
gauge_admin_report_finalize (GObject *object)
{
  GaugeAdminReport *self = (GaugeAdminReport *)object;

  g_free (self->org_name);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->month_start, g_date_time_unref);
  g_clear_pointer (&self->days, g_ptr_array_unref);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->workspaces, g_ptr_array_unref);
  g_clear_pointer (&self->api_keys, g_ptr_array_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->user_list, g_ptr_array_unref);
  g_clear_pointer (&self->workspace_list, g_ptr_array_unref);
  g_clear_pointer (&self->key_list, g_ptr_array_unref);

  G_OBJECT_CLASS (gauge_admin_report_parent_class)->finalize (object);
}

static void
gauge_admin_report_class_init (GaugeAdminReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gauge_admin_report_finalize;
}

static void
gauge_admin_report_init (GaugeAdminReport *self)
{
}

static guint
days_in_month (GDateTime *month_start)
{
  return g_date_get_days_in_month (g_date_time_get_month (month_start),
                                   g_date_time_get_year (month_start));
}

/**
 * gauge_admin_project_month:
 * @total: month-to-date spend, today included
 * @before_today: the part of @total spent on the days before today
 *
 * A linear projection to the end of the UTC month from the average of the
 * finished days. Today is left out of the average: its bucket is partial
 * (the API lags about 5 minutes, and the hours still to come are usually the
 * busy ones), so counting it as a whole day would pull the projection down.
 * On the 1st there is no finished day: today's spend is scaled by the time
 * elapsed (at least one hour). The projection is never below @total.
 */
GaugeMicrocents
gauge_admin_project_month (GaugeMicrocents  total,
                           GaugeMicrocents  before_today,
                           GDateTime       *now)
{
  g_autoptr(GDateTime) month_start = NULL;
  gint64 finished_days;
  guint n_days;
  gint64 projection;

  g_return_val_if_fail (now != NULL, total);

  month_start = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                                     1, 0, 0, 0);
  n_days = days_in_month (month_start);
  finished_days = g_date_time_get_day_of_month (now) - 1;

  if (finished_days > 0)
    {
      before_today = MAX (before_today, 0);
      if (before_today <= G_MAXINT64 / 31)
        projection = before_today * n_days / finished_days;
      else if (before_today / finished_days <= G_MAXINT64 / n_days)
        projection = before_today / finished_days * n_days;
      else
        projection = G_MAXINT64;
    }
  else
    {
      gint64 month_seconds = (gint64) n_days * 86400;
      gint64 elapsed = MAX (g_date_time_to_unix (now) - g_date_time_to_unix (month_start), 3600);
      gint64 today = MAX (total, 0);

      if (today <= G_MAXINT64 / month_seconds)
        projection = today * month_seconds / elapsed;
      else if (today / elapsed <= G_MAXINT64 / month_seconds)
        projection = today / elapsed * month_seconds;
      else
        projection = G_MAXINT64;
    }

  return MAX (projection, total);
}

static gpointer
lookup_or_add (GHashTable *table,
               GPtrArray  *array,
               const char *id,
               gsize       size)
{
  gpointer summary = g_hash_table_lookup (table, id != NULL ? id : "");
  char **id_field;

  if (summary != NULL)
    return summary;

  /* Every summary struct starts with its char *id. */
  summary = g_malloc0 (size);
  id_field = summary;
  *id_field = g_strdup (id);
  g_hash_table_insert (table, *id_field != NULL ? *id_field : (char *) "", summary);
  g_ptr_array_add (array, summary);

  return summary;
}

static int
compare_models (gconstpointer a,
                gconstpointer b)
{
  const GaugeAdminModelSummary *x = *(GaugeAdminModelSummary * const *)a;
  const GaugeAdminModelSummary *y = *(GaugeAdminModelSummary * const *)b;

  if (x->cost != y->cost)
    return x->cost > y->cost ? -1 : 1;
  return g_strcmp0 (x->model, y->model);
}

static int
compare_workspaces (gconstpointer a,
                    gconstpointer b)
{
  const GaugeAdminWorkspaceSummary *x = *(GaugeAdminWorkspaceSummary * const *)a;
  const GaugeAdminWorkspaceSummary *y = *(GaugeAdminWorkspaceSummary * const *)b;

  if (x->cost != y->cost)
    return x->cost > y->cost ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  const GaugeAdminKeySummary *x = *(GaugeAdminKeySummary * const *)a;
  const GaugeAdminKeySummary *y = *(GaugeAdminKeySummary * const *)b;
  gint64 tx = add_sat (x->input, x->output);
  gint64 ty = add_sat (y->input, y->output);

  if (tx != ty)
    return tx > ty ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

static int
compare_users (gconstpointer a,
               gconstpointer b)
{
  const GaugeAdminUserSummary *x = *(GaugeAdminUserSummary * const *)a;
  const GaugeAdminUserSummary *y = *(GaugeAdminUserSummary * const *)b;

  if (x->cost != y->cost)
    return x->cost > y->cost ? -1 : 1;
  return g_strcmp0 (x->actor, y->actor);
}

static void
summarize_costs (GaugeAdminReport *self,
                 GPtrArray        *cost,
                 GHashTable       *models,
                 GHashTable       *workspaces,
                 gint64            start,
                 gint64            end,
                 gint64            today)
{
  GaugeMicrocents before_today = 0;

  for (guint i = 0; cost != NULL && i < cost->len; i++)
    {
      GaugeAdminCost *row = g_ptr_array_index (cost, i);
      GaugeAdminModelSummary *model;
      GaugeAdminWorkspaceSummary *workspace;

      if (row->day < start || row->day >= end)
        continue;

      self->total = add_sat (self->total, row->amount);
      if (row->day < today)
        before_today = add_sat (before_today, row->amount);

      model = lookup_or_add (models, self->models, row->model, sizeof *model);
      model->cost = add_sat (model->cost, row->amount);
      workspace = lookup_or_add (workspaces, self->workspaces, row->workspace_id,
                                 sizeof *workspace);
      workspace->cost = add_sat (workspace->cost, row->amount);
    }

  self->projection = gauge_admin_project_month (self->total, before_today, self->now);
}

static void
summarize_messages (GaugeAdminReport *self,
                    GPtrArray        *messages,
                    GHashTable       *models,
                    GHashTable       *keys,
                    gint64            start,
                    gint64            end)
{
  for (guint i = 0; messages != NULL && i < messages->len; i++)
    {
      GaugeAdminMessages *row = g_ptr_array_index (messages, i);
      GaugeAdminModelSummary *model;
      GaugeAdminKeySummary *key;

      if (row->day < start || row->day >= end)
        continue;

      model = lookup_or_add (models, self->models, row->model, sizeof *model);
      model->input = add_sat (model->input, row->uncached_input);
      model->output = add_sat (model->output, row->output);
      model->cache_read = add_sat (model->cache_read, row->cache_read);
      model->cache_write = add_sat (model->cache_write, row->cache_write);

      key = lookup_or_add (keys, self->api_keys, row->api_key_id, sizeof *key);
      key->input = add_sat (key->input, row->uncached_input);
      key->output = add_sat (key->output, row->output);
      key->cache_read = add_sat (key->cache_read, row->cache_read);
      key->cache_write = add_sat (key->cache_write, row->cache_write);
    }
}

static void
summarize_code (GaugeAdminReport *self,
                GPtrArray        *code,
                gint64            start,
                gint64            end)
{
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; code != NULL && i < code->len; i++)
    {
      GaugeAdminCode *row = g_ptr_array_index (code, i);
      const char *actor = row->email != NULL ? row->email : row->api_key_name;
      g_autofree char *id = NULL;
      GaugeAdminUserSummary *user;

      if (row->day < start || row->day >= end || actor == NULL)
        continue;

      /* The two kinds of actor never share a row even when a key is named like an address. */
      id = g_strconcat (row->email != NULL ? "u:" : "k:", actor, NULL);
      user = g_hash_table_lookup (users, id);
      if (user == NULL)
        {
          user = g_new0 (GaugeAdminUserSummary, 1);
          user->actor = g_strdup (actor);
          user->is_api_key = row->email == NULL;
          g_ptr_array_add (self->users, user);
          g_hash_table_insert (users, g_steal_pointer (&id), user);
        }

      user->sessions = add_sat (user->sessions, row->sessions);
      user->lines_added = add_sat (user->lines_added, row->lines_added);
      user->lines_removed = add_sat (user->lines_removed, row->lines_removed);
      user->commits = add_sat (user->commits, row->commits);
      user->pull_requests = add_sat (user->pull_requests, row->pull_requests);
      user->accepted = add_sat (user->accepted, row->accepted);
      user->rejected = add_sat (user->rejected, row->rejected);
      user->cost = add_sat (user->cost, row->cost);
      self->code_total = add_sat (self->code_total, row->cost);
    }
}

static void
build_days (GaugeAdminReport *self,
            GPtrArray        *cost,
            gint64            start,
            gint64            today)
{
  guint n_days = (guint) ((today - start) / 86400) + 1;

  for (guint d = 0; d < n_days; d++)
    {
      GaugeAdminDay *day = g_new0 (GaugeAdminDay, 1);

      day->day = start + (gint64) d * 86400;
      day->by_model = g_array_sized_new (FALSE, TRUE, sizeof (GaugeAdminAmount), self->models->len);
      for (guint m = 0; m < self->models->len; m++)
        {
          GaugeAdminModelSummary *model = g_ptr_array_index (self->models, m);
          GaugeAdminAmount amount = { model->model, 0 };

          g_array_append_val (day->by_model, amount);
        }
      g_ptr_array_add (self->days, day);
    }

  for (guint i = 0; cost != NULL && i < cost->len; i++)
    {
      GaugeAdminCost *row = g_ptr_array_index (cost, i);
      GaugeAdminDay *day;

      if (row->day < start || row->day >= today + 86400)
        continue;

      day = g_ptr_array_index (self->days, (guint) ((row->day - start) / 86400));
      day->total = add_sat (day->total, row->amount);
      for (guint m = 0; m < day->by_model->len; m++)
        {
          GaugeAdminAmount *amount = &g_array_index (day->by_model, GaugeAdminAmount, m);

          if (g_strcmp0 (amount->model, row->model) == 0)
            {
              amount->amount = add_sat (amount->amount, row->amount);
              break;
            }
        }
    }
}

static void
name_things (GaugeAdminReport *self)
{
  for (guint i = 0; i < self->workspace_list->len; i++)
    {
      GaugeAdminWorkspace *row = g_ptr_array_index (self->workspace_list, i);
      gboolean found = FALSE;

      for (guint j = 0; j < self->workspaces->len; j++)
        {
          GaugeAdminWorkspaceSummary *summary = g_ptr_array_index (self->workspaces, j);

          if (g_strcmp0 (summary->id, row->id) == 0)
            {
              summary->name = row->name;
              summary->color = row->color;
              found = TRUE;
            }
        }

      /* A live workspace with no spend still gets its bar (and its budget). */
      if (!found && !row->archived)
        {
          GaugeAdminWorkspaceSummary *summary = g_new0 (GaugeAdminWorkspaceSummary, 1);

          summary->id = g_strdup (row->id);
          summary->name = row->name;
          summary->color = row->color;
          g_ptr_array_add (self->workspaces, summary);
        }
    }

  for (guint j = 0; j < self->workspaces->len; j++)
    {
      GaugeAdminWorkspaceSummary *summary = g_ptr_array_index (self->workspaces, j);

      if (summary->name == NULL)
        summary->name = summary->id == NULL ? _("Default") : summary->id;
    }

  for (guint j = 0; j < self->api_keys->len; j++)
    {
      GaugeAdminKeySummary *summary = g_ptr_array_index (self->api_keys, j);

      for (guint i = 0; summary->id != NULL && i < self->key_list->len; i++)
        {
          GaugeAdminApiKey *row = g_ptr_array_index (self->key_list, i);

          if (g_strcmp0 (summary->id, row->id) == 0)
            summary->name = row->name;
        }
    }
}

static GPtrArray *
ref_or_empty (GPtrArray      *rows,
              GaugeAdminKind  kind)
{
  return rows != NULL ? g_ptr_array_ref (rows) : gauge_admin_rows_new (kind);
}

/**
 * gauge_admin_report_new:
 * @cost: (nullable) (element-type GaugeAdminCost): rows of any days; those
 *   outside @now's UTC month are left out, as are all the other arrays'
 * @messages: (nullable) (element-type GaugeAdminMessages)
 * @code: (nullable) (element-type GaugeAdminCode)
 * @workspaces: (nullable) (element-type GaugeAdminWorkspace)
 * @users: (nullable) (element-type GaugeAdminUser)
 * @api_keys: (nullable) (element-type GaugeAdminApiKey)
 *
 * The arrays are referenced, not copied: callers must not change them after.
 */
GaugeAdminReport *
gauge_admin_report_new (const char *org_name,
                        GDateTime  *now,
                        GPtrArray  *cost,
                        GPtrArray  *messages,
                        GPtrArray  *code,
                        GPtrArray  *workspaces,
                        GPtrArray  *users,
                        GPtrArray  *api_keys)
{
  g_autoptr(GHashTable) models = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) workspace_table = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) next_month = NULL;
  GaugeAdminReport *self;
  gint64 start, end, today;

  g_return_val_if_fail (now != NULL, NULL);

  self = g_object_new (GAUGE_TYPE_ADMIN_REPORT, NULL);
  self->org_name = g_strdup (org_name);
  self->now = g_date_time_to_utc (now);
  self->month_start = g_date_time_new_utc (g_date_time_get_year (self->now),
                                           g_date_time_get_month (self->now), 1, 0, 0, 0);
  self->days_in_month = days_in_month (self->month_start);
  next_month = g_date_time_add_months (self->month_start, 1);
  start = g_date_time_to_unix (self->month_start);
  end = g_date_time_to_unix (next_month);
  today = start + (gint64) (g_date_time_get_day_of_month (self->now) - 1) * 86400;

  self->models = g_ptr_array_new_with_free_func (model_summary_free);
  self->workspaces = g_ptr_array_new_with_free_func (workspace_summary_free);
  self->api_keys = g_ptr_array_new_with_free_func (key_summary_free);
  self->users = g_ptr_array_new_with_free_func (user_summary_free);
  self->days = g_ptr_array_new_with_free_func (day_free);
  self->workspace_list = ref_or_empty (workspaces, GAUGE_ADMIN_WORKSPACES);
  self->user_list = ref_or_empty (users, GAUGE_ADMIN_USERS);
  self->key_list = ref_or_empty (api_keys, GAUGE_ADMIN_API_KEYS);

  summarize_costs (self, cost, models, workspace_table, start, end, today);
  summarize_messages (self, messages, models, keys, start, end);
  summarize_code (self, code, start, end);

  g_ptr_array_sort (self->models, compare_models);
  g_ptr_array_sort (self->api_keys, compare_keys);
  g_ptr_array_sort (self->users, compare_users);
  name_things (self);
  g_ptr_array_sort (self->workspaces, compare_workspaces);
  build_days (self, cost, start, today);

  return self;
}

const char *
gauge_admin_report_get_org_name (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), NULL);
  return self->org_name;
}

GDateTime *
gauge_admin_report_get_now (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), NULL);
  return self->now;
}

GDateTime *
gauge_admin_report_get_month_start (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), NULL);
  return self->month_start;
}

guint
gauge_admin_report_get_days_in_month (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), 0);
  return self->days_in_month;
}

/* Month-to-date spend from cost_report (the organization's bill). */
GaugeMicrocents
gauge_admin_report_get_total (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), 0);
  return self->total;
}

GaugeMicrocents
gauge_admin_report_get_projection (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), 0);
  return self->projection;
}

/* Claude Code's estimated cost this month: part of the total, not added to it. */
GaugeMicrocents
gauge_admin_report_get_code_total (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), 0);
  return self->code_total;
}

/* Returns: (transfer none) (element-type GaugeAdminModelSummary): by cost, highest first */
GPtrArray *
gauge_admin_report_get_models (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), NULL);
  return self->models;
}

/* Returns: (transfer none) (element-type GaugeAdminWorkspaceSummary) */
GPtrArray *
gauge_admin_report_get_workspaces (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), NULL);
  return self->workspaces;
}

/* Returns: (transfer none) (element-type GaugeAdminKeySummary) */
GPtrArray *
gauge_admin_report_get_api_keys (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), NULL);
  return self->api_keys;
}

/* Returns: (transfer none) (element-type GaugeAdminUserSummary): Claude Code, by cost */
GPtrArray *
gauge_admin_report_get_users (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), NULL);
  return self->users;
}

/* Returns: (transfer none) (element-type GaugeAdminDay): the 1st to today */
GPtrArray *
gauge_admin_report_get_days (GaugeAdminReport *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), NULL);
  return self->days;
}

/* Returns: (nullable): the member's name for an e-mail address, from users */
const char *
gauge_admin_report_lookup_user_name (GaugeAdminReport *self,
                                     const char       *email)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_REPORT (self), NULL);

  for (guint i = 0; email != NULL && i < self->user_list->len; i++)
    {
      GaugeAdminUser *user = g_ptr_array_index (self->user_list, i);

      if (user->email != NULL && g_ascii_strcasecmp (user->email, email) == 0)
        return user->name;
    }

  return NULL;
}
