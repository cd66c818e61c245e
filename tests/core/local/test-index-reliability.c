/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The transcript index when things go wrong for real: the binary killed with SIGKILL in the
 * middle of a cold index (again and again on the same database), a pass cancelled as Quit
 * does, two cold passes in two processes at once, a disk that fills up mid-write, a
 * transcript swapped for a FIFO, folders the user cannot read. After each, what the user
 * sees (`claude-gauge --report=daily --json`) must be byte for byte what a clean index
 * gives, and the entry sums must equal the entries.
 *
 * The history is made here (deterministic, about 75 MB so that a first index takes the
 * bulk path and every reader commits several batches, most of them part-way through a
 * file), once for the whole binary, in a temporary folder.
 */

#define G_LOG_DOMAIN "test-index-reliability"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gauge-format.h"
#include "gauge-store.h"
#include "gauge-store-entries.h"
#include "gauge-test-usage.h"
#include "gauge-transcript-index.h"

/* Above the index's bulk threshold (64 MiB), so that a first index is a cold bulk load. */
#define HISTORY_MIN_BYTES (68 * 1024 * 1024)

static char *work_dir;     /* removed at exit */
static char *history_dir;  /* a CLAUDE_CONFIG_DIR */
static gint64 history_bytes;

/* A clean index of the history: what every interrupted one must end up equal to. */
static char *clean_report;
static char *clean_digest;
static gint64 clean_entries;
static gint64 clean_db_size;

/* The history. */

typedef struct
{
  GString *text;
  GRand   *rand;
  gint64   time_ms;
  guint    serial;
} Writer;

static const char filler_words[] =
  "the quick brown fox jumps over the lazy dog while the build runs and the tests pass ";

static void
append_time (GString *text,
             gint64   ms)
{
  g_autofree char *stamp = gauge_format_iso8601_ms (ms);

  g_string_append (text, stamp);
}

/* A user line carrying a tool result of a few hundred bytes: most of a transcript's bytes. */
static void
write_user_line (Writer     *writer,
                 const char *session)
{
  guint len = g_rand_int_range (writer->rand, 60, 700);

  g_string_append (writer->text, "{\"type\":\"user\",\"timestamp\":\"");
  append_time (writer->text, writer->time_ms);
  g_string_append_printf (writer->text, "\",\"sessionId\":\"%s\",\"message\":{\"role\":\"user\","
                          "\"content\":[{\"type\":\"tool_result\",\"content\":\"", session);
  for (guint i = 0; i < len; i++)
    g_string_append_c (writer->text, filler_words[(i * 7 + writer->serial) %
                                                  (sizeof filler_words - 1)]);
  g_string_append (writer->text, "\"}]}}\n");
}

/* An assistant line with usage; @id NULL: a line without message.id (never merged). */
static void
write_usage_line (GString    *text,
                  gint64      time_ms,
                  const char *session,
                  gboolean    sidechain,
                  const char *id,
                  const char *model,
                  guint       input,
                  guint       output,
                  guint       creation,
                  guint       read)
{
  g_string_append (text, "{\"type\":\"assistant\",\"timestamp\":\"");
  append_time (text, time_ms);
  g_string_append_printf (text, "\",\"sessionId\":\"%s\",\"isSidechain\":%s,", session,
                          sidechain ? "true" : "false");
  if (id != NULL)
    g_string_append_printf (text, "\"requestId\":\"req_%s\",", id);
  g_string_append (text, "\"message\":{");
  if (id != NULL)
    g_string_append_printf (text, "\"id\":\"msg_%s\",", id);
  g_string_append_printf (text, "\"model\":\"%s\",\"type\":\"message\",\"role\":\"assistant\","
                          "\"usage\":{\"input_tokens\":%u,\"output_tokens\":%u,"
                          "\"cache_creation_input_tokens\":%u,\"cache_read_input_tokens\":%u}}}\n",
                          model, input, output, creation, read);
}

/* One transcript: @n responses, each after a user line; some written as two lines with the
 * same ids (the first with part of the output), some without ids, now and then a line cut
 * short. @resumed: lines copied verbatim from the end of the session before (a resumed
 * session starts with them), as Claude Code does. */
