/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-cli-statusline"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "gauge-cli.h"
#include "gauge-cli-statusline.h"
#include "gauge-clock.h"
#include "gauge-settings.h"
#include "gauge-store.h"
#include "gauge-store-prompt-caches.h"
#include "gauge-store-readings.h"
#include "gauge-limits-snapshot.h"
#include "gauge-statusline-feed.h"
#include "gauge-statusline-session.h"
#include "gauge-transcript-index.h"

/* Reading the session's new lines (waiting for another process's pass included) is given up
 * after this: the line is then made from what the index holds. What was read stays. */
#define INDEX_DEADLINE_MS 1000

/* A session's sub-agent transcripts read with it, at most. */
#define MAX_SUBAGENT_FILES 64

/* Claude Code's statusline JSON is a few KB; anything past this is not it. */
#define MAX_STATUSLINE_INPUT (1000 * 1000)

/* Claude Code writes its JSON, then closes the pipe. Input that stays open (a terminal, a
 * writer that hangs) is waited for this long; the line is then made from what came. */
#define STDIN_DEADLINE_MS 2000

/* Returns: (transfer full): the input, nul-terminated; empty when it passed the cap */
static char *
read_stdin (gsize *length)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + STDIN_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;
  guint8 chunk[64 * 1024];

  for (;;)
    {
      struct pollfd fd = { STDIN_FILENO, POLLIN, 0 };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;
      gssize n;
      int ready;

      if (left_ms <= 0)
        {
          g_debug ("Standard input did not end within %d ms; using the %u bytes that came",
                   STDIN_DEADLINE_MS, buffer->len);
          break;
        }

      /* poll() rather than O_NONBLOCK: the flag would change the terminal of the shell too. */
      ready = poll (&fd, 1, (int) left_ms);
      if (ready < 0 && errno == EINTR)
        continue;
      if (ready == 0)
        continue;
      if (ready < 0)
        break;

      n = read (STDIN_FILENO, chunk, sizeof chunk);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0)
        break;

      if (buffer->len + (gsize) n > MAX_STATUSLINE_INPUT)
        {
          g_printerr (_("The statusline input is larger than 1 MB, so it is not Claude Code’s; "
                        "it was ignored.\n"));
          g_byte_array_set_size (buffer, 0);
          break;
        }
      g_byte_array_append (buffer, chunk, n);
    }

  *length = buffer->len;
  g_byte_array_append (buffer, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&buffer), FALSE);
}

typedef struct
{
  GMainLoop *loop;
  gboolean   done;
} IndexRun;

static void
index_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  IndexRun *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!gauge_transcript_index_update_files_finish (GAUGE_TRANSCRIPT_INDEX (object), result,
                                                   &error))
    g_debug ("The session's transcript was not read: %s", error->message);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

/* Past the deadline the pass is stopped as at Quit (disposing the index cancels it). */
static gboolean
index_deadline_cb (gpointer user_data)
{
  g_debug ("Reading the session's transcript took over %d ms: stopped", INDEX_DEADLINE_MS);
  g_object_run_dispose (G_OBJECT (user_data));
  return G_SOURCE_REMOVE;
}

/* The session's transcript and its sub-agents' (<session>/subagents/ beside it). */
static GPtrArray *
session_paths (const GaugeStatuslineSession *session)
{
  GPtrArray *paths = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  g_autofree char *dir = NULL;
  g_autofree char *agents = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;

  g_ptr_array_add (paths, g_strdup (session->transcript_path));
  if (session->session_id == NULL)
    return paths;

  dir = g_path_get_dirname (session->transcript_path);
  agents = g_build_filename (dir, session->session_id, "subagents", NULL);
  listing = g_dir_open (agents, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL &&
         paths->len <= MAX_SUBAGENT_FILES)
    if (g_str_has_suffix (name, ".jsonl"))
      g_ptr_array_add (paths, g_build_filename (agents, name, NULL));

  return paths;
}

/* Reads what was appended to the session's transcripts into the index (one pass over these
 * files only, taking turns with the app's passes), so that the line is current without the
 * app running. Paths outside Claude Code's project folders, and anything not a regular file,
 * the pass leaves alone. */
static void
read_session (GaugeStore                   *store,
              const GaugeStatuslineSession *session)
{
  g_autoptr(GaugeTranscriptIndex) index = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GSource) deadline = NULL;
  IndexRun run = { NULL, FALSE };

  if (session->transcript_path == NULL)
    return;

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  loop = run.loop = g_main_loop_new (context, FALSE);
  index = gauge_transcript_index_new (store);
  paths = session_paths (session);

  deadline = g_timeout_source_new (INDEX_DEADLINE_MS);
  g_source_set_callback (deadline, index_deadline_cb, index, NULL);
  g_source_attach (deadline, context);

  gauge_transcript_index_update_files_async (index, (const char * const *) paths->pdata, NULL,
                                             index_done_cb, &run);
  if (!run.done)
    g_main_loop_run (loop);

  g_source_destroy (deadline);
  g_main_context_pop_thread_default (context);
}

/* Claude Code may wait for the end of the output: it has it before the reading is stored. */
static void
finish_output (void)
{
  int fd;

  fflush (stdout);
  fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  if (fd != -1)
    {
      dup2 (fd, STDOUT_FILENO);
      close (fd);
    }
}

/* `claude-gauge --statusline`: never fails Claude Code's prompt, so always exits 0. Records
 * the official percentages Claude Code passes (when it has `rate_limits`) after printing the
 * line: storing may wait for another process's write, a few seconds at most. */
int
gauge_cli_statusline (void)
{
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GSettings) settings = gauge_settings_new_if_installed ();
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GaugePromptCache) cache = NULL;
  g_auto(GaugeStatuslineSession) session = { NULL, };
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *line = NULL;
  gsize length;

  input = read_stdin (&length);
  gauge_statusline_session_read (input, length, &session);
  read_session (store, &session);

  now = gauge_clock_now_utc ();
  snapshot = gauge_statusline_feed_read (input, length, now);
  line = gauge_statusline_feed_line (store, snapshot, settings, session.session_id, now);
  g_print ("%s\n", line);
  finish_output ();

  if (snapshot != NULL && !gauge_store_add_snapshot (store, snapshot, &error))
    g_printerr (_("claude-gauge: this reading was not recorded: %s\n"), error->message);
  g_clear_error (&error);

  /* For the app's warning before the session's cache goes cold (Claude Code 2.1.251+). */
  cache = gauge_prompt_cache_new_from_statusline (input, length, now);
  if (cache != NULL && !gauge_store_record_prompt_cache (store, cache, &error))
    g_printerr (_("claude-gauge: this session’s prompt cache was not recorded: %s\n"),
                error->message);

  gauge_cli_print_recovery (store);

  return 0;
}
