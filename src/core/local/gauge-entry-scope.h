/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Whose local usage a figure is: the transcripts of some Claude Code config folders (each
 * transcript's folder is what its path has before `projects/`, gauge_transcript_folder()).
 * An account's usage is its own folder's; the first account's also takes the transcripts of
 * folders that are no account (~/.config/claude, a folder no longer listed), so that the
 * accounts' figures add up to every folder's. A %NULL scope is every folder's.
 */
typedef struct
{
  GStrv    folders;   /* normalized (gauge_account_normalize_folder()) */
  gboolean except;    /* every folder but these (and transcripts of no known folder) */
} GaugeEntryScope;

GaugeEntryScope *gauge_entry_scope_new          (const char * const    *folders,
                                                 gboolean               except);
GaugeEntryScope *gauge_entry_scope_new_account  (const char * const    *accounts,
                                                 const char            *folder);
GaugeEntryScope *gauge_entry_scope_new_environment (void);
GaugeEntryScope *gauge_entry_scope_copy         (const GaugeEntryScope *scope);
void             gauge_entry_scope_free         (GaugeEntryScope       *scope);
gboolean         gauge_entry_scope_equal        (const GaugeEntryScope *a,
                                                 const GaugeEntryScope *b);
gboolean         gauge_entry_scope_includes     (const GaugeEntryScope *scope,
                                                 const char            *folder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeEntryScope, gauge_entry_scope_free)

G_END_DECLS
