/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limits-view"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-account-list.h"
#include "gauge-account-section.h"
#include "gauge-clock.h"
#include "gauge-format.h"
#include "gauge-label.h"
#include "gauge-limits-state.h"
#include "gauge-limits-view.h"

/*
 * What the Limits page shows is derived from the monitor in gauge_limits_view_update():
 * the rows, a banner when the state needs explaining while values still show, or a
 * status page in their place.
 */

struct _GaugeLimitsView
{
  GtkWidget      parent_instance;

  GaugeLimitsMonitor  *monitor;
  GaugeAccountList    *accounts;   /* NULL: the monitor's account alone */
  GaugeStore          *store;      /* for the projections; NULL: no pace lines */
  GSettings     *settings;

  GtkStack      *stack;
  GtkSpinner    *loading_spinner;
  GtkLabel      *loading_label;
  AdwStatusPage *status_page;
  GtkLabel      *status_detail;
  GaugeAccountSection *first_section;  /* the monitor's */
  GtkBox        *other_sections;   /* a GaugeAccountSection per other account */
  AdwBin        *local_usage_bin;
  GtkWidget     *signin_box;
  GtkLabel      *signin_title;
  GtkLabel      *signin_label;
  GtkLabel      *signin_detail;
};

G_DEFINE_FINAL_TYPE (GaugeLimitsView, gauge_limits_view, GTK_TYPE_WIDGET)

static char *
format_time (GDateTime *when,
             GDateTime *now)
{
  return when != NULL ? gauge_format_clock (when, now) : NULL;
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
  gauge_label_set_or_hide (self->status_detail, detail);
  gtk_stack_set_visible_child_name (self->stack, "status");
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
  gauge_label_set_or_hide (self->signin_detail,
                           gauge_limits_monitor_get_credentials_path (self->monitor));
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
  g_auto(GaugeStateMessage) message = { 0, };

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

  if (gauge_state_message_get (self->monitor, now, &message))
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

static void
gauge_limits_view_dispose (GObject *object)
{
  GaugeLimitsView *self = GAUGE_LIMITS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GAUGE_TYPE_LIMITS_VIEW);
  g_clear_object (&self->monitor);
  g_clear_object (&self->accounts);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gauge_limits_view_parent_class)->dispose (object);
}

static void
gauge_limits_view_class_init (GaugeLimitsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gauge_limits_view_dispose;

  g_type_ensure (GAUGE_TYPE_ACCOUNT_SECTION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pages/gauge-limits-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, stack);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, loading_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, status_page);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, status_detail);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, first_section);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitsView, other_sections);
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
}

/* Where the readings are, for the pace line of each row. */
void
gauge_limits_view_set_store (GaugeLimitsView *self,
                             GaugeStore      *store)
{
  g_return_if_fail (GAUGE_IS_LIMITS_VIEW (self));
  g_return_if_fail (store == NULL || GAUGE_IS_STORE (store));

  g_set_object (&self->store, store);
  gauge_account_section_set_store (self->first_section, store);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->other_sections));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    gauge_account_section_set_store (GAUGE_ACCOUNT_SECTION (child), store);
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
  gauge_account_section_setup (self->first_section, monitor, settings);
}

/* With several accounts, each gets a section under its name; the monitor's comes first. */
void
gauge_limits_view_set_accounts (GaugeLimitsView  *self,
                                GaugeAccountList *accounts)
{
  g_return_if_fail (GAUGE_IS_LIMITS_VIEW (self));
  g_return_if_fail (accounts == NULL || GAUGE_IS_ACCOUNT_LIST (accounts));

  g_set_object (&self->accounts, accounts);
}

/* One section per account besides the monitor's, kept while the accounts stay the same;
 * returns whether there are several accounts. */
static gboolean
update_sections (GaugeLimitsView *self,
                 GDateTime       *now)
{
  guint n = self->accounts != NULL ? gauge_account_list_get_n_accounts (self->accounts) : 0;
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->other_sections));
  g_autofree char *first_name = NULL;
  gboolean several = n > 1;

  for (guint i = 0; several && i < n; i++)
    {
      GaugeLimitsMonitor *monitor = gauge_account_list_get_monitor (self->accounts, i);
      g_autofree char *name = gauge_account_list_dup_name (self->accounts, i);

      if (monitor == self->monitor)
        {
          first_name = g_steal_pointer (&name);
          continue;
        }

      if (child == NULL)
        {
          child = gauge_account_section_new ();
          gtk_box_append (self->other_sections, child);
        }
      gauge_account_section_setup (GAUGE_ACCOUNT_SECTION (child), monitor, self->settings);
      gauge_account_section_set_store (GAUGE_ACCOUNT_SECTION (child), self->store);
      gauge_account_section_set_name (GAUGE_ACCOUNT_SECTION (child), name);
      gauge_account_section_update (GAUGE_ACCOUNT_SECTION (child), now);
      child = gtk_widget_get_next_sibling (child);
    }

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (self->other_sections, child);
      child = next;
    }

  gauge_account_section_set_name (self->first_section, first_name);
  gtk_widget_set_visible (GTK_WIDGET (self->other_sections), several);
  return several;
}

void
gauge_limits_view_update (GaugeLimitsView *self,
                          GDateTime       *now)
{
  GaugeLimitsSnapshot *snapshot;
  gboolean several;

  g_return_if_fail (GAUGE_IS_LIMITS_VIEW (self));
  g_return_if_fail (self->monitor != NULL);

  snapshot = gauge_limits_monitor_get_snapshot (self->monitor);
  several = update_sections (self, now);
  gauge_account_section_update (self->first_section, now);
  update_signin (self, now);

  /* The status page speaks for one account; among several, each section says its state. */
  if (several || !update_status_page (self, snapshot, now))
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
