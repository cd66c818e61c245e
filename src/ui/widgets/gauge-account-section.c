/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-account-section"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-account-section.h"
#include "gauge-format.h"
#include "gauge-label.h"
#include "gauge-limit-row.h"
#include "gauge-limits-state.h"
#include "gauge-store-readings.h"
#include "gauge-worker.h"

/*
 * An account's part of the Limits page, derived from its monitor in
 * gauge_account_section_update(): the rows, a banner when the state needs explaining while
 * values still show, and (when named, among several accounts) a line in place of the rows
 * when there are none, since the page's status page speaks for one account only.
 */

struct _GaugeAccountSection
{
  GtkWidget            parent_instance;

  GaugeLimitsMonitor  *monitor;
  GSettings           *settings;
  GaugeStore          *store;         /* for the projections; NULL: no pace lines */
  GCancellable        *cancellable;
  GaugeLimitsSnapshot *projected;     /* the snapshot the projections were asked for */
  gint64               projected_at;  /* and when (unix seconds) */

  GtkWidget           *box;
  GtkLabel            *name_label;
  GtkLabel            *state_label;
  GtkWidget           *message_box;
  GtkImage            *message_icon;
  GtkLabel            *message_label;
  GtkLabel            *message_detail;
  GtkLabel            *message_age;
  GtkListBox          *list_box;
  GtkLabel            *updated_label;
};

G_DEFINE_FINAL_TYPE (GaugeAccountSection, gauge_account_section, GTK_TYPE_WIDGET)

void
gauge_state_message_clear (GaugeStateMessage *message)
{
  g_clear_pointer (&message->title, g_free);
  g_clear_pointer (&message->markup, g_free);
}

/* Returns FALSE for states with nothing to explain (LOADING, OK, NO_CREDENTIALS). */
gboolean
gauge_state_message_get (GaugeLimitsMonitor *monitor,
                         GDateTime          *now,
                         GaugeStateMessage  *message)
{
  switch (gauge_limits_monitor_get_state (monitor))
    {
    case GAUGE_LIMITS_MONITOR_STATE_EXPIRED:
      message->icon_name = "claude-gauge-password-symbolic";
      message->style_class = "error";
      message->stale = TRUE;
      break;

    case GAUGE_LIMITS_MONITOR_STATE_FORBIDDEN:
      message->icon_name = "claude-gauge-unavailable-symbolic";
      message->style_class = "error";
      message->stale = TRUE;
      break;

    case GAUGE_LIMITS_MONITOR_STATE_OFFLINE:
      message->icon_name = "claude-gauge-offline-symbolic";
      message->style_class = "warning";
      break;

    case GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED:
      message->icon_name = "claude-gauge-history-symbolic";
      message->style_class = "warning";
      break;

    case GAUGE_LIMITS_MONITOR_STATE_LOADING:
    case GAUGE_LIMITS_MONITOR_STATE_OK:
    case GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS:
    default:
      return FALSE;
    }

  message->markup = gauge_limits_state_describe (monitor, GAUGE_LIMITS_STATE_MARKUP, now,
                                                 &message->title);
  return TRUE;
}

static void
set_style_class (GtkWidget  *widget,
                 const char *style_class)
{
  gtk_widget_remove_css_class (widget, "error");
  gtk_widget_remove_css_class (widget, "warning");
  if (style_class != NULL)
    gtk_widget_add_css_class (widget, style_class);
}

