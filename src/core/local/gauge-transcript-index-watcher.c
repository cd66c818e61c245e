/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-transcript-index"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-transcript-index-private.h"

/*
 * The watcher: after gauge_transcript_index_start(), a GFileMonitor on each folder the last
 * pass found worth watching (the roots, the projects, the sessions that changed recently),
 * a pass over the changed files ~300 ms after an event, and a full pass every minute for
 * what the monitors missed.
 */

#define DEBOUNCE_MS       300
#define RESCAN_SECONDS    60             /* fallback for events a monitor missed */
#define MAX_MONITORS      4096

static void
add_if_dir (GPtrArray *dirs,
            char      *path)   /* (transfer full) */
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    g_ptr_array_add (dirs, path);
  else
    g_free (path);
}

/* The folders of the sessions whose transcripts this pass read and that changed recently
 * (their own and their sub-agents'), when they exist: watched from now on, so that what a
 * session taken up again writes next is seen at once, not at the next rescan. */
void
_gauge_transcript_index_add_session_dirs (Pass *pass)
{
  gint64 recent_us = g_get_real_time () - WATCH_RECENT_US;

  for (guint i = 0; i < pass->todo->len; i++)
    {
      GaugeTranscriptFile *file = ((Work *) g_ptr_array_index (pass->todo, i))->file;
      g_autofree char *dir = NULL;
      g_autofree char *dir_name = NULL;
      char *session, *subagents;

      if (file->mtime_us < recent_us)
        continue;

      dir = g_path_get_dirname (file->path);
      dir_name = g_path_get_basename (dir);
      if (g_str_equal (dir_name, "subagents"))
        {
          session = g_path_get_dirname (dir);
          subagents = g_steal_pointer (&dir);
        }
      else
        {
          session = g_strndup (file->path, strlen (file->path) - strlen (".jsonl"));
          subagents = g_build_filename (session, "subagents", NULL);
        }

      add_if_dir (pass->dirs, session);
      add_if_dir (pass->dirs, subagents);
    }
}

static gboolean
debounce_cb (gpointer data)
{
  GaugeTranscriptIndex *self = data;
  g_autoptr(GHashTable) paths = g_steal_pointer (&self->dirty_paths);
  gboolean full = self->dirty_full;

  self->debounce_id = 0;
  self->dirty_full = FALSE;

  _gauge_transcript_index_request_pass (self, NULL, full, full ? NULL : paths, FALSE);

  return G_SOURCE_REMOVE;
}

static void
schedule_debounce (GaugeTranscriptIndex *self)
{
  /* From the first event, not the last: a session writing nonstop still gets seen. */
  if (self->debounce_id == 0)
    self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static void
monitor_changed (GaugeTranscriptIndex *self,
                 GFile                *file,
                 GFile                *other,
                 GFileMonitorEvent     event,
                 GFileMonitor         *monitor)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *other_path = other != NULL ? g_file_get_path (other) : NULL;

  if (path == NULL)
    return;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_RENAMED:
      break;
    default:
      return;
    }

  if (other_path != NULL && _gauge_transcript_index_is_transcript (other_path))
    {
      g_free (path);
      path = g_steal_pointer (&other_path);
    }

  if (_gauge_transcript_index_is_transcript (path))
    {
      if (self->dirty_paths == NULL)
        self->dirty_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (self->dirty_paths, g_steal_pointer (&path));
    }
  else if (event == G_FILE_MONITOR_EVENT_CREATED || event == G_FILE_MONITOR_EVENT_MOVED_IN ||
           event == G_FILE_MONITOR_EVENT_RENAMED)
    self->dirty_full = TRUE;   /* maybe a new project or session folder */
  else
    return;

  schedule_debounce (self);
}

static void
add_monitor (GaugeTranscriptIndex *self,
             const char           *dir)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;

  if (g_hash_table_contains (self->monitors, dir) ||
      g_hash_table_size (self->monitors) >= MAX_MONITORS)
    return;

  file = g_file_new_for_path (dir);
  monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (monitor == NULL)
    {
      g_debug ("Cannot watch %s: %s", dir, error->message);
      return;
    }

  g_file_monitor_set_rate_limit (monitor, 100);
  g_signal_connect_object (monitor, "changed", G_CALLBACK (monitor_changed), self,
                           G_CONNECT_SWAPPED);
  g_hash_table_replace (self->monitors, g_strdup (dir), g_steal_pointer (&monitor));
}

/* Watches @dirs too (a pass's folders). */
void
_gauge_transcript_index_watch (GaugeTranscriptIndex *self,
                               GPtrArray            *dirs)
{
  for (guint i = 0; i < dirs->len; i++)
    add_monitor (self, g_ptr_array_index (dirs, i));

  g_debug ("Watching %u folders", g_hash_table_size (self->monitors));
}

static gboolean
rescan_cb (gpointer data)
{
  GaugeTranscriptIndex *self = data;

  if (!self->running)
    _gauge_transcript_index_request_pass (self, NULL, TRUE, NULL, FALSE);

  return G_SOURCE_CONTINUE;
}

/**
 * gauge_transcript_index_start:
 *
 * Runs a pass now, then watches the transcript folders: changes are read
 * ~300 ms after they happen, and a cheap full pass runs every minute for
 * anything a monitor missed.
 */
void
gauge_transcript_index_start (GaugeTranscriptIndex *self)
{
  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self));

  if (self->started)
    return;

  self->started = TRUE;
  self->rescan_id = g_timeout_add_seconds (RESCAN_SECONDS, rescan_cb, self);
  _gauge_transcript_index_request_pass (self, NULL, TRUE, NULL, FALSE);
}

void
gauge_transcript_index_stop (GaugeTranscriptIndex *self)
{
  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self));

  self->started = FALSE;
  g_clear_handle_id (&self->rescan_id, g_source_remove);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_hash_table_remove_all (self->monitors);
}
