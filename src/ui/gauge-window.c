/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-clock.h"
#include "gauge-format.h"
#include "gauge-label.h"
#include "gauge-limits-state.h"
#include "gauge-limits-view.h"
#include "gauge-window.h"

/*
 * The main window: the Limits page, and History and Console once they are set; the plan
 * under the title, a refresh button that spins while the monitor works, a footer with the
 * reading's time and source. Everything shown is derived from the monitor in
 * gauge_window_update(), on every change and every minute.
 */

struct _GaugeWindow
{
  AdwApplicationWindow  parent_instance;

  GaugeLimitsMonitor   *monitor;   /* the first account's */
  GSignalGroup         *monitor_signals;
  GaugeAccountList     *accounts;  /* nullable: the monitor's account alone */
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
  GaugeLimitsView      *limits_view;
  GtkLabel             *footer_label;
  GtkLabel             *plan_label;
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

/* Several accounts: each section says when its own reading was taken, so the footer's
 * line, which speaks for one, goes. */
static gboolean
several_accounts (GaugeWindow *self)
{
  return self->accounts != NULL && gauge_account_list_get_n_accounts (self->accounts) > 1;
}

static void
gauge_window_update_footer (GaugeWindow *self,
                            GDateTime   *now)
{
  g_autofree char *text = NULL;

  /* The Console page says when its own figures were read: one footer at a time. */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "console") != 0 &&
      !several_accounts (self))
    text = gauge_limits_state_describe_updated (self->monitor, now);

  gauge_label_set_or_hide (self->footer_label, text);
}

/* The button spins while any account is read: it refreshes them all. */
static gboolean
any_busy (GaugeWindow *self)
{
  guint n = self->accounts != NULL ? gauge_account_list_get_n_accounts (self->accounts) : 0;

  if (gauge_monitor_get_busy (GAUGE_MONITOR (self->monitor)))
    return TRUE;

  for (guint i = 0; i < n; i++)
    if (gauge_monitor_get_busy (GAUGE_MONITOR (gauge_account_list_get_monitor (self->accounts, i))))
      return TRUE;

  return FALSE;
}

static void
gauge_window_update_busy (GaugeWindow *self)
{
  gboolean busy = any_busy (self);

  gtk_stack_set_visible_child_name (self->refresh_stack, busy ? "spinner" : "icon");
  gtk_spinner_set_spinning (self->refresh_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), !busy);
}

/* A problem with the history database, told once. */
static void
gauge_window_update_toast (GaugeWindow *self)
{
  const char *store_message = gauge_limits_monitor_get_store_message (self->monitor);

  if (store_message == NULL || g_strcmp0 (store_message, self->shown_store_message) == 0)
    return;

  g_free (self->shown_store_message);
  self->shown_store_message = g_strdup (store_message);
  gauge_window_add_toast (self, store_message);
}

/* Console mode alone: an organization admin without Claude Code starts on the
 * Console page, once; after that the user's choice of page stands. */
static void
choose_mode (GaugeWindow *self)
{
  if (self->mode_chosen ||
      !adw_view_stack_page_get_visible (self->console_page) ||
      gauge_limits_monitor_get_state (self->monitor) == GAUGE_LIMITS_MONITOR_STATE_LOADING)
    return;

  self->mode_chosen = TRUE;
  if (gauge_limits_monitor_get_state (self->monitor) == GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS)
    adw_view_stack_set_visible_child_name (self->view_stack, "console");
}

/* Under the title: the plan of the one account; among several, no one plan speaks for the
 * window (each section's heading names its own), so how many there are. */
static char *
dup_plan_text (GaugeWindow *self)
{
  const char *plan = gauge_limits_monitor_get_plan_name (self->monitor);
  guint n;

  if (!several_accounts (self))
    return g_strdup (plan != NULL ? plan : "");

  n = gauge_account_list_get_n_accounts (self->accounts);
  /* Translators: under the window's title when several Claude accounts are shown */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u account", "%u accounts", n), n);
}

/* AdwViewSwitcherTitle hides its subtitle when it shows the tabs: then the plan moves
 * beside the menu, so it stays in sight at every width. */
