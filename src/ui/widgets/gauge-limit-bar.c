/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limit-bar"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gauge-drawing.h"
#include "gauge-enums.h"
#include "gauge-limit-bar.h"

/*
 * A level bar for one limit window: a rounded trough, a fill for the share
 * used and a thin marker for the share of the window's time that has passed.
 * Fill left of the marker means "ahead of pace". Colours come from CSS
 * (`color` of gauge-limit-bar, changed by .warning/.critical), so the theme
 * and dark mode decide them.
 */

#define TROUGH_HEIGHT   8
#define MARKER_OVERHANG 3
#define MARKER_WIDTH    2

struct _GaugeLimitBar
{
  GtkWidget     parent_instance;

  double        utilization;
  double        pace;
  GaugeSeverity severity;
};

G_DEFINE_FINAL_TYPE (GaugeLimitBar, gauge_limit_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_UTILIZATION,
  PROP_PACE,
  PROP_SEVERITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The style class of a severity is its nick: normal, warning, critical. */
static const char *
severity_class (GaugeSeverity severity)
{
  g_autoptr(GEnumClass) severities = g_type_class_ref (GAUGE_TYPE_SEVERITY);

  return g_enum_get_value (severities, severity)->value_nick;
}

static void
gauge_limit_bar_update_accessible (GaugeLimitBar *self)
{
  g_autofree char *text = NULL;
  double used = CLAMP (self->utilization, 0.0, 100.0);

  if (self->pace >= 0.0)
    /* Translators: read by screen readers for a limit bar */
    text = g_strdup_printf (_("%.0f percent used, %.0f percent of the time elapsed"),
                            self->utilization, self->pace * 100.0);
  else
    text = g_strdup_printf (_("%.0f percent used"), self->utilization);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, used,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
}

static void
gauge_limit_bar_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 48;
      *natural = 240;
    }
  else
    {
      *minimum = *natural = TROUGH_HEIGHT + 2 * MARKER_OVERHANG;
    }
}

static void
append_rounded_rect (GtkSnapshot     *snapshot,
                     const GdkRGBA   *color,
                     graphene_rect_t *rect,
                     float            radius)
{
  GskRoundedRect clip;

  gsk_rounded_rect_init_from_rect (&clip, rect, radius);
  gtk_snapshot_push_rounded_clip (snapshot, &clip);
  gtk_snapshot_append_color (snapshot, color, rect);
  gtk_snapshot_pop (snapshot);
}

static void
gauge_limit_bar_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  GaugeLimitBar *self = GAUGE_LIMIT_BAR (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  float top = floorf ((height - TROUGH_HEIGHT) / 2.0f);
  float radius = TROUGH_HEIGHT / 2.0f;
  double fraction = CLAMP (self->utilization, 0.0, 100.0) / 100.0;
  graphene_rect_t rect;
  GdkRGBA color;
  GdkRGBA trough;
  GdkRGBA marker;

  if (width <= 0 || height <= 0)
    return;

  gauge_drawing_get_color (widget, &color);
  trough = color;
  trough.alpha *= 0.15f;

  graphene_rect_init (&rect, 0, top, width, TROUGH_HEIGHT);
  append_rounded_rect (snapshot, &trough, &rect, radius);

  if (fraction > 0.0)
    {
      /* Never thinner than the rounded end, so a small value still shows. */
      float fill = MAX ((float) (width * fraction), (float) TROUGH_HEIGHT);

      graphene_rect_init (&rect, 0, top, MIN (fill, width), TROUGH_HEIGHT);
      append_rounded_rect (snapshot, &color, &rect, radius);
    }

  if (self->pace >= 0.0)
    {
      float x = (float) (width * CLAMP (self->pace, 0.0, 1.0)) - MARKER_WIDTH / 2.0f;

      /* The window's text colour reads on both light and dark backgrounds. */
      gauge_drawing_lookup_color (widget, "window_fg_color", "black", &marker);
      marker.alpha *= 0.8f;

      x = CLAMP (x, 0.0f, width - MARKER_WIDTH);
      graphene_rect_init (&rect, x, 0, MARKER_WIDTH, height);
      append_rounded_rect (snapshot, &marker, &rect, MARKER_WIDTH / 2.0f);
    }
}