static void
update_rows (GaugeAccountSection *self,
             GaugeLimitsSnapshot *snapshot,
             GDateTime           *now)
{
  guint n_windows = snapshot != NULL ? gauge_limits_snapshot_get_n_windows (snapshot) : 0;
  double warning = g_settings_get_double (self->settings, "warning-threshold");
  double critical = g_settings_get_double (self->settings, "critical-threshold");
  gboolean same_ids = TRUE;
  GtkListBoxRow *row;

  /* Keep the rows (and keyboard focus, scroll position) when the same windows came back. */
  for (guint i = 0; same_ids && i < n_windows; i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);
      GaugeLimitWindow *shown;

      row = gtk_list_box_get_row_at_index (self->list_box, i);
      if (row == NULL)
        {
          same_ids = FALSE;
          break;
        }

      shown = gauge_limit_row_get_window (GAUGE_LIMIT_ROW (row));
      same_ids = shown != NULL &&
                 g_strcmp0 (gauge_limit_window_get_id (shown),
                            gauge_limit_window_get_id (window)) == 0;
    }
  if (gtk_list_box_get_row_at_index (self->list_box, n_windows) != NULL)
    same_ids = FALSE;

  if (!same_ids)
    {
      while ((row = gtk_list_box_get_row_at_index (self->list_box, 0)) != NULL)
        gtk_list_box_remove (self->list_box, GTK_WIDGET (row));

      for (guint i = 0; i < n_windows; i++)
        gtk_list_box_append (self->list_box, gauge_limit_row_new (NULL));
    }

  for (guint i = 0; i < n_windows; i++)
    {
      GaugeLimitRow *limit_row;

      limit_row = GAUGE_LIMIT_ROW (gtk_list_box_get_row_at_index (self->list_box, i));
      gauge_limit_row_set_thresholds (limit_row, warning, critical);
      gauge_limit_row_set_window (limit_row, gauge_limits_snapshot_get_window (snapshot, i));
      gauge_limit_row_update (limit_row, now);
    }
}

static void
update_message (GaugeAccountSection *self,
                GaugeLimitsSnapshot *snapshot,
                GDateTime           *now)
{
  g_auto(GaugeStateMessage) message = { 0, };
  g_autofree char *age_line = NULL;
  const char *detail = NULL;

  if (!gauge_state_message_get (self->monitor, now, &message))
    {
      gtk_widget_set_visible (self->message_box, FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->list_box), TRUE);
      return;
    }

  if (gauge_limits_monitor_get_state (self->monitor) == GAUGE_LIMITS_MONITOR_STATE_OFFLINE)
    detail = gauge_limits_monitor_get_error_message (self->monitor);

  if (snapshot != NULL)
    {
      GDateTime *fetched_at = gauge_limits_snapshot_get_fetched_at (snapshot);
      GDateTime *next_check = gauge_limits_monitor_get_next_check (self->monitor);
      g_autofree char *clock = gauge_format_clock (fetched_at, now);
      g_autofree char *age = gauge_format_age (fetched_at, now);
      g_autofree char *retry = NULL;

      if (gauge_limits_monitor_get_state (self->monitor) == GAUGE_LIMITS_MONITOR_STATE_OFFLINE &&
          next_check != NULL)
        retry = gauge_format_clock (next_check, now);

      if (retry != NULL)
        /* Translators: "Showing values from 19:40 (12 min ago) · retrying at 19:52" */
        age_line = g_strdup_printf (_("Showing values from %s (%s) · retrying at %s"),
                                    clock, age, retry);
      else
        /* Translators: "Showing values from 19:40 (2 h ago)" */
        age_line = g_strdup_printf (_("Showing values from %s (%s)"), clock, age);
    }

  gtk_image_set_from_icon_name (self->message_icon, message.icon_name);
  set_style_class (GTK_WIDGET (self->message_icon), message.style_class);
  set_style_class (GTK_WIDGET (self->message_label), message.style_class);
  gtk_label_set_markup (self->message_label, message.markup);
  gauge_label_set_or_hide (self->message_detail, detail);
  gauge_label_set_or_hide (self->message_age, age_line);
  gtk_widget_set_visible (self->message_box, TRUE);

  /* Grey when the rows can no longer update, and when they are old whatever the reason
   * (offline, rate limited): the same age, the same look. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->list_box),
                            !message.stale && !gauge_limits_monitor_is_reading_old (self->monitor));
}

/* Among several accounts, a line says why one shows no rows (checking, no sign-in, none
 * reported); alone, the page's status page says it. */
