/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gauge-hostile-server.h"
#include "gauge-test-server.h"
#include "gauge-test-usage.h"

#define TOKEN "sk-ant-oat01-cli-secret-token-XYZ"

typedef struct
{
  GaugeTestServer *server;
  char            *config_dir;
} Fixture;

typedef struct
{
  gboolean done;
  int      status;
  char    *out;
  char    *err;
} Run;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = gauge_test_server_new ();
  fixture->config_dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->server, gauge_test_server_free);
  g_free (fixture->config_dir);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GSubprocess *process = G_SUBPROCESS (object);
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  run->done = TRUE;
}

static gboolean
run_done (gpointer data)
{
  return ((Run *) data)->done;
}

/* Set in main() when the suite runs with the real dconf backend (tests/cli/test-cli-dconf.sh):
 * the children then use the folders the session's dconf-service uses. */
static char *dconf_config_home;
static char *dconf_runtime_dir;

typedef struct
{
  const char *input;        /* written to a stdin pipe, which is then closed */
  int         stdin_fd;     /* or this descriptor (dup'ed; the test keeps its own), if >= 0 */
  const char *stdin_path;   /* or this file */
  gboolean    limit_memory; /* under prlimit --as=1G, where a sanitizer does not forbid it */
  guint       timeout_ms;   /* 0: a minute */
  const char *api_base;     /* NULL: the fixture's server */
  const char *locale;       /* LC_ALL; NULL: C.UTF-8 */
  const char *config_dir;   /* CLAUDE_CONFIG_DIR; NULL: unset */
} RunOptions;

/* GLib's own warnings and criticals: a user sees them, so no run may print one. */
static void
assert_no_glib_warnings (const char *err)
{
  if (strstr (err, "-CRITICAL **") != NULL || strstr (err, "-WARNING **") != NULL)
    g_error ("The run printed a GLib warning or critical:\n%s", err);
}

/* Runs the built binary as a user would, with the loopback server running here. */
static Run
run_cli_argv (Fixture             *fixture,
              const RunOptions    *options,
              const char * const  *args)
{
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { FALSE, -1, NULL, NULL };

  if (options->stdin_fd < 0 && options->stdin_path == NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = g_subprocess_launcher_new (flags);

  if (options->limit_memory && g_getenv ("GAUGE_TEST_PRLIMIT") != NULL)
    {
      g_ptr_array_add (argv, (gpointer) g_getenv ("GAUGE_TEST_PRLIMIT"));
      g_ptr_array_add (argv, (gpointer) "--as=1073741824");
      g_ptr_array_add (argv, (gpointer) "--");
    }
  g_ptr_array_add (argv, (gpointer) g_getenv ("CLAUDE_GAUGE_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "CLAUDE_GAUGE_API_BASE",
                                options->api_base != NULL
                                  ? options->api_base
                                  : gauge_test_server_get_base_url (fixture->server), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME",
                                dconf_config_home != NULL ? dconf_config_home
                                                          : g_get_user_config_dir (), TRUE);
  if (dconf_runtime_dir != NULL)
    {
      /* The system folders a user has (g_test_init() points them at /dev/null), where dconf
       * looks for its profile. */
      g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", dconf_runtime_dir, TRUE);
      g_subprocess_launcher_unsetenv (launcher, "XDG_DATA_DIRS");
      g_subprocess_launcher_unsetenv (launcher, "XDG_CONFIG_DIRS");
    }
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL",
                                options->locale != NULL ? options->locale : "C.UTF-8", TRUE);
  if (options->config_dir != NULL)
    g_subprocess_launcher_setenv (launcher, "CLAUDE_CONFIG_DIR", options->config_dir, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "CLAUDE_CONFIG_DIR");
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  if (options->stdin_fd >= 0)
    g_subprocess_launcher_take_stdin_fd (launcher, dup (options->stdin_fd));
  if (options->stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, options->stdin_path);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process,
                                       (flags & G_SUBPROCESS_FLAGS_STDIN_PIPE) != 0
                                         ? (options->input != NULL ? options->input : "") : NULL,
                                       NULL, communicate_cb, &run);
  gauge_test_wait_until (run_done, &run, options->timeout_ms != 0 ? options->timeout_ms : 60000);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run.status, run.out, run.err);
  assert_no_glib_warnings (run.err);

  return run;
}

static Run
run_cli_with_input (Fixture    *fixture,
                    const char *input,
                    const char *first_arg,
                    ...)
{
  RunOptions options = { input, -1, NULL, FALSE, 0, NULL, NULL };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return run_cli_argv (fixture, &options, (const char * const *) args->pdata);
}

#define run_cli(fixture, ...) run_cli_with_input (fixture, NULL, __VA_ARGS__)

/* A machine that never asked: no history database, and no cooldown, which is also kept in a
 * file of its own so that a database that cannot be written does not lose it. */
static void
forget_history (void)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "claude-gauge", "history.db",
                                          NULL);
  g_autofree char *state = g_build_filename (g_get_user_state_dir (), "claude-gauge", NULL);
  g_autoptr(GDir) dir = g_dir_open (state, 0, NULL);
  const char *name;

  for (guint i = 0; i < 3; i++)
    {
      static const char * const suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);

      g_remove (path);
    }
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (state, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
}

static void
write_credentials (Fixture *fixture)
{
  g_autofree char *path = gauge_test_write_credentials (fixture->config_dir, TOKEN,
                                                        g_get_real_time () / 1000 + 86400000,
                                                        "default_claude_max_5x");
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

/* A member of "totals" in the output of a --report --json. */
static double
report_total (const Run  *run,
              const char *member)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = parse_object (parser, run->out);

  return json_object_get_double_member (json_object_get_object_member (root, "totals"), member);
}

static void
test_version (Fixture       *fixture,
              gconstpointer  data)
{
  Run run = run_cli (fixture, "--version", NULL);

  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "claude-gauge " PACKAGE_VERSION "\n");
  run_clear (&run);
}

static void
test_no_credentials (Fixture       *fixture,
                     gconstpointer  data)
{
  Run run = run_cli (fixture, "--status", NULL);

  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "No Claude Code sign-in found"));
  g_assert_nonnull (strstr (run.err, ".credentials.json"));
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 0);
  run_clear (&run);
}

static void
test_text_and_json (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *five;
  JsonArray *limits;
  Run run;

  write_credentials (fixture);

  run = run_cli (fixture, "--status", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "5-hour"));
  g_assert_nonnull (strstr (run.out, "37 %"));
  g_assert_nonnull (strstr (run.out, "Resets in 2 h 1"));
  g_assert_nonnull (strstr (run.out, "Weekly"));
  g_assert_nonnull (strstr (run.out, "58.5 %"));
  g_assert_nonnull (strstr (run.err, "Max 5x"));
  run_clear (&run);

  /* The stored reading is fresh: no second request. */
  run = run_cli (fixture, "--status", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);

  root = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "plan"), ==, "Max 5x");
  g_assert_cmpstr (json_object_get_string_member (root, "state"), ==, "ok");
  limits = json_object_get_array_member (root, "limits");
  g_assert_cmpuint (json_array_get_length (limits), ==, 2);
  five = json_array_get_object_element (limits, 0);
  g_assert_cmpstr (json_object_get_string_member (five, "id"), ==, "five_hour");
  g_assert_cmpstr (json_object_get_string_member (five, "name"), ==, "5-hour");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (five, "percent"), 37.0, 0.001);
  g_assert_cmpstr (json_object_get_string_member (five, "source"), ==, "official");
  g_assert_false (json_object_get_boolean_member (five, "stale"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (five, "resets_at"), "Z"));
  g_assert_nonnull (json_object_get_string_member (five, "fetched_at"));
  run_clear (&run);
}

/* A fixture of tests/data, its credit grant expiring 30 days from now so the row says so. */
static char *
load_usage_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 30);
  g_autofree char *expiry = g_date_time_format (later, "%Y-%m-%dT%H:%M:%SZ");
  g_auto(GStrv) parts = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    g_error ("Missing fixture %s", path);

  parts = g_strsplit (contents, "2027-01-31T00:00:00Z", -1);
  return g_strjoinv (expiry, parts);
}

/* The autumn 2026 answer as --status shows it: rows named from limits[]' scopes, credit
 * grants in money with their expiry, spend in euros; exit 2 because the server says a limit at
 * 22 % is critical, also from the stored reading. */