static void
gauge_limit_bar_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GaugeLimitBar *self = GAUGE_LIMIT_BAR (object);

  switch (prop_id)
    {
    case PROP_UTILIZATION:
      g_value_set_double (value, self->utilization);
      break;

    case PROP_PACE:
      g_value_set_double (value, self->pace);
      break;

    case PROP_SEVERITY:
      g_value_set_enum (value, self->severity);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_limit_bar_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GaugeLimitBar *self = GAUGE_LIMIT_BAR (object);

  switch (prop_id)
    {
    case PROP_UTILIZATION:
      gauge_limit_bar_set_utilization (self, g_value_get_double (value));
      break;

    case PROP_PACE:
      gauge_limit_bar_set_pace (self, g_value_get_double (value));
      break;

    case PROP_SEVERITY:
      gauge_limit_bar_set_severity (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_limit_bar_class_init (GaugeLimitBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = gauge_limit_bar_get_property;
  object_class->set_property = gauge_limit_bar_set_property;

  widget_class->measure = gauge_limit_bar_measure;
  widget_class->snapshot = gauge_limit_bar_snapshot;

  /* Percent used, 0–100; values above 100 draw a full bar. */
  properties[PROP_UTILIZATION] =
    g_param_spec_double ("utilization", NULL, NULL,
                         0.0, G_MAXDOUBLE, 0.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Fraction of the window's time elapsed, or -1 for no marker. */
  properties[PROP_PACE] =
    g_param_spec_double ("pace", NULL, NULL,
                         -1.0, 1.0, -1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SEVERITY] =
    g_param_spec_enum ("severity", NULL, NULL,
                       GAUGE_TYPE_SEVERITY, GAUGE_SEVERITY_NORMAL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The severity classes below change the colour, through CSS. */
  gauge_drawing_class_init (widget_class, "gauge-limit-bar", GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
gauge_limit_bar_init (GaugeLimitBar *self)
{
  self->pace = -1.0;
  self->severity = GAUGE_SEVERITY_NORMAL;

  gtk_widget_add_css_class (GTK_WIDGET (self), severity_class (GAUGE_SEVERITY_NORMAL));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gauge_limit_bar_update_accessible (self);
}

GtkWidget *
gauge_limit_bar_new (void)
{
  return g_object_new (GAUGE_TYPE_LIMIT_BAR, NULL);
}

double
gauge_limit_bar_get_utilization (GaugeLimitBar *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_BAR (self), 0.0);

  return self->utilization;
}

void
gauge_limit_bar_set_utilization (GaugeLimitBar *self,
                                 double         utilization)
{
  g_return_if_fail (GAUGE_IS_LIMIT_BAR (self));

  if (isnan (utilization) || utilization < 0.0)
    utilization = 0.0;

  if (self->utilization == utilization)
    return;

  self->utilization = utilization;
  gauge_limit_bar_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UTILIZATION]);
}

double
gauge_limit_bar_get_pace (GaugeLimitBar *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_BAR (self), -1.0);

  return self->pace;
}

void
gauge_limit_bar_set_pace (GaugeLimitBar *self,
                          double         pace)
{
  g_return_if_fail (GAUGE_IS_LIMIT_BAR (self));

  if (isnan (pace) || pace < 0.0)
    pace = -1.0;
  else
    pace = MIN (pace, 1.0);

  if (self->pace == pace)
    return;

  self->pace = pace;
  gauge_limit_bar_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PACE]);
}

GaugeSeverity
gauge_limit_bar_get_severity (GaugeLimitBar *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_BAR (self), GAUGE_SEVERITY_NORMAL);

  return self->severity;
}

void
gauge_limit_bar_set_severity (GaugeLimitBar *self,
                              GaugeSeverity  severity)
{
  g_return_if_fail (GAUGE_IS_LIMIT_BAR (self));
  g_return_if_fail (severity <= GAUGE_SEVERITY_CRITICAL);

  if (self->severity == severity)
    return;

  gtk_widget_remove_css_class (GTK_WIDGET (self), severity_class (self->severity));
  self->severity = severity;
  gtk_widget_add_css_class (GTK_WIDGET (self), severity_class (self->severity));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEVERITY]);
}