static void
write_transcript (Writer     *writer,
                  const char *path,
                  const char *session,
                  gboolean    sidechain,
                  guint       n,
                  GPtrArray  *resumed,
                  GPtrArray  *tail)
{
  static const char * const models[] = {
    "claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805", "claude-haiku-4-5-20251001",
  };
  g_autoptr(GError) error = NULL;

  g_string_truncate (writer->text, 0);
  for (guint i = 0; resumed != NULL && i < resumed->len; i++)
    g_string_append (writer->text, g_ptr_array_index (resumed, i));
  if (tail != NULL)
    g_ptr_array_set_size (tail, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      g_autofree char *id = g_strdup_printf ("%s_%u", session, i);
      const char *model = models[g_rand_int_range (writer->rand, 0, G_N_ELEMENTS (models))];
      guint input = g_rand_int_range (writer->rand, 1, 6000);
      guint output = g_rand_int_range (writer->rand, 10, 4000);
      guint creation = g_rand_int_range (writer->rand, 0, 30000);
      guint read = g_rand_int_range (writer->rand, 0, 150000);
      guint kind = g_rand_int_range (writer->rand, 0, 100);

      writer->serial++;
      writer->time_ms += g_rand_int_range (writer->rand, 2000, 30000);
      write_user_line (writer, session);

      if (kind < 4)
        write_usage_line (line, writer->time_ms, session, sidechain, NULL, model, input, output,
                          creation, read);
      else
        {
          if (kind < 12)
            write_usage_line (writer->text, writer->time_ms, session, sidechain, id, model,
                              input, output / 3, creation, read);
          write_usage_line (line, writer->time_ms + 500, session, sidechain, id, model, input,
                            output, creation, read);
        }

      if (g_rand_int_range (writer->rand, 0, 4000) == 0)
        {
          /* Cut mid-write, the newline kept: one malformed line. */
          g_string_append_len (writer->text, line->str, line->len / 2);
          g_string_append_c (writer->text, '\n');
        }
      g_string_append_len (writer->text, line->str, line->len);
      if (tail != NULL && i + 20 >= n)
        g_ptr_array_add (tail, g_strndup (line->str, line->len));
    }

  g_assert_true (g_file_set_contents (path, writer->text->str, writer->text->len, &error));
  g_assert_no_error (error);
  history_bytes += writer->text->len;
}

static void
make_history (void)
{
  static const char * const projects[] = {
    "-home-ana-shop", "-home-ana-blog", "-home-ana-tools", "-home-ana-notes",
  };
  Writer writer = { g_string_sized_new (4 * 1024 * 1024), g_rand_new_with_seed (20261119),
                    G_GINT64_CONSTANT (1790848800000), 0 };   /* 2026-10-01T08:00Z */
  guint session = 0;

  history_dir = g_build_filename (work_dir, "claude", NULL);

  for (guint s = 0; s < 14; s++)
    for (guint p = 0; p < G_N_ELEMENTS (projects); p++, session++)
      {
        static GPtrArray *tails[G_N_ELEMENTS (projects)];
        g_autofree char *project = g_build_filename (history_dir, "projects", projects[p], NULL);
        g_autofree char *name = g_strdup_printf ("s%03u-%08x", session,
                                                 g_rand_int (writer.rand));
        g_autofree char *file = g_strconcat (name, ".jsonl", NULL);
        g_autofree char *path = g_build_filename (project, file, NULL);
        g_autoptr(GPtrArray) resumed = NULL;

        if (tails[p] == NULL)
          tails[p] = g_ptr_array_new_with_free_func (g_free);
        if (s > 0 && session % 3 == 0)
          {
            resumed = g_ptr_array_new_with_free_func (g_free);
            for (guint i = 0; i < tails[p]->len; i++)
              g_ptr_array_add (resumed, g_strdup (g_ptr_array_index (tails[p], i)));
          }

        g_assert_cmpint (g_mkdir_with_parents (project, 0700), ==, 0);
        writer.time_ms += 6 * 3600 * 1000;
        write_transcript (&writer, path, name, FALSE, g_rand_int_range (writer.rand, 900, 2300),
                          resumed, tails[p]);

        if (session % 3 == 1)
          {
            g_autofree char *agents = g_build_filename (project, name, "subagents", NULL);
            g_autofree char *agent = g_build_filename (agents, "agent-a1.jsonl", NULL);
            g_autofree char *agent_id = g_strconcat (name, "-agent", NULL);

            g_assert_cmpint (g_mkdir_with_parents (agents, 0700), ==, 0);
            write_transcript (&writer, agent, agent_id, TRUE, 400, NULL, NULL);
          }

        if (s == 13)
          g_clear_pointer (&tails[p], g_ptr_array_unref);
      }

  g_string_free (writer.text, TRUE);
  g_rand_free (writer.rand);

  g_test_message ("history: %" G_GINT64_FORMAT " bytes", history_bytes);
  g_assert_cmpint (history_bytes, >=, HISTORY_MIN_BYTES);
}

/* Running the binary. */