static void
test_autumn_answer (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *body = load_usage_fixture ("usage-autumn.json");
  g_autofree char *jpy = load_usage_fixture ("usage-spend-jpy.json");
  JsonArray *limits;
  gboolean seen_fable = FALSE, seen_extra = FALSE;
  Run run;

  write_credentials (fixture);
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);

  run = run_cli (fixture, "--status", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.out, "Weekly · Claude Code "));
  g_assert_nonnull (strstr (run.out, "Weekly · Claude in Chrome "));
  g_assert_nonnull (strstr (run.out, "Weekly · Fable "));
  g_assert_null (strstr (run.out, "Seven day fable"));
  g_assert_nonnull (strstr (run.out, "Extra usage"));
  g_assert_nonnull (strstr (run.out, "€7.63 of €20.00"));
  g_assert_nonnull (strstr (run.out, "Claude Code and Cowork credit"));
  g_assert_nonnull (strstr (run.out, "$400.00 of $1,000.00 · Expires in 30 days"));
  g_assert_null (strstr (run.out, "Cinder cove"));
  g_assert_nonnull (strstr (run.out, "Credit "));
  g_assert_null (strstr (run.out, "Amber ladder"));
  g_assert_nonnull (strstr (run.out,
                            "\nExit 2: Weekly · Fable at 22 % (Anthropic marks it critical)\n"));
  run_clear (&run);

  /* From the stored reading: the server's word is kept with it. */
  run = run_cli (fixture, "--status", "--json", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);
  limits = json_object_get_array_member (parse_object (parser, run.out), "limits");
  for (guint i = 0; i < json_array_get_length (limits); i++)
    {
      JsonObject *limit = json_array_get_object_element (limits, i);
      const char *id = json_object_get_string_member (limit, "id");

      if (g_str_equal (id, "seven_day_fable5"))
        {
          g_assert_cmpstr (json_object_get_string_member (limit, "severity"), ==, "critical");
          g_assert_cmpfloat (json_object_get_double_member (limit, "percent"), ==, 22.0);
          seen_fable = TRUE;
        }
      else if (g_str_equal (id, "extra_usage"))
        {
          g_assert_cmpstr (json_object_get_string_member (limit, "currency"), ==, "EUR");
          g_assert_cmpfloat_with_epsilon (json_object_get_double_member (limit, "used"), 7.63,
                                          1e-9);
          seen_extra = TRUE;
        }
      else
        g_assert_cmpstr (json_object_get_string_member (limit, "severity"), ==, "normal");
    }
  g_assert_true (seen_fable && seen_extra);
  run_clear (&run);

  /* Yen have no cents: whole in text and in JSON. */
  forget_history ();
  gauge_test_server_set_usage (fixture->server, 200, jpy, NULL);
  run = run_cli (fixture, "--status", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.out, "¥1,200 of ¥5,000"));
  run_clear (&run);
  run = run_cli (fixture, "--status", "--json", NULL);
  limits = json_object_get_array_member (parse_object (parser, run.out), "limits");
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (limits, 1),
                                                    "used"), ==, 1200.0);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (limits, 1),
                                                    "limit"), ==, 5000.0);
  run_clear (&run);
}

static void
test_exit_codes_follow_severity (Fixture       *fixture,
                                 gconstpointer  data)
{
  /* The text names the limit that made the code, and the threshold it passed. */
  struct { double five, seven; int status; const char *reason; } cases[] = {
    { 10, 20, 0, NULL },
    { 85, 20, 1, "\nExit 1: 5-hour at 85 % (warning from 80 %)\n" },
    { 10, 96, 2, "\nExit 2: Weekly at 96 % (critical from 95 %)\n" },
    { 120, 97, 2, "\nExit 2: 5-hour at 120 % (critical from 95 %)\n" },
  };

  write_credentials (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = gauge_test_usage_json (cases[i].five, cases[i].seven);
      Run run;

      /* A fresh start each time, so the CLI asks the server. */
      forget_history ();
      gauge_test_server_set_usage (fixture->server, 200, body, NULL);
      run = run_cli (fixture, "--status", NULL);
      g_assert_cmpint (run.status, ==, cases[i].status);
      if (cases[i].reason != NULL)
        g_assert_nonnull (strstr (run.out, cases[i].reason));
      else
        g_assert_null (strstr (run.out, "Exit"));
      run_clear (&run);

      /* JSON keeps its fields and has no such line. */
      run = run_cli (fixture, "--status", "--json", NULL);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_null (strstr (run.out, "Exit"));
      run_clear (&run);
    }
}

static void
test_cooldown_across_runs (Fixture       *fixture,
                           gconstpointer  data)
{
  Run run;

  write_credentials (fixture);
  gauge_test_server_set_usage (fixture->server, 429,
                               "{\"error\":{\"type\":\"rate_limit_error\"}}", "1800");

  run = run_cli (fixture, "--status", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "wait until"));
  run_clear (&run);

  /* Neither another --status nor the app may ask before the cooldown ends. */
  run = run_cli (fixture, "--status", "--json", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.out, "\"rate-limited\""));
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);
  run_clear (&run);
}

static void
assert_no_token_in_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return;

  g_assert_null (g_strstr_len (contents, length, TOKEN));
  g_assert_null (g_strstr_len (contents, length, "sk-ant-ort01"));
}

static void
test_token_never_leaks (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };
  Run run;

  write_credentials (fixture);

  /* Every path: success, then the error statuses, all with G_MESSAGES_DEBUG=all. */
  for (guint status = 0; status < 4; status++)
    {
      static const guint statuses[] = { 200, 401, 500, 429 };
      g_autofree char *body = gauge_test_usage_json (50, 60);
      g_autofree char *db = g_build_filename (g_get_user_data_dir (), "claude-gauge", "history.db", NULL);

      forget_history ();
      gauge_test_server_set_usage (fixture->server, statuses[status],
                                   statuses[status] == 200 ? body : "{}", NULL);
      run = run_cli (fixture, "--status", "--json", NULL);
      g_assert_null (strstr (run.out, TOKEN));
      g_assert_null (strstr (run.err, TOKEN));
      g_assert_null (strstr (run.err, "sk-ant-ort01"));
      g_assert_nonnull (strstr (run.err, "gauge-"));  /* debug output was on */
      g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, status + 1);

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
          assert_no_token_in_file (path);
        }
      /* The cooldown's own file, too. */
      {
        g_autofree char *state = g_build_filename (g_get_user_state_dir (), "claude-gauge", NULL);
        g_autoptr(GDir) dir = g_dir_open (state, 0, NULL);
        const char *name;

        while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
          {
            g_autofree char *path = g_build_filename (state, name, NULL);

            g_assert_null (strstr (name, TOKEN));
            assert_no_token_in_file (path);
          }
      }
      run_clear (&run);
    }
}

static void
test_statusline_records_rate_limits (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) reset = g_date_time_add_minutes (now, 90);
  g_autoptr(GDateTime) local_reset = g_date_time_to_local (reset);
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);
  /* After 22:30 the reset is tomorrow, which the line says with its weekday. */
  g_autofree char *clock = g_date_time_format (local_reset,
                                               g_date_time_get_day_of_year (local_reset) ==
                                               g_date_time_get_day_of_year (local_now)
                                               ? "%H:%M" : "%a %H:%M");
  g_autofree char *input = NULL;
  g_autofree char *expected = NULL;
  JsonObject *root, *five;
  Run run;

  /* What Claude Code 2.1.80+ pipes into the statusline command. */
  input = g_strdup_printf ("{\"session_id\":\"abc\",\"model\":{\"id\":\"claude-opus-4-5\"},"
                           "\"rate_limits\":{\"five_hour\":{\"used_percentage\":41.0,"
                           "\"resets_at\":%" G_GINT64_FORMAT "},"
                           "\"seven_day\":{\"used_percentage\":63,\"resets_at\":\"2026-12-01T09:00:00Z\"}}}",
                           g_date_time_to_unix (reset));
  run = run_cli_with_input (fixture, input, "--statusline", NULL);
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("5h 41%% ↻%s · wk 63%%", clock);
  g_assert_true (g_str_has_prefix (run.out, expected));
  run_clear (&run);

  /* Recorded as a reading: --status shows it without asking the API. */
  write_credentials (fixture);
  run = run_cli (fixture, "--status", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 0);
  root = parse_object (parser, run.out);
  five = json_array_get_object_element (json_object_get_array_member (root, "limits"), 0);
  g_assert_cmpstr (json_object_get_string_member (five, "source"), ==, "statusline");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (five, "percent"), 41.0, 0.001);
  run_clear (&run);

  /* Without rate_limits (older Claude Code) or with garbage: the stored values, exit 0. */
  run = run_cli_with_input (fixture, "{\"session_id\":\"abc\"}", "--statusline", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "5h 41%"));
  run_clear (&run);

  run = run_cli_with_input (fixture, "not json at all", "--statusline", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "5h 41%"));
  run_clear (&run);
}

/* Claude Code 2.1.251+ passes a gateway's spend limit; from 2.1.284 in dollars. --statusline
 * records it as a money row, which --status shows ("Spend limit  124 %  $62.00 of $50.00"). */
static void
test_statusline_spend_limit (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *limits;
  JsonObject *spend;
  Run run;

  run = run_cli_with_input (fixture,
                            "{\"session_id\":\"abc\",\"rate_limits\":{"
                            "\"five_hour\":{\"used_percentage\":7.000000000000001,"
                            "\"resets_at\":1795012800},"
                            "\"spend_limit\":{\"used_percentage\":124.0,\"used_usd\":62.0,"
                            "\"limit_usd\":50,\"period\":\"monthly\"}}}",
                            "--statusline", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.err, "not recorded"));
  run_clear (&run);

  write_credentials (fixture);
  run = run_cli (fixture, "--status", NULL);
  g_assert_nonnull (strstr (run.out, "Spend limit"));
  g_assert_nonnull (strstr (run.out, "124 %"));
  g_assert_nonnull (strstr (run.out, "$62.00 of $50.00"));
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  run = run_cli (fixture, "--status", "--json", NULL);
  limits = json_object_get_array_member (parse_object (parser, run.out), "limits");
  g_assert_cmpuint (json_array_get_length (limits), ==, 2);
  spend = json_array_get_object_element (limits, 1);
  g_assert_cmpstr (json_object_get_string_member (spend, "id"), ==, "spend_limit");
  g_assert_cmpstr (json_object_get_string_member (spend, "source"), ==, "statusline");
  g_assert_cmpfloat (json_object_get_double_member (spend, "used"), ==, 62.0);
  g_assert_cmpfloat (json_object_get_double_member (spend, "limit"), ==, 50.0);
  g_assert_cmpstr (json_object_get_string_member (spend, "currency"), ==, "USD");
  run_clear (&run);

  /* 2.1.251–2.1.283: a percentage only, a bar without amounts. */
  run = run_cli_with_input (fixture,
                            "{\"rate_limits\":{\"spend_limit\":{\"used_percentage\":30}}}",
                            "--statusline", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run = run_cli (fixture, "--status", NULL);
  g_assert_true (g_str_has_prefix (run.out, "Spend limit  30 %"));
  g_assert_null (strstr (run.out, "$"));
  run_clear (&run);
}

