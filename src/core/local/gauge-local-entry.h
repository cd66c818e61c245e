/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * One deduplicated assistant response from a Claude Code transcript: what the
 * index stores and what pricing, blocks and reports read. A plain struct, not
 * a GObject: there are millions. Strings are owned by the array holding the
 * entries (see gauge_local_entry_clear).
 */
typedef struct
{
  gint64   timestamp_ms;           /* UTC */
  char    *model;                  /* e.g. "claude-sonnet-4-5-20250929"; NULL if absent */
  char    *session_id;
  char    *project;                /* the encoded project directory name */
  char    *message_id;             /* may be NULL: then never merged */
  char    *request_id;
  gboolean fast;                   /* speed: "fast" */
  gboolean is_sidechain;
  gint64   input_tokens;
  gint64   output_tokens;
  gint64   cache_creation_5m_tokens;
  gint64   cache_creation_1h_tokens;
  gint64   cache_read_tokens;
  double   cost_usd;               /* costUSD from the line; NAN when absent */
  gboolean below_tier;             /* a sum of entries none of which reaches the >200k tier
                                    * (gauge_store_load_entry_sums()) */
  guint    advisor;                /* 0: the response; n: its n-th advisor sub-request, whose
                                    * own model and tokens the response's usage leaves out */
} GaugeLocalEntry;

static inline gint64
gauge_local_entry_total_tokens (const GaugeLocalEntry *entry)
{
  return entry->input_tokens + entry->output_tokens + entry->cache_creation_5m_tokens +
         entry->cache_creation_1h_tokens + entry->cache_read_tokens;
}

/* Every time zone's offset and change falls on a quarter hour: a 15-minute UTC bucket lies
 * within one local day anywhere. */
#define GAUGE_LOCAL_BUCKET_MS (15 * 60 * 1000)

static inline gint64
gauge_local_bucket (gint64 timestamp_ms)
{
  return timestamp_ms >= 0 ? timestamp_ms / GAUGE_LOCAL_BUCKET_MS
                           : (timestamp_ms + 1) / GAUGE_LOCAL_BUCKET_MS - 1;
}

static inline void
gauge_local_entry_clear (gpointer data)
{
  GaugeLocalEntry *entry = data;

  g_clear_pointer (&entry->model, g_free);
  g_clear_pointer (&entry->session_id, g_free);
  g_clear_pointer (&entry->project, g_free);
  g_clear_pointer (&entry->message_id, g_free);
  g_clear_pointer (&entry->request_id, g_free);
}

/* A new GArray of GaugeLocalEntry that frees the entries' strings. */
static inline GArray *
gauge_local_entry_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (GaugeLocalEntry));

  g_array_set_clear_func (array, gauge_local_entry_clear);
  return array;
}

G_END_DECLS
