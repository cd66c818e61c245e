/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-admin-page"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "gauge-admin-page.h"
#include "gauge-format.h"
#include "gauge-json.h"

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

  return gauge_json_get_number (object, member, &value) &&
         gauge_admin_whole_cents (value, out);
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

/* RFC 3339, or a bare YYYY-MM-DD (claude_code, the cache), as unix seconds; -1 if unreadable. */
gint64
gauge_admin_parse_day (const char *text)
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

/* "2025-11-03": the UTC day of @day (unix seconds), as the API and the cache name days. */
char *
gauge_admin_format_day (gint64 day)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (day);

  return g_date_time_format (time, "%Y-%m-%d");
}

/* --- Rows ----------------------------------------------------------------- */

/* The strings of each kind of row: the member each is read from (in the row's object, or in
 * its "actor" for claude_code) and where the row keeps it. */
typedef struct
{
  GaugeAdminKind  kind;
  const char     *object;
  const char     *member;
  gsize           offset;
} StringField;

#define FIELD(kind, object, member, type, field) \
  { kind, object, member, G_STRUCT_OFFSET (type, field) }

static const StringField string_fields[] = {
  FIELD (GAUGE_ADMIN_ORGANIZATION, NULL, "id", GaugeAdminOrganization, id),
  FIELD (GAUGE_ADMIN_ORGANIZATION, NULL, "name", GaugeAdminOrganization, name),
  FIELD (GAUGE_ADMIN_COST, NULL, "workspace_id", GaugeAdminCost, workspace_id),
  FIELD (GAUGE_ADMIN_COST, NULL, "description", GaugeAdminCost, description),
  FIELD (GAUGE_ADMIN_COST, NULL, "model", GaugeAdminCost, model),
  FIELD (GAUGE_ADMIN_COST, NULL, "token_type", GaugeAdminCost, token_type),
  FIELD (GAUGE_ADMIN_COST, NULL, "cost_type", GaugeAdminCost, cost_type),
  FIELD (GAUGE_ADMIN_MESSAGES, NULL, "model", GaugeAdminMessages, model),
  FIELD (GAUGE_ADMIN_MESSAGES, NULL, "api_key_id", GaugeAdminMessages, api_key_id),
  FIELD (GAUGE_ADMIN_MESSAGES, NULL, "workspace_id", GaugeAdminMessages, workspace_id),
  FIELD (GAUGE_ADMIN_CLAUDE_CODE, "actor", "email_address", GaugeAdminCode, email),
  FIELD (GAUGE_ADMIN_CLAUDE_CODE, "actor", "api_key_name", GaugeAdminCode, api_key_name),
  FIELD (GAUGE_ADMIN_WORKSPACES, NULL, "id", GaugeAdminWorkspace, id),
  FIELD (GAUGE_ADMIN_WORKSPACES, NULL, "name", GaugeAdminWorkspace, name),
  FIELD (GAUGE_ADMIN_WORKSPACES, NULL, "display_color", GaugeAdminWorkspace, color),
  FIELD (GAUGE_ADMIN_USERS, NULL, "id", GaugeAdminUser, id),
  FIELD (GAUGE_ADMIN_USERS, NULL, "email", GaugeAdminUser, email),
  FIELD (GAUGE_ADMIN_USERS, NULL, "name", GaugeAdminUser, name),
  FIELD (GAUGE_ADMIN_USERS, NULL, "role", GaugeAdminUser, role),
  FIELD (GAUGE_ADMIN_API_KEYS, NULL, "id", GaugeAdminApiKey, id),
  FIELD (GAUGE_ADMIN_API_KEYS, NULL, "name", GaugeAdminApiKey, name),
  FIELD (GAUGE_ADMIN_API_KEYS, NULL, "status", GaugeAdminApiKey, status),
  FIELD (GAUGE_ADMIN_API_KEYS, NULL, "workspace_id", GaugeAdminApiKey, workspace_id),
  FIELD (GAUGE_ADMIN_API_KEYS, NULL, "partial_key_hint", GaugeAdminApiKey, hint),
};

#undef FIELD

#define MAX_STRINGS 5   /* of one kind */

static const gsize row_sizes[GAUGE_ADMIN_N_KINDS] = {
  sizeof (GaugeAdminOrganization), sizeof (GaugeAdminCost), sizeof (GaugeAdminMessages),
  sizeof (GaugeAdminCode), sizeof (GaugeAdminWorkspace), sizeof (GaugeAdminUser),
  sizeof (GaugeAdminApiKey),
};

/* A zeroed row of @kind with its strings read from @object, in one block behind it. */
static gpointer
row_new (GaugeAdminKind  kind,
         JsonObject     *object)
{
  char *values[MAX_STRINGS] = { NULL, };
  const StringField *fields[MAX_STRINGS];
  gsize size = row_sizes[kind];
  guint n = 0;
  char *row, *tail;

  for (guint i = 0; i < G_N_ELEMENTS (string_fields); i++)
    {
      const StringField *field = &string_fields[i];
      JsonObject *parent = object;

      if (field->kind != kind)
        continue;
      g_assert (n < MAX_STRINGS);
      if (field->object != NULL)
        parent = gauge_json_get_object (object, field->object);
      fields[n] = field;
      values[n] = dup_string (parent, field->member);
      if (values[n] != NULL)
        size += strlen (values[n]) + 1;
      n++;
    }

  row = g_malloc0 (size);
  tail = row + row_sizes[kind];
  for (guint i = 0; i < n; i++)
    {
      if (values[i] == NULL)
        continue;
      G_STRUCT_MEMBER (char *, row, fields[i]->offset) = tail;
      tail = g_stpcpy (tail, values[i]) + 1;
      g_free (values[i]);
    }

  return row;
}

