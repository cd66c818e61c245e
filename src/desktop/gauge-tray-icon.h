/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "gauge-types.h"

G_BEGIN_DECLS

/* Which limit the tray icon draws: GSettings tray-metric, whose choices are the nicks. */
typedef enum
{
  GAUGE_TRAY_METRIC_MOST_CONSTRAINED,
  GAUGE_TRAY_METRIC_FIVE_HOUR,
  GAUGE_TRAY_METRIC_WEEKLY,
} GaugeTrayMetric;

typedef enum
{
  GAUGE_TRAY_ICON_STATE_NONE,   /* no reading: an empty ring */
  GAUGE_TRAY_ICON_STATE_OK,     /* a current reading */
  GAUGE_TRAY_ICON_STATE_STALE,  /* an old reading, or the last check failed: greyed */
} GaugeTrayIconState;

/*
 * Everything the pixels depend on, and nothing else: two equal keys render
 * identical pixmaps, so the icon is redrawn (and NewIcon sent) only when the
 * key changes.
 */
typedef struct
{
  int                level;     /* whole percent 0–100, floored: a full ring means exhausted */
  GaugeSeverity      severity;
  GaugeTrayIconState state;
} GaugeTrayIconKey;

GaugeTrayMetric  gauge_tray_metric_from_string  (const char             *str);
GaugeTrayIconKey gauge_tray_icon_key_for        (GaugeLimitsSnapshot    *snapshot,
                                                 GaugeTrayMetric         metric,
                                                 double                  warning,
                                                 double                  critical,
                                                 gboolean                stale);
gboolean         gauge_tray_icon_key_equal      (const GaugeTrayIconKey *a,
                                                 const GaugeTrayIconKey *b);
const int       *gauge_tray_icon_get_sizes      (guint                  *n_sizes);
cairo_surface_t *gauge_tray_icon_render_surface (const GaugeTrayIconKey *key,
                                                 int                     size);
GVariant        *gauge_tray_icon_render         (const GaugeTrayIconKey *key);

G_END_DECLS
