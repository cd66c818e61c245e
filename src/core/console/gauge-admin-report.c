/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-admin-report"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-admin-report.h"

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

/* Every summary struct starts with the string it is keyed by (see lookup_or_add()). */
static void
summary_free (gpointer data)
{
  char **key = data;

  g_free (*key);
  g_free (data);
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

/* Where a summary keeps its cost and the name it is sorted by after it. */
typedef struct
{
  gsize cost;
  gsize name;
} Order;

static const Order by_model = {
  G_STRUCT_OFFSET (GaugeAdminModelSummary, cost), G_STRUCT_OFFSET (GaugeAdminModelSummary, model)
};
static const Order by_workspace = {
  G_STRUCT_OFFSET (GaugeAdminWorkspaceSummary, cost),
  G_STRUCT_OFFSET (GaugeAdminWorkspaceSummary, name)
};
static const Order by_user = {
  G_STRUCT_OFFSET (GaugeAdminUserSummary, cost), G_STRUCT_OFFSET (GaugeAdminUserSummary, actor)
};

/* Highest cost first, then by name: the order of the report's tables. */
static int
compare_costs (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Order *order = user_data;
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;
  GaugeMicrocents cx = G_STRUCT_MEMBER (GaugeMicrocents, x, order->cost);
  GaugeMicrocents cy = G_STRUCT_MEMBER (GaugeMicrocents, y, order->cost);

  if (cx != cy)
    return cx > cy ? -1 : 1;
  return g_strcmp0 (G_STRUCT_MEMBER (const char *, x, order->name),
                    G_STRUCT_MEMBER (const char *, y, order->name));
}

/* Keys have no cost of their own: most tokens first. */
static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  const GaugeAdminKeySummary *x = *(GaugeAdminKeySummary * const *)a;
  const GaugeAdminKeySummary *y = *(GaugeAdminKeySummary * const *)b;
  gint64 tx = gauge_admin_add (x->input, x->output);
  gint64 ty = gauge_admin_add (y->input, y->output);

  if (tx != ty)
    return tx > ty ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
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

      self->total = gauge_admin_add (self->total, row->amount);
      if (row->day < today)
        before_today = gauge_admin_add (before_today, row->amount);

      model = lookup_or_add (models, self->models, row->model, sizeof *model);
      model->cost = gauge_admin_add (model->cost, row->amount);
      workspace = lookup_or_add (workspaces, self->workspaces, row->workspace_id,
                                 sizeof *workspace);
      workspace->cost = gauge_admin_add (workspace->cost, row->amount);
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
      model->input = gauge_admin_add (model->input, row->uncached_input);
      model->output = gauge_admin_add (model->output, row->output);
      model->cache_read = gauge_admin_add (model->cache_read, row->cache_read);
      model->cache_write = gauge_admin_add (model->cache_write, row->cache_write);

      key = lookup_or_add (keys, self->api_keys, row->api_key_id, sizeof *key);
      key->input = gauge_admin_add (key->input, row->uncached_input);
      key->output = gauge_admin_add (key->output, row->output);
      key->cache_read = gauge_admin_add (key->cache_read, row->cache_read);
      key->cache_write = gauge_admin_add (key->cache_write, row->cache_write);
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

      user->sessions = gauge_admin_add (user->sessions, row->sessions);
      user->lines_added = gauge_admin_add (user->lines_added, row->lines_added);
      user->lines_removed = gauge_admin_add (user->lines_removed, row->lines_removed);
      user->commits = gauge_admin_add (user->commits, row->commits);
      user->pull_requests = gauge_admin_add (user->pull_requests, row->pull_requests);
      user->accepted = gauge_admin_add (user->accepted, row->accepted);
      user->rejected = gauge_admin_add (user->rejected, row->rejected);
      user->cost = gauge_admin_add (user->cost, row->cost);
      self->code_total = gauge_admin_add (self->code_total, row->cost);
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
      day->total = gauge_admin_add (day->total, row->amount);
      for (guint m = 0; m < day->by_model->len; m++)
        {
          GaugeAdminAmount *amount = &g_array_index (day->by_model, GaugeAdminAmount, m);

          if (g_strcmp0 (amount->model, row->model) == 0)
            {
              amount->amount = gauge_admin_add (amount->amount, row->amount);
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
        /* Translators: the name of the Console's default workspace */
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
ref_or_empty (GPtrArray *rows)
{
  return rows != NULL ? g_ptr_array_ref (rows) : gauge_admin_rows_new ();
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
  self->month_start = gauge_admin_month_start (self->now);
  self->days_in_month = gauge_admin_days_in_month (self->month_start);
  next_month = g_date_time_add_months (self->month_start, 1);
  start = g_date_time_to_unix (self->month_start);
  end = g_date_time_to_unix (next_month);
  today = start + (gint64) (g_date_time_get_day_of_month (self->now) - 1) * 86400;

  self->models = g_ptr_array_new_with_free_func (summary_free);
  self->workspaces = g_ptr_array_new_with_free_func (summary_free);
  self->api_keys = g_ptr_array_new_with_free_func (summary_free);
  self->users = g_ptr_array_new_with_free_func (summary_free);
  self->days = g_ptr_array_new_with_free_func (day_free);
  self->workspace_list = ref_or_empty (workspaces);
  self->user_list = ref_or_empty (users);
  self->key_list = ref_or_empty (api_keys);

  summarize_costs (self, cost, models, workspace_table, start, end, today);
  summarize_messages (self, messages, models, keys, start, end);
  summarize_code (self, code, start, end);

  g_ptr_array_sort_with_data (self->models, compare_costs, (gpointer) &by_model);
  g_ptr_array_sort (self->api_keys, compare_keys);
  g_ptr_array_sort_with_data (self->users, compare_costs, (gpointer) &by_user);
  name_things (self);
  g_ptr_array_sort_with_data (self->workspaces, compare_costs, (gpointer) &by_workspace);
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
