/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

#include "gauge-types.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_RATE_GATE (gauge_rate_gate_get_type ())

G_DECLARE_FINAL_TYPE (GaugeRateGate, gauge_rate_gate, GAUGE, RATE_GATE, GObject)

#define GAUGE_POLL_INTERVAL_DEFAULT 300   /* seconds */
#define GAUGE_POLL_INTERVAL_MIN     60
#define GAUGE_COOLDOWN_MIN          300   /* first wait after a 429 */
#define GAUGE_COOLDOWN_MAX          3600  /* the doubling stops here */
#define GAUGE_RESET_GRACE           30    /* poll this long after a resets_at passes */

typedef enum
{
  GAUGE_GATE_OPEN,        /* requests allowed */
  GAUGE_GATE_RATE_LIMITED,/* 429 cooldown */
  GAUGE_GATE_BACKOFF,     /* transient failure (network, 5xx) */
} GaugeGateReason;

/*
 * When the next request may go out. Holds the cooldown after a 429
 * (max(Retry-After, 5 min), doubling to 1 h) and the backoff after transient
 * failures; persisted by GaugeStore, keyed by a hash of the token.
 */
GaugeRateGate   *gauge_rate_gate_new                       (void);
GaugeRateGate   *gauge_rate_gate_copy                      (GaugeRateGate *self);
void             gauge_rate_gate_restore                   (GaugeRateGate *self,
                                                            GaugeGateReason reason,
                                                            gint64         until_unix,
                                                            guint          level);
GaugeGateReason  gauge_rate_gate_get_reason                (GaugeRateGate *self);
gint64           gauge_rate_gate_get_until_unix            (GaugeRateGate *self);
guint            gauge_rate_gate_get_level                 (GaugeRateGate *self);
gboolean         gauge_rate_gate_allows                    (GaugeRateGate *self,
                                                            GDateTime     *now);
void             gauge_rate_gate_record_success            (GaugeRateGate *self);
void             gauge_rate_gate_record_rate_limited       (GaugeRateGate *self,
                                                            GDateTime     *now,
                                                            gint64         retry_after_seconds);
void             gauge_rate_gate_record_transient_failure  (GaugeRateGate *self,
                                                            GDateTime     *now,
                                                            guint          poll_interval);
gint64           gauge_rate_gate_next_poll_unix            (GaugeRateGate *self,
                                                            GDateTime     *now,
                                                            GDateTime     *last_fetch,
                                                            guint          poll_interval,
                                                            GDateTime     *next_reset);

G_END_DECLS
