/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-local-entry.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_PRICING (gauge_pricing_get_type ())
#define GAUGE_PRICING_ERROR (gauge_pricing_error_quark ())

typedef enum
{
  GAUGE_PRICING_ERROR_INVALID,   /* not a price table we understand */
} GaugePricingError;

/* The cost-mode setting, as ccusage's --mode. */
typedef enum
{
  GAUGE_COST_MODE_AUTO,       /* costUSD when the line has it, else the price table */
  GAUGE_COST_MODE_CALCULATE,  /* always the price table */
  GAUGE_COST_MODE_DISPLAY,    /* only costUSD; 0 without it */
} GaugeCostMode;

G_DECLARE_FINAL_TYPE (GaugePricing, gauge_pricing, GAUGE, PRICING, GObject)

/*
 * Model prices (USD per million tokens) from data/pricing.json in the
 * GResource, optionally overridden by entries of a user file.
 */
GQuark        gauge_pricing_error_quark   (void);
GaugePricing *gauge_pricing_new           (void);
GaugePricing *gauge_pricing_new_default   (GError               **user_file_error);
char         *gauge_pricing_get_user_path (void);
const char   *gauge_pricing_match         (GaugePricing          *self,
                                           const char            *model);
gboolean      gauge_pricing_calculate     (GaugePricing          *self,
                                           const GaugeLocalEntry *entry,
                                           double                *cost);
gboolean      gauge_pricing_entry_cost    (GaugePricing          *self,
                                           const GaugeLocalEntry *entry,
                                           GaugeCostMode          mode,
                                           double                *cost);

gboolean      gauge_cost_mode_from_string (const char            *str,
                                           GaugeCostMode         *mode);

G_END_DECLS