/* A usage line of @session a few seconds ago: @input input and @output output tokens on
 * Sonnet 4.5 ($0.003 per 1k input, $0.015 per 1k output; above 200k in one field, $0.006 and
 * $0.0225 for the part above). */
static void
append_usage_tokens (const char *path,
                     const char *session,
                     const char *id,
                     gint64      input,
                     gint64      output)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = g_date_time_add_seconds (now, -5);
  g_autofree char *stamp = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S.000Z");
  g_autofree char *line = g_strdup_printf ("{\"type\":\"assistant\",\"sessionId\":\"%s\","
                                           "\"requestId\":\"r-%s\",\"timestamp\":\"%s\","
                                           "\"message\":{\"id\":\"%s\",\"model\":"
                                           "\"claude-sonnet-4-5-20250929\",\"usage\":"
                                           "{\"input_tokens\":%" G_GINT64_FORMAT ","
                                           "\"output_tokens\":%" G_GINT64_FORMAT "}}}\n",
                                           session, id, stamp, id, input, output);
  g_autofree char *dir = g_path_get_dirname (path);
  FILE *file;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  file = fopen (path, "a");
  g_assert_nonnull (file);
  g_assert_cmpint (fputs (line, file), >=, 0);
  fclose (file);
}

/* 100k input and @output output tokens ($0.30 + $0.015 per 1k output). */
static void
append_usage (const char *path,
              const char *session,
              const char *id,
              gint64      output)
{
  append_usage_tokens (path, session, id, 100000, output);
}

/* The statusline reads its own session's new lines (Claude Code passes transcript_path and
 * session_id) before it sums, so without the app or a report "$ today" is current, and it
 * adds what the session cost ("$0.84 session", its sub-agents' lines included). */
static void
test_statusline_reads_its_session (Fixture       *fixture,
                                   gconstpointer  data)
{
  const char *sid = "5b0c1e6a-0000-4000-8000-000000000001";
  g_autofree char *project = g_build_filename (fixture->config_dir, "projects", "-home-ana-shop",
                                               NULL);
  g_autofree char *transcript = g_strdup_printf ("%s/%s.jsonl", project, sid);
  g_autofree char *agent = g_strdup_printf ("%s/%s/subagents/agent-a1.jsonl", project, sid);
  g_autofree char *other = g_build_filename (project, "other-session.jsonl", NULL);
  g_autofree char *input = g_strdup_printf ("{\"session_id\":\"%s\",\"transcript_path\":\"%s\","
                                            "\"model\":{\"id\":\"claude-sonnet-4-5\"}}",
                                            sid, transcript);
  g_autofree char *outside = g_build_filename (g_get_home_dir (), "elsewhere", "x.jsonl", NULL);
  g_autofree char *outside_input = NULL;
  Run run;

  /* Another session today, indexed by a report: in "today", not in this session's cost. */
  append_usage (other, "other-session", "m-other", 0);
  run = run_cli (fixture, "--report=daily", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  append_usage (transcript, sid, "m1", 10000);   /* $0.45 */
  run = run_cli_with_input (fixture, input, "--statusline", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "$0.45 session · $0.75 today"));
  run_clear (&run);

  /* Lines appended since, the sub-agent's too: the next line has them. */
  append_usage (transcript, sid, "m2", 0);        /* $0.30 */
  append_usage (agent, sid, "m3", 20000);         /* $0.60 */
  run = run_cli_with_input (fixture, input, "--statusline", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "$1.35 session · $1.65 today"));
  run_clear (&run);

  /* A transcript outside Claude Code's project folders is not read. */
  append_usage (outside, "x", "m4", 0);
  outside_input = g_strdup_printf ("{\"session_id\":\"x\",\"transcript_path\":\"%s\"}", outside);
  run = run_cli_with_input (fixture, outside_input, "--statusline", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "$1.65 today"));
  run_clear (&run);
}

/* What the session cost stays true however the index changes under it: lines appended, a
 * response read again in its finished copy (the larger one replaces the stored one, never
 * adds to it), the >200k tier priced per line, the index rebuilt (--recalculate), and a
 * database from before the session sums (schema 11) brought up to date. */
static void
test_statusline_session_cost_stays_right (Fixture       *fixture,
                                          gconstpointer  data)
{
  const char *sid = "5b0c1e6a-0000-4000-8000-000000000003";
  g_autofree char *transcript = g_strdup_printf ("%s/projects/-home-ana-shop/%s.jsonl",
                                                 fixture->config_dir, sid);
  g_autofree char *input = g_strdup_printf ("{\"transcript_path\":\"%s\",\"session_id\":\"%s\"}",
                                            transcript, sid);
  g_autofree char *db_path = g_build_filename (g_get_user_data_dir (), "claude-gauge",
                                               "history.db", NULL);
  sqlite3 *db = NULL;
  Run run;

  append_usage (transcript, sid, "m1", 6000);     /* the streamed first copy: $0.39 */
  run = run_cli_with_input (fixture, input, "--statusline", NULL);
  g_assert_true (g_str_has_prefix (run.out, "$0.39 session"));
  run_clear (&run);

  /* Its finished copy, then a stray smaller one: the larger stays, once. */
  append_usage (transcript, sid, "m1", 20000);    /* $0.60 */
  append_usage (transcript, sid, "m1", 1000);
  run = run_cli_with_input (fixture, input, "--statusline", NULL);
  g_assert_true (g_str_has_prefix (run.out, "$0.60 session"));
  run_clear (&run);

  /* 250k input in one line: its part above 200k at the tier's price ($0.60 + $0.30); 150k in
   * another, which with the first line's 100k would reach the tier if summed ($0.45). */
  append_usage_tokens (transcript, sid, "m2", 250000, 0);
  append_usage_tokens (transcript, sid, "m3", 150000, 0);
  run = run_cli_with_input (fixture, input, "--statusline", NULL);
  g_assert_true (g_str_has_prefix (run.out, "$1.95 session"));
  run_clear (&run);

  run = run_cli (fixture, "--recalculate", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run = run_cli_with_input (fixture, input, "--statusline", NULL);
  g_assert_true (g_str_has_prefix (run.out, "$1.95 session"));
  run_clear (&run);

  /* A database of schema 11: its entries are summed per session when it is opened. */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE session_sums; PRAGMA user_version = 11;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  run = run_cli_with_input (fixture, input, "--statusline", NULL);
  g_assert_true (g_str_has_prefix (run.out, "$1.95 session"));
  g_assert_nonnull (strstr (run.err, "from schema 11 to 12"));
  run_clear (&run);
}

/* The session's transcript swapped for a FIFO, and another process's index pass holding the
 * lock: the line still comes at once (well within Claude Code's patience), from what is
 * stored, and the reading is kept. */
static void
test_statusline_session_never_blocks (Fixture       *fixture,
                                      gconstpointer  data)
{
  const char *sid = "5b0c1e6a-0000-4000-8000-000000000002";
  g_autofree char *project = g_build_filename (fixture->config_dir, "projects", "-home-ana-shop",
                                               NULL);
  g_autofree char *transcript = g_strdup_printf ("%s/%s.jsonl", project, sid);
  g_autofree char *fifo = g_build_filename (project, "fifo-session.jsonl", NULL);
  g_autofree char *input = g_strdup_printf ("{\"session_id\":\"%s\",\"transcript_path\":\"%s\"}",
                                            sid, transcript);
  g_autofree char *fifo_input = g_strdup_printf ("{\"session_id\":\"fifo-session\","
                                                 "\"transcript_path\":\"%s\"}", fifo);
  g_autofree char *lock_path = g_build_filename (g_get_user_data_dir (), "claude-gauge",
                                                 "history.db.index-lock", NULL);
  gint64 start;
  int lock;
  Run run;

  append_usage (transcript, sid, "m1", 0);       /* $0.30 */
  run = run_cli (fixture, "--report=daily", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run = run_cli_with_input (fixture, input, "--statusline", NULL);
  g_assert_true (g_str_has_prefix (run.out, "$0.30 session"));
  run_clear (&run);

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  start = g_get_monotonic_time ();
  run = run_cli_with_input (fixture, fifo_input, "--statusline", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "$0.30 today"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_TIME_SPAN_SECOND);
  run_clear (&run);

  /* Another pass holds the index lock: the new line waits for a later statusline. */
  lock = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (lock, >=, 0);
  g_assert_cmpint (flock (lock, LOCK_EX), ==, 0);
  append_usage (transcript, sid, "m2", 0);
  start = g_get_monotonic_time ();
  run = run_cli_with_input (fixture, input, "--statusline", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "$0.30 session"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_TIME_SPAN_SECOND);
  run_clear (&run);
  close (lock);

  run = run_cli_with_input (fixture, input, "--statusline", NULL);
  g_assert_true (g_str_has_prefix (run.out, "$0.60 session"));
  run_clear (&run);
}

static void
test_json_needs_status (Fixture       *fixture,
                        gconstpointer  data)
{
  Run run = run_cli (fixture, "--json", NULL);

  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "--status"));
  run_clear (&run);
}

