/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A Claude Code session's prompt cache, as Claude Code 2.1.251+ passes it to the statusline
 * (`prompt_cache`): whether it is warm, how long it lives, when it goes cold and what the next
 * message then re-writes. Every field may be absent: unknown values are 0 (times, the TTL),
 * -1 (tokens) or GAUGE_PROMPT_CACHE_WARM_UNKNOWN.
 */
typedef enum
{
  GAUGE_PROMPT_CACHE_WARM_UNKNOWN = -1,
  GAUGE_PROMPT_CACHE_COLD = 0,
  GAUGE_PROMPT_CACHE_WARM = 1,
} GaugePromptCacheWarmth;

typedef struct
{
  char                   *session_id;
  char                   *name;            /* the project's folder, "shop"; nullable */
  GaugePromptCacheWarmth  warm;
  gint64                  ttl;             /* seconds: 300, 3600; 0 unknown */
  gint64                  expires_at;      /* unix seconds; 0 unknown */
  gint64                  recache_tokens;  /* recache_tokens_if_cold; -1 unknown */
  gint64                  updated_at;      /* unix milliseconds, when the statusline ran */
} GaugePromptCache;

GaugePromptCache *gauge_prompt_cache_new_from_statusline (const char       *input,
                                                          gsize             length,
                                                          GDateTime        *now);
void              gauge_prompt_cache_free                (GaugePromptCache *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugePromptCache, gauge_prompt_cache_free)

G_END_DECLS
