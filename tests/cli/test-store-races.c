/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * The history database as processes share it, with the real binary on a real file: many
 * `--statusline` at first use, one waiting for another's write, an old schema opened by two
 * at once, a file moved aside under a process that has it open, a read-only database during
 * a 429, and damaged pages met by --report, --export and --recalculate.
 */

#include "config.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gauge-store.h"
#include "gauge-store-readings.h"
#include "gauge-test-server.h"

#define TOKEN "sk-ant-oat01-races-secret-token-QRS"

typedef struct
{
  GSubprocess *process;
  char        *out;
  char        *err;
  int          status;
  gboolean     done;
} Child;

static void
child_free (gpointer data)
{
  Child *child = data;

  g_clear_object (&child->process);
  g_free (child->out);
  g_free (child->err);
  g_free (child);
}

/* The binary with the test's home and folders; @data_home replaces XDG_DATA_HOME. */
static GSubprocessLauncher *
new_launcher_full (const char      *data_home,
                   GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* The test's own folders (g_test_init() set them for this process only). */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME",
                                data_home != NULL ? data_home : g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_unsetenv (launcher, "CLAUDE_CONFIG_DIR");
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");

  return launcher;
}

static GSubprocessLauncher *
new_launcher (const char *data_home)
{
  return new_launcher_full (data_home, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
}

/* Started, but waiting for its stdin (a statusline reads it first): see run_children(). */
static Child *
spawn (GSubprocessLauncher *launcher,
       const char          *first_arg,
       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Child *child = g_new0 (Child, 1);
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CLAUDE_GAUGE_BIN"));
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  child->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                 &error);
  g_assert_no_error (error);

  return child;
}

/* Started with its whole input already waiting in its stdin, as Claude Code hands it over:
 * however long a loaded machine takes to start twenty of them, none waits for input. */
static Child *
spawn_with_input (const char *data_home,
                  const char *input,
                  const char *arg)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  int fds[2];

  g_assert_cmpint (g_unix_open_pipe (fds, FD_CLOEXEC, NULL), ==, TRUE);
  g_assert_cmpint (write (fds[1], input, strlen (input)), ==, (gssize) strlen (input));
  close (fds[1]);

  launcher = new_launcher_full (data_home, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                           G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_take_stdin_fd (launcher, fds[0]);

  return spawn (launcher, arg, NULL);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (child->process, result, &child->out, &child->err,
                                        &error);
  g_assert_no_error (error);
  child->status = g_subprocess_get_exit_status (child->process);
  child->done = TRUE;
}

static gboolean
all_done (gpointer data)
{
  GPtrArray *children = data;

  for (guint i = 0; i < children->len; i++)
    if (!((Child *) g_ptr_array_index (children, i))->done)
      return FALSE;

  return TRUE;
}

/* Gives each child its input at once, so that they start together, and waits for all. */
static void
run_children (GPtrArray *children,
              GPtrArray *inputs)
{
  for (guint i = 0; i < children->len; i++)
    {
      Child *child = g_ptr_array_index (children, i);

      g_subprocess_communicate_utf8_async (child->process,
                                           inputs != NULL ? g_ptr_array_index (inputs, i) : NULL,
                                           NULL, communicate_cb, child);
    }
  gauge_test_wait_until (all_done, children, 120000);

  for (guint i = 0; i < children->len; i++)
    {
      Child *child = g_ptr_array_index (children, i);

      g_test_message ("child %u: exit %d\nstdout:\n%s\nstderr:\n%s", i, child->status,
                      child->out, child->err);
    }
}

static Child *
run (GSubprocessLauncher *launcher,
     const char          *input,
     const char          *arg,
     ...)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new ();
  g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
  Child *child = spawn (launcher, arg, NULL);

  g_ptr_array_add (children, child);
  g_ptr_array_add (inputs, (gpointer) (input != NULL ? input : ""));
  run_children (children, inputs);

  return child;
}

static char *
statusline_input (guint  percent,
                  gint64 resets_at)
{
  return g_strdup_printf ("{\"session_id\":\"abc\",\"rate_limits\":{\"five_hour\":"
                          "{\"used_percentage\":%u,\"resets_at\":%" G_GINT64_FORMAT "}}}",
                          percent, resets_at);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 ret = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ret = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return ret;
}

