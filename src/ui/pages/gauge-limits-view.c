/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limits-view"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-clock.h"
#include "gauge-format.h"
#include "gauge-limit-row.h"
#include "gauge-limits-state.h"
#include "gauge-limits-view.h"
#include "gauge-store-readings.h"

/*
 * What the Limits page shows is derived from the monitor in gauge_limits_view_update():
 * the rows, a banner when the state needs explaining while values still show, or a
 * status page in their place.
 */

struct _GaugeLimitsView
{
  GtkWidget      parent_instance;

  GaugeLimitsMonitor  *monitor;
  GSettings     *settings;
  GaugeStore    *store;            /* for the projections; NULL: no pace lines */
  GCancellable  *cancellable;
  GaugeLimitsSnapshot *projected;  /* the snapshot the projections were asked for */
  gint64         projected_at;     /* and when (unix seconds) */

  GtkStack      *stack;
  GtkSpinner    *loading_spinner;
  GtkLabel      *loading_label;
  AdwStatusPage *status_page;
  GtkLabel      *status_detail;
  GtkWidget     *message_box;
  GtkImage      *message_icon;
  GtkLabel      *message_label;
  GtkLabel      *message_detail;
  GtkLabel      *message_age;
  GtkListBox    *list_box;
  AdwBin        *local_usage_bin;
  GtkWidget     *signin_box;
  GtkLabel      *signin_title;
  GtkLabel      *signin_label;
  GtkLabel      *signin_detail;
};

G_DEFINE_FINAL_TYPE (GaugeLimitsView, gauge_limits_view, GTK_TYPE_WIDGET)

/* What a state says, both in the banner above the rows and on a status page. */
typedef struct
{
  const char *icon_name;
  const char *style_class;  /* "error" or "warning" */
  char       *title;        /* status page title, plain text */
  char       *markup;       /* the message, Pango markup (gauge_limits_state_describe()) */
  gboolean    stale;        /* the rows can no longer update: grey them */
} StateMessage;

