/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "gauge-test-server.h"

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

/* Runs the built binary as a user would, with the loopback server running here. */
static Run
run_cli_with_input (Fixture    *fixture,
                    const char *input,
                    const char *first_arg,
                    ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { FALSE, -1, NULL, NULL };
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CLAUDE_GAUGE_BIN"));
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "CLAUDE_GAUGE_API_BASE",
                                gauge_test_server_get_base_url (fixture->server), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "CLAUDE_CONFIG_DIR");
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input != NULL ? input : "", NULL,
                                       communicate_cb, &run);
  gauge_test_wait_until (run_done, &run, 60000);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run.status, run.out, run.err);

  return run;
}

#define run_cli(fixture, ...) run_cli_with_input (fixture, NULL, __VA_ARGS__)

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

static void
test_exit_codes_follow_severity (Fixture       *fixture,
                                 gconstpointer  data)
{
  struct { double five, seven; int status; } cases[] = {
    { 10, 20, 0 },
    { 85, 20, 1 },
    { 10, 96, 2 },
    { 120, 20, 2 },
  };

  write_credentials (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = gauge_test_usage_json (cases[i].five, cases[i].seven);
      g_autofree char *db = g_build_filename (g_get_user_data_dir (), "claude-gauge", "history.db", NULL);
      Run run;

      /* A fresh database each time, so the CLI asks the server. */
      g_remove (db);
      gauge_test_server_set_usage (fixture->server, 200, body, NULL);
      run = run_cli (fixture, "--status", NULL);
      g_assert_cmpint (run.status, ==, cases[i].status);
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

      g_remove (db);
      gauge_test_server_set_usage (fixture->server, statuses[status],
                                   statuses[status] == 200 ? body : "{}", NULL);
      run = run_cli (fixture, "--status", "--json", NULL);
      g_assert_null (strstr (run.out, TOKEN));
      g_assert_null (strstr (run.err, TOKEN));
      g_assert_null (strstr (run.err, "sk-ant-ort01"));
      g_assert_nonnull (strstr (run.err, "gauge-"));  /* debug output was on */

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
          assert_no_token_in_file (path);
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
  g_autofree char *clock = g_date_time_format (local_reset, "%H:%M");
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

static void
test_json_needs_status (Fixture       *fixture,
                        gconstpointer  data)
{
  Run run = run_cli (fixture, "--json", NULL);

  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "--status"));
  run_clear (&run);
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

  g_unlink (copy);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
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
  ADD ("cooldown-across-runs", test_cooldown_across_runs);
  ADD ("token-never-leaks", test_token_never_leaks);
  ADD ("json-needs-status", test_json_needs_status);
  ADD ("statusline-records-rate-limits", test_statusline_records_rate_limits);
  ADD ("missing-app-module", test_missing_app_module);

#undef ADD

  return g_test_run ();
}