static char *
db_path (const char *data_home)
{
  return g_build_filename (data_home != NULL ? data_home : g_get_user_data_dir (),
                           "claude-gauge", "history.db", NULL);
}

/* The file is whole and of this version, and the store opens it. */
static void
assert_healthy (const char *path)
{
  g_autoptr(GaugeStore) store = gauge_store_new (path);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_true (gauge_store_open (store, &error));
  g_assert_no_error (error);
  g_assert_null (gauge_store_get_recovered_path (store));
}

static guint
count_substrings (const char *text,
                  const char *needle)
{
  guint n = 0;

  for (const char *at = text; (at = strstr (at, needle)) != NULL; at += strlen (needle))
    n++;

  return n;
}

/* 20 statusline processes started together on a machine without a database, several rounds:
 * every reading is stored once, the schema is current, the file opens afterwards. */
static void
test_statusline_first_use (void)
{
  gint64 reset = g_get_real_time () / G_USEC_PER_SEC + 3600;

  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *data_home = g_strdup_printf ("%s/round-%u", g_get_user_data_dir (), round);
      g_autofree char *path = db_path (data_home);
      g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (child_free);

      for (guint i = 0; i < 20; i++)
        {
          g_autofree char *input = statusline_input (i + 1, reset);

          g_ptr_array_add (children, spawn_with_input (data_home, input, "--statusline"));
        }
      run_children (children, NULL);

      for (guint i = 0; i < children->len; i++)
        {
          Child *child = g_ptr_array_index (children, i);
          g_autofree char *line = g_strdup_printf ("5h %u%%", i + 1);

          g_assert_cmpint (child->status, ==, 0);
          g_assert_true (g_str_has_prefix (child->out, line));
          g_assert_cmpstr (child->err, ==, "");
        }

      g_assert_cmpint (query_int (path, "SELECT count(*) FROM fetches"), ==, 20);
      g_assert_cmpint (query_int (path, "SELECT count(DISTINCT utilization) FROM readings"
                                        " WHERE window = 'five_hour'"), ==, 20);
      assert_healthy (path);
    }
}

/* 20 statusline processes of 4 Claude Code sessions at once, each passing its prompt cache, on
 * a machine without a database: one row per session, holding one of that session's inputs,
 * nothing said on stderr, the file healthy. */
static void
test_statusline_prompt_caches_together (void)
{
  gint64 expires = g_get_real_time () / G_USEC_PER_SEC + 3600;

  for (guint round = 0; round < 3; round++)
    {
      g_autofree char *data_home = g_strdup_printf ("%s/caches-%u", g_get_user_data_dir (), round);
      g_autofree char *path = db_path (data_home);
      g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (child_free);

      for (guint i = 0; i < 20; i++)
        {
          g_autofree char *input =
            g_strdup_printf ("{\"session_id\":\"session-%u\",\"cwd\":\"/src/p%u\","
                             "\"prompt_cache\":{\"warm\":true,\"ttl\":\"1h\",\"expires_at\":%"
                             G_GINT64_FORMAT ",\"recache_tokens_if_cold\":%u}}",
                             i % 4, i % 4, expires + i, 100000 + i);

          g_ptr_array_add (children, spawn_with_input (data_home, input, "--statusline"));
        }
      run_children (children, NULL);

      for (guint i = 0; i < children->len; i++)
        {
          Child *child = g_ptr_array_index (children, i);

          g_assert_cmpint (child->status, ==, 0);
          g_assert_cmpstr (child->err, ==, "");
        }

      g_assert_cmpint (query_int (path, "SELECT count(*) FROM prompt_caches"), ==, 4);
      g_assert_cmpint (query_int (path, "SELECT count(*) FROM prompt_caches WHERE"
                                        " (recache_tokens - 100000) % 4 = CAST (substr (session_id, 9) AS INTEGER)"
                                        " AND expires_at - recache_tokens = "
                                        "   (SELECT min (expires_at - recache_tokens)"
                                        "    FROM prompt_caches)"
                                        " AND name = 'p' || substr (session_id, 9)"), ==, 4);
      assert_healthy (path);
    }
}