static void
update_state_line (GaugeAccountSection *self,
                   GDateTime           *now)
{
  g_autofree char *line = NULL;

  if (gtk_widget_get_visible (GTK_WIDGET (self->name_label)) &&
      !gauge_account_section_has_rows (self) &&
      !gtk_widget_get_visible (self->message_box))
    {
      GaugeLimitsMonitorState state = gauge_limits_monitor_get_state (self->monitor);

      if (state == GAUGE_LIMITS_MONITOR_STATE_OK)
        line = g_strdup (_("Anthropic returned no usage windows for this account."));
      else
        line = gauge_limits_state_describe (self->monitor, GAUGE_LIMITS_STATE_LINE, now, NULL);
    }

  gauge_label_set_or_hide (self->state_label, line);
}

/* Among several accounts, when this one was read: the window's footer speaks for one. */
static void
update_updated_line (GaugeAccountSection *self,
                     GDateTime           *now)
{
  g_autofree char *line = NULL;

  if (gtk_widget_get_visible (GTK_WIDGET (self->name_label)) &&
      gauge_account_section_has_rows (self))
    line = gauge_limits_state_describe_updated (self->monitor, now);

  gauge_label_set_or_hide (self->updated_label, line);
}

typedef struct
{
  GaugeStore          *store;
  char                *account;
  GaugeLimitsSnapshot *snapshot;
  gint64               now;
} ProjectionsData;

static void
projections_data_free (gpointer data)
{
  ProjectionsData *projections = data;

  g_object_unref (projections->store);
  g_free (projections->account);
  g_object_unref (projections->snapshot);
  g_free (projections);
}

static void
projections_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ProjectionsData *data = task_data;
  GError *error = NULL;
  GHashTable *projections = gauge_store_load_account_projections (data->store, data->account,
                                                                  data->snapshot, data->now,
                                                                  &error);

  if (projections == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, projections, (GDestroyNotify) g_hash_table_unref);
}

static void
projections_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GaugeAccountSection *self = GAUGE_ACCOUNT_SECTION (object);
  g_autoptr(GHashTable) projections = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;

  projections = g_task_propagate_pointer (G_TASK (result), &error);
  if (projections == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No pace for the rows: %s", error->message);
      return;
    }

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->list_box, i)) != NULL; i++)
    {
      GaugeLimitWindow *window = gauge_limit_row_get_window (GAUGE_LIMIT_ROW (row));

      if (window != NULL)
        gauge_limit_row_set_projection (GAUGE_LIMIT_ROW (row),
                                        g_hash_table_lookup (projections,
                                                             gauge_limit_window_get_id (window)));
    }
}

/* The pace of each row, from the account's stored readings on a worker thread: again for a
 * new reading, and once a minute as the clock moves the projection. */
static void
update_projections (GaugeAccountSection *self,
                    GaugeLimitsSnapshot *snapshot,
                    GDateTime           *now)
{
  g_autoptr(GTask) task = NULL;
  ProjectionsData *data;
  gint64 now_unix = g_date_time_to_unix (now);

  if (self->store == NULL || snapshot == NULL ||
      (snapshot == self->projected && now_unix - self->projected_at < 60))
    return;

  g_set_object (&self->projected, snapshot);
  self->projected_at = now_unix;

  data = g_new0 (ProjectionsData, 1);
  data->store = g_object_ref (self->store);
  data->account = g_strdup (gauge_limits_monitor_get_folder (self->monitor));
  data->snapshot = g_object_ref (snapshot);
  data->now = now_unix;
  task = g_task_new (self, self->cancellable, projections_cb, NULL);
  g_task_set_source_tag (task, update_projections);
  g_task_set_task_data (task, data, projections_data_free);
  gauge_worker_run_in_thread (task, projections_thread);
}

static void
gauge_account_section_dispose (GObject *object)
{
  GaugeAccountSection *self = GAUGE_ACCOUNT_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->projected);

  gtk_widget_dispose_template (GTK_WIDGET (self), GAUGE_TYPE_ACCOUNT_SECTION);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gauge_account_section_parent_class)->dispose (object);
}

