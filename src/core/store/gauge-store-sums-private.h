/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <sqlite3.h>

#include "gauge-store.h"
#include "gauge-local-entry.h"

G_BEGIN_DECLS

/*
 * The entry_sums table (schema 5, gauge-store-sums.c): the entries summed per
 * 15-minute UTC bucket, model, speed and whether costUSD was present; an entry
 * with a token field above 200k keeps a row of its own. A write gathers what
 * it adds to and takes from the entries table in a GaugeEntrySums and applies
 * it in the same transaction, so the sums always equal the entries.
 */
typedef struct _GaugeEntrySums GaugeEntrySums;

/* The entry columns _gauge_entry_sums_add_row() reads, in this order. */
#define GAUGE_ENTRY_SUMS_COLUMNS "id, timestamp, model, speed, input_tokens, output_tokens," \
                                 " cache_creation_5m_tokens, cache_creation_1h_tokens," \
                                 " cache_read_tokens, cost_usd"

GaugeEntrySums *_gauge_entry_sums_new       (void);
void            _gauge_entry_sums_free      (GaugeEntrySums        *sums);
/* @id: the entry's row id; @sign: 1 for an entry stored, -1 for one removed */
void            _gauge_entry_sums_add       (GaugeEntrySums        *sums,
                                             const GaugeLocalEntry *entry,
                                             gint64                 id,
                                             int                    sign);
/* The entry in @stmt's columns from @column on (GAUGE_ENTRY_SUMS_COLUMNS) */
void            _gauge_entry_sums_add_row   (GaugeEntrySums        *sums,
                                             sqlite3_stmt          *stmt,
                                             int                    column,
                                             int                    sign);
/* A stored entry was replaced (@low_ms: the earlier of its old and new time) or removed
 * (G_MININT64): _gauge_entry_sums_apply() tells readers (_gauge_store_log_entry_edit()). */
void            _gauge_entry_sums_note_edit (GaugeEntrySums        *sums,
                                             gint64                 low_ms);
/* Writes what was gathered and starts over. Inside the caller's transaction. */
gboolean        _gauge_entry_sums_apply     (GaugeEntrySums        *sums,
                                             GaugeStore            *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeEntrySums, _gauge_entry_sums_free)

G_END_DECLS