/* A usage line of Claude Code's in a project of the fixture's config dir. */
static void
write_usage_line (Fixture    *fixture,
                  const char *session,
                  const char *id,
                  gint64      when_unix,
                  gint64      input,
                  gint64      output)
{
  g_autofree char *dir = g_build_filename (fixture->config_dir, "projects", "-home-ana-shop", NULL);

  gauge_test_write_usage_line (dir, session, id, when_unix, input, output, 100, 1000);
}

/* The app is a module the executable loads: without it, a clear message, not a crash. The
 * executable copied elsewhere looks for the installed module. */
static void
test_missing_app_module (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *bin = g_strdup (g_getenv ("CLAUDE_GAUGE_BIN"));
  g_autofree char *dir = g_dir_make_tmp ("gauge-cli-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (dir, "claude-gauge", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  Run run;

  if (g_file_test (INSTALLED_UI_MODULE, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the app is installed here: the copy would load it");
      return;
    }

  g_assert_true (g_file_get_contents (bin, &contents, &length, NULL));
  g_assert_true (g_file_set_contents_full (copy, contents, length, G_FILE_SET_CONTENTS_CONSISTENT,
                                           0755, NULL));

  g_setenv ("CLAUDE_GAUGE_BIN", copy, TRUE);
  run = run_cli (fixture, "--background", NULL);
  g_setenv ("CLAUDE_GAUGE_BIN", bin, TRUE);

  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "not installed completely"));
  g_assert_nonnull (strstr (run.err, "Reinstall it"));
  run_clear (&run);

  /* Terminal modes never need it. */
  g_setenv ("CLAUDE_GAUGE_BIN", copy, TRUE);
  run = run_cli (fixture, "--version", NULL);
  g_setenv ("CLAUDE_GAUGE_BIN", bin, TRUE);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  /* Nor do those that never ask Anthropic; --status needs the net library, and says so. */
  g_setenv ("CLAUDE_GAUGE_BIN", copy, TRUE);
  run = run_cli_with_input (fixture, "{}", "--statusline", NULL);
  g_setenv ("CLAUDE_GAUGE_BIN", bin, TRUE);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  g_setenv ("CLAUDE_GAUGE_BIN", copy, TRUE);
  run = run_cli (fixture, "--status", NULL);
  g_setenv ("CLAUDE_GAUGE_BIN", bin, TRUE);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "not installed completely"));
  run_clear (&run);

  /* Nor the transcript parser, until there is a new line: that is not counted as nothing, and
   * stays to be read by a complete install. */
  write_usage_line (fixture, "s1", "m1", g_get_real_time () / G_USEC_PER_SEC - 60, 4000, 6000);
  g_setenv ("CLAUDE_GAUGE_BIN", copy, TRUE);
  run = run_cli (fixture, "--report=daily", NULL);
  g_setenv ("CLAUDE_GAUGE_BIN", bin, TRUE);
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "not installed completely"));
  g_assert_null (strstr (run.out, "Total"));
  run_clear (&run);

  run = run_cli (fixture, "--report=daily", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpfloat (report_total (&run, "outputTokens"), ==, 6000);
  run_clear (&run);

  g_unlink (copy);
  g_rmdir (dir);
}

/* Run from a build tree or a script, no schema is installed: each mode goes on with the
 * defaults and says what it says without one, never GLib's abort on a missing schema. */
static void
test_modes_without_schema (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char * const modes[] = { "--report=console", "--status", "--report=daily",
                                        "--export=readings", "--waybar", "--statusline" };
  g_autofree char *schema_dir = g_strdup (g_getenv ("GSETTINGS_SCHEMA_DIR"));
  g_autofree char *data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  g_autofree char *empty = g_dir_make_tmp ("gauge-no-schema-XXXXXX", NULL);

  g_unsetenv ("GSETTINGS_SCHEMA_DIR");
  g_setenv ("XDG_DATA_DIRS", empty, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      Run run = run_cli_with_input (fixture, "{}", modes[i], NULL);

      g_test_message ("%s: exit %d\n%s", modes[i], run.status, run.err);
      g_assert_null (strstr (run.err, "ERROR **"));
      g_assert_null (strstr (run.err, "CRITICAL **"));
      g_assert_null (strstr (run.err, "WARNING **"));
      g_assert_cmpint (run.status, <=, 3);
      g_assert_cmpuint (strlen (run.out) + strlen (run.err), >, 0);
      run_clear (&run);
    }
  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  if (data_dirs != NULL)
    g_setenv ("XDG_DATA_DIRS", data_dirs, TRUE);
  else
    g_unsetenv ("XDG_DATA_DIRS");
  g_rmdir (empty);
}

static void
assert_not_loaded (const char         *mode,
                   const Run          *run,
                   const char * const *libraries)
{
  for (guint i = 0; libraries[i] != NULL; i++)
    if (strstr (run->err, libraries[i]) != NULL)
      g_error ("%s loaded %s", mode, libraries[i]);
}

/* --statusline runs every few seconds: it, --report, --export and --check-tokens load neither
 * libsoup nor libsecret (the net library, for the modes that ask Anthropic) nor GTK, and the
 * transcript parser (simdjson) only when there are new lines to read; --status loads the net
 * library. The dynamic loader itself says what it loads (LD_DEBUG=libs, on stderr). */
static void
test_modes_load_what_they_need (Fixture       *fixture,
                                gconstpointer  data)
{
  static const char * const offline[] = { "--statusline", "--report=daily", "--export=daily",
                                           "--check-tokens=1000" };
  static const char * const unwanted[] = { "libsoup-3.0.so", "libsecret-1.so", "libgtk-4.so",
                                           "libclaude-gauge-net.so", NULL };
  static const char * const parser[] = { "libclaude-gauge-parser.so", "libsimdjson", NULL };
  Run run;

  g_setenv ("LD_DEBUG", "libs", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (offline); i++)
    {
      run = run_cli_with_input (fixture, "{\"session_id\":\"abc\"}", offline[i], NULL);
      g_assert_cmpint (run.status, ==, 0);
      assert_not_loaded (offline[i], &run, unwanted);
      assert_not_loaded (offline[i], &run, parser);
      run_clear (&run);
    }

  /* A new line: the report loads the parser and counts it; after that, nothing is new. */
  write_usage_line (fixture, "s1", "m1", g_get_real_time () / G_USEC_PER_SEC - 60, 4000, 6000);
  run = run_cli (fixture, "--report=daily", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "libclaude-gauge-parser.so"));
  assert_not_loaded ("--report with a new line", &run, unwanted);
  g_assert_cmpfloat (report_total (&run, "outputTokens"), ==, 6000);
  run_clear (&run);

  run = run_cli_with_input (fixture, "{\"session_id\":\"abc\"}", "--statusline", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_not_loaded ("--statusline after the report", &run, parser);
  run_clear (&run);

  run = run_cli (fixture, "--status", NULL);
  g_assert_nonnull (strstr (run.err, "libclaude-gauge-net.so"));
  g_assert_nonnull (strstr (run.err, "libsoup-3.0.so"));
  g_assert_null (strstr (run.err, "libgtk-4.so"));
  run_clear (&run);
  g_unsetenv ("LD_DEBUG");
}

/* Only line feeds: nothing that a terminal would act on. */
static void
assert_no_controls (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '\n' && (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)))
        g_error ("Control character U+%04X in the output", c);
    }
}

/* tests/data/usage-hostile.json: 1e30, -5, "37", "NaN", names and a currency with escape
 * sequences, BEL and C1 controls. */
static void
test_hostile_values (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *body = gauge_test_load_fixture ("usage-hostile.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *limits;
  Run run;

  write_credentials (fixture);
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);

  /* 1000 % (clamped, not wrapped) is critical. */
  run = run_cli (fixture, "--status", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_true (g_str_has_prefix (run.out, "5-hour"));
  g_assert_nonnull (strstr (run.out, "1000 %"));
  g_assert_null (strstr (run.out, "-1 %"));
  g_assert_null (strstr (run.out, "-5 %"));
  g_assert_nonnull (strstr (run.out, "Weekly · Opus"));
  g_assert_nonnull (strstr (run.out, "37 %"));
  g_assert_nonnull (strstr (run.out, "Weekly · Haiku"));
  g_assert_nonnull (strstr (run.out, "€12.50 of €50.00"));
  g_assert_null (strstr (run.out, "no usage limits"));
  assert_no_controls (run.out);
  assert_no_controls (run.err);
  run_clear (&run);

  /* The JSON holds the same clean names, and stays valid. */
  run = run_cli (fixture, "--status", "--json", NULL);
  g_assert_cmpint (run.status, ==, 2);
  limits = json_object_get_array_member (parse_object (parser, run.out), "limits");
  g_assert_cmpuint (json_array_get_length (limits), ==, 6);
  for (guint i = 0; i < json_array_get_length (limits); i++)
    {
      JsonObject *limit = json_array_get_object_element (limits, i);
      double percent = json_object_get_double_member (limit, "percent");

      assert_no_controls (json_object_get_string_member (limit, "id"));
      assert_no_controls (json_object_get_string_member (limit, "name"));
      g_assert_cmpfloat (percent, >=, 0);
      g_assert_cmpfloat (percent, <=, 1000);
    }
  assert_no_controls (run.out);
  run_clear (&run);
}

/* A utilization sent as a string is a number: the window stays, and the exit code is 0, not
 * "no usage limits". */
static void
test_quoted_number (Fixture       *fixture,
                    gconstpointer  data)
{
  Run run;

  write_credentials (fixture);
  gauge_test_server_set_usage (fixture->server, 200,
                               "{\"five_hour\":{\"utilization\":\"37\",\"resets_at\":null}}", NULL);
  run = run_cli (fixture, "--status", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "5-hour"));
  g_assert_nonnull (strstr (run.out, "37 %"));
  g_assert_null (strstr (run.out, "no usage limits"));
  run_clear (&run);
}

