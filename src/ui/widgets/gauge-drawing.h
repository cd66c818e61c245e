/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * What the custom drawing widgets (chart, heatmap, limit bar) share: the
 * renderer; theme colours read on every draw, so dark mode and the accent
 * follow; cairo text (laid out once per widget and text) and colour helpers;
 * the pointer position behind a hover readout; the summary in words that
 * stands for the picture.
 */

/* The least room between two labels on an axis. */
#define GAUGE_DRAWING_LABEL_GAP 6.0

/* Where the pointer is over a widget; x is -1 while it is outside. */
typedef struct
{
  double x;
  double y;
} GaugeDrawingHover;

void         gauge_drawing_choose_renderer (void);
void         gauge_drawing_get_color       (GtkWidget         *widget,
                                            GdkRGBA           *color);
void         gauge_drawing_lookup_color    (GtkWidget         *widget,
                                            const char        *name,
                                            const char        *fallback,
                                            GdkRGBA           *color);
void         gauge_drawing_set_source      (cairo_t           *cr,
                                            const GdkRGBA     *color,
                                            double             alpha);
PangoLayout *gauge_drawing_get_layout      (GtkWidget         *widget,
                                            const char        *text);
void         gauge_drawing_text            (GtkWidget         *widget,
                                            cairo_t           *cr,
                                            const char        *text,
                                            double             x,
                                            double             y,
                                            double             align,
                                            const GdkRGBA     *color,
                                            double             alpha);
gboolean     gauge_drawing_label_fits      (double            *next_free,
                                            double             left,
                                            double             width,
                                            double             limit);
void         gauge_drawing_track_hover     (GtkWidget         *widget,
                                            GaugeDrawingHover *hover);
void         gauge_drawing_describe        (GtkWidget         *widget,
                                            const char        *summary);
cairo_t     *gauge_drawing_append_cairo    (GtkWidget         *widget,
                                            GtkSnapshot       *snapshot);
void         gauge_drawing_class_init      (GtkWidgetClass    *widget_class,
                                            const char        *css_name,
                                            GtkAccessibleRole  role);

G_END_DECLS