static char **
cli_environ (const char *config_dir,
             const char *data_home)
{
  char **env = g_get_environ ();

  env = g_environ_setenv (env, "CLAUDE_CONFIG_DIR", config_dir, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data_home, TRUE);
  env = g_environ_setenv (env, "HOME", work_dir, TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", work_dir, TRUE);
  env = g_environ_setenv (env, "XDG_CACHE_HOME", work_dir, TRUE);
  env = g_environ_setenv (env, "TZ", "UTC", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_unsetenv (env, "G_MESSAGES_DEBUG");
  return env;
}

/* `claude-gauge --report=daily --json` on the database in @data_home, its output to @out_fd
 * and @err_fd (-1: thrown away). Not reaped: see wait_child(). */
static GPid
spawn_report (const char           *data_home,
              int                   out_fd,
              int                   err_fd,
              GSpawnChildSetupFunc  setup,
              gpointer              setup_data)
{
  const char *argv[] = { g_getenv ("CLAUDE_GAUGE_BIN"), "--report=daily", "--json", NULL };
  g_auto(GStrv) env = cli_environ (history_dir, data_home);
  GSpawnFlags flags = G_SPAWN_DO_NOT_REAP_CHILD;
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  g_assert_nonnull (argv[0]);
  if (out_fd == -1)
    flags |= G_SPAWN_STDOUT_TO_DEV_NULL;
  if (err_fd == -1)
    flags |= G_SPAWN_STDERR_TO_DEV_NULL;
  g_spawn_async_with_fds (NULL, (char **) argv, env, flags, setup, setup_data, &pid, -1, out_fd,
                          err_fd, &error);
  g_assert_no_error (error);

  return pid;
}

static int
wait_child (GPid pid)
{
  int status = 0;

  while (waitpid (pid, &status, 0) == -1)
    g_assert_cmpint (errno, ==, EINTR);
  g_spawn_close_pid (pid);
  return status;
}

typedef struct
{
  int   status;   /* as waitpid() gives it */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static int
open_output (const char *data_home,
             const char *name)
{
  g_autofree char *path = g_build_filename (data_home, name, NULL);
  int fd;

  g_assert_cmpint (g_mkdir_with_parents (data_home, 0700), ==, 0);
  fd = open (path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, !=, -1);
  return fd;
}

static char *
read_output (const char *data_home,
             const char *name)
{
  g_autofree char *path = g_build_filename (data_home, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* Runs the report to its end (with @setup in the child, if any). */
static Run
run_report_with (const char           *data_home,
                 GSpawnChildSetupFunc  setup,
                 gpointer              setup_data)
{
  int out_fd = open_output (data_home, "out.json");
  int err_fd = open_output (data_home, "err.txt");
  Run run = { 0, };

  run.status = wait_child (spawn_report (data_home, out_fd, err_fd, setup, setup_data));
  close (out_fd);
  close (err_fd);
  run.out = read_output (data_home, "out.json");
  run.err = read_output (data_home, "err.txt");
  if (!WIFEXITED (run.status) || WEXITSTATUS (run.status) != 0)
    g_test_message ("exit status %d; stderr:\n%s", run.status, run.err);

  return run;
}

static Run
run_report (const char *data_home)
{
  return run_report_with (data_home, NULL, NULL);
}

static void
assert_exit_ok (const Run *run)
{
  g_assert_true (WIFEXITED (run->status));
  g_assert_cmpint (WEXITSTATUS (run->status), ==, 0);
}

/* The database. */

static char *
db_path (const char *data_home)
{
  return g_build_filename (data_home, "claude-gauge", "history.db", NULL);
}

static char *
query_row (sqlite3    *db,
           const char *sql)
{
  g_autoptr(GString) row = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    g_string_append_printf (row, "%s%s", i > 0 ? " " : "",
                            sqlite3_column_type (stmt, i) == SQLITE_NULL
                              ? "null" : (const char *) sqlite3_column_text (stmt, i));
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&row), FALSE);
}

#define ENTRY_TOTALS "sum(input_tokens), sum(output_tokens), sum(cache_creation_5m_tokens)," \
                     " sum(cache_creation_1h_tokens), sum(cache_read_tokens)"

/* What the index holds, summed; asserts that the entry sums equal the entries, per quarter
 * hour and per session (the statusline's session cost; schema 12 on), and that no response
 * is stored twice. */
static char *
db_digest (const char *path)
{
  g_autofree char *entries = NULL;
  g_autofree char *by_bucket = NULL;
  g_autofree char *sums_by_bucket = NULL;
  g_autofree char *has_sessions = NULL;
  g_autofree char *by_session = NULL;
  g_autofree char *sums_by_session = NULL;
  g_autofree char *duplicates = NULL;
  g_autofree char *malformed = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);

  entries = query_row (db, "SELECT count(*), count(dedup_key), " ENTRY_TOTALS " FROM entries");
  by_bucket = query_row (db,
                         "SELECT group_concat(b || ':' || n || ':' || t, ',') FROM"
                         " (SELECT timestamp / 900000 AS b, count(*) AS n,"
                         "   sum(input_tokens + output_tokens + cache_creation_5m_tokens +"
                         "       cache_creation_1h_tokens + cache_read_tokens) AS t"
                         "  FROM entries GROUP BY b ORDER BY b)");
  sums_by_bucket = query_row (db,
                              "SELECT group_concat(b || ':' || n || ':' || t, ',') FROM"
                              " (SELECT bucket AS b, sum(n) AS n,"
                              "   sum(input_tokens + output_tokens + cache_creation_5m_tokens +"
                              "       cache_creation_1h_tokens + cache_read_tokens) AS t"
                              "  FROM entry_sums WHERE n != 0 GROUP BY b ORDER BY b)");
  has_sessions = query_row (db, "SELECT count(*) FROM sqlite_master"
                                " WHERE name = 'session_sums'");
  by_session = query_row (db,
                          "SELECT group_concat(s || ':' || n || ':' || t || ':' || c, ',') FROM"
                          " (SELECT f.session_id AS s, count(*) AS n,"
                          "   sum(input_tokens + output_tokens + cache_creation_5m_tokens +"
                          "       cache_creation_1h_tokens + cache_read_tokens) AS t,"
                          "   count(cost_usd) AS c"
                          "  FROM entries JOIN transcript_files AS f ON f.id = file_id"
                          "  WHERE f.session_id IS NOT NULL GROUP BY s ORDER BY s)");
  if (g_str_equal (has_sessions, "0"))
    sums_by_session = g_strdup (by_session);   /* a database made to look older */
  else
    sums_by_session = query_row (db,
                                 "SELECT group_concat(s || ':' || n || ':' || t || ':' || c, ',')"
                                 " FROM (SELECT session_id AS s, sum(n) AS n,"
                                 "   sum(input_tokens + output_tokens + cache_creation_5m_tokens"
                                 "       + cache_creation_1h_tokens + cache_read_tokens) AS t,"
                                 "   sum(CASE WHEN flags & 2 THEN n ELSE 0 END) AS c"
                                 "  FROM session_sums WHERE n != 0 GROUP BY s ORDER BY s)");
  duplicates = query_row (db,
                          "SELECT count(*) FROM (SELECT 1 FROM entries"
                          " WHERE dedup_key IS NOT NULL GROUP BY dedup_key, key_check"
                          " HAVING count(*) > 1)");
  malformed = query_row (db, "SELECT sum(malformed) FROM transcript_files");
  sqlite3_close (db);

  g_assert_cmpstr (sums_by_bucket, ==, by_bucket);
  g_assert_cmpstr (sums_by_session, ==, by_session);

  return g_strdup_printf ("entries (all, keyed, tokens): %s; stored twice: %s; malformed: %s",
                          entries, duplicates, malformed);
}

/* Entries committed so far, read while the indexing process is stopped: -1 before the
 * database has its tables. */
static gint64
committed_entries (const char *path)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  GStatBuf st;
  gint64 n = -1;

  if (g_stat (path, &st) != 0 || st.st_size == 0)
    return -1;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 50);
      if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM entries", -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return n;
}