/* A credentials file that is not a regular file: refused at once, with a message that says
 * so; never a hang on a FIFO, never gigabytes read from /dev/zero. */
static void
test_credentials_not_a_file (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->config_dir, ".credentials.json", NULL);
  RunOptions options = { NULL, -1, NULL, TRUE, 20000, NULL };
  const char * const args[] = { "--status", NULL };

  g_assert_cmpint (g_mkdir_with_parents (fixture->config_dir, 0700), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      gint64 begin = g_get_monotonic_time ();
      Run run;

      if (i == 0)
        g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
      else if (i == 1)
        g_assert_cmpint (mkfifo (path, 0600), ==, 0);
      else
        g_assert_cmpint (g_mkdir (path, 0700), ==, 0);

      run = run_cli_argv (fixture, &options, args);
      g_assert_cmpint (run.status, ==, 3);
      g_assert_nonnull (strstr (run.err, "is not a regular file"));
      g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 0);
      g_assert_cmpint (g_get_monotonic_time () - begin, <, 15 * G_TIME_SPAN_SECOND);
      run_clear (&run);

      g_assert_cmpint (g_remove (path), ==, 0);
    }

  /* A regular file, but 2 MB: not Claude Code's, and not read. */
  {
    g_autofree char *big = g_strnfill (2 * 1000 * 1000, ' ');
    Run run;

    g_assert_true (g_file_set_contents (path, big, -1, NULL));
    run = run_cli_argv (fixture, &options, args);
    g_assert_cmpint (run.status, ==, 3);
    g_assert_nonnull (strstr (run.err, "is larger than 1 MB"));
    run_clear (&run);
  }
}

/* The hostile answers of tests/core/base/test-http.c, as a user of --status meets them: an error that
 * says why, in bounded memory (prlimit), and no request to where a redirect points. */
static void
test_hostile_http (Fixture       *fixture,
                   gconstpointer  data)
{
  static const struct { GaugeHostileMode mode; const char *says; } cases[] = {
    { GAUGE_HOSTILE_CHUNKED, "answer could not be read: it is larger than 8.0\u00a0MB" },
    { GAUGE_HOSTILE_GZIP, "answer could not be read: it is larger than 8.0\u00a0MB" },
    { GAUGE_HOSTILE_REDIRECT, "(HTTP 302), and Claude Gauge follows no redirects" },
  };
  RunOptions options = { NULL, -1, NULL, TRUE, 30000, NULL };
  const char * const args[] = { "--status", NULL };

  write_credentials (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GaugeHostileServer) hostile = gauge_hostile_server_new (cases[i].mode);
      Run run;

      /* A fresh start each time, so that no cooldown keeps the CLI from asking. */
      forget_history ();
      options.api_base = gauge_hostile_server_get_base_url (hostile);
      run = run_cli_argv (fixture, &options, args);

      g_assert_cmpint (run.status, ==, 3);
      if (strstr (run.err, cases[i].says) == NULL)
        g_error ("--status did not say “%s”", cases[i].says);
      g_assert_cmpuint (gauge_hostile_server_get_requests (hostile), ==, 1);
      g_assert_cmpuint (gauge_hostile_server_get_target_requests (hostile), ==, 0);
      run_clear (&run);
    }
}

/* Claude Code writes its JSON and closes stdin; a stdin that stays open must not hold the
 * statusline: the line comes within the deadline, from what arrived. */
static void
test_statusline_stdin_stays_open (Fixture       *fixture,
                                  gconstpointer  data)
{
  static const char input[] = "{\"rate_limits\":{\"five_hour\":{\"used_percentage\":41}}}";
  RunOptions options = { NULL, -1, NULL, FALSE, 20000, NULL };
  const char * const args[] = { "--statusline", NULL };
  gint64 begin, elapsed;
  int fds[2];
  Run run;

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], input, strlen (input)), ==, (gssize) strlen (input));
  options.stdin_fd = fds[0];

  begin = g_get_monotonic_time ();
  run = run_cli_argv (fixture, &options, args);
  elapsed = (g_get_monotonic_time () - begin) / 1000;
  close (fds[0]);
  close (fds[1]);

  g_test_message ("the line came after %" G_GINT64_FORMAT " ms", elapsed);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "5h 41%"));
  g_assert_cmpint (elapsed, >=, 1900);
  g_assert_cmpint (elapsed, <, 10000);
  run_clear (&run);
}

/* 100 MB on stdin is not Claude Code's input: read no further than the cap, say so, and
 * still print a line. */
static void
test_statusline_stdin_too_large (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "stdin-100mb", NULL);
  RunOptions options = { NULL, -1, path, TRUE, 20000, NULL };
  const char * const args[] = { "--statusline", NULL };
  Run run;
  int fd;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 100 * 1000 * 1000), ==, 0);   /* sparse: 100 MB of NULs */
  close (fd);

  run = run_cli_argv (fixture, &options, args);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "claude-gauge\n");
  g_assert_nonnull (strstr (run.err, "The statusline input is larger than 1 MB"));
  run_clear (&run);
  g_remove (path);
}

/* --report with no transcripts yet: an empty table, and clean JSON. Under the dconf backend
 * this used to print a GLib-CRITICAL first (see assert_no_glib_warnings). */
static void
test_report_empty (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  Run run;

  g_autofree char *classic = g_build_filename (g_get_home_dir (), ".claude", "projects", NULL);

  run = run_cli (fixture, "--report=daily", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "No usage in this period."));
  /* Nothing indexed at all: where it looked, said on stderr. */
  g_assert_nonnull (strstr (run.err, "No Claude Code transcripts were found"));
  g_assert_nonnull (strstr (run.err, classic));
  run_clear (&run);

  run = run_cli (fixture, "--report=daily", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  run_clear (&run);
}

/* An error is one plain line on stderr: not a GLib warning first and the line after it. */
static void
test_error_said_once (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (g_get_user_data_dir (), "claude-gauge", NULL);
  const char *says = "History is not being saved";
  g_auto(GStrv) lines = NULL;
  guint n_said = 0;
  Run run;

  /* A file where the database's folder should be: the history cannot be opened. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  write_credentials (fixture);

  run = run_cli (fixture, "--status", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "5-hour"));
  /* Debug output is on (G_MESSAGES_DEBUG=all): only the lines a user sees count. */
  lines = g_strsplit (run.err, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], says) != NULL && strstr (lines[i], "-DEBUG") == NULL)
      {
        g_assert_true (g_str_has_prefix (lines[i], says));
        n_said++;
      }
  g_assert_cmpuint (n_said, ==, 1);
  run_clear (&run);
}

/* Runs the gsettings tool as a user would, on the session's dconf-service. */
static void
run_gsettings (const char * const *args)
{
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  env = g_environ_setenv (env, "XDG_CONFIG_HOME", dconf_config_home, TRUE);
  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", dconf_runtime_dir, TRUE);
  env = g_environ_unsetenv (env, "XDG_DATA_DIRS");
  env = g_environ_unsetenv (env, "XDG_CONFIG_DIRS");
  g_spawn_sync (NULL, (char **) args, env, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Only with the dconf backend: a setting written the way a user writes it (gsettings, through
 * dconf-service) is what --status goes by. */
static void
test_dconf_setting (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *body = gauge_test_usage_json (41, 20);
  const char *set[] = { "gsettings", "set", APPLICATION_ID, "warning-threshold", "30", NULL };
  const char *reset[] = { "gsettings", "reset", APPLICATION_ID, "warning-threshold", NULL };
  Run run;

  run_gsettings (set);

  write_credentials (fixture);
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  run = run_cli (fixture, "--status", NULL);
  g_assert_cmpint (run.status, ==, 1);   /* 41 % is past a 30 % warning threshold */
  run_clear (&run);

  run_gsettings (reset);
}

/* What a mistyped command line or a terminal without a display says: words, not GLib. */
static void
test_plain_answers (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const ascii_args[] = { "--report=daily", "--since=bogus", NULL };
  static const char * const json_args[] = { "--status", "--json", NULL };
  static const char * const no_args[] = { NULL };
  RunOptions ascii = { NULL, -1, NULL, FALSE, 0, NULL, "C" };
  RunOptions plain = { NULL, -1, NULL, FALSE, 0, NULL, NULL };
  Run run;

  run = run_cli (fixture, "32000", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "claude-gauge takes no word such as “32000”"));
  g_assert_null (strstr (run.err, "can not open files"));
  run_clear (&run);

  /* No display: the window cannot open, the terminal modes can. */
  run = run_cli_argv (fixture, &plain, no_args);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "found no display"));
  g_assert_nonnull (strstr (run.err, "claude-gauge --status"));
  g_assert_null (strstr (run.err, "cannot open display"));
  run_clear (&run);

  /* No LANG: an ASCII terminal gets ASCII quotes, not "?bogus?". */
  run = run_cli_argv (fixture, &ascii, ascii_args);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "not \"bogus\""));
  run_clear (&run);

  /* …but JSON stays UTF-8: a bare quote inside a string would end it ("Run “claude” …"). */
  run = run_cli_argv (fixture, &ascii, json_args);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;

    g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (run.out, "“claude”"));
  }
  run_clear (&run);
}