typedef struct
{
  GMemoryOutputStream *out;
  GMemoryOutputStream *err;
  gint64               out_closed_at;  /* monotonic time of the end of stdout */
  gboolean             err_closed;
  gint64               exited_at;
  int                  status;
} Watched;

static void
out_spliced_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Watched *watched = user_data;

  g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, NULL);
  watched->out_closed_at = g_get_monotonic_time ();
}

static void
err_spliced_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Watched *watched = user_data;

  g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, NULL);
  watched->err_closed = TRUE;
}

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Watched *watched = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  watched->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  watched->exited_at = g_get_monotonic_time ();
}

static gboolean
exited (gpointer data)
{
  return ((Watched *) data)->exited_at != 0 && ((Watched *) data)->err_closed;
}

static gboolean
out_closed (gpointer data)
{
  return ((Watched *) data)->out_closed_at != 0;
}

/* Starts a statusline with @input and watches when its output ends and when it exits. */
static GSubprocess *
watch_statusline (const char *input,
                  Watched    *watched)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  const char *argv[] = { g_getenv ("CLAUDE_GAUGE_BIN"), "--statusline", NULL };

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  watched->out = G_MEMORY_OUTPUT_STREAM (g_memory_output_stream_new_resizable ());
  watched->err = G_MEMORY_OUTPUT_STREAM (g_memory_output_stream_new_resizable ());
  g_output_stream_splice_async (G_OUTPUT_STREAM (watched->out),
                                g_subprocess_get_stdout_pipe (process),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT, NULL,
                                out_spliced_cb, watched);
  g_output_stream_splice_async (G_OUTPUT_STREAM (watched->err),
                                g_subprocess_get_stderr_pipe (process),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT, NULL,
                                err_spliced_cb, watched);
  g_subprocess_wait_async (process, NULL, exited_cb, watched);

  g_output_stream_write_all (g_subprocess_get_stdin_pipe (process), input, strlen (input),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, &error);
  g_assert_no_error (error);

  return process;
}

static char *
watched_text (GMemoryOutputStream *stream)
{
  gsize size = g_memory_output_stream_get_data_size (stream);

  return size > 0 ? g_strndup (g_memory_output_stream_get_data (stream), size) : g_strdup ("");
}

typedef struct
{
  sqlite3 *db;
  gint64   released_at;
} Holder;

