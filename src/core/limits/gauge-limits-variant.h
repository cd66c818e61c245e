/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-limits-snapshot.h"

G_BEGIN_DECLS

/* The most limits a reading from the bus is taken with: more is not a reading of ours. */
#define GAUGE_LIMITS_VARIANT_MAX 64

/* A reading's limits as the D-Bus API's `Limits` property carries them (aa{sv}), both ways. */
GVariant            *gauge_limits_variant_new   (GaugeLimitsSnapshot *snapshot,
                                                 double               warning,
                                                 double               critical);
GaugeLimitsSnapshot *gauge_limits_variant_parse (GVariant            *limits,
                                                 GaugeSource          source,
                                                 GDateTime           *fetched_at);

G_END_DECLS
