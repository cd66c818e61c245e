/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gauge-preferences-window.h"

struct _GaugePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSpinButton        *poll_spin;
  GtkSpinButton        *warning_spin;
  GtkSpinButton        *critical_spin;
};

G_DEFINE_FINAL_TYPE (GaugePreferencesWindow, gauge_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The setting is in seconds, the spin button in minutes. */
static gboolean
seconds_to_minutes (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 60.0);
  return TRUE;
}

static GVariant *
minutes_to_seconds (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  double minutes = CLAMP (round (g_value_get_double (value)), 1.0, 1440.0);

  return g_variant_new_uint32 ((guint32) minutes * 60);
}

static void
gauge_preferences_window_constructed (GObject *object)
{
  GaugePreferencesWindow *self = GAUGE_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (gauge_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (self->settings != NULL);

  g_settings_bind_with_mapping (self->settings, "poll-interval",
                                self->poll_spin, "value",
                                G_SETTINGS_BIND_DEFAULT,
                                seconds_to_minutes, minutes_to_seconds,
                                NULL, NULL);
  g_settings_bind (self->settings, "warning-threshold",
                   self->warning_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "critical-threshold",
                   self->critical_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
gauge_preferences_window_dispose (GObject *object)
{
  GaugePreferencesWindow *self = GAUGE_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GAUGE_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gauge_preferences_window_parent_class)->dispose (object);
}

static void
gauge_preferences_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  GaugePreferencesWindow *self = GAUGE_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_preferences_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  GaugePreferencesWindow *self = GAUGE_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_preferences_window_class_init (GaugePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = gauge_preferences_window_constructed;
  object_class->dispose = gauge_preferences_window_dispose;
  object_class->get_property = gauge_preferences_window_get_property;
  object_class->set_property = gauge_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/gauge-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, poll_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, warning_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, critical_spin);
}

static void
gauge_preferences_window_init (GaugePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * gauge_preferences_window_new:
 * @parent: (nullable): the window to stay on top of
 * @settings: the application's settings
 *
 * Returns: (transfer none): a modal preferences window, owned by GTK like any
 *   toplevel; call gtk_window_present() on it
 */
GaugePreferencesWindow *
gauge_preferences_window_new (GtkWindow *parent,
                              GSettings *settings)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (GAUGE_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}
