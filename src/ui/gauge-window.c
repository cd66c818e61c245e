/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-clock.h"
#include "gauge-limit-row.h"
#include "gauge-window.h"

/*
 * The main window: one row per limit window of the monitor's snapshot, and
 * whatever the monitor's state needs to explain (sign in, expired, offline…).
 * Everything shown is derived from the monitor in gauge_window_update().
 */

struct _GaugeWindow
{
  AdwApplicationWindow  parent_instance;

  GaugeMonitor         *monitor;
  GSettings            *settings;
  char                 *shown_store_message;
  guint                 minute_source;

  AdwViewSwitcherTitle *window_title;
  AdwViewStack         *view_stack;
  gboolean              mode_chosen;
  AdwViewStackPage     *history_page;
  AdwViewStackPage     *console_page;
  AdwBin               *history_bin;
  AdwBin               *console_bin;
  GtkButton            *refresh_button;
  GtkStack             *refresh_stack;
  GtkSpinner           *refresh_spinner;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkSpinner           *loading_spinner;
  AdwStatusPage        *status_page;
  GtkLabel             *status_detail;
  GtkWidget            *message_box;
  GtkImage             *message_icon;
  GtkLabel             *message_label;
  GtkLabel             *message_detail;
  GtkLabel             *message_age;
  GtkListBox           *list_box;
  AdwBin               *local_usage_bin;
  GtkLabel             *footer_label;
};