static void
gauge_account_section_class_init (GaugeAccountSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gauge_account_section_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, RESOURCE_PREFIX "/ui/widgets/gauge-account-section.ui");
  gtk_widget_class_bind_template_child (widget_class, GaugeAccountSection, box);
  gtk_widget_class_bind_template_child (widget_class, GaugeAccountSection, name_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeAccountSection, state_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeAccountSection, message_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeAccountSection, message_icon);
  gtk_widget_class_bind_template_child (widget_class, GaugeAccountSection, message_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeAccountSection, message_detail);
  gtk_widget_class_bind_template_child (widget_class, GaugeAccountSection, message_age);
  gtk_widget_class_bind_template_child (widget_class, GaugeAccountSection, list_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeAccountSection, updated_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gauge-account-section");
}

static void
gauge_account_section_init (GaugeAccountSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
gauge_account_section_new (void)
{
  return g_object_new (GAUGE_TYPE_ACCOUNT_SECTION, NULL);
}

/* What the section shows comes from @monitor, the severity thresholds from @settings. */
void
gauge_account_section_setup (GaugeAccountSection *self,
                             GaugeLimitsMonitor  *monitor,
                             GSettings           *settings)
{
  g_return_if_fail (GAUGE_IS_ACCOUNT_SECTION (self));
  g_return_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (monitor != self->monitor)
    g_clear_object (&self->projected);
  g_set_object (&self->monitor, monitor);
  g_set_object (&self->settings, settings);
}

GaugeLimitsMonitor *
gauge_account_section_get_monitor (GaugeAccountSection *self)
{
  g_return_val_if_fail (GAUGE_IS_ACCOUNT_SECTION (self), NULL);

  return self->monitor;
}

/* Where the readings are, for the pace line of each row. */
void
gauge_account_section_set_store (GaugeAccountSection *self,
                                 GaugeStore          *store)
{
  g_return_if_fail (GAUGE_IS_ACCOUNT_SECTION (self));
  g_return_if_fail (store == NULL || GAUGE_IS_STORE (store));

  if (store != self->store)
    g_clear_object (&self->projected);
  g_set_object (&self->store, store);
}

/* The heading: the account's name among several; %NULL when it is the only one. */
void
gauge_account_section_set_name (GaugeAccountSection *self,
                                const char          *name)
{
  g_return_if_fail (GAUGE_IS_ACCOUNT_SECTION (self));

  gauge_label_set_or_hide (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);
}

gboolean
gauge_account_section_has_rows (GaugeAccountSection *self)
{
  g_return_val_if_fail (GAUGE_IS_ACCOUNT_SECTION (self), FALSE);

  return gtk_list_box_get_row_at_index (self->list_box, 0) != NULL;
}

void
gauge_account_section_update (GaugeAccountSection *self,
                              GDateTime           *now)
{
  GaugeLimitsSnapshot *snapshot;
  GtkWidget *child;
  gboolean any = FALSE;

  g_return_if_fail (GAUGE_IS_ACCOUNT_SECTION (self));
  g_return_if_fail (self->monitor != NULL);

  snapshot = gauge_limits_monitor_get_snapshot (self->monitor);
  update_rows (self, snapshot, now);
  update_projections (self, snapshot, now);
  update_message (self, snapshot, now);
  /* An empty boxed list still draws its frame. */
  gtk_widget_set_visible (GTK_WIDGET (self->list_box), gauge_account_section_has_rows (self));
  update_state_line (self, now);
  update_updated_line (self, now);

  /* Nothing to show takes no room (nor the page's spacing) at all. */
  for (child = gtk_widget_get_first_child (self->box);
       child != NULL; child = gtk_widget_get_next_sibling (child))
    any = any || gtk_widget_get_visible (child);
  gtk_widget_set_visible (GTK_WIDGET (self), any);
}