static void
gauge_window_update_plan (GaugeWindow *self)
{
  g_autofree char *plan = dup_plan_text (self);
  gboolean tabs_shown = !adw_view_switcher_title_get_title_visible (self->window_title);

  gtk_label_set_label (self->plan_label, plan);
  gtk_widget_set_visible (GTK_WIDGET (self->plan_label), tabs_shown && *plan != '\0');
  /* libadwaita 1.2's title can keep the width it had before the header's content changed,
   * cutting it ("Claude Ga…") until the window is resized: have the header measure again. */
  gtk_widget_queue_resize (gtk_widget_get_parent (GTK_WIDGET (self->window_title)));
}

static void
gauge_window_update (GaugeWindow *self)
{
  choose_mode (self);

  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  g_autofree char *plan = dup_plan_text (self);

  adw_view_switcher_title_set_subtitle (self->window_title, plan);
  gauge_window_update_plan (self);

  gauge_window_update_busy (self);
  gauge_limits_view_update (self->limits_view, now);
  gauge_window_update_footer (self, now);
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

  g_assert (GAUGE_IS_LIMITS_MONITOR (self->monitor));

  if (self->settings == NULL)
    self->settings = g_settings_new (APPLICATION_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  gauge_limits_view_setup (self->limits_view, self->monitor, self->settings);

  g_signal_group_set_target (self->monitor_signals, self->monitor);
  g_signal_connect_object (self->settings, "changed::warning-threshold",
                           G_CALLBACK (on_thresholds_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::critical-threshold",
                           G_CALLBACK (on_thresholds_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->window_title, "notify::title-visible",
                           G_CALLBACK (gauge_window_update_plan), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (gauge_window_update), self,
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

  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->monitor);
  g_clear_object (&self->accounts);
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
                         GAUGE_TYPE_LIMITS_MONITOR,
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
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, limits_view);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, footer_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeWindow, plan_label);

  g_type_ensure (GAUGE_TYPE_LIMITS_VIEW);

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

  /* The monitor is the first account's, whichever that is at the time. */
  self->monitor_signals = g_signal_group_new (GAUGE_TYPE_LIMITS_MONITOR);
  g_signal_group_connect_object (self->monitor_signals, "changed",
                                 G_CALLBACK (gauge_window_update), self, G_CONNECT_SWAPPED);
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
                  GaugeLimitsMonitor   *monitor,
                  GSettings      *settings)
{
  g_return_val_if_fail (!application || ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor), NULL);
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

  gauge_limits_view_set_local_usage (self->limits_view, view);
}

/* Where the readings are: each limit's pace comes from them. */
void
gauge_window_set_store (GaugeWindow *self,
                        GaugeStore  *store)
{
  g_return_if_fail (GAUGE_IS_WINDOW (self));

  gauge_limits_view_set_store (self->limits_view, store);
  gauge_window_update (self);
}

/* Every account gets its section on the Limits page, redrawn when any of them changes. */
void
gauge_window_set_accounts (GaugeWindow      *self,
                           GaugeAccountList *accounts)
{
  g_return_if_fail (GAUGE_IS_WINDOW (self));
  g_return_if_fail (GAUGE_IS_ACCOUNT_LIST (accounts));

  g_set_object (&self->accounts, accounts);
  gauge_limits_view_set_accounts (self->limits_view, accounts);
  g_signal_connect_object (accounts, "changed", G_CALLBACK (gauge_window_update), self,
                           G_CONNECT_SWAPPED);
  gauge_window_update (self);
}

/**
 * gauge_window_set_monitor:
 *
 * The first account's monitor, whose plan and reading the window shows when it is the only
 * account: set again when another account becomes the first.
 */
void
gauge_window_set_monitor (GaugeWindow        *self,
                          GaugeLimitsMonitor *monitor)
{
  g_return_if_fail (GAUGE_IS_WINDOW (self));
  g_return_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  g_set_object (&self->monitor, monitor);
  gauge_limits_view_setup (self->limits_view, monitor, self->settings);
  g_signal_group_set_target (self->monitor_signals, monitor);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
  gauge_window_update (self);
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