/* Compares two texts; on a difference, shows the first line that differs. */
static void
assert_same_text (const char *what,
                  const char *got,
                  const char *want)
{
  g_auto(GStrv) a = NULL;
  g_auto(GStrv) b = NULL;
  guint i;

  if (g_strcmp0 (got, want) == 0)
    return;

  a = g_strsplit (got != NULL ? got : "", "\n", -1);
  b = g_strsplit (want != NULL ? want : "", "\n", -1);
  for (i = 0; a[i] != NULL && b[i] != NULL && g_str_equal (a[i], b[i]); i++)
    ;
  g_error ("%s differs from a clean index at line %u:\n  got:  %s\n  want: %s", what, i + 1,
           a[i] != NULL ? a[i] : "(end)", b[i] != NULL ? b[i] : "(end)");
}

/* The report and the database after an interrupted index, then one more run, equal a clean
 * index's. */
static void
assert_equals_clean (const char *data_home)
{
  g_auto(Run) run = run_report (data_home);
  g_autofree char *path = db_path (data_home);
  g_autofree char *digest = NULL;

  assert_exit_ok (&run);
  assert_same_text ("the daily report", run.out, clean_report);
  digest = db_digest (path);
  assert_same_text ("the database", digest, clean_digest);
}

static void
ensure_clean (void)
{
  g_autofree char *data_home = NULL;
  g_autofree char *path = NULL;
  g_auto(Run) run = { 0, };
  GStatBuf st;

  if (clean_report != NULL)
    return;

  make_history ();

  data_home = g_build_filename (work_dir, "clean", NULL);
  run = run_report (data_home);
  assert_exit_ok (&run);
  clean_report = g_steal_pointer (&run.out);

  path = db_path (data_home);
  clean_digest = db_digest (path);
  g_test_message ("clean index: %s", clean_digest);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  clean_db_size = st.st_size;
  clean_entries = committed_entries (path);
  g_assert_cmpint (clean_entries, >, 50000);
}

static char *
new_data_home (const char *name)
{
  char *data_home = g_build_filename (work_dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (data_home, 0700), ==, 0);
  return data_home;
}

/* Kills. */

#define SLICE_US 3000   /* the stopped process runs this long between looks */
/* An interruption lands right after the next commit of the pass, or one or two later (a
 * reader commits 16384 entries at a time, most often part-way through a file). */
#define AIM_BEYOND 20000

/* Runs the report stopped and continued in turn (a tenth or so of the CPU it would take:
 * the kill lands where the database says, not by luck), and kills it with SIGKILL once
 * @target entries are committed. Returns: %TRUE if it was killed, %FALSE if it ended first. */
static gboolean
kill_when_committed (const char *data_home,
                     gint64      target)
{
  g_autofree char *path = db_path (data_home);
  GPid pid = spawn_report (data_home, -1, -1, NULL, NULL);
  gint64 deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;
  int status;

  for (;;)
    {
      gint64 committed;

      if (g_get_monotonic_time () > deadline)
        {
          kill (pid, SIGKILL);
          wait_child (pid);
          g_error ("The report did not get to %" G_GINT64_FORMAT " entries in 10 minutes", target);
        }
      kill (pid, SIGCONT);
      g_usleep (SLICE_US);
      kill (pid, SIGSTOP);

      if (waitpid (pid, &status, WNOHANG) == pid)
        {
          g_test_message ("ended before %" G_GINT64_FORMAT " entries", target);
          g_spawn_close_pid (pid);
          g_assert_true (WIFEXITED (status));
          g_assert_cmpint (WEXITSTATUS (status), ==, 0);
          return FALSE;
        }

      committed = committed_entries (path);
      if (committed >= target)
        {
          g_test_message ("killed at %" G_GINT64_FORMAT " entries (aimed at %" G_GINT64_FORMAT
                          ") of %" G_GINT64_FORMAT, committed, target, clean_entries);
          kill (pid, SIGKILL);
          status = wait_child (pid);
          g_assert_true (WIFSIGNALED (status));
          return TRUE;
        }
    }
}