G_DEFINE_FINAL_TYPE (GaugeWindow, gauge_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void gauge_window_update (GaugeWindow *self);

/* What a state says, both in the banner above the rows and on a status page. */
typedef struct
{
  const char *icon_name;
  const char *style_class;  /* "error" or "warning" */
  char       *title;        /* status page title, plain text */
  char       *markup;       /* the message, Pango markup */
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
get_state_message (GaugeWindow  *self,
                   GDateTime    *now,
                   StateMessage *message)
{
  g_autofree char *next = format_time (gauge_monitor_get_next_check (self->monitor), now);

  switch (gauge_monitor_get_state (self->monitor))
    {
    case GAUGE_MONITOR_STATE_EXPIRED:
      message->icon_name = "claude-gauge-password-symbolic";
      message->style_class = "error";
      message->title = g_strdup (_("Sign-In Expired"));
      message->markup = g_strdup (_("Your Claude Code sign-in has expired. "
                                    "Run <tt>claude</tt> to sign in again."));
      message->stale = TRUE;
      return TRUE;

    case GAUGE_MONITOR_STATE_FORBIDDEN:
      message->icon_name = "claude-gauge-unavailable-symbolic";
      message->style_class = "error";
      message->title = g_strdup (_("Usage Can’t Be Read"));
      message->markup = g_strdup (_("This sign-in can’t read usage: its token lacks the "
                                    "<tt>user:profile</tt> scope. Tokens made with "
                                    "<tt>claude setup-token</tt> are for inference only — "
                                    "sign in with <tt>claude</tt> instead."));
      message->stale = TRUE;
      return TRUE;

    case GAUGE_MONITOR_STATE_OFFLINE:
      message->icon_name = "claude-gauge-offline-symbolic";
      message->style_class = "warning";
      message->title = g_strdup (_("Offline"));
      message->markup = g_strdup (_("Can’t reach Anthropic right now."));
      return TRUE;

    case GAUGE_MONITOR_STATE_RATE_LIMITED:
      message->icon_name = "claude-gauge-history-symbolic";
      message->style_class = "warning";
      message->title = g_strdup (_("Waiting for Anthropic"));
      if (next != NULL)
        /* Translators: the argument is a time of day, e.g. "20:40" */
        message->markup = g_strdup_printf (_("The API asked us to wait until %s."), next);
      else
        message->markup = g_strdup (_("The API asked us to wait a while."));
      return TRUE;

    case GAUGE_MONITOR_STATE_LOADING:
    case GAUGE_MONITOR_STATE_OK:
    case GAUGE_MONITOR_STATE_NO_CREDENTIALS:
    default:
      return FALSE;
    }
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
show_status (GaugeWindow *self,
             const char  *icon_name,
             const char  *title,
             const char  *description_markup,
             const char  *detail)
{
  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description_markup);
  set_label_or_hide (self->status_detail, detail);
  gtk_stack_set_visible_child_name (self->stack, "status");
}

static const char *
source_to_label (GaugeSource source)
{
  switch (source)
    {
    case GAUGE_SOURCE_OFFICIAL:
      /* Translators: where the numbers come from: Anthropic's usage endpoint */
      return _("Official");

    case GAUGE_SOURCE_STATUSLINE:
      /* Translators: where the numbers come from: Claude Code's statusline */
      return _("Statusline");

    default:
      return gauge_source_to_string (source);
    }
}

static void
gauge_window_update_footer (GaugeWindow        *self,
                            GaugeUsageSnapshot *snapshot,
                            GDateTime          *now)
{
  g_autofree char *text = NULL;

  if (gauge_monitor_get_busy (self->monitor))
    {
      text = g_strdup (_("Checking…"));
    }
  else if (snapshot != NULL)
    {
      g_autofree char *updated = gauge_format_clock (gauge_usage_snapshot_get_fetched_at (snapshot),
                                                     now);
      g_autofree char *next = format_time (gauge_monitor_get_next_check (self->monitor), now);
      const char *source = source_to_label (gauge_usage_snapshot_get_source (snapshot));

      if (next != NULL)
        /* Translators: "Updated 19:45 · next check 19:50 · Official" */
        text = g_strdup_printf (_("Updated %s · next check %s · %s"), updated, next, source);
      else
        /* Translators: "Updated 19:45 · Official" */
        text = g_strdup_printf (_("Updated %s · %s"), updated, source);
    }

  set_label_or_hide (self->footer_label, text);
}

static void
gauge_window_update_busy (GaugeWindow *self)
{
  gboolean busy = gauge_monitor_get_busy (self->monitor);

  gtk_stack_set_visible_child_name (self->refresh_stack, busy ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->refresh_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), !busy);
}

static void
gauge_window_update_rows (GaugeWindow        *self,
                          GaugeUsageSnapshot *snapshot,
                          GDateTime          *now)
{
  guint n_windows = snapshot != NULL ? gauge_usage_snapshot_get_n_windows (snapshot) : 0;
  double warning = g_settings_get_double (self->settings, "warning-threshold");
  double critical = g_settings_get_double (self->settings, "critical-threshold");
  gboolean same_ids = TRUE;
  GtkListBoxRow *row;

  /* Keep the rows (and keyboard focus, scroll position) when the same windows came back. */
  for (guint i = 0; same_ids && i < n_windows; i++)
    {
      GaugeUsageWindow *window = gauge_usage_snapshot_get_window (snapshot, i);
      GaugeUsageWindow *shown;

      row = gtk_list_box_get_row_at_index (self->list_box, i);
      if (row == NULL)
        {
          same_ids = FALSE;
          break;
        }

      shown = gauge_limit_row_get_window (GAUGE_LIMIT_ROW (row));
      same_ids = shown != NULL &&
                 g_strcmp0 (gauge_usage_window_get_id (shown),
                            gauge_usage_window_get_id (window)) == 0;
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
      gauge_limit_row_set_window (limit_row, gauge_usage_snapshot_get_window (snapshot, i));
      gauge_limit_row_update (limit_row, now);
    }
}

static void
gauge_window_update_message (GaugeWindow        *self,
                             GaugeUsageSnapshot *snapshot,
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

  if (gauge_monitor_get_state (self->monitor) == GAUGE_MONITOR_STATE_OFFLINE)
    detail = gauge_monitor_get_error_message (self->monitor);

  if (snapshot != NULL)
    {
      GDateTime *fetched_at = gauge_usage_snapshot_get_fetched_at (snapshot);
      g_autofree char *clock = gauge_format_clock (fetched_at, now);
      g_autofree char *age = gauge_format_age (fetched_at, now);
      g_autofree char *retry = NULL;

      if (gauge_monitor_get_state (self->monitor) == GAUGE_MONITOR_STATE_OFFLINE)
        retry = format_time (gauge_monitor_get_next_check (self->monitor), now);

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

  gtk_widget_set_sensitive (GTK_WIDGET (self->list_box), !message.stale);
}

/* The page to show when there is nothing (or nothing current) to list. */
static gboolean
gauge_window_update_status_page (GaugeWindow        *self,
                                 GaugeUsageSnapshot *snapshot,
                                 GDateTime          *now)
{
  GaugeMonitorState state = gauge_monitor_get_state (self->monitor);
  guint n_windows = snapshot != NULL ? gauge_usage_snapshot_get_n_windows (snapshot) : 0;
  g_auto(StateMessage) message = { 0, };

  if (state == GAUGE_MONITOR_STATE_NO_CREDENTIALS)
    {
      show_status (self,
                   "claude-gauge-password-symbolic",
                   _("Sign in with Claude Code"),
                   _("Claude Gauge reads the sign-in that Claude Code keeps on this computer. "
                     "Run <tt>claude</tt> in a terminal and sign in — this page updates by "
                     "itself."),
                   gauge_monitor_get_credentials_path (self->monitor));
      return TRUE;
    }

  if (n_windows > 0)
    return FALSE;

  if (state == GAUGE_MONITOR_STATE_LOADING)
    {
      gtk_stack_set_visible_child_name (self->stack, "loading");
      return TRUE;
    }

  if (get_state_message (self, now, &message))
    {
      g_autofree char *description = NULL;
      g_autofree char *next = format_time (gauge_monitor_get_next_check (self->monitor), now);
      const char *detail = NULL;

      if (state == GAUGE_MONITOR_STATE_OFFLINE)
        {
          detail = gauge_monitor_get_error_message (self->monitor);
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

static void
gauge_window_update_toast (GaugeWindow *self)
{
  const char *store_message = gauge_monitor_get_store_message (self->monitor);
  AdwToast *toast;

  if (store_message == NULL || g_strcmp0 (store_message, self->shown_store_message) == 0)
    return;

  g_free (self->shown_store_message);
  self->shown_store_message = g_strdup (store_message);

  toast = adw_toast_new (store_message);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Console mode alone: an organization admin without Claude Code starts on the
 * Console page, once; after that the user's choice of page stands. */
static void
choose_mode (GaugeWindow *self)
{
  if (self->mode_chosen ||
      !adw_view_stack_page_get_visible (self->console_page) ||
      gauge_monitor_get_state (self->monitor) == GAUGE_MONITOR_STATE_LOADING)
    return;

  self->mode_chosen = TRUE;
  if (gauge_monitor_get_state (self->monitor) == GAUGE_MONITOR_STATE_NO_CREDENTIALS)
    adw_view_stack_set_visible_child_name (self->view_stack, "console");
}

static void
gauge_window_update (GaugeWindow *self)
{
  choose_mode (self);

  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  GaugeUsageSnapshot *snapshot = gauge_monitor_get_snapshot (self->monitor);
  const char *plan = gauge_monitor_get_plan_name (self->monitor);

  adw_view_switcher_title_set_subtitle (self->window_title, plan != NULL ? plan : "");

  gauge_window_update_busy (self);
  gauge_window_update_rows (self, snapshot, now);
  gauge_window_update_message (self, snapshot, now);

  if (!gauge_window_update_status_page (self, snapshot, now))
    gtk_stack_set_visible_child_name (self->stack, "limits");

  gtk_spinner_set_spinning (self->loading_spinner,
                            g_strcmp0 (gtk_stack_get_visible_child_name (self->stack),
                                       "loading") == 0);

  gauge_window_update_footer (self, snapshot, now);
  gauge_window_update_toast (self);
}

static void
on_thresholds_changed (GaugeWindow *self,
                       const char  *key,
                       GSettings   *settings)
{
  gauge_window_update (self);
}

static void gauge_window_schedule_tick (GaugeWindow *self);

static gboolean
on_minute_tick (gpointer user_data)
{
  GaugeWindow *self = user_data;

  self->minute_source = 0;
  gauge_window_update (self);
  gauge_window_schedule_tick (self);

  return G_SOURCE_REMOVE;
}

/* Countdowns change on the minute, so wake just after the next one starts. */
static void
gauge_window_schedule_tick (GaugeWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  guint delay = 61 - g_date_time_get_second (now);

  g_clear_handle_id (&self->minute_source, g_source_remove);
  self->minute_source = g_timeout_add_seconds (delay, on_minute_tick, self);
}

/* The shortcuts window is built when first asked for, not with every window as GtkApplication
 * does from gtk/help-overlay.ui: its widget classes, once initialised, stay in memory for as
 * long as the app runs in the background, and building it delays the first frame. */
static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);

  if (gtk_application_window_get_help_overlay (window) == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource (RESOURCE_PREFIX "/ui/gauge-shortcuts-window.ui");
      GObject *shortcuts = gtk_builder_get_object (builder, "help_overlay");

      gtk_application_window_set_help_overlay (window, GTK_SHORTCUTS_WINDOW (shortcuts));
    }

  gtk_widget_activate_action (widget, "win.show-help-overlay", NULL);
}

static gboolean
gauge_window_close_request (GtkWindow *window)
{
  GaugeWindow *self = GAUGE_WINDOW (window);
  int width;
  int height;

  gtk_window_get_default_size (window, &width, &height);
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  return GTK_WINDOW_CLASS (gauge_window_parent_class)->close_request (window);
}

static void
gauge_window_constructed (GObject *object)
{
  GaugeWindow *self = GAUGE_WINDOW (object);

  G_OBJECT_CLASS (gauge_window_parent_class)->constructed (object);

  g_assert (GAUGE_IS_MONITOR (self->monitor));

  if (self->settings == NULL)
    self->settings = g_settings_new (APPLICATION_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));

  g_signal_connect_object (self->monitor, "changed",
                           G_CALLBACK (gauge_window_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::warning-threshold",
                           G_CALLBACK (on_thresholds_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::critical-threshold",
                           G_CALLBACK (on_thresholds_changed), self,
                           G_CONNECT_SWAPPED);

  gauge_window_update (self);
  gauge_window_schedule_tick (self);
}

static void
gauge_window_dispose (GObject *object)
{
  GaugeWindow *self = GAUGE_WINDOW (object);

  g_clear_handle_id (&self->minute_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), GAUGE_TYPE_WINDOW);

  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gauge_window_parent_class)->dispose (object);
}

static void
gauge_window_finalize (GObject *object)
{
  GaugeWindow *self = GAUGE_WINDOW (object);

  g_clear_pointer (&self->shown_store_message, g_free);

  G_OBJECT_CLASS (gauge_window_parent_class)->finalize (object);
}

static void
gauge_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GaugeWindow *self = GAUGE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  GaugeWindow *self = GAUGE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      self->monitor = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_window_class_init (GaugeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = gauge_window_constructed;
  object_class->dispose = gauge_window_dispose;
  object_class->finalize = gauge_window_finalize;
  object_class->get_property = gauge_window_get_property;
  object_class->set_property = gauge_window_set_property;

  window_class->close_request = gauge_window_close_request;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         GAUGE_TYPE_MONITOR,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/gauge-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, console_page);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, history_bin);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, console_bin);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, refresh_stack);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, refresh_spinner);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, status_detail);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, message_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, message_icon);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, message_detail);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, message_age);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, list_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, local_usage_bin);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, footer_label);

  gtk_widget_class_install_action (widget_class, "win.show-shortcuts", NULL,
                                   show_shortcuts_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "win.show-shortcuts", NULL);
}