/* --- The local estimate (no sign-in, transcripts only) --------------------- */

/* An active block of two lines in a project of @config_dir, 40 and 10 minutes ago: 18,500
 * input + output tokens, 20,700 in all. Returns the block's end. */
static gint64
write_active_block (const char *config_dir,
                    gint64      now)
{
  g_autofree char *dir = g_build_filename (config_dir, "projects", "-home-ana-shop", NULL);

  gauge_test_write_usage_line (dir, "s1", "m1", now - 40 * 60, 4000, 6000, 100, 1000);
  gauge_test_write_usage_line (dir, "s1", "m2", now - 10 * 60, 3500, 5000, 100, 1000);
  return (now - 40 * 60) / 3600 * 3600 + 5 * 3600;
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, name)));
  return json_object_get_object_member (object, name);
}

/* Without a sign-in, --status tells the local estimate, marked as one, and exits by the
 * block against the plan's limit, counted in the same tokens. */
static void
test_local_only_status (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  JsonObject *root, *local, *block, *limit, *week, *billing;
  Run run;

  write_active_block (fixture->config_dir, now);

  run = run_cli (fixture, "--status", "--plan=max5", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Local estimate from Claude Code transcripts"));
  g_assert_nonnull (strstr (run.out, "5-hour block"));
  g_assert_nonnull (strstr (run.out, "21 % of the limit: 18.5k of 88k input + output tokens (Max 5x)"));
  g_assert_nonnull (strstr (run.out, "idle 10 min"));
  g_assert_nonnull (strstr (run.out, "This week"));
  g_assert_nonnull (strstr (run.out, "of 50 5-hour sessions"));
  /* The sign-in is told as well, below. */
  g_assert_nonnull (strstr (run.err, "No Claude Code sign-in found"));
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 0);
  run_clear (&run);

  /* Under Pro's 19,000 the block is at 97 %: critical. */
  run = run_cli (fixture, "--status", "--plan=pro", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.out, "97 % of the limit: 18.5k of 19k input + output tokens (Pro)"));
  g_assert_nonnull (strstr (run.out,
                            "\nExit 2: Local 5-hour block at 97 % (critical from 95 %)\n"));
  run_clear (&run);

  run = run_cli (fixture, "--status", "--json", "--plan=pro", "--start-day=3", NULL);
  g_assert_cmpint (run.status, ==, 2);
  root = parse_object (parser, run.out);
  local = member_object (root, "local");
  g_assert_true (json_object_get_boolean_member (local, "estimate"));
  block = member_object (local, "block");
  g_assert_cmpint (json_object_get_int_member (block, "tokens"), ==, 20700);
  g_assert_cmpint (json_object_get_int_member (block, "input_output_tokens"), ==, 18500);
  g_assert_cmpint (json_object_get_int_member (block, "minutes_idle"), ==, 10);
  g_assert_true (json_object_has_member (block, "ends_at"));
  g_assert_true (json_object_has_member (block, "burn_rate"));
  g_assert_true (json_object_has_member (block, "projected_tokens"));
  g_assert_true (json_object_get_double_member (block, "cost") > 0);
  limit = member_object (block, "limit");
  g_assert_cmpint (json_object_get_int_member (limit, "tokens"), ==, 19000);
  g_assert_cmpstr (json_object_get_string_member (limit, "counts"), ==, "input_output");
  g_assert_cmpstr (json_object_get_string_member (limit, "plan"), ==, "pro");
  g_assert_cmpint (json_object_get_int_member (limit, "used"), ==, 18500);
  g_assert_false (json_object_get_boolean_member (limit, "switched"));
  week = member_object (local, "week");
  g_assert_cmpint (json_object_get_int_member (week, "sessions"), <=, 1);
  g_assert_true (json_object_has_member (week, "average_per_session"));
  g_assert_true (json_object_has_member (week, "sessions_left"));
  g_assert_true (json_object_has_member (week, "days_left"));
  billing = member_object (local, "billing_period");
  /* --start-day=3: the period starts on a 3rd, at local midnight. */
  g_assert_nonnull (strstr (json_object_get_string_member (billing, "start"), "-03T"));
  g_assert_cmpint (json_object_get_int_member (billing, "session_budget"), ==, 50);
  g_assert_cmpint (json_object_get_int_member (billing, "sessions"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (billing, "max_block_tokens"), >=, 0);
  run_clear (&run);
}

/* The block's end is printed in the time zone asked for. */
static void
test_local_timezone (Fixture       *fixture,
                     gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 ends = write_active_block (fixture->config_dir, now);
  static const char * const zones[] = { "UTC", "Asia/Tokyo", "America/New_York" };

  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      g_autofree char *option = g_strconcat ("--timezone=", zones[i], NULL);
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zones[i]);
      g_autoptr(GDateTime) end = g_date_time_new_from_unix_local (ends);
      g_autoptr(GDateTime) zoned = g_date_time_to_timezone (end, zone);
      g_autofree char *clock = g_date_time_format (zoned, "%H:%M (in ");
      Run run = run_cli (fixture, "--status", "--plan=max5", option, NULL);

      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, clock));
      run_clear (&run);
    }
}

/* --check-tokens: N against the block limit, exit by what it found; 3 for what is not a
 * count of tokens. */
static void
test_check_tokens (Fixture       *fixture,
                   gconstpointer  data)
{
  static const struct { const char *arg; int status; const char *says; } cases[] = {
    { "--check-tokens=5000", 0, "5k tokens are 26 % of 19k input + output tokens (Pro): ok" },
    { "--check-tokens=17000", 1, "89 % of 19k input + output tokens (Pro): warning" },
    { "--check-tokens=19000", 2, "100 % of 19k input + output tokens (Pro): critical" },
    { "--check-tokens=0", 0, "0 tokens are 0 %" },
  };
  static const char * const bad[] = {
    "--check-tokens=abc", "--check-tokens=-1", "--check-tokens=1.5", "--check-tokens=",
    "--check-tokens=99999999999999999999999", "--check-tokens= 12",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = run_cli (fixture, cases[i].arg, "--plan=pro", NULL);

      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_nonnull (strstr (run.out, cases[i].says));
      g_assert_nonnull (strstr (run.out, "Week: no weekly token budget is set"));
      run_clear (&run);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      Run run = run_cli (fixture, bad[i], NULL);

      g_assert_cmpint (run.status, ==, 3);
      g_assert_nonnull (strstr (run.err, "--check-tokens needs a whole number of tokens"));
      g_assert_cmpstr (run.out, ==, "");
      run_clear (&run);
    }
}

/* The seeds' options: a clear refusal for a bad value or a mode they do not go with. */
static void
test_seed_options_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  static const struct { const char *args[3]; const char *says; } cases[] = {
    { { "--status", "--plan=ultra" }, "Unknown plan “ultra”" },
    { { "--status", "--start-day=0" }, "--start-day needs a day of the month from 1 to 28" },
    { { "--status", "--start-day=29" }, "--start-day needs a day of the month from 1 to 28" },
    { { "--status", "--timezone=Nowhere/Atlantis" }, "Unknown time zone “Nowhere/Atlantis”" },
    { { "--export=daily", "--plan=pro" }, "--plan does not go with --export" },
    { { "--report=daily", "--plan=pro" }, "--plan goes with --report=blocks" },
    { { "--statusline", "--start-day=3" }, "--start-day does not go with --statusline" },
    { { "--status", "--account=~/.claude" }, "--account does not go with --status" },
    { { "--plan=pro" }, "--plan goes with --status" },
    { { "--json" }, "--json goes with --status" },
    { { "--follow" }, "--follow goes with --waybar" },
    { { "--status", "--follow" }, "--follow does not go with --status" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = run_cli (fixture, cases[i].args[0], cases[i].args[1], NULL);

      g_assert_cmpint (run.status, ==, 3);
      g_assert_nonnull (strstr (run.err, cases[i].says));
      run_clear (&run);
    }
}

/* --help lists every option, the seeds' included, each on a line of its own. */
/* Several accounts (issue 17): ~/.claude and ~/.claude-work, each signed in with its own
 * token, both in CLAUDE_CONFIG_DIR. */
#define WORK_TOKEN "sk-ant-oat01-cli-work-token-ABC"

static char *
write_work_account (Fixture *fixture)
{
  g_autofree char *work = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *path = gauge_test_write_credentials (work, WORK_TOKEN,
                                                        g_get_real_time () / 1000 + 86400000,
                                                        "default_claude_max_20x");

  write_credentials (fixture);
  return g_strdup_printf ("%s,%s", work, fixture->config_dir);
}

static Run
run_in_config_dir (Fixture            *fixture,
                   const char         *config_dir,
                   const char         *input,
                   const char * const *args)
{
  RunOptions options = { input, -1, NULL, FALSE, 0, NULL, NULL, config_dir };

  return run_cli_argv (fixture, &options, args);
}