static void
test_kill_mid_cold_index (void)
{
  g_autofree char *data_home = new_data_home ("kill");
  g_autofree char *path = db_path (data_home);
  guint killed = 0;

  ensure_clean ();

  /* The first kill lands in the cold bulk load, the others in the passes that take it up. */
  for (guint round = 0; round < 5; round++)
    {
      gint64 committed = MAX (0, committed_entries (path));
      gint64 target = committed + 1 + g_test_rand_int_range (0, AIM_BEYOND);

      if (kill_when_committed (data_home, target))
        killed++;
    }

  g_assert_cmpuint (killed, >=, 3);
  assert_equals_clean (data_home);
}

/* Quit: the pass cancelled through its GCancellable, which the index's dispose cancels.
 * (The app's Quit ends the process while a pass runs: as a kill, above.) */

typedef struct
{
  GaugeTranscriptIndex *index;
  char                 *path;
  gint64                target;
  gboolean              cancelled;
  gboolean              done;
  GError               *error;
  guint                 source;
} Cancel;

static void
cancel_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Cancel *cancel = user_data;

  gauge_transcript_index_update_finish (GAUGE_TRANSCRIPT_INDEX (object), result, &cancel->error);
  cancel->done = TRUE;
}

static gboolean
cancel_when_committed (gpointer data)
{
  Cancel *cancel = data;

  if (committed_entries (cancel->path) < cancel->target)
    return G_SOURCE_CONTINUE;

  g_object_run_dispose (G_OBJECT (cancel->index));
  cancel->cancelled = TRUE;
  cancel->source = 0;
  return G_SOURCE_REMOVE;
}