static void
state_message_clear (StateMessage *message)
{
  g_clear_pointer (&message->title, g_free);
  g_clear_pointer (&message->markup, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StateMessage, state_message_clear)

static char *
format_time (GDateTime *when,
             GDateTime *now)
{
  return when != NULL ? gauge_format_clock (when, now) : NULL;
}

/* Returns FALSE for states with nothing to explain (LOADING, OK, NO_CREDENTIALS). */
static gboolean
get_state_message (GaugeLimitsView *self,
                   GDateTime       *now,
                   StateMessage    *message)
{
  switch (gauge_limits_monitor_get_state (self->monitor))
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

  message->markup = gauge_limits_state_describe (self->monitor, GAUGE_LIMITS_STATE_MARKUP, now,
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
set_label_or_hide (GtkLabel   *label,
                   const char *text)
{
  gtk_label_set_label (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
show_status (GaugeLimitsView *self,
             const char      *icon_name,
             const char      *title,
             const char      *description_markup,
             const char      *detail)
{
  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description_markup);
  set_label_or_hide (self->status_detail, detail);
  gtk_stack_set_visible_child_name (self->stack, "status");
}

static void
update_rows (GaugeLimitsView    *self,
             GaugeLimitsSnapshot *snapshot,
             GDateTime          *now)
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
update_message (GaugeLimitsView    *self,
                GaugeLimitsSnapshot *snapshot,
                GDateTime          *now)
{
  g_auto(StateMessage) message = { 0, };
  g_autofree char *age_line = NULL;
  const char *detail = NULL;

  if (!get_state_message (self, now, &message))
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
      g_autofree char *clock = gauge_format_clock (fetched_at, now);
      g_autofree char *age = gauge_format_age (fetched_at, now);
      g_autofree char *retry = NULL;

      if (gauge_limits_monitor_get_state (self->monitor) == GAUGE_LIMITS_MONITOR_STATE_OFFLINE)
        retry = format_time (gauge_limits_monitor_get_next_check (self->monitor), now);

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
  set_label_or_hide (self->message_detail, detail);
  set_label_or_hide (self->message_age, age_line);
  gtk_widget_set_visible (self->message_box, TRUE);

  /* Grey when the rows can no longer update, and when they are old whatever the reason
   * (offline, rate limited): the same age, the same look. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->list_box),
                            !message.stale && !gauge_limits_monitor_is_reading_old (self->monitor));
}

/* The sign-in invitation under the local usage, when there is no sign-in. */
static void
update_signin (GaugeLimitsView *self,
               GDateTime       *now)
{
  g_autofree char *title = NULL;
  g_autofree char *markup = NULL;

  if (gauge_limits_monitor_get_state (self->monitor) != GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS)
    {
      gtk_widget_set_visible (self->signin_box, FALSE);
      return;
    }

  markup = gauge_limits_state_describe (self->monitor, GAUGE_LIMITS_STATE_MARKUP, now, &title);
  gtk_label_set_label (self->signin_title, title);
  gtk_label_set_markup (self->signin_label, markup);
  set_label_or_hide (self->signin_detail, gauge_limits_monitor_get_credentials_path (self->monitor));
  gtk_widget_set_visible (self->signin_box, TRUE);
}

/* The page to show when there is nothing (or nothing current) to list. */
static gboolean
update_status_page (GaugeLimitsView    *self,
                    GaugeLimitsSnapshot *snapshot,
                    GDateTime          *now)
{
  GaugeLimitsMonitorState state = gauge_limits_monitor_get_state (self->monitor);
  guint n_windows = snapshot != NULL ? gauge_limits_snapshot_get_n_windows (snapshot) : 0;
  g_auto(StateMessage) message = { 0, };

  /* Without a sign-in the local usage is the page, and the invitation a row below it. */
  if (n_windows > 0 || (state == GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS &&
                        adw_bin_get_child (self->local_usage_bin) != NULL))
    return FALSE;

  if (state == GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS)
    {
      g_autofree char *title = NULL;
      g_autofree char *markup = gauge_limits_state_describe (self->monitor,
                                                             GAUGE_LIMITS_STATE_MARKUP, now,
                                                             &title);

      show_status (self, "claude-gauge-password-symbolic", title, markup,
                   gauge_limits_monitor_get_credentials_path (self->monitor));
      return TRUE;
    }

  if (state == GAUGE_LIMITS_MONITOR_STATE_LOADING)
    {
      g_autofree char *text = gauge_limits_state_describe (self->monitor, GAUGE_LIMITS_STATE_LINE,
                                                           now, NULL);

      gtk_label_set_label (self->loading_label, text);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      return TRUE;
    }

  if (get_state_message (self, now, &message))
    {
      g_autofree char *description = NULL;
      g_autofree char *next = format_time (gauge_limits_monitor_get_next_check (self->monitor), now);
      const char *detail = NULL;

      if (state == GAUGE_LIMITS_MONITOR_STATE_OFFLINE)
        {
          detail = gauge_limits_monitor_get_error_message (self->monitor);
          if (next != NULL)
            /* Translators: the argument is a time of day, e.g. "19:52" */
            description = g_strdup_printf (_("%s Retrying at %s."), message.markup, next);
        }

      show_status (self, message.icon_name, message.title,
                   description != NULL ? description : message.markup,
                   detail);
      return TRUE;
    }

  show_status (self,
               "claude-gauge-information-symbolic",
               _("No limits reported"),
               _("Anthropic returned no usage windows for this account."),
               NULL);
  return TRUE;
}

typedef struct
{
  GaugeStore          *store;
  GaugeLimitsSnapshot *snapshot;
  gint64               now;
} ProjectionsData;

static void
projections_data_free (gpointer data)
{
  ProjectionsData *projections = data;

  g_object_unref (projections->store);
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
  GHashTable *projections = gauge_store_load_projections (data->store, data->snapshot,
                                                          data->now, &error);

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
  GaugeLimitsView *self = GAUGE_LIMITS_VIEW (object);
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

/* The pace of each row, from the stored readings on a worker thread: again for a new
 * reading, and once a minute as the clock moves the projection. */
static void
update_projections (GaugeLimitsView     *self,
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
  data->snapshot = g_object_ref (snapshot);
  data->now = now_unix;
  task = g_task_new (self, self->cancellable, projections_cb, NULL);
  g_task_set_source_tag (task, update_projections);
  g_task_set_task_data (task, data, projections_data_free);
  g_task_run_in_thread (task, projections_thread);
}

static void
gauge_limits_view_dispose (GObject *object)
{
  GaugeLimitsView *self = GAUGE_LIMITS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->projected);

  gtk_widget_dispose_template (GTK_WIDGET (self), GAUGE_TYPE_LIMITS_VIEW);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gauge_limits_view_parent_class)->dispose (object);
}

static void
gauge_limits_view_class_init (GaugeLimitsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gauge_limits_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pages/gauge-limits-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, stack);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, loading_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, status_page);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, status_detail);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, message_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, message_icon);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, message_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, message_detail);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, message_age);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, list_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, local_usage_bin);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, signin_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, signin_title);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, signin_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, signin_detail);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gauge-limits-view");
}