static void
test_accounts_status (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *config_dir = write_work_account (fixture);
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  const char *status[] = { "--status", NULL };
  const char *status_json[] = { "--status", "--json", NULL };
  g_autofree char *work_body = gauge_test_usage_json (85, 20);
  JsonObject *root, *work, *first;
  JsonArray *accounts;
  Run run;

  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 200, work_body, NULL);

  /* Each account under its name (its folder: the terminal asks no profile), the worst wins
   * the exit code: the work account's 85 % is a warning. */
  run = run_in_config_dir (fixture, config_dir, NULL, status);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.out, "~/.claude\n  5-hour"));
  g_assert_nonnull (strstr (run.out, "\n\n~/.claude-work\n  5-hour"));
  g_assert_nonnull (strstr (run.out, "85 %"));
  g_assert_nonnull (strstr (run.out, "37 %"));
  g_assert_nonnull (strstr (run.err, "Max 20x"));
  /* The line that says why names the account whose limit decided it. */
  g_assert_nonnull (strstr (run.out,
                            "\nExit 1: ~/.claude-work · 5-hour at 85 % (warning from 80 %)\n"));
  g_assert_cmpuint (gauge_test_server_get_token_requests (fixture->server, TOKEN), ==, 1);
  g_assert_cmpuint (gauge_test_server_get_token_requests (fixture->server, WORK_TOKEN), ==, 1);
  run_clear (&run);

  /* The first account stays at the top level; "accounts" lists both. */
  run = run_in_config_dir (fixture, config_dir, NULL, status_json);
  g_assert_cmpint (run.status, ==, 1);
  root = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "plan"), ==, "Max 5x");
  g_assert_cmpfloat_with_epsilon (
    json_object_get_double_member (json_array_get_object_element (
      json_object_get_array_member (root, "limits"), 0), "percent"), 37.0, 0.001);
  accounts = json_object_get_array_member (root, "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 2);
  first = json_array_get_object_element (accounts, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "~/.claude");
  g_assert_cmpstr (json_object_get_string_member (first, "folder"), ==, fixture->config_dir);
  work = json_array_get_object_element (accounts, 1);
  g_assert_cmpstr (json_object_get_string_member (work, "name"), ==, "~/.claude-work");
  g_assert_cmpstr (json_object_get_string_member (work, "folder"), ==, work_dir);
  g_assert_cmpstr (json_object_get_string_member (work, "plan"), ==, "Max 20x");
  g_assert_cmpstr (json_object_get_string_member (work, "state"), ==, "ok");
  g_assert_cmpfloat_with_epsilon (
    json_object_get_double_member (json_array_get_object_element (
      json_object_get_array_member (work, "limits"), 0), "percent"), 85.0, 0.001);
  /* Fresh readings: no request. */
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 2);
  run_clear (&run);

  /* A 429 on the work account on a fresh machine: the personal one is read as ever, the
   * work one cannot be, and the exit code says so. */
  forget_history ();
  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 429,
                                         "{\"error\":{\"type\":\"rate_limit_error\"}}", "1800");
  run = run_in_config_dir (fixture, config_dir, NULL, status_json);
  g_assert_cmpint (run.status, ==, 3);
  root = parse_object (parser, run.out);
  accounts = json_object_get_array_member (root, "accounts");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (accounts, 0),
                                                  "state"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (accounts, 1),
                                                  "state"), ==, "rate-limited");
  g_assert_cmpstr (json_object_get_string_member (root, "state"), ==, "ok");
  run_clear (&run);
}

/* The "limit_events" of a JSON object of --status: how many, and the first one's window. */
static gint64
count_limit_events (JsonObject  *object,
                    const char **first_window)
{
  JsonObject *events;
  JsonArray *list;

  g_assert_true (json_object_has_member (object, "limit_events"));
  events = json_object_get_object_member (object, "limit_events");
  list = json_object_get_array_member (events, "events");

  if (first_window != NULL)
    *first_window = json_array_get_length (list) > 0
                    ? json_object_get_string_member (json_array_get_object_element (list, 0),
                                                     "id")
                    : NULL;
  return json_object_get_int_member (events, "count");
}

/* Each account's limit events in its "accounts" entry; the top level's are the first
 * account's, as every top-level field. */
static void
test_accounts_limit_events (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *config_dir = write_work_account (fixture);
  const char *status_json[] = { "--status", "--json", NULL };
  g_autofree char *work_body = gauge_test_usage_json (100, 20);
  const char *window = NULL;
  JsonObject *root;
  JsonArray *accounts;
  Run run;

  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 200, work_body, NULL);

  run = run_in_config_dir (fixture, config_dir, NULL, status_json);
  g_assert_cmpint (run.status, ==, 2);
  root = parse_object (parser, run.out);
  accounts = json_object_get_array_member (root, "accounts");
  g_assert_cmpint (count_limit_events (json_array_get_object_element (accounts, 1), &window),
                   ==, 1);
  g_assert_cmpstr (window, ==, "five_hour");
  g_assert_cmpint (count_limit_events (json_array_get_object_element (accounts, 0), NULL), ==, 0);
  g_assert_cmpint (count_limit_events (root, NULL), ==, 0);
  run_clear (&run);
}

/* Only with the dconf backend: an account folder added the way Preferences adds it (the
 * account-folders key, here written with gsettings through dconf-service) is an account of
 * --status, beside ~/.claude. */
static void
test_dconf_accounts (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *work_body = gauge_test_usage_json (85, 20);
  g_autofree char *work = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  const char *set[] = { "gsettings", "set", APPLICATION_ID, "account-folders",
                        "['~/.claude-work']", NULL };
  const char *reset[] = { "gsettings", "reset", APPLICATION_ID, "account-folders", NULL };
  JsonArray *accounts;
  Run run;

  run_gsettings (set);

  write_credentials (fixture);
  g_free (gauge_test_write_credentials (work, WORK_TOKEN, g_get_real_time () / 1000 + 86400000,
                                        "default_claude_max_20x"));
  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 200, work_body, NULL);

  run = run_cli (fixture, "--status", "--json", NULL);
  g_assert_cmpint (run.status, ==, 1);   /* the work account's 85 % */
  accounts = json_object_get_array_member (parse_object (parser, run.out), "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (accounts, 1),
                                                  "folder"), ==, work);
  run_clear (&run);

  run = run_cli (fixture, "--status", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "\n\n~/.claude-work\n  5-hour"));
  g_assert_nonnull (strstr (run.out, "\nExit 1: ~/.claude-work · 5-hour at 85 %"));
  run_clear (&run);

  run_gsettings (reset);
}

/* --statusline records the reading under the folder Claude Code runs in. */
static void
test_accounts_statusline (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *config_dir = write_work_account (fixture);
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  const char *statusline[] = { "--statusline", NULL };
  const char *status_json[] = { "--status", "--json", NULL };
  const char *input = "{\"session_id\":\"abc\",\"rate_limits\":{\"five_hour\":"
                      "{\"used_percentage\":41.0,\"resets_at\":null}}}";
  JsonObject *root, *work;
  JsonArray *limits;
  Run run;

  run = run_in_config_dir (fixture, work_dir, input, statusline);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "5h 41%"));
  run_clear (&run);

  /* The work account's reading is the statusline's; the first account's is asked for. */
  run = run_in_config_dir (fixture, config_dir, NULL, status_json);
  root = parse_object (parser, run.out);
  work = json_array_get_object_element (json_object_get_array_member (root, "accounts"), 1);
  g_assert_cmpstr (json_object_get_string_member (work, "folder"), ==, work_dir);
  limits = json_object_get_array_member (work, "limits");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (limits, 0),
                                                  "source"), ==, "statusline");
  g_assert_cmpuint (gauge_test_server_get_token_requests (fixture->server, WORK_TOKEN), ==, 0);
  g_assert_cmpuint (gauge_test_server_get_token_requests (fixture->server, TOKEN), ==, 1);
  limits = json_object_get_array_member (root, "limits");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (limits, 0),
                                                  "source"), ==, "official");
  run_clear (&run);
}

/* Both accounts (write_work_account()), each folder with a line of usage: ~/.claude's 110,000
 * tokens ($0.45), ~/.claude-work's 100,000 ($0.30). Returns CLAUDE_CONFIG_DIR for both. */
static char *
write_accounts_usage (Fixture    *fixture,
                      const char *work_dir)
{
  g_autofree char *mine = g_build_filename (fixture->config_dir, "projects", "-home-ana-shop",
                                            "p1.jsonl", NULL);
  g_autofree char *theirs = g_build_filename (work_dir, "projects", "-home-ana-work", "w1.jsonl",
                                              NULL);
  char *both = write_work_account (fixture);

  append_usage (mine, "p1", "m-p1", 10000);
  append_usage (theirs, "w1", "m-w1", 0);
  return both;
}

/* ~/.claude holds no sign-in and ~/.claude-work does (named in CLAUDE_CONFIG_DIR here, in
 * Preferences alike): it is the first account, and --waybar without the app shows its limits,
 * as --status and the app's bar do. */
static void
test_accounts_waybar_first (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *work = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *config_dir = g_strdup_printf ("%s,%s", work, fixture->config_dir);
  g_autofree char *body = gauge_test_usage_json (85, 20);
  const char *waybar[] = { "--waybar", NULL };
  JsonObject *root;
  Run run;

  g_free (gauge_test_write_credentials (work, WORK_TOKEN, g_get_real_time () / 1000 + 86400000,
                                        "default_claude_max_20x"));
  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 200, body, NULL);

  run = run_in_config_dir (fixture, config_dir, NULL, waybar);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "text"), ==, "5h 85 % · wk 20 %");
  g_assert_cmpstr (json_object_get_string_member (root, "account"), ==, "~/.claude-work");
  run_clear (&run);
}

/* The same first account with its sign-in expired and no reading: the local estimate, against
 * its plan's block limit (Max 5x from its sign-in: 88,000), not the default folder's. */
