/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-pricing.h"
#include "gauge-store.h"

G_BEGIN_DECLS

/*
 * The session Claude Code runs the statusline for: its id and transcript, from the JSON on
 * the statusline's stdin, and what the session cost so far (ccusage's "$0.84 session").
 */
typedef struct
{
  char *session_id;        /* NULL when absent or not an id */
  char *transcript_path;   /* NULL when absent or not an absolute path to a .jsonl */
} GaugeStatuslineSession;

void     gauge_statusline_session_read  (const char              *input,
                                         gsize                    length,
                                         GaugeStatuslineSession  *session);
void     gauge_statusline_session_clear (GaugeStatuslineSession  *session);
gboolean gauge_statusline_session_cost  (GaugeStore              *store,
                                         GaugePricing            *pricing,
                                         GaugeCostMode            mode,
                                         const char              *session_id,
                                         double                  *cost,
                                         GError                 **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GaugeStatuslineSession, gauge_statusline_session_clear)

G_END_DECLS
