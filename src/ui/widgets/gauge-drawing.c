/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-drawing"

#include "config.h"

#include <math.h>

#include "gauge-drawing.h"

/* --- Renderer ------------------------------------------------------------- */

/* Call before gtk_init(). GTK 4.8 maps Mesa (~60 MB) as soon as it opens the
 * display; a tray app draws little, so render with cairo unless the user
 * chose otherwise. The benchmarks call it too, to time what the app draws. */
void
gauge_drawing_choose_renderer (void)
{
  if (g_getenv ("GSK_RENDERER") == NULL && g_getenv ("GDK_DEBUG") == NULL)
    {
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
    }
}

/* --- Theme colours -------------------------------------------------------- */

/* The widget's CSS `color`: its text colour, or what its style classes make it. */
void
gauge_drawing_get_color (GtkWidget *widget,
                         GdkRGBA   *color)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (color != NULL);

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
}

/* A named theme colour (e.g. "accent_color"), or @fallback where the theme
 * does not define it. */
void
gauge_drawing_lookup_color (GtkWidget  *widget,
                            const char *name,
                            const char *fallback,
                            GdkRGBA    *color)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (name != NULL && fallback != NULL && color != NULL);

  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    gdk_rgba_parse (color, fallback);
}

/* --- Cairo ---------------------------------------------------------------- */

void
gauge_drawing_set_source (cairo_t       *cr,
                          const GdkRGBA *color,
                          double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/* Laid-out texts per widget, so that labels drawn on every frame are shaped once. */
#define MAX_LAYOUTS 64

static GQuark layouts_quark;

/* A layout of @text in @widget's font, owned by @widget and valid until the next call
 * for it. It follows font changes by itself: it holds the pango context GTK updates. */
PangoLayout *
gauge_drawing_get_layout (GtkWidget  *widget,
                          const char *text)
{
  GHashTable *layouts;
  PangoLayout *layout;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (layouts_quark == 0)
    layouts_quark = g_quark_from_static_string ("gauge-drawing-layouts");

  layouts = g_object_get_qdata (G_OBJECT (widget), layouts_quark);
  if (layouts == NULL)
    {
      layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_object_set_qdata_full (G_OBJECT (widget), layouts_quark, layouts,
                               (GDestroyNotify) g_hash_table_unref);
    }

  layout = g_hash_table_lookup (layouts, text);
  if (layout != NULL)
    return layout;

  /* Readouts change with the pointer: start over rather than grow without end. */
  if (g_hash_table_size (layouts) >= MAX_LAYOUTS)
    g_hash_table_remove_all (layouts);

  layout = gtk_widget_create_pango_layout (widget, text);
  g_hash_table_insert (layouts, g_strdup (text), layout);

  return layout;
}

/* One line of text in the widget's font, centred on @y; @align places @x at
 * its left (0), centre (0.5) or right (1). */
void
gauge_drawing_text (GtkWidget     *widget,
                    cairo_t       *cr,
                    const char    *text,
                    double         x,
                    double         y,
                    double         align,
                    const GdkRGBA *color,
                    double         alpha)
{
  PangoLayout *layout = gauge_drawing_get_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, round (x - align * width), round (y - height / 2.0));
  gauge_drawing_set_source (cr, color, alpha);
  pango_cairo_show_layout (cr, layout);
}

/**
 * gauge_drawing_label_fits:
 * @next_free: (inout): where the next label may start; the labels drawn so far end before it
 * @left: the label's left edge
 * @width: its width
 * @limit: the right edge it must not pass
 *
 * Labels along an axis, placed left to right: one that would touch the one before it, or
 * pass the edge, is skipped ("Dec Jan Feb", never "DecJan"). Pure, for the tests.
 *
 * Returns: whether to draw it; then @next_free moves past it and a gap
 */
gboolean
gauge_drawing_label_fits (double *next_free,
                          double  left,
                          double  width,
                          double  limit)
{
  if (left < *next_free || left + width > limit)
    return FALSE;
  *next_free = left + width + GAUGE_DRAWING_LABEL_GAP;
  return TRUE;
}

/* --- Hover ---------------------------------------------------------------- */

static void
on_hover_motion (GtkEventControllerMotion *motion,
                 double                    x,
                 double                    y,
                 GaugeDrawingHover        *hover)
{
  hover->x = x;
  hover->y = y;
  gtk_widget_queue_draw (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (motion)));
}

static void
on_hover_leave (GtkEventControllerMotion *motion,
                GaugeDrawingHover        *hover)
{
  hover->x = -1;
  gtk_widget_queue_draw (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (motion)));
}

/* Keeps @hover, which lives as long as @widget (a field of its instance), at
 * the pointer, redrawing @widget as it moves, enters and leaves. */
void
gauge_drawing_track_hover (GtkWidget         *widget,
                           GaugeDrawingHover *hover)
{
  GtkEventController *motion;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (hover != NULL);

  hover->x = -1;
  hover->y = -1;

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_hover_motion), hover);
  g_signal_connect (motion, "enter", G_CALLBACK (on_hover_motion), hover);
  g_signal_connect (motion, "leave", G_CALLBACK (on_hover_leave), hover);
  gtk_widget_add_controller (widget, motion);
}

/* --- Widget classes ------------------------------------------------------ */

/* A cairo context over the whole of @widget, or NULL while it has no size. */
cairo_t *
gauge_drawing_append_cairo (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (width <= 0 || height <= 0)
    return NULL;

  return gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
redraw_on_css_change (GtkWidget         *widget,
                      GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (g_type_class_peek (GTK_TYPE_WIDGET))->css_changed (widget, change);

  /* Dark mode, the accent and style classes change the colours read in snapshot. */
  gtk_widget_queue_draw (widget);
}

/* For a widget drawn in snapshot straight on GtkWidget: its CSS node's name, its
 * accessible role, and a redraw whenever its style changes. */
void
gauge_drawing_class_init (GtkWidgetClass    *widget_class,
                          const char        *css_name,
                          GtkAccessibleRole  role)
{
  g_return_if_fail (GTK_IS_WIDGET_CLASS (widget_class));
  g_return_if_fail (g_type_parent (G_TYPE_FROM_CLASS (widget_class)) == GTK_TYPE_WIDGET);

  widget_class->css_changed = redraw_on_css_change;
  gtk_widget_class_set_css_name (widget_class, css_name);
  gtk_widget_class_set_accessible_role (widget_class, role);
}

/* --- Words ---------------------------------------------------------------- */

/* What a drawn widget shows, in one line: its accessible label and tooltip. */
void
gauge_drawing_describe (GtkWidget  *widget,
                        const char *summary)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  -1);
  gtk_widget_set_tooltip_text (widget, summary);
}