static void
test_accounts_waybar_first_local (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *work = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *config_dir = g_strdup_printf ("%s,%s", work, fixture->config_dir);
  const char *waybar[] = { "--waybar", NULL };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  JsonObject *root;
  Run run;

  g_free (gauge_test_write_credentials (work, WORK_TOKEN, now * 1000 - 3600000,
                                        "default_claude_max_5x"));
  write_active_block (work, now);

  run = run_in_config_dir (fixture, config_dir, NULL, waybar);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "text"), ==, "≈ 5h 21 %");
  g_assert_cmpstr (json_object_get_string_member (root, "alt"), ==, "expired");
  g_assert_nonnull (strstr (json_object_get_string_member (root, "tooltip"),
                            "21 % of the limit: 18.5k of 88k input + output tokens (Max 5x)"));
  run_clear (&run);

  /* --check-tokens goes by the same plan. */
  run = run_in_config_dir (fixture, config_dir, NULL,
                           (const char * const[]) { "--check-tokens", "1000", NULL });
  g_test_message ("%s", run.out);
  g_assert_nonnull (strstr (run.out, "88k"));
  run_clear (&run);
}

/* The statusline's "$ today" is the local usage of the folder Claude Code runs in (as ccusage
 * run there counts it), whichever folder indexed it; a report counts every folder of
 * CLAUDE_CONFIG_DIR (the sum), or with --account one account's. */
static void
test_accounts_statusline_local (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *both = write_accounts_usage (fixture, work_dir);
  g_autofree char *work_option = g_strconcat ("--account=", work_dir, NULL);
  const char *statusline[] = { "--statusline", NULL };
  const char *report[] = { "--report=daily", "--json", NULL };
  const struct { const char *option; double cost; } accounts[] = {
    { work_option, 0.30 }, { "--account=~/.claude", 0.45 }, { "--account=~/.claude-work", 0.30 },
  };
  Run run;

  run = run_in_config_dir (fixture, both, NULL, report);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpfloat_with_epsilon (report_total (&run, "totalCost"), 0.75, 1e-9);
  run_clear (&run);

  run = run_in_config_dir (fixture, work_dir, "{}", statusline);
  g_assert_true (g_str_has_prefix (run.out, "$0.30 today"));
  run_clear (&run);
  run = run_in_config_dir (fixture, fixture->config_dir, "{}", statusline);
  g_assert_true (g_str_has_prefix (run.out, "$0.45 today"));
  run_clear (&run);
  run = run_in_config_dir (fixture, both, "{}", statusline);
  g_assert_true (g_str_has_prefix (run.out, "$0.75 today"));
  run_clear (&run);

  /* --account limits a report to one account's folder: by its folder, or as it is shown. */
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      const char *args[] = { "--report=daily", "--json", accounts[i].option, NULL };

      run = run_in_config_dir (fixture, both, NULL, args);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpfloat_with_epsilon (report_total (&run, "totalCost"), accounts[i].cost, 1e-9);
      run_clear (&run);
    }
  {
    const char *args[] = { "--report=daily", "--account=~/.claude-elsewhere", NULL };

    run = run_in_config_dir (fixture, both, NULL, args);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "No account “~/.claude-elsewhere”. The accounts are:"));
    g_assert_nonnull (strstr (run.err, "(~/.claude-work)"));
    g_assert_cmpstr (run.out, ==, "");
    run_clear (&run);
  }
}

/* The "local" object's active block's tokens, in a JSON object of --status. */
static gint64
local_block_tokens (JsonObject *object)
{
  return json_object_get_int_member (member_object (member_object (object, "local"), "block"),
                                     "tokens");
}

/* --status with two folders: each account's local estimate is its own folder's usage ("local"
 * in its "accounts" entry; its block's lines when it has no official reading); the top
 * level's "local" stays every folder's, as before. */
static void
test_accounts_status_local (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *both = write_accounts_usage (fixture, work_dir);
  g_autofree char *work_body = gauge_test_usage_json (20, 10);
  const char *status_json[] = { "--status", "--json", NULL };
  const char *status[] = { "--status", NULL };
  const char *work_block;
  JsonObject *root;
  JsonArray *accounts;
  Run run;

  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 200, work_body, NULL);

  run = run_in_config_dir (fixture, both, NULL, status_json);
  root = parse_object (parser, run.out);
  g_assert_cmpint (local_block_tokens (root), ==, 210000);
  accounts = json_object_get_array_member (root, "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);
      const char *folder = json_object_get_string_member (account, "folder");

      g_assert_cmpint (local_block_tokens (account), ==,
                       g_strcmp0 (folder, work_dir) == 0 ? 100000 : 110000);
    }
  run_clear (&run);

  /* The work account cannot be read: its block says its own folder's estimate, the personal
   * one's shows its limits alone. */
  forget_history ();
  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 429,
                                         "{\"error\":{\"type\":\"rate_limit_error\"}}", "1800");
  run = run_in_config_dir (fixture, both, NULL, status);
  g_test_message ("%s", run.out);
  g_assert_cmpint (run.status, ==, 3);
  work_block = strstr (run.out, "\n\n~/.claude-work\n  Local estimate from Claude Code transcripts");
  g_assert_nonnull (work_block);
  g_assert_nonnull (strstr (work_block, "\n  5-hour block    100k tokens · $0.30\n"));
  g_assert_null (g_strstr_len (run.out, work_block - run.out, "Local estimate"));
  run_clear (&run);
}

static void
test_help_lists_options (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char * const options[] = {
    "--status", "--json", "--check-tokens=N", "--start-day=1…28",
    "--plan=pro|max5|max20|custom|custom_max|p90", "--timezone=TZ", "--report=", "--since=",
    "--until=", "--breakdown", "--start-of-week=", "--mode=", "--account=FOLDER|NAME",
    "--export=", "--format=",
    "--statusline", "--waybar", "--follow", "--recalculate", "--background", "--test-alert",
    "--version",
  };
  Run run = run_cli (fixture, "--help", NULL);

  g_assert_cmpint (run.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_autofree char *line = g_strconcat ("\n  ", options[i], NULL);

      g_test_message ("%s", options[i]);
      g_assert_nonnull (strstr (run.out, line));
    }
  run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  /* Read before g_test_init() gives each test folders of its own. */
  if (g_strcmp0 (g_getenv ("GSETTINGS_BACKEND"), "dconf") == 0)
    {
      dconf_config_home = g_strdup (g_getenv ("XDG_CONFIG_HOME"));
      dconf_runtime_dir = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
      if (dconf_config_home == NULL || dconf_runtime_dir == NULL)
        {
          g_printerr ("With GSETTINGS_BACKEND=dconf, set XDG_CONFIG_HOME and XDG_RUNTIME_DIR\n");
          return 1;
        }
    }

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("CLAUDE_GAUGE_BIN") == NULL)
    {
      g_printerr ("CLAUDE_GAUGE_BIN must name the claude-gauge binary\n");
      return 77;
    }

#define ADD(path, func) \
  g_test_add ("/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("version", test_version);
  ADD ("no-credentials", test_no_credentials);
  ADD ("text-and-json", test_text_and_json);
  ADD ("exit-codes-follow-severity", test_exit_codes_follow_severity);
  ADD ("autumn-answer", test_autumn_answer);
  ADD ("cooldown-across-runs", test_cooldown_across_runs);
  ADD ("token-never-leaks", test_token_never_leaks);
  ADD ("json-needs-status", test_json_needs_status);
  ADD ("statusline-records-rate-limits", test_statusline_records_rate_limits);
  ADD ("statusline-spend-limit", test_statusline_spend_limit);
  ADD ("statusline-reads-its-session", test_statusline_reads_its_session);
  ADD ("statusline-session-never-blocks", test_statusline_session_never_blocks);
  ADD ("statusline-session-cost-stays-right", test_statusline_session_cost_stays_right);
  ADD ("missing-app-module", test_missing_app_module);
  ADD ("modes-without-schema", test_modes_without_schema);
  ADD ("modes-load-what-they-need", test_modes_load_what_they_need);
  ADD ("hostile-values", test_hostile_values);
  ADD ("quoted-number", test_quoted_number);
  ADD ("credentials-not-a-file", test_credentials_not_a_file);
  ADD ("hostile-http", test_hostile_http);
  ADD ("statusline-stdin-stays-open", test_statusline_stdin_stays_open);
  ADD ("statusline-stdin-too-large", test_statusline_stdin_too_large);
  ADD ("report-empty", test_report_empty);
  ADD ("error-said-once", test_error_said_once);
  ADD ("plain-answers", test_plain_answers);
  ADD ("local-only-status", test_local_only_status);
  ADD ("local-timezone", test_local_timezone);
  ADD ("check-tokens", test_check_tokens);
  ADD ("seed-options-refused", test_seed_options_refused);
  ADD ("help-lists-options", test_help_lists_options);
  ADD ("accounts-status", test_accounts_status);
  ADD ("accounts-statusline", test_accounts_statusline);
  ADD ("accounts-status-local", test_accounts_status_local);
  ADD ("accounts-limit-events", test_accounts_limit_events);
  ADD ("accounts-statusline-local", test_accounts_statusline_local);
  ADD ("accounts-waybar-first", test_accounts_waybar_first);
  ADD ("accounts-waybar-first-local", test_accounts_waybar_first_local);
  if (dconf_config_home != NULL)
    {
      ADD ("dconf-setting", test_dconf_setting);
      ADD ("dconf-accounts", test_dconf_accounts);
    }

#undef ADD

  return g_test_run ();
}
