/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-rate-gate.h"
#include "gauge-store.h"

G_BEGIN_DECLS

/*
 * The request gate's state per token in GaugeStore (gauge-store-cooldown.c): the cooldown
 * table, and a small file beside it for when the database cannot be written. @token_hash is
 * a hash of the token, never the token.
 */
GaugeRateGate *gauge_store_load_gate (GaugeStore    *self,
                                      const char    *token_hash,
                                      GError       **error);
gboolean       gauge_store_save_gate (GaugeStore    *self,
                                      const char    *token_hash,
                                      GaugeRateGate *gate,
                                      GError       **error);

G_END_DECLS
