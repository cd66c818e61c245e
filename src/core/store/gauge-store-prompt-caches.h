/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-prompt-cache.h"
#include "gauge-store.h"

G_BEGIN_DECLS

/* Claude Code sessions' prompt caches, one row per session (gauge-store-prompt-caches.c). */
gboolean   gauge_store_record_prompt_cache (GaugeStore              *self,
                                            const GaugePromptCache  *cache,
                                            GError                 **error);
GPtrArray *gauge_store_load_prompt_caches  (GaugeStore              *self,
                                            gint64                   expiring_after,
                                            GError                 **error);

G_END_DECLS