static gboolean
release_cb (gpointer data)
{
  Holder *holder = data;

  g_assert_cmpint (sqlite3_exec (holder->db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (holder->db);
  holder->released_at = g_get_monotonic_time ();
  return G_SOURCE_REMOVE;
}

static gboolean
released (gpointer data)
{
  return ((Holder *) data)->released_at != 0;
}

/* Another process writes (holds the write lock) for @hold_ms while a statusline runs. */
static void
statusline_against_writer (guint     hold_ms,
                           Watched  *watched,
                           Holder   *holder)
{
  g_autofree char *path = db_path (NULL);
  g_autofree char *input = statusline_input (55, g_get_real_time () / G_USEC_PER_SEC + 3600);
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  g_assert_true (gauge_store_open (store, &error));
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &holder->db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (holder->db, "BEGIN IMMEDIATE;"
                                             "INSERT INTO alerts_sent VALUES ('held', 1);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  started = g_get_monotonic_time ();
  process = watch_statusline (input, watched);
  g_timeout_add (hold_ms, release_cb, holder);

  /* The line is there at once: Claude Code's prompt never waits for the database. */
  gauge_test_wait_until (out_closed, watched, 30000);
  g_assert_cmpint (watched->out_closed_at - started, <, 1500 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (holder->released_at, ==, 0);

  gauge_test_wait_until (exited, watched, 30000);
  gauge_test_wait_until (released, holder, 30000);
  {
    g_autofree char *out = watched_text (watched->out);
    g_autofree char *err = watched_text (watched->err);

    g_test_message ("stdout: %s\nstderr: %s", out, err);
    g_assert_true (g_str_has_prefix (out, "5h 55%"));
  }
  g_assert_cmpint (watched->status, ==, 0);
}

/* The reading waits for the other process's write, and is stored after it. */
static void
test_statusline_waits_for_writer (void)
{
  g_autofree char *path = db_path (NULL);
  g_autofree char *err = NULL;
  Watched watched = { 0 };
  Holder holder = { 0 };

  statusline_against_writer (2000, &watched, &holder);

  err = watched_text (watched.err);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (watched.exited_at, >, holder.released_at);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM readings WHERE utilization = 55"), ==,
                   1);
  g_clear_object (&watched.out);
  g_clear_object (&watched.err);
}

/* A write lock held longer than a statusline may wait: it says on stderr that the reading was
 * not recorded, and why, rather than drop it in silence. */
static void
test_statusline_warns_when_locked (void)
{
  g_autofree char *path = db_path (NULL);
  g_autofree char *err = NULL;
  Watched watched = { 0 };
  Holder holder = { 0 };

  statusline_against_writer (9000, &watched, &holder);

  err = watched_text (watched.err);
  g_assert_cmpint (watched.exited_at, <, holder.released_at);
  g_assert_nonnull (strstr (err, "not recorded"));
  g_assert_nonnull (strstr (err, "locked"));
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM readings WHERE utilization = 55"), ==,
                   0);
  g_clear_object (&watched.out);
  g_clear_object (&watched.err);
}

/* A database as schema 4 left it (tests/data/history-v4.sql), with @n readings. */
static void
write_v4_database (const char *path,
                   guint       n)
{
  g_autofree char *schema = gauge_test_load_fixture ("history-v4.sql");
  g_autofree char *dir = g_path_get_dirname (path);
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, schema, NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("INSERT INTO fetches VALUES (%u, %u, 'official');"
                         "INSERT INTO readings (fetch_id, position, window, name, utilization,"
                         " resets_at, length) VALUES (%u, 0, 'five_hour', '5-hour', %u, %u,"
                         " 18000);",
                         i + 1, 1795000000 + i * 600, i + 1, i, 1795018000 + i * 600);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  sqlite3_close (db);
}

/* Two processes open a database of schema 4 at the same moment: the schema is brought up to
 * date once (each step by one of them), and neither loses its reading or the old ones. */
static void
test_old_schema_together (void)
{
  gint64 reset = g_get_real_time () / G_USEC_PER_SEC + 3600;

  for (guint round = 0; round < 8; round++)
    {
      g_autofree char *data_home = g_strdup_printf ("%s/round-%u", g_get_user_data_dir (), round);
      g_autofree char *path = db_path (data_home);
      g_autoptr(GSubprocessLauncher) launcher = new_launcher (data_home);
      g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (child_free);
      g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
      guint migrations = 0;

      write_v4_database (path, 30);
      g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "gauge-store-schema", TRUE);
      for (guint i = 0; i < 2; i++)
        {
          g_ptr_array_add (children, spawn (launcher, "--statusline", NULL));
          g_ptr_array_add (inputs, statusline_input (70 + i, reset));
        }
      run_children (children, inputs);

      for (guint i = 0; i < children->len; i++)
        {
          Child *child = g_ptr_array_index (children, i);

          g_assert_cmpint (child->status, ==, 0);
          g_assert_null (strstr (child->err, "not recorded"));
          migrations += count_substrings (child->err, "Migrating ");
        }

      g_assert_cmpuint (migrations, ==, GAUGE_STORE_SCHEMA_VERSION - 4);
      g_assert_cmpint (query_int (path, "SELECT count(*) FROM fetches"), ==, 32);
      g_assert_cmpint (query_int (path, "SELECT count(*) FROM readings WHERE utilization >= 70"),
                       ==, 2);
      g_assert_cmpint (query_int (path, "SELECT count(*) FROM readings_hourly"), >, 0);
      assert_healthy (path);
    }
}

/* A process that has the database open while another finds it damaged and moves it aside
 * writes its next reading into the new file at the path, not into the moved one. */
static void
test_open_elsewhere_follows_recovery (void)
{
  static const char * const tables[] = { "entries", NULL };
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (NULL);
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GDateTime) first_at = g_date_time_new_from_unix_utc (1795000000);
  g_autoptr(GDateTime) second_at = g_date_time_new_from_unix_utc (1795000600);
  g_autoptr(GaugeLimitsSnapshot) first = gauge_limits_snapshot_new (NULL, GAUGE_SOURCE_OFFICIAL,
                                                                    first_at);
  g_autoptr(GaugeLimitsSnapshot) second = gauge_limits_snapshot_new (NULL, GAUGE_SOURCE_OFFICIAL,
                                                                     second_at);
  g_autofree char *path = db_path (NULL);
  g_autofree char *moved = NULL;
  g_autoptr(GError) error = NULL;
  const char *at;
  Child *child;

  g_assert_true (gauge_store_add_snapshot (store, first, &error));
  g_assert_no_error (error);
  gauge_test_damage_tables (path, tables);

  child = run (launcher, NULL, "--recalculate", NULL);
  g_assert_cmpint (child->status, ==, 0);
  at = strstr (child->err, "It was moved to ");
  g_assert_nonnull (at);
  moved = g_strndup (at + strlen ("It was moved to "),
                     strstr (at, " and a new one") - at - strlen ("It was moved to "));
  g_assert_true (g_file_test (moved, G_FILE_TEST_IS_REGULAR));
  child_free (child);

  g_assert_true (gauge_store_add_snapshot (store, second, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (query_int (path, "SELECT count(*) FROM fetches"), ==, 1);
  g_assert_cmpint (query_int (path, "SELECT fetched_at FROM fetches"), ==, 1795000600);
  g_assert_cmpint (query_int (moved, "SELECT count(*) FROM fetches"), ==, 1);
  g_assert_cmpint (query_int (moved, "SELECT fetched_at FROM fetches"), ==, 1795000000);
}

/* A read-only database (file 0444, folder 0555) during a 429: the second --status does not
 * ask again. For root too: the children run without the capabilities that ignore modes. */
static void
test_read_only_cooldown (void)
{
  g_autoptr(GaugeTestServer) server = gauge_test_server_new ();
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (NULL);
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autofree char *path = db_path (NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *config_dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *credentials = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *state_dir = g_build_filename (g_get_user_state_dir (), "claude-gauge", NULL);
  g_autoptr(GDir) state = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_files = 0;
  gsize before_len, after_len;

  credentials = gauge_test_write_credentials (config_dir, TOKEN,
                                              g_get_real_time () / 1000 + 86400000, NULL);
  gauge_test_server_set_usage (server, 429, "{\"error\":{\"type\":\"rate_limit_error\"}}",
                               "1800");
  g_subprocess_launcher_setenv (launcher, "CLAUDE_GAUGE_API_BASE",
                                gauge_test_server_get_base_url (server), TRUE);
  g_subprocess_launcher_set_child_setup (launcher, gauge_test_child_bound_to_file_modes, NULL,
                                         NULL);

  g_assert_true (gauge_store_open (store, &error));
  g_clear_object (&store);
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);

  for (guint i = 0; i < 2; i++)
    {
      Child *child = run (launcher, NULL, "--status", NULL);

      g_assert_cmpint (child->status, ==, 3);
      g_assert_nonnull (strstr (child->err, "wait until"));
      /* What the database's trouble really is. */
      g_assert_nonnull (strstr (child->err, "Permission denied"));
      g_assert_null (strstr (child->err, TOKEN));
      g_assert_null (strstr (child->out, TOKEN));
      child_free (child);
    }
  g_assert_cmpuint (gauge_test_server_get_usage_requests (server), ==, 1);

  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);

  /* The database was really out of reach: not one byte of it changed. */
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM cooldown"), ==, 0);

  /* The cooldown is in a private file, named by the token's hash, without the token. */
  state = g_dir_open (state_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (state)) != NULL)
    {
      g_autofree char *file = g_build_filename (state_dir, name, NULL);
      g_autofree char *contents = NULL;
      struct stat st;

      g_assert_true (g_str_has_prefix (name, "cooldown-"));
      g_assert_null (strstr (name, TOKEN));
      g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
      g_assert_null (strstr (contents, TOKEN));
      g_assert_cmpint (g_stat (file, &st), ==, 0);
      g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 1);
}