static void
gauge_limits_view_init (GaugeLimitsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/* Where the readings are, for the pace line of each row. */
void
gauge_limits_view_set_store (GaugeLimitsView *self,
                             GaugeStore      *store)
{
  g_return_if_fail (GAUGE_IS_LIMITS_VIEW (self));
  g_return_if_fail (store == NULL || GAUGE_IS_STORE (store));

  g_set_object (&self->store, store);
  g_clear_object (&self->projected);
}

/* What the page shows comes from @monitor, the severity thresholds from @settings. */
void
gauge_limits_view_setup (GaugeLimitsView *self,
                         GaugeLimitsMonitor    *monitor,
                         GSettings       *settings)
{
  g_return_if_fail (GAUGE_IS_LIMITS_VIEW (self));
  g_return_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_set_object (&self->monitor, monitor);
  g_set_object (&self->settings, settings);
}

void
gauge_limits_view_update (GaugeLimitsView *self,
                          GDateTime       *now)
{
  GaugeLimitsSnapshot *snapshot;

  g_return_if_fail (GAUGE_IS_LIMITS_VIEW (self));
  g_return_if_fail (self->monitor != NULL);

  snapshot = gauge_limits_monitor_get_snapshot (self->monitor);
  update_rows (self, snapshot, now);
  update_projections (self, snapshot, now);
  update_message (self, snapshot, now);
  update_signin (self, now);
  /* An empty boxed list still draws its frame. */
  gtk_widget_set_visible (GTK_WIDGET (self->list_box),
                          gtk_list_box_get_row_at_index (self->list_box, 0) != NULL);

  if (!update_status_page (self, snapshot, now))
    gtk_stack_set_visible_child_name (self->stack, "limits");

  gtk_spinner_set_spinning (self->loading_spinner,
                            g_strcmp0 (gtk_stack_get_visible_child_name (self->stack),
                                       "loading") == 0);
}

/* Shows the "Local usage" part below the limits. */
void
gauge_limits_view_set_local_usage (GaugeLimitsView *self,
                                   GtkWidget       *view)
{
  g_return_if_fail (GAUGE_IS_LIMITS_VIEW (self));
  g_return_if_fail (view == NULL || GTK_IS_WIDGET (view));

  adw_bin_set_child (self->local_usage_bin, view);
  if (self->monitor != NULL)
    {
      g_autoptr(GDateTime) now = gauge_clock_now_utc ();

      gauge_limits_view_update (self, now);
    }
}
