/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limit-row"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-clock.h"
#include "gauge-limit-bar.h"
#include "gauge-limit-kind.h"
#include "gauge-limit-row.h"

/* One limit window: name, percentage (and amount), bar, reset countdown. */

struct _GaugeLimitRow
{
  GtkListBoxRow     parent_instance;

  GaugeLimitWindow *window;
  double            warning;
  double            critical;
  GaugeProjection   projection;     /* kind UNKNOWN until one is set */

  GtkLabel         *name_label;
  GtkLabel         *amount_label;
  GtkLabel         *percent_label;
  GaugeLimitBar    *bar;
  GtkLabel         *caption_label;
};

G_DEFINE_FINAL_TYPE (GaugeLimitRow, gauge_limit_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_WINDOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_severity_class (GtkWidget     *widget,
                    GaugeSeverity  severity)
{
  gtk_widget_remove_css_class (widget, "warning");
  gtk_widget_remove_css_class (widget, "error");

  if (severity == GAUGE_SEVERITY_CRITICAL)
    gtk_widget_add_css_class (widget, "error");
  else if (severity == GAUGE_SEVERITY_WARNING)
    gtk_widget_add_css_class (widget, "warning");
}

static void
gauge_limit_row_update_severity (GaugeLimitRow *self)
{
  GaugeSeverity severity = GAUGE_SEVERITY_NORMAL;

  if (self->window != NULL)
    severity = gauge_limit_window_get_severity (self->window, self->warning, self->critical);

  gauge_limit_bar_set_severity (self->bar, severity);
  set_severity_class (GTK_WIDGET (self->percent_label), severity);
}

static void
gauge_limit_row_sync (GaugeLimitRow *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *percent = NULL;
  g_autofree char *money = NULL;

  if (self->window == NULL)
    return;

  gtk_label_set_label (self->name_label, gauge_limit_window_get_display_name (self->window));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), NULL);
  if (gauge_limit_window_is_credit (self->window) &&
      gauge_limit_kind_lookup (gauge_limit_window_get_id (self->window)) == NULL)
    {
      /* A grant named generically ("Credit"): Anthropic's own name for it tells them apart. */
      g_autofree char *tooltip =
        /* Translators: %s is the usage answer's key for a limit, "nimbus_quill" */
        g_strdup_printf (_("Anthropic reports this as “%s”"),
                         gauge_limit_window_get_id (self->window));

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), tooltip);
    }

  percent = gauge_format_percent (gauge_limit_window_get_utilization (self->window));
  gtk_label_set_label (self->percent_label, percent);

  if (gauge_limit_window_is_money (self->window))
    money = gauge_limit_window_format_money (self->window);
  gtk_label_set_label (self->amount_label, money);
  gtk_widget_set_visible (GTK_WIDGET (self->amount_label), money != NULL && *money != '\0');

  gauge_limit_bar_set_utilization (self->bar, gauge_limit_window_get_utilization (self->window));
  gauge_limit_row_update_severity (self);

  now = gauge_clock_now_utc ();
  gauge_limit_row_update (self, now);
}

static void
gauge_limit_row_dispose (GObject *object)
{
  GaugeLimitRow *self = GAUGE_LIMIT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), GAUGE_TYPE_LIMIT_ROW);
  g_clear_object (&self->window);

  G_OBJECT_CLASS (gauge_limit_row_parent_class)->dispose (object);
}

static void
gauge_limit_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GaugeLimitRow *self = GAUGE_LIMIT_ROW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      g_value_set_object (value, self->window);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_limit_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GaugeLimitRow *self = GAUGE_LIMIT_ROW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      gauge_limit_row_set_window (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_limit_row_class_init (GaugeLimitRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gauge_limit_row_dispose;
  object_class->get_property = gauge_limit_row_get_property;
  object_class->set_property = gauge_limit_row_set_property;

  properties[PROP_WINDOW] =
    g_param_spec_object ("window", NULL, NULL,
                         GAUGE_TYPE_LIMIT_WINDOW,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GAUGE_TYPE_LIMIT_BAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/widgets/gauge-limit-row.ui");
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitRow, amount_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitRow, percent_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitRow, bar);
  gtk_widget_class_bind_template_child (widget_class, GaugeLimitRow, caption_label);
}

static void
gauge_limit_row_init (GaugeLimitRow *self)
{
  self->warning = 80.0;
  self->critical = 95.0;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->bar),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->name_label, NULL,
                                  -1);
}

GtkWidget *
gauge_limit_row_new (GaugeLimitWindow *window)
{
  g_return_val_if_fail (!window || GAUGE_IS_LIMIT_WINDOW (window), NULL);

  return g_object_new (GAUGE_TYPE_LIMIT_ROW,
                       "window", window,
                       NULL);
}

GaugeLimitWindow *
gauge_limit_row_get_window (GaugeLimitRow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_ROW (self), NULL);

  return self->window;
}

void
gauge_limit_row_set_window (GaugeLimitRow    *self,
                            GaugeLimitWindow *window)
{
  g_return_if_fail (GAUGE_IS_LIMIT_ROW (self));
  g_return_if_fail (!window || GAUGE_IS_LIMIT_WINDOW (window));

  if (!g_set_object (&self->window, window))
    return;

  gauge_limit_row_sync (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
}

void
gauge_limit_row_set_thresholds (GaugeLimitRow *self,
                                double         warning,
                                double         critical)
{
  g_return_if_fail (GAUGE_IS_LIMIT_ROW (self));

  if (self->warning == warning && self->critical == critical)
    return;

  self->warning = warning;
  self->critical = critical;
  gauge_limit_row_update_severity (self);
}

/**
 * gauge_limit_row_update:
 * @self: a #GaugeLimitRow
 * @now: the current time
 *
 * Refreshes what moves with the clock: the countdown and the pace marker.
 */
void
gauge_limit_row_update (GaugeLimitRow *self,
                        GDateTime     *now)
{
  g_autofree char *caption = NULL;
  g_autofree char *reset = NULL;
  g_autofree char *pace = NULL;
  double marker;

  g_return_if_fail (GAUGE_IS_LIMIT_ROW (self));
  g_return_if_fail (now != NULL);

  if (self->window == NULL)
    return;

  reset = gauge_limit_window_format_caption (self->window, now);
  pace = gauge_projection_describe_pace (&self->projection, now);
  if (reset != NULL && pace != NULL)
    caption = g_strdup_printf ("%s\n%s", reset, pace);
  else
    caption = g_strdup (reset != NULL ? reset : pace);
  gtk_label_set_label (self->caption_label, caption);
  gtk_widget_set_visible (GTK_WIDGET (self->caption_label), caption != NULL);

  marker = gauge_limit_window_get_pace (self->window, now);
  gauge_limit_bar_set_pace (self->bar, marker);
  /* The marker's legend. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->bar),
                               marker >= 0
                               ? _("The thin mark shows how much of this window’s time has "
                                   "passed. A bar that ends before the mark is using less than "
                                   "an even pace; past it, more.")
                               : NULL);
}

/**
 * gauge_limit_row_set_projection:
 * @projection: (nullable): the window's projection, %NULL for none
 *
 * The pace under the bar: "At this pace: runs out …" or "On pace".
 */
void
gauge_limit_row_set_projection (GaugeLimitRow         *self,
                                const GaugeProjection *projection)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_if_fail (GAUGE_IS_LIMIT_ROW (self));

  if (projection != NULL)
    self->projection = *projection;
  else
    self->projection = (GaugeProjection) { .kind = GAUGE_PROJECTION_UNKNOWN };

  now = gauge_clock_now_utc ();
  gauge_limit_row_update (self, now);
}