static void
gauge_window_init (GaugeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * gauge_window_new:
 * @application: (nullable): the application
 * @monitor: the monitor to show
 * @settings: (nullable): the application's settings, or %NULL for the default schema
 *
 * Returns: (transfer none): a new main window, owned by GTK like any toplevel
 */
GaugeWindow *
gauge_window_new (AdwApplication *application,
                  GaugeMonitor   *monitor,
                  GSettings      *settings)
{
  g_return_val_if_fail (!application || ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (GAUGE_IS_MONITOR (monitor), NULL);
  g_return_val_if_fail (!settings || G_IS_SETTINGS (settings), NULL);

  return g_object_new (GAUGE_TYPE_WINDOW,
                       "application", application,
                       "monitor", monitor,
                       "settings", settings,
                       NULL);
}

/* Shows the "Local usage" part below the limits. */
void
gauge_window_set_local_usage (GaugeWindow *self,
                              GtkWidget   *view)
{
  g_return_if_fail (GAUGE_IS_WINDOW (self));
  g_return_if_fail (view == NULL || GTK_IS_WIDGET (view));

  adw_bin_set_child (self->local_usage_bin, view);
}

/* Tells the user something once, until they dismiss it. */
void
gauge_window_add_toast (GaugeWindow *self,
                        const char  *message)
{
  AdwToast *toast;

  g_return_if_fail (GAUGE_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The History page: shown once a view is set. */
void
gauge_window_set_history (GaugeWindow *self,
                          GtkWidget   *view)
{
  g_return_if_fail (GAUGE_IS_WINDOW (self));

  adw_bin_set_child (self->history_bin, view);
  adw_view_stack_page_set_visible (self->history_page, view != NULL);
}

/* The Console page: for organizations with an Admin API key. */
void
gauge_window_set_console (GaugeWindow *self,
                          GtkWidget   *view)
{
  g_return_if_fail (GAUGE_IS_WINDOW (self));

  adw_bin_set_child (self->console_bin, view);
  adw_view_stack_page_set_visible (self->console_page, view != NULL);
  choose_mode (self);
}
