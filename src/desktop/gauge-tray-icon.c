/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-tray-icon"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gauge-desktop-enums.h"
#include "gauge-limits-glance.h"
#include "gauge-limit-window.h"
#include "gauge-limits-snapshot.h"
#include "gauge-tray-icon.h"

/*
 * The tray icon: a dial on a dark disc, open at the bottom, filled clockwise to
 * the chosen limit's utilization with a needle pointing at it, coloured by
 * severity. The dark disc with a light rim keeps it readable on light and dark
 * panels alike; a bigger hub marks "critical" for those who cannot tell the
 * colours apart.
 */

static const int sizes[] = { 16, 22, 24, 32, 48 };

/* The dial: from the bottom left (135°, cairo's angles run clockwise from three o'clock)
 * round over the top to the bottom right. */
#define DIAL_START (3 * G_PI / 4)
#define DIAL_SWEEP (3 * G_PI / 2)

/* Per size: ring width and the gap between the disc's edge and the ring, in
 * whole pixels so every size is drawn on the same integer grid. */
typedef struct
{
  int size;
  int ring;
  int margin;
} Geometry;

static const Geometry geometries[] = {
  { 16, 3, 1 },
  { 22, 4, 2 },
  { 24, 4, 2 },
  { 32, 5, 2 },
  { 48, 8, 3 },
};

typedef struct
{
  double r, g, b;
} Rgb;

/* GNOME palette, the light shades: they stand out on the dark disc. */
static const Rgb severity_colors[] = {
  [GAUGE_SEVERITY_NORMAL]   = { 0x62 / 255.0, 0xa0 / 255.0, 0xea / 255.0 },
  [GAUGE_SEVERITY_WARNING]  = { 0xff / 255.0, 0xa3 / 255.0, 0x48 / 255.0 },
  [GAUGE_SEVERITY_CRITICAL] = { 0xf6 / 255.0, 0x61 / 255.0, 0x51 / 255.0 },
};
static const Rgb stale_color = { 0xc0 / 255.0, 0xbf / 255.0, 0xbc / 255.0 };

/* The tray-metric setting's choices are the enum's nicks; anything else means the default. */
GaugeTrayMetric
gauge_tray_metric_from_string (const char *str)
{
  int metric;

  if (!gauge_enum_from_nick (GAUGE_TYPE_TRAY_METRIC, str, &metric))
    return GAUGE_TRAY_METRIC_MOST_CONSTRAINED;

  return metric;
}

/* The window the icon draws: the metric's nick is a tray-metric choice. */
static GaugeLimitWindow *
pick_window (GaugeLimitsSnapshot *snapshot,
             GaugeTrayMetric      metric)
{
  return gauge_limits_glance_pick (snapshot, gauge_enum_to_nick (GAUGE_TYPE_TRAY_METRIC, metric));
}

GaugeTrayIconKey
gauge_tray_icon_key_for (GaugeLimitsSnapshot *snapshot,
                         GaugeTrayMetric      metric,
                         double               warning,
                         double               critical,
                         gboolean             stale)
{
  GaugeTrayIconKey key = { 0, GAUGE_SEVERITY_NORMAL, GAUGE_TRAY_ICON_STATE_NONE };
  GaugeLimitWindow *window = pick_window (snapshot, metric);
  double utilization;

  if (window == NULL)
    return key;

  utilization = gauge_limit_window_get_utilization (window);
  key.level = (int) CLAMP (floor (utilization), 0, 100);
  key.severity = gauge_limit_window_get_severity (window, warning, critical);
  key.state = stale ? GAUGE_TRAY_ICON_STATE_STALE : GAUGE_TRAY_ICON_STATE_OK;

  return key;
}

gboolean
gauge_tray_icon_key_equal (const GaugeTrayIconKey *a,
                           const GaugeTrayIconKey *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->state != b->state)
    return FALSE;
  /* With no reading the ring is empty whatever else the key says. */
  if (a->state == GAUGE_TRAY_ICON_STATE_NONE)
    return TRUE;
  /* A stale ring is grey: severity does not show, except as the dot. */
  if (a->state == GAUGE_TRAY_ICON_STATE_STALE)
    return a->level == b->level &&
           (a->severity == GAUGE_SEVERITY_CRITICAL) == (b->severity == GAUGE_SEVERITY_CRITICAL);

  return a->level == b->level && a->severity == b->severity;
}

const int *
gauge_tray_icon_get_sizes (guint *n_sizes)
{
  if (n_sizes != NULL)
    *n_sizes = G_N_ELEMENTS (sizes);

  return sizes;
}

static const Geometry *
geometry_for (int size)
{
  for (guint i = 0; i < G_N_ELEMENTS (geometries); i++)
    if (geometries[i].size == size)
      return &geometries[i];

  return NULL;
}