/* Returns: (transfer full): an empty array for rows of any kind. */
GPtrArray *
gauge_admin_rows_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
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

  row = row_new (GAUGE_ADMIN_COST, result);
  row->day = day;
  row->amount = amount;
  g_ptr_array_add (rows, row);
}

static void
read_messages (JsonObject *result,
               gint64      day,
               GPtrArray  *rows)
{
  GaugeAdminMessages *row = row_new (GAUGE_ADMIN_MESSAGES, result);
  JsonObject *cache_creation = gauge_json_get_object (result, "cache_creation");
  JsonObject *server_tools = gauge_json_get_object (result, "server_tool_use");

  row->day = day;
  row->uncached_input = get_count (result, "uncached_input_tokens");
  row->cache_write = gauge_admin_add (get_count (cache_creation, "ephemeral_5m_input_tokens"),
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
  GaugeAdminCode *row = row_new (GAUGE_ADMIN_CLAUDE_CODE, object);
  JsonObject *core = gauge_json_get_object (object, "core_metrics");
  JsonObject *lines = core != NULL ? gauge_json_get_object (core, "lines_of_code") : NULL;
  JsonObject *tools = gauge_json_get_object (object, "tool_actions");
  JsonArray *models = get_array (object, "model_breakdown");

  row->day = gauge_admin_parse_day (gauge_json_get_string (object, "date"));
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

          row->accepted = gauge_admin_add (row->accepted, get_count (tool, "accepted"));
          row->rejected = gauge_admin_add (row->rejected, get_count (tool, "rejected"));
        }
    }

  for (guint i = 0; models != NULL && i < json_array_get_length (models); i++)
    {
      JsonObject *model = element_object (models, i);
      JsonObject *tokens = model != NULL ? gauge_json_get_object (model, "tokens") : NULL;
      JsonObject *cost = model != NULL ? gauge_json_get_object (model, "estimated_cost") : NULL;
      GaugeMicrocents amount;

      row->input = gauge_admin_add (row->input, get_count (tokens, "input"));
      row->output = gauge_admin_add (row->output, get_count (tokens, "output"));
      row->cache_read = gauge_admin_add (row->cache_read, get_count (tokens, "cache_read"));
      row->cache_creation = gauge_admin_add (row->cache_creation,
                                             get_count (tokens, "cache_creation"));
      if (get_cents (cost, "amount", &amount))
        row->cost = gauge_admin_add (row->cost, amount);
    }

  g_ptr_array_add (rows, row);
}

static void
read_list_row (GaugeAdminKind  kind,
               JsonObject     *object,
               GPtrArray      *rows)
{
  gpointer row;

  if (gauge_json_get_string (object, "id") == NULL)
    {
      g_debug ("A list entry without an id; skipped");
      return;
    }

  row = row_new (kind, object);
  if (kind == GAUGE_ADMIN_WORKSPACES)
    ((GaugeAdminWorkspace *) row)->archived = gauge_json_get_string (object, "archived_at") != NULL;
  g_ptr_array_add (rows, row);
}

static void
read_bucket (GaugeAdminKind  kind,
             JsonObject     *bucket,
             GPtrArray      *rows)
{
  gint64 day = gauge_admin_parse_day (gauge_json_get_string (bucket, "starting_at"));
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
  page->rows = gauge_admin_rows_new ();

  if (kind == GAUGE_ADMIN_ORGANIZATION)
    {
      if (gauge_json_get_string (object, "id") == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("it names no organization"));
          return NULL;
        }
      g_ptr_array_add (page->rows, row_new (kind, object));
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
      g_autofree char *day = gauge_admin_format_day (MAX (row->day, 0));
      g_autofree char *cents = gauge_admin_format_cents (row->cost);

      json_builder_begin_object (builder);
      gauge_json_add_string (builder, "date", day);

      json_builder_set_member_name (builder, "actor");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, row->email != NULL ? "email_address" : "api_key_name");
      json_builder_add_string_value (builder, row->email != NULL ? row->email : row->api_key_name);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "core_metrics");
      json_builder_begin_object (builder);
      gauge_json_add_int (builder, "num_sessions", row->sessions);
      json_builder_set_member_name (builder, "lines_of_code");
      json_builder_begin_object (builder);
      gauge_json_add_int (builder, "added", row->lines_added);
      gauge_json_add_int (builder, "removed", row->lines_removed);
      json_builder_end_object (builder);
      gauge_json_add_int (builder, "commits_by_claude_code", row->commits);
      gauge_json_add_int (builder, "pull_requests_by_claude_code", row->pull_requests);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "tool_actions");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "all");
      json_builder_begin_object (builder);
      gauge_json_add_int (builder, "accepted", row->accepted);
      gauge_json_add_int (builder, "rejected", row->rejected);
      json_builder_end_object (builder);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "model_breakdown");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "tokens");
      json_builder_begin_object (builder);
      gauge_json_add_int (builder, "input", row->input);
      gauge_json_add_int (builder, "output", row->output);
      gauge_json_add_int (builder, "cache_read", row->cache_read);
      gauge_json_add_int (builder, "cache_creation", row->cache_creation);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "estimated_cost");
      json_builder_begin_object (builder);
      gauge_json_add_string (builder, "currency", "USD");
      gauge_json_add_string (builder, "amount", cents);
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