static void
write_transcript (guint n_lines)
{
  g_autofree char *dir = g_build_filename (g_get_home_dir (), ".claude", "projects",
                                           "-home-ana-shop", NULL);
  g_autofree char *path = g_build_filename (dir, "5b0c7e1a-0000-4000-8000-000000000001.jsonl",
                                            NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_lines; i++)
    g_string_append_printf (text,
                            "{\"type\":\"assistant\",\"sessionId\":\"5b0c\",\"requestId\":\"req_%u\","
                            "\"timestamp\":\"2026-11-%02uT10:%02u:00.000Z\",\"message\":{\"id\":"
                            "\"msg_%u\",\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":"
                            "{\"input_tokens\":%u,\"output_tokens\":100,"
                            "\"cache_read_input_tokens\":300}}}\n",
                            i, 17 + i / 20, i % 60, i, 10 + i);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
}

/* Damaged pages past a readable schema, met by --report, --export and --recalculate: each
 * moves the file aside with one message that names it and what it held, answers as a clean
 * run does, and the next run works. */
static void
test_damaged_database (void)
{
  static const char * const commands[] = { "--report=daily", "--export=entries",
                                           "--recalculate" };
  static const char * const tables[] = { "entries", "entry_sums", "transcript_files", NULL };
  gint64 reset = g_get_real_time () / G_USEC_PER_SEC + 3600;

  write_transcript (40);

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_autofree char *data_home = g_strdup_printf ("%s/case-%u", g_get_user_data_dir (), c);
      g_autofree char *path = db_path (data_home);
      g_autoptr(GSubprocessLauncher) launcher = new_launcher (data_home);
      g_autofree char *clean = NULL;
      g_autofree char *moved = NULL;
      const char *at;
      Child *child;

      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *input = statusline_input (10 + i, reset);

          child = run (launcher, input, "--statusline", NULL);
          g_assert_cmpint (child->status, ==, 0);
          child_free (child);
        }
      child = run (launcher, NULL, commands[c], NULL);
      g_assert_cmpint (child->status, ==, 0);
      clean = g_steal_pointer (&child->out);
      child_free (child);

      gauge_test_damage_tables (path, tables);

      child = run (launcher, NULL, commands[c], NULL);
      g_assert_cmpint (child->status, ==, 0);
      g_assert_cmpstr (child->out, ==, clean);
      g_assert_cmpuint (count_substrings (child->err, "It was moved to "), ==, 1);
      g_assert_nonnull (strstr (child->err, "It held 3 readings, from "));
      g_assert_nonnull (strstr (child->err, "It held 40 transcript entries, from 2026-11-17 to "
                                            "2026-11-18;"));
      at = strstr (child->err, "It was moved to ") + strlen ("It was moved to ");
      moved = g_strndup (at, strstr (at, " and a new one") - at);
      g_assert_true (g_str_has_prefix (moved, path));
      g_assert_true (g_file_test (moved, G_FILE_TEST_IS_REGULAR));
      child_free (child);
      assert_healthy (path);

      child = run (launcher, NULL, commands[c], NULL);
      g_assert_cmpint (child->status, ==, 0);
      g_assert_cmpstr (child->out, ==, clean);
      g_assert_cmpstr (child->err, ==, "");
      child_free (child);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("CLAUDE_GAUGE_BIN") == NULL)
    {
      g_printerr ("CLAUDE_GAUGE_BIN must name the claude-gauge binary\n");
      return 1;
    }

  g_test_add_func ("/store-races/statusline-first-use", test_statusline_first_use);
  g_test_add_func ("/store-races/statusline-prompt-caches-together",
                   test_statusline_prompt_caches_together);
  g_test_add_func ("/store-races/statusline-waits-for-writer", test_statusline_waits_for_writer);
  g_test_add_func ("/store-races/statusline-warns-when-locked", test_statusline_warns_when_locked);
  g_test_add_func ("/store-races/old-schema-together", test_old_schema_together);
  g_test_add_func ("/store-races/open-elsewhere-follows-recovery",
                   test_open_elsewhere_follows_recovery);
  g_test_add_func ("/store-races/read-only-cooldown", test_read_only_cooldown);
  g_test_add_func ("/store-races/damaged-database", test_damaged_database);

  return g_test_run ();
}