static void
draw (cairo_t                *cr,
      const GaugeTrayIconKey *key,
      int                     size,
      const Geometry         *geometry)
{
  double center = size / 2.0;
  double radius = size / 2.0;
  double ring_outer = radius - geometry->margin;
  double ring_mid = ring_outer - geometry->ring / 2.0;
  double ring_inner = ring_outer - geometry->ring;
  const Rgb *color = key->state == GAUGE_TRAY_ICON_STATE_STALE
                     ? &stale_color : &severity_colors[key->severity];
  double level;
  double angle;

  /* The disc and its light rim: contrast on any panel. */
  cairo_arc (cr, center, center, radius, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 0.1, 0.1, 0.1, 0.78);
  cairo_fill (cr);
  cairo_arc (cr, center, center, radius - 0.5, 0, 2 * G_PI);
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.45);
  cairo_stroke (cr);

  /* The track: what is left, a dial's three quarters open at the bottom, so that even a
   * full one reads as a gauge and never as a closed ring (a "record" button). */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_set_line_width (cr, geometry->ring);
  cairo_arc (cr, center, center, ring_mid, DIAL_START, DIAL_START + DIAL_SWEEP);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.22);
  cairo_stroke (cr);

  if (key->state == GAUGE_TRAY_ICON_STATE_NONE)
    return;

  /* The used part, clockwise from the bottom left. */
  level = CLAMP (key->level, 0, 100) / 100.0;
  angle = DIAL_START + DIAL_SWEEP * level;
  if (level > 0)
    {
      cairo_arc (cr, center, center, ring_mid, DIAL_START, angle);
      cairo_set_source_rgb (cr, color->r, color->g, color->b);
      cairo_stroke (cr);
    }

  /* The needle points at the level; critical has a bigger hub, for those who cannot tell
   * the colours apart. */
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_width (cr, MAX (1.5, size / 12.0));
  cairo_move_to (cr, center, center);
  cairo_line_to (cr, center + (ring_inner - 0.5) * cos (angle),
                 center + (ring_inner - 0.5) * sin (angle));
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
  cairo_stroke (cr);
  cairo_arc (cr, center, center,
             key->severity == GAUGE_SEVERITY_CRITICAL ? MAX (2.0, ring_inner * 0.42)
                                                      : MAX (1.0, ring_inner * 0.2),
             0, 2 * G_PI);
  cairo_fill (cr);
}

/**
 * gauge_tray_icon_render_surface:
 * @size: one of gauge_tray_icon_get_sizes()
 *
 * Returns: (transfer full): the icon at @size, premultiplied ARGB32
 */
cairo_surface_t *
gauge_tray_icon_render_surface (const GaugeTrayIconKey *key,
                                int                     size)
{
  const Geometry *geometry = geometry_for (size);
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (geometry != NULL, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cr = cairo_create (surface);
  draw (cr, key, size, geometry);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

/* SNI wants straight (not premultiplied) ARGB32 in network byte order: A, R, G, B. */
static GVariant *
surface_to_variant (cairo_surface_t *surface,
                    int              size)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  gsize n_bytes = (gsize) size * size * 4;
  guint8 *out = g_malloc (n_bytes);
  guint8 *p = out;

  for (int y = 0; y < size; y++)
    {
      const guint32 *row = (const guint32 *) (gconstpointer) (data + (gsize) y * stride);

      for (int x = 0; x < size; x++)
        {
          guint32 pixel = row[x];
          guint a = pixel >> 24;
          guint r = (pixel >> 16) & 0xff;
          guint g = (pixel >> 8) & 0xff;
          guint b = pixel & 0xff;

          if (a != 0 && a != 255)
            {
              r = (r * 255 + a / 2) / a;
              g = (g * 255 + a / 2) / a;
              b = (b * 255 + a / 2) / a;
            }
          *p++ = a;
          *p++ = MIN (r, 255);
          *p++ = MIN (g, 255);
          *p++ = MIN (b, 255);
        }
    }

  return g_variant_new ("(ii@ay)", size, size,
                        g_variant_new_from_data (G_VARIANT_TYPE_BYTESTRING, out, n_bytes,
                                                 TRUE, g_free, out));
}

/**
 * gauge_tray_icon_render:
 *
 * Returns: (transfer full): the icon at every size, as SNI's IconPixmap a(iiay)
 */
GVariant *
gauge_tray_icon_render (const GaugeTrayIconKey *key)
{
  GVariantBuilder builder;

  g_return_val_if_fail (key != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(iiay)"));
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      cairo_surface_t *surface = gauge_tray_icon_render_surface (key, sizes[i]);

      g_variant_builder_add_value (&builder, surface_to_variant (surface, sizes[i]));
      cairo_surface_destroy (surface);
    }

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}