static void
test_cancel_mid_index (void)
{
  g_autofree char *data_home = new_data_home ("cancel");
  g_autofree char *path = db_path (data_home);
  g_autoptr(GaugeStore) store = NULL;
  guint cancelled = 0;

  ensure_clean ();
  g_setenv ("CLAUDE_CONFIG_DIR", history_dir, TRUE);
  store = gauge_store_new (path);

  for (guint round = 0; round < 4; round++)
    {
      gint64 committed = MAX (0, committed_entries (path));
      Cancel cancel = { NULL, path, 0, FALSE, FALSE, NULL, 0 };

      /* Batches read before the cancel still commit (each one whole): aim early. */
      cancel.target = committed + 1 + g_test_rand_int_range (0, AIM_BEYOND / 5);
      cancel.index = gauge_transcript_index_new (store);
      gauge_transcript_index_update_async (cancel.index, NULL, cancel_done, &cancel);
      cancel.source = g_timeout_add (1, cancel_when_committed, &cancel);
      while (!cancel.done)
        g_main_context_iteration (NULL, TRUE);
      g_clear_handle_id (&cancel.source, g_source_remove);

      if (cancel.error != NULL)
        {
          g_assert_error (cancel.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_true (cancel.cancelled);
          cancelled++;
          g_test_message ("cancelled at %" G_GINT64_FORMAT " entries", committed_entries (path));
        }
      g_clear_error (&cancel.error);
      g_clear_object (&cancel.index);
    }

  g_assert_cmpuint (cancelled, >=, 2);
  g_clear_object (&store);
  g_unsetenv ("CLAUDE_CONFIG_DIR");
  assert_equals_clean (data_home);
}

/* Two processes. */

static void
test_two_cold_passes (void)
{
  ensure_clean ();

  for (guint round = 0; round < 3; round++)
    {
      g_autofree char *name = g_strdup_printf ("twice-%u", round);
      g_autofree char *data_home = new_data_home (name);
      g_autofree char *a_home = g_build_filename (data_home, "a", NULL);
      g_autofree char *b_home = g_build_filename (data_home, "b", NULL);
      g_autofree char *path = db_path (data_home);
      g_autoptr(GaugeStore) store = gauge_store_new (path);
      g_autoptr(GError) error = NULL;
      int out_fd[2], err_fd[2];
      GPid pid[2];

      /* An empty database, as after a first --status or --statusline. */
      g_assert_true (gauge_store_open (store, &error));
      g_assert_no_error (error);
      g_clear_object (&store);

      out_fd[0] = open_output (a_home, "out.json");
      err_fd[0] = open_output (a_home, "err.txt");
      out_fd[1] = open_output (b_home, "out.json");
      err_fd[1] = open_output (b_home, "err.txt");
      pid[0] = spawn_report (data_home, out_fd[0], err_fd[0], NULL, NULL);
      pid[1] = spawn_report (data_home, out_fd[1], err_fd[1], NULL, NULL);

      for (guint i = 0; i < 2; i++)
        {
          const char *home = i == 0 ? a_home : b_home;
          int status = wait_child (pid[i]);
          g_autofree char *out = NULL;
          g_autofree char *err = read_output (home, "err.txt");

          close (out_fd[i]);
          close (err_fd[i]);
          out = read_output (home, "out.json");
          if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
            g_test_message ("stderr:\n%s", err);
          g_assert_true (WIFEXITED (status));
          g_assert_cmpint (WEXITSTATUS (status), ==, 0);
          assert_same_text ("the daily report of one of two processes", out, clean_report);
        }

      assert_equals_clean (data_home);
    }
}

/* The schema itself refuses a second row with a response's key; lines without ids have none. */
static void
test_schema_unique_key (void)
{
  g_autofree char *data_home = new_data_home ("schema");
  g_autofree char *path = db_path (data_home);
  g_autoptr(GaugeStore) store = gauge_store_new (path);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_true (gauge_store_open (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_extended_result_codes (db, 1);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO entries (timestamp, dedup_key, key_check)"
                                 " VALUES (1, 42, 7)", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO entries (timestamp, dedup_key, key_check)"
                                 " VALUES (2, 42, 7)", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  /* The first hash alike, the second not: another response, which the index stores without
   * a key (see test_same_first_hash()). */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO entries (timestamp, dedup_key, key_check)"
                                 " VALUES (3, 42, 8)", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT_UNIQUE);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO entries (timestamp) VALUES (4);"
                                 "INSERT INTO entries (timestamp) VALUES (4)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
}

/* A database that two passes at once filled twice before the schema forbade it: opening it
 * keeps one copy of each response (the one the dedup rule picks), and the sums follow. */
static void
test_migration_drops_copies (void)
{
  g_autofree char *data_home = new_data_home ("migrate");
  g_autofree char *path = db_path (data_home);
  g_autofree char *first = NULL;
  g_autofree char *winner = NULL;
  g_autofree char *flip = NULL;
  g_autofree char *doubled = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *last_edit = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_sql = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) key = NULL;
  g_auto(Run) run = { 0, };
  g_auto(Run) again = { 0, };
  GaugeStore *store;
  sqlite3 *db = NULL;

  ensure_clean ();

  run = run_report (data_home);
  assert_exit_ok (&run);

  /* Every keyed response stored a second time, as schema 8 let two passes at once do, the
   * copy marked as a sub-agent's (it loses to the first); for one response the other way
   * round (the second copy must stay). The sums made to match the doubled entries, as the
   * writes kept them. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  first = query_row (db, "SELECT id, dedup_key, key_check FROM entries"
                         " WHERE dedup_key IS NOT NULL AND is_sidechain = 0 ORDER BY id LIMIT 1");
  key = g_strsplit (first, " ", 3);
  exec_sql (db,
            "DROP INDEX entries_key;"
            "CREATE INDEX entries_key ON entries(dedup_key);"
            "INSERT INTO entries (file_id, timestamp, model, speed, is_sidechain, input_tokens,"
            "  output_tokens, cache_creation_5m_tokens, cache_creation_1h_tokens,"
            "  cache_read_tokens, cost_usd, dedup_key, key_check)"
            " SELECT file_id, timestamp, model, speed, 1, input_tokens, output_tokens,"
            "  cache_creation_5m_tokens, cache_creation_1h_tokens, cache_read_tokens, cost_usd,"
            "  dedup_key, key_check FROM entries WHERE dedup_key IS NOT NULL ORDER BY id;");
  flip = g_strdup_printf ("UPDATE entries SET is_sidechain = 1 WHERE id = %s;"
                          "UPDATE entries SET is_sidechain = 0 WHERE dedup_key = %s"
                          " AND key_check = %s AND id != %s;", key[0], key[1], key[2], key[0]);
  exec_sql (db, flip);
  kept_sql = g_strdup_printf ("SELECT group_concat(copy) FROM (SELECT id || ':' || is_sidechain"
                              " AS copy FROM entries WHERE dedup_key = %s AND key_check = %s"
                              " ORDER BY id)", key[1], key[2]);
  winner = query_row (db, kept_sql);
  exec_sql (db,
            "DELETE FROM entry_sums;"
            "INSERT INTO entry_sums SELECT timestamp / 900000, ifnull(model, ''),"
            "  (speed IS 'fast') + 2 * (cost_usd IS NOT NULL) + 4 * (model IS NULL), 0,"
            "  min(timestamp), count(*), sum(input_tokens), sum(output_tokens),"
            "  sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens),"
            "  sum(cache_read_tokens), total(cost_usd) FROM entries GROUP BY 1, 2, 3;"
            "DROP TABLE session_sums;"
            "PRAGMA user_version = 8;");
  sqlite3_close (db);
  doubled = db_digest (path);
  g_assert_cmpstr (doubled, !=, clean_digest);

  store = gauge_store_new (path);
  g_assert_true (gauge_store_open (store, &error));
  g_assert_no_error (error);
  g_object_unref (store);

  digest = db_digest (path);
  assert_same_text ("the migrated database", digest, clean_digest);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  version = query_row (db, "PRAGMA user_version");
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), ==, GAUGE_STORE_SCHEMA_VERSION);
  /* Readers that keep what they computed from the entries start over. */
  last_edit = query_row (db, "SELECT low_ms FROM entry_edits ORDER BY seq DESC LIMIT 1");
  g_assert_cmpstr (last_edit, ==, "-9223372036854775808");
  /* Of the response whose first copy was the sub-agent's, the other copy stayed. */
  kept = query_row (db, kept_sql);
  sqlite3_close (db);
  prefix = g_strconcat (key[0], ":1,", NULL);
  g_assert_true (g_str_has_prefix (winner, prefix));
  g_assert_true (g_str_has_suffix (winner, ":0"));
  g_assert_cmpstr (kept, ==, strchr (winner, ',') + 1);

  again = run_report (data_home);
  assert_exit_ok (&again);
  assert_same_text ("the daily report after the migration", again.out, clean_report);
}

/* Two responses whose first hashes are alike (one in 2^64, made here by changing the stored
 * second hash) are never merged: the second is stored without a key, in the index and by
 * the migration to schema 9 alike. */
static void
test_same_first_hash (GaugeTestHistory *fixture,
                      gconstpointer     data)
{
  g_autofree char *transcript = g_build_filename (fixture->project, "a.jsonl", NULL);
  g_autofree char *path = g_strdup (gauge_store_get_path (fixture->store));
  g_autofree char *line = NULL;
  g_autofree char *twice = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *counts = NULL;
  g_autoptr(GError) error = NULL;
  GaugeStore *store;
  sqlite3 *db = NULL;

  g_assert_true (gauge_test_append_usage_lines (transcript, "first", 1, &error));
  g_assert_true (g_file_get_contents (transcript, &line, NULL, &error));
  g_assert_no_error (error);
  gauge_test_index_run (fixture->index, FALSE);

  /* The stored row becomes another response under the same first hash; then the line's
   * response comes again. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, "UPDATE entries SET key_check = key_check + 1");
  sqlite3_close (db);
  twice = g_strconcat (line, line, NULL);
  g_assert_true (g_file_set_contents (transcript, twice, -1, &error));
  g_assert_no_error (error);
  gauge_test_index_run (fixture->index, FALSE);

  digest = db_digest (path);
  g_assert_true (g_str_has_prefix (digest, "entries (all, keyed, tokens): 2 1 24 690 "));

  /* The same two rows as schema 8 stored them, both keyed: the migration keeps both, the
   * first one keyed. */
  g_clear_object (&fixture->index);
  g_clear_object (&fixture->store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db,
            "DROP INDEX entries_key;"
            "CREATE INDEX entries_key ON entries(dedup_key);"
            "UPDATE entries SET dedup_key = (SELECT max(dedup_key) FROM entries), key_check = 7"
            "  WHERE dedup_key IS NULL;"
            "PRAGMA user_version = 8;");
  sqlite3_close (db);

  store = gauge_store_new (path);
  g_assert_true (gauge_store_open (store, &error));
  g_assert_no_error (error);
  g_object_unref (store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  counts = query_row (db, "SELECT count(*), count(dedup_key), min(id) = (SELECT id FROM entries"
                          " WHERE dedup_key IS NOT NULL) FROM entries");
  sqlite3_close (db);
  g_assert_cmpstr (counts, ==, "2 1 1");
}

/* A full disk. */

static void
limit_file_size (gpointer data)
{
  struct rlimit limit = { GPOINTER_TO_SIZE (data), GPOINTER_TO_SIZE (data) };

  /* Writes past the limit then fail with EFBIG, as on a full disk, rather than kill. */
  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

static void
test_full_disk (void)
{
  g_autofree char *data_home = new_data_home ("full");
  static const double fractions[] = { 0.25, 0.5, 0.8 };
  guint failed = 0;

  ensure_clean ();

  for (guint i = 0; i < G_N_ELEMENTS (fractions); i++)
    {
      gsize limit = (gsize) (clean_db_size * fractions[i]);
      g_auto(Run) run = run_report_with (data_home, limit_file_size, GSIZE_TO_POINTER (limit));

      /* Never a crash: a clear message and exit status 1. */
      g_assert_true (WIFEXITED (run.status));
      if (WEXITSTATUS (run.status) != 0)
        {
          g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
          g_assert_cmpstr (run.err, !=, "");
          failed++;
        }
    }

  g_assert_cmpuint (failed, >=, 2);
  assert_equals_clean (data_home);
}

/* A transcript swapped for a FIFO between the walk and the read does not hang the pass. */

typedef struct
{
  GaugeTranscriptIndex *index;
  gboolean              done;
  GError               *error;
  guint                 files_total;   /* as the "progress" signal last said */
} Pass;

static void
pass_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Pass *pass = user_data;

  gauge_transcript_index_update_finish (GAUGE_TRANSCRIPT_INDEX (object), result, &pass->error);
  pass->done = TRUE;
}

static void
progress_cb (GaugeTranscriptIndex *index,
             guint                 files_done,
             guint                 files_total,
             guint64               bytes_done,
             guint64               bytes_total,
             Pass                 *pass)
{
  pass->files_total = files_total;
}

static gboolean
discovered (gpointer data)
{
  return ((Pass *) data)->files_total > 0;
}

static gboolean
pass_ended (gpointer data)
{
  return ((Pass *) data)->done;
}

/* Iterates the main context until @func returns %TRUE; %FALSE after @ms. */
static gboolean
wait_for (GSourceFunc func,
          gpointer    data,
          guint       ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (!func (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static void
test_fifo_transcript (GaugeTestHistory *fixture,
                      gconstpointer     data)
{
  g_autofree char *first = g_build_filename (fixture->project, "a.jsonl", NULL);
  g_autofree char *second = g_build_filename (fixture->project, "b.jsonl", NULL);
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  Pass pass = { fixture->index, FALSE, NULL, 0 };
  sqlite3 *db = NULL;

  g_assert_true (gauge_test_append_usage_lines (first, "first", 3, &error));
  g_assert_true (gauge_test_append_usage_lines (second, "second", 3, &error));
  g_assert_no_error (error);
  g_assert_true (gauge_store_open (fixture->store, &error));
  g_assert_no_error (error);

  /* Hold the write lock: the pass finds both files, then waits to write before reading. */
  g_assert_cmpint (sqlite3_open (gauge_store_get_path (fixture->store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_signal_connect (fixture->index, "progress", G_CALLBACK (progress_cb), &pass);
  gauge_transcript_index_update_async (fixture->index, NULL, pass_done, &pass);
  g_assert_true (wait_for (discovered, &pass, 4000));

  g_assert_cmpint (g_unlink (second), ==, 0);
  g_assert_cmpint (mkfifo (second, 0600), ==, 0);
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  if (!wait_for (pass_ended, &pass, 15000))
    g_error ("The index pass hangs on a transcript that became a FIFO");
  g_signal_handlers_disconnect_by_func (fixture->index, progress_cb, &pass);
  g_assert_no_error (pass.error);

  entries = gauge_store_load_entries (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
}

/* Folders the user cannot read: said once, by name, on stderr of --report; the rest counts. */

static void
drop_file_capabilities (gpointer data)
{
  /* Root reads any folder: without these, the modes apply to root too. For others, this
   * fails and changes nothing. */
  prctl (PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0);
  prctl (PR_CAPBSET_DROP, CAP_DAC_READ_SEARCH, 0, 0, 0);
}

static void
test_unreadable_folders (void)
{
  g_autofree char *data_home = new_data_home ("unreadable");
  g_autofree char *config = g_build_filename (data_home, "claude", NULL);
  g_autofree char *shop = g_build_filename (config, "projects", "-home-ana-shop", NULL);
  g_autofree char *secret = g_build_filename (config, "projects", "-home-ana-secret", NULL);
  g_autofree char *agents = g_build_filename (shop, "s-main", "subagents", NULL);
  g_autofree char *readable = g_build_filename (shop, "s-main.jsonl", NULL);
  g_autofree char *hidden = g_build_filename (secret, "s-other.jsonl", NULL);
  g_autofree char *agent = g_build_filename (agents, "agent-1.jsonl", NULL);
  const char *argv[] = { g_getenv ("CLAUDE_GAUGE_BIN"), "--report=daily", "--json", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = NULL;
  g_auto(GStrv) warnings = NULL;
  int status = 0;

  g_assert_cmpint (g_mkdir_with_parents (agents, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (secret, 0700), ==, 0);
  g_assert_true (gauge_test_append_usage_lines (readable, "shop", 2, &error));
  g_assert_true (gauge_test_append_usage_lines (hidden, "secret", 5, &error));
  g_assert_true (gauge_test_append_usage_lines (agent, "agent", 7, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (secret, 0), ==, 0);
  g_assert_cmpint (g_chmod (agents, 0), ==, 0);

  env = cli_environ (config, data_home);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, drop_file_capabilities, NULL, &out,
                &err, &status, &error);
  g_assert_no_error (error);
  g_chmod (secret, 0700);
  g_chmod (agents, 0700);
  g_test_message ("stderr:\n%s", err);

  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  /* The readable transcript counts: two lines of 12 input tokens. */
  g_assert_nonnull (strstr (out, "\"totals\""));
  g_assert_nonnull (strstr (strstr (out, "\"totals\""), "\"inputTokens\" : 24,"));

  /* One message that names both folders. */
  warnings = g_strsplit (err, "\n", -1);
  for (guint i = 0, n = 0; warnings[i] != NULL; i++)
    {
      if (strstr (warnings[i], secret) == NULL)
        continue;
      g_assert_nonnull (strstr (warnings[i], agents));
      g_assert_cmpuint (++n, ==, 1);
    }
  g_assert_nonnull (strstr (err, secret));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  work_dir = g_dir_make_tmp ("gauge-reliability-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/reliability/index/kill-mid-cold-index", test_kill_mid_cold_index);
  g_test_add_func ("/reliability/index/cancel-mid-index", test_cancel_mid_index);
  g_test_add_func ("/reliability/index/two-cold-passes", test_two_cold_passes);
  g_test_add_func ("/reliability/index/full-disk", test_full_disk);
  g_test_add_func ("/reliability/index/schema-unique-key", test_schema_unique_key);
  g_test_add_func ("/reliability/index/migration-drops-copies", test_migration_drops_copies);
  g_test_add ("/reliability/index/same-first-hash", GaugeTestHistory, NULL,
              gauge_test_history_set_up, test_same_first_hash, gauge_test_history_tear_down);
  g_test_add ("/reliability/index/fifo-transcript", GaugeTestHistory, NULL,
              gauge_test_history_set_up, test_fifo_transcript, gauge_test_history_tear_down);
  g_test_add_func ("/reliability/index/unreadable-folders", test_unreadable_folders);

  ret = g_test_run ();

  remove_tree (work_dir);
  g_free (work_dir);
  g_free (history_dir);
  g_free (clean_report);
  g_free (clean_digest);

  return ret;
}
