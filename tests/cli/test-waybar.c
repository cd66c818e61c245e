/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-waybar"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "gauge-dbus-api.h"
#include "gauge-test-process.h"
#include "gauge-test-server.h"
#include "gauge-test-usage.h"
#include "gauge-usage-dbus.h"

/*
 * `claude-gauge --waybar [--follow]` as waybar runs it: the real binary in the test's home on
 * a private bus (GTestDBus), the loopback usage API, and either no app, the real app, or a
 * stand-in app that says hostile things over the bus.
 */

typedef struct
{
  GTestDBus        *bus;
  GDBusConnection  *connection;
  GaugeTestServer  *server;
  GSubprocess      *app;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *usage = gauge_test_usage_json (48, 63);

  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (fixture->bus);
  fixture->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  fixture->server = gauge_test_server_new ();
  gauge_test_server_set_usage (fixture->server, 200, usage, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gauge_test_stop_process (&fixture->app);
  g_clear_object (&fixture->connection);
  gauge_test_server_free (fixture->server);
  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);
}

static void
sign_in (void)
{
  g_autofree char *dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *path = gauge_test_write_credentials (dir, "sk-ant-oat01-waybar",
                                                        g_get_real_time () / 1000 + 86400000,
                                                        "default_claude_max_5x");
}

/* A usage line of Claude Code's in ~/.claude's projects, @minutes_ago. */
static void
write_usage (const char *id,
             gint64      minutes_ago,
             gint64      input,
             gint64      output)
{
  g_autofree char *dir = g_build_filename (g_get_home_dir (), ".claude", "projects",
                                           "-home-ana-shop", NULL);

  gint64 when = g_get_real_time () / G_USEC_PER_SEC - minutes_ago * 60;

  gauge_test_write_usage_line (dir, "s1", id, when, input, output, 100, 1000);
}

/* An active block of two lines, 40 and 10 minutes ago: 18,500 input + output tokens, 20,700
 * in all; 97 % of the block limit without a plan (Pro's 19,000 until blocks hit a limit). */
static void
write_active_block (void)
{
  write_usage ("m1", 40, 4000, 6000);
  write_usage ("m2", 10, 3500, 5000);
}

static GSubprocess *
spawn (Fixture             *fixture,
       GSubprocessFlags     flags,
       const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    gauge_test_launcher_new (gauge_test_server_get_base_url (fixture->server), flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CLAUDE_GAUGE_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

typedef struct
{
  gboolean  done;
  char     *out;
  GError   *error;
} Communicate;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communicate *data = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &data->out, NULL,
                                        &data->error);
  data->done = TRUE;
}

/* Its output, while the loopback API (in this process) answers it. */
static char *
communicate (GSubprocess *process,
             const char  *input)
{
  Communicate data = { FALSE, NULL, NULL };

  g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, &data);
  while (!data.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (data.error);

  return data.out;
}

/* What Claude Code's statusline passes: stored by `--statusline` as a reading. */
static void
store_statusline (Fixture *fixture,
                  double   five_hour,
                  double   seven_day)
{
  g_autoptr(GSubprocessLauncher) launcher =
    gauge_test_launcher_new (gauge_test_server_get_base_url (fixture->server),
                             G_SUBPROCESS_FLAGS_NONE);

  gauge_test_store_statusline (launcher, five_hour, seven_day);
}

/* `claude-gauge --waybar`: exactly one line, exit 0. */
static char *
run_waybar (Fixture *fixture)
{
  const char *args[] = { "--waybar", NULL };
  g_autoptr(GSubprocess) process = spawn (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE, args);
  char *out = communicate (process, NULL);

  g_assert_true (g_subprocess_get_successful (process));
  g_assert_true (g_str_has_suffix (out, "\n"));
  g_assert_null (strchr (out, '\n') + 1 < out + strlen (out) ? strchr (out, '\n') + 1 : NULL);

  return out;
}

static JsonObject *
parse_line (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (line);
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_no_control_characters (const char *text,
                              gboolean    multiline)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (multiline && c == '\n')
        continue;
      g_assert_false (g_unichar_iscntrl (c));
    }
}

/* With no app, a reading Claude Code's statusline stored: the summary, the severity of the
 * highest limit, the tray's percentage, the state (not signed in) as alt. */
static void
test_stored_reading (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *line = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *tooltip;

  /* The official reading shows, not the transcripts' estimate. */
  write_active_block ();
  store_statusline (fixture, 41, 88.4);
  line = run_waybar (fixture);
  object = parse_line (line);

  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "5h 41 % · wk 88.4 %");
  g_assert_cmpstr (json_object_get_string_member (object, "class"), ==, "warning");
  g_assert_cmpint (json_object_get_int_member (object, "percentage"), ==, 88);
  g_assert_cmpstr (json_object_get_string_member (object, "alt"), ==, "no-credentials");
  tooltip = json_object_get_string_member (object, "tooltip");
  g_assert_true (g_str_has_prefix (tooltip, "5-hour 41 % · resets "));
  g_assert_nonnull (strstr (tooltip, "\nWeekly 88.4 % · resets "));
  g_assert_nonnull (strstr (tooltip, "· statusline"));
  g_assert_null (strstr (tooltip, "Local estimate"));
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 0);
}

/* Signed in, no app: the first run asks Anthropic; the next ones use the stored reading
 * while it is fresh, as the rate gate wants. */
static void
test_rate_gate (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(JsonObject) object = NULL;

  sign_in ();
  write_active_block ();
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *line = run_waybar (fixture);

      g_clear_pointer (&object, json_object_unref);
      object = parse_line (line);
      g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "5h 48 % · wk 63 %");
      g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);
    }
  g_assert_cmpstr (json_object_get_string_member (object, "alt"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (object, "class"), ==, "normal");
  g_assert_cmpint (json_object_get_int_member (object, "percentage"), ==, 63);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "tooltip"),
                            "Max 5x · updated "));
  g_assert_null (strstr (json_object_get_string_member (object, "tooltip"), "Local estimate"));
  /* Whose limits: the first account, by its folder while no profile was heard of. */
  g_assert_cmpstr (json_object_get_string_member (object, "account"), ==, "~/.claude");
}

/* A 429 starts a cooldown that the next runs keep to. */
static void
test_cooldown (Fixture       *fixture,
               gconstpointer  user_data)
{
  sign_in ();
  gauge_test_server_set_usage (fixture->server, 429,
                               "{\"error\":{\"type\":\"rate_limit_error\"}}", "600");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *line = run_waybar (fixture);
      g_autoptr(JsonObject) object = parse_line (line);

      g_assert_cmpstr (json_object_get_string_member (object, "alt"), ==, "rate-limited");
      g_assert_cmpstr (json_object_get_string_member (object, "class"), ==, "none");
      g_assert_false (json_object_has_member (object, "percentage"));
      g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);
    }
}

/* A stand-in for the app: @skeleton on the app's path under the app's name. Returns the
 * name's owner id. */
static guint
start_stand_in (Fixture       *fixture,
                GaugeBusUsage *skeleton)
{
  g_autoptr(GError) error = NULL;
  guint owner;

  g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (skeleton), fixture->connection,
                                    GAUGE_DBUS_API_PATH, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (fixture->connection, APPLICATION_ID,
                                        G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  gauge_test_wait_for_app (fixture->connection);

  return owner;
}

static void
stop_stand_in (GaugeBusUsage *skeleton,
               guint          owner)
{
  g_bus_unown_name (owner);
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (skeleton));
}

/* A stand-in app on the bus that says hostile things: escape sequences in names, the plan
 * and the state, a NaN, a percent of a billion, 1,000 limits. The line is clean, bounded and
 * asks nothing of Anthropic. */
static void
test_hostile_app (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GaugeBusUsage) skeleton = gauge_bus_usage_skeleton_new ();
  g_autofree char *line = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_auto(GStrv) tooltip_lines = NULL;
  GVariantBuilder limits;
  guint owner;

  g_variant_builder_init (&limits, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *id = g_strdup_printf ("seven_day_x%u", i);

      g_variant_builder_open (&limits, G_VARIANT_TYPE ("a{sv}"));
      g_variant_builder_add (&limits, "{sv}", "id",
                             g_variant_new_string (i == 0 ? "five_hour" : id));
      g_variant_builder_add (&limits, "{sv}", "name",
                             g_variant_new_string ("Evil\033]0;owned\007\033[2J\r name"));
      g_variant_builder_add (&limits, "{sv}", "percent",
                             g_variant_new_double (i == 1 ? NAN : i == 2 ? 1e9 : 30 + i % 50));
      g_variant_builder_close (&limits);
    }
  gauge_bus_usage_set_limits (skeleton, g_variant_builder_end (&limits));
  gauge_bus_usage_set_state (skeleton, "ok\033[31m");
  gauge_bus_usage_set_plan (skeleton, "Max\033]52;c;cGF3bmVk\007 5x");
  gauge_bus_usage_set_state_message (skeleton, "all\033[1A good");
  gauge_bus_usage_set_source (skeleton, "official");
  gauge_bus_usage_set_updated_at (skeleton, g_get_real_time () / G_USEC_PER_SEC);
  owner = start_stand_in (fixture, skeleton);

  sign_in ();
  line = run_waybar (fixture);
  object = parse_line (line);

  assert_no_control_characters (json_object_get_string_member (object, "text"), FALSE);
  assert_no_control_characters (json_object_get_string_member (object, "tooltip"), TRUE);
  assert_no_control_characters (json_object_get_string_member (object, "alt"), FALSE);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "5h 30 %");
  tooltip_lines = g_strsplit (json_object_get_string_member (object, "tooltip"), "\n", -1);
  /* At most 64 limits, less the two out of range, plus the state and the plan's line. */
  g_assert_cmpuint (g_strv_length (tooltip_lines), <=, 64 + 2);
  g_assert_cmpuint (g_strv_length (tooltip_lines), >=, 60);
  g_assert_true (g_str_has_prefix (tooltip_lines[0], "Evil"));
  g_assert_cmpint (json_object_get_int_member (object, "percentage"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (object, "percentage"), <=, 100);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 0);

  stop_stand_in (skeleton, owner);
}

static GSubprocess *
start_app (Fixture *fixture)
{
  const char *args[] = { "--background", NULL };
  GSubprocess *app = spawn (fixture, G_SUBPROCESS_FLAGS_NONE, args);

  gauge_test_wait_for_app (fixture->connection);
  return app;
}

static void
call_refresh (Fixture *fixture)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (fixture->connection, APPLICATION_ID, GAUGE_DBUS_API_PATH,
                                       GAUGE_DBUS_API_INTERFACE, "Refresh", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}

/* Counts to 2 once the stand-in app has answered --follow's first GetAll: 1 when it came,
 * 2 when its answer went out (filters run on GDBus's worker thread). */
static GDBusMessage *
get_all_filter (GDBusConnection *connection,
                GDBusMessage    *message,
                gboolean         incoming,
                gpointer         user_data)
{
  int *answered = user_data;
  GDBusMessageType type = g_dbus_message_get_message_type (message);

  if (incoming && type == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
      g_strcmp0 (g_dbus_message_get_member (message), "GetAll") == 0)
    g_atomic_int_compare_and_exchange (answered, 0, 1);
  else if (!incoming && type == G_DBUS_MESSAGE_TYPE_METHOD_RETURN)
    g_atomic_int_compare_and_exchange (answered, 1, 2);

  return message;
}

static void
set_app_limits (GaugeBusUsage *skeleton,
                const char    *state,
                double         five_hour,
                double         seven_day)
{
  GVariantBuilder limits;
  gboolean any = five_hour >= 0;

  g_variant_builder_init (&limits, G_VARIANT_TYPE ("aa{sv}"));
  if (any)
    {
      g_variant_builder_add_parsed (&limits, "{'id': <'five_hour'>, 'name': <'5-hour'>,"
                                    " 'percent': <%d>}", five_hour);
      g_variant_builder_add_parsed (&limits, "{'id': <'seven_day'>, 'name': <'Weekly'>,"
                                    " 'percent': <%d>}", seven_day);
    }
  gauge_bus_usage_set_limits (skeleton, g_variant_builder_end (&limits));
  gauge_bus_usage_set_state (skeleton, state);
  gauge_bus_usage_set_source (skeleton, any ? "official" : "");
  gauge_bus_usage_set_updated_at (skeleton, any ? g_get_real_time () / G_USEC_PER_SEC : 0);
}

/* --follow never prints an older reading after a newer one. The app's limits come while
 * --follow still works out the local estimate for the app's line before them (loading, no
 * limits, transcripts to read): the limits are its last line, and stay. */
static void
test_follow_in_order (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const char *args[] = { "--waybar", "--follow", NULL };
  g_autoptr(GaugeBusUsage) skeleton = gauge_bus_usage_skeleton_new ();
  g_autoptr(GSubprocess) follow = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *line = NULL;
  gint64 deadline;
  int answered = 0;
  guint owner, filter_id;

  /* Enough to take --follow a moment to read. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%u", i);

      write_usage (id, 60 * 24 * 20 - i * 10, 100, 200);
    }

  set_app_limits (skeleton, "loading", -1, -1);
  owner = start_stand_in (fixture, skeleton);
  filter_id = g_dbus_connection_add_filter (fixture->connection, get_all_filter, &answered,
                                            NULL);

  follow = spawn (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE, args);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (follow));
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_atomic_int_get (&answered) < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_USEC_PER_SEC / 1000);
    }
  /* Answered, and --follow on to the transcripts: the limits come now. */
  set_app_limits (skeleton, "ok", 30, 40);

  do
    {
      g_free (line);
      line = gauge_test_read_line (out, 20000);
      g_clear_pointer (&object, json_object_unref);
      object = parse_line (line);
    }
  while (g_strcmp0 (json_object_get_string_member (object, "alt"), "ok") != 0);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "5h 30 % · wk 40 %");

  /* Nothing after it: the estimate it was working on is not printed over it. */
  g_free (line);
  line = gauge_test_read_line (out, 3000);
  g_assert_cmpstr (line, ==, NULL);

  g_subprocess_send_signal (follow, SIGTERM);
  g_subprocess_wait (follow, NULL, NULL);
  g_dbus_connection_remove_filter (fixture->connection, filter_id);
  stop_stand_in (skeleton, owner);
}

/* --follow with the real app: a line from the app at once, one more when the app's reading
 * changes; when the app quits, lines come from the database. Nothing asked of Anthropic
 * beyond the app's one request. */
static void
test_follow (Fixture       *fixture,
             gconstpointer  user_data)
{
  const char *args[] = { "--waybar", "--follow", NULL };
  g_autoptr(GSubprocess) follow = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(JsonObject) object = NULL;
  char *line;

  sign_in ();
  fixture->app = start_app (fixture);
  follow = spawn (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE, args);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (follow));

  /* The app may still be loading: its first lines can say so. */
  do
    {
      line = gauge_test_read_line (out, 15000);
      g_clear_pointer (&object, json_object_unref);
      object = parse_line (line);
      g_free (line);
    }
  while (g_strcmp0 (json_object_get_string_member (object, "alt"), "ok") != 0);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "5h 48 % · wk 63 %");
  g_assert_true (json_object_has_member (object, "account"));

  /* Readings are stored to the second: a newer one must be a second newer. */
  gauge_test_iterate_for (1100);
  store_statusline (fixture, 91, 64);
  call_refresh (fixture);
  /* A line may come between: the account's name, once its profile is heard of. */
  do
    {
      line = gauge_test_read_line (out, 10000);
      g_clear_pointer (&object, json_object_unref);
      object = parse_line (line);
      g_free (line);
    }
  while (g_strcmp0 (json_object_get_string_member (object, "text"), "5h 48 % · wk 63 %") == 0);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "5h 91 % · wk 64 %");
  /* The folder's name until the profile comes, then the profile's. */
  g_assert_true (g_str_equal (json_object_get_string_member (object, "account"), "~/.claude") ||
                 g_str_equal (json_object_get_string_member (object, "account"),
                              "ana@example.com · Max 5x"));
  g_assert_cmpstr (json_object_get_string_member (object, "class"), ==, "warning");
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);

  /* The app quits; the database has the last reading and then a new one. */
  gauge_test_stop_process (&fixture->app);
  gauge_test_iterate_for (1000);
  store_statusline (fixture, 95, 70);
  do
    {
      line = gauge_test_read_line (out, 10000);
      g_clear_pointer (&object, json_object_unref);
      object = parse_line (line);
      g_free (line);
    }
  while (g_strcmp0 (json_object_get_string_member (object, "text"), "5h 95 % · wk 70 %") != 0);
  g_assert_cmpstr (json_object_get_string_member (object, "class"), ==, "critical");
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);

  g_subprocess_send_signal (follow, SIGTERM);
  g_subprocess_wait (follow, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (follow));
  g_assert_cmpint (g_subprocess_get_exit_status (follow), ==, 0);
}

/* `claude-gauge --status`'s standard output, whatever its exit status. */
static char *
run_status (Fixture *fixture)
{
  const char *args[] = { "--status", NULL };
  g_autoptr(GSubprocess) process = spawn (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE, args);

  return communicate (process, NULL);
}

/* Not signed in, with transcripts: the bar tells the local estimate as --status does, marked
 * as one; its class and percentage are the block's against its limit; alt still says why
 * there is no official figure, and the tooltip ends with how to get one. */
static void
test_local_estimate (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *line = NULL;
  g_autofree char *status = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;

  write_active_block ();
  line = run_waybar (fixture);
  object = parse_line (line);

  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "≈ 5h 97 %");
  g_assert_cmpstr (json_object_get_string_member (object, "class"), ==, "critical");
  g_assert_cmpint (json_object_get_int_member (object, "percentage"), ==, 97);
  g_assert_cmpstr (json_object_get_string_member (object, "alt"), ==, "no-credentials");
  g_assert_cmpstr (json_object_get_string_member (object, "account"), ==, "~/.claude");
  lines = g_strsplit (json_object_get_string_member (object, "tooltip"), "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >=, 6);
  g_assert_cmpstr (lines[0], ==, "Local estimate from Claude Code transcripts "
                                 "(not Anthropic’s official figures)");
  g_assert_true (g_str_has_prefix (lines[1], "5-hour block 20.7k tokens · $"));
  g_assert_true (g_str_has_prefix (lines[2],
                                   "97 % of the limit: 18.5k of 19k input + output tokens"));
  g_assert_true (g_str_has_prefix (lines[3], "Ends "));
  g_assert_nonnull (strstr (lines[3], "idle 10 min"));
  g_assert_true (g_str_has_prefix (lines[n - 2], "Since "));
  g_assert_cmpstr (lines[n - 1], ==, "Not signed in: run claude to sign in");
  assert_no_control_characters (json_object_get_string_member (object, "tooltip"), TRUE);

  /* The same figures --status prints, word for word. */
  status = run_status (fixture);
  g_assert_nonnull (strstr (status, lines[2]));
  g_assert_nonnull (strstr (status, lines[n - 2] + strlen ("Since 1 Dec")));
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 0);
}

/* An expired sign-in with no reading: the plan's limit from the sign-in (Max 5x, 88,000
 * input + output tokens), and the block well under it. */
static void
test_local_estimate_expired (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *path = gauge_test_write_credentials (dir, "sk-ant-oat01-waybar",
                                                        g_get_real_time () / 1000 - 3600000,
                                                        "default_claude_max_5x");
  g_autofree char *line = NULL;
  g_autoptr(JsonObject) object = NULL;

  write_active_block ();
  line = run_waybar (fixture);
  object = parse_line (line);

  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "≈ 5h 21 %");
  g_assert_cmpstr (json_object_get_string_member (object, "class"), ==, "normal");
  g_assert_cmpint (json_object_get_int_member (object, "percentage"), ==, 21);
  g_assert_cmpstr (json_object_get_string_member (object, "alt"), ==, "expired");
  g_assert_nonnull (strstr (json_object_get_string_member (object, "tooltip"),
                            "\n21 % of the limit: 18.5k of 88k input + output tokens (Max 5x)\n"));
}

/* No transcript at all: the line is what it always was. */
static void
test_no_transcripts (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *line = run_waybar (fixture);

  g_assert_cmpstr (line, ==,
                   "{\"text\":\"Claude –\",\"tooltip\":\"Not signed in: run claude to sign in\","
                   "\"class\":\"none\",\"alt\":\"no-credentials\",\"account\":\"~/.claude\"}\n");
}

/* The next line of --follow whose text is not @old. */
static JsonObject *
read_changed (GDataInputStream *out,
              const char       *old)
{
  JsonObject *object = NULL;

  do
    {
      g_autofree char *line = gauge_test_read_line (out, 20000);

      g_clear_pointer (&object, json_object_unref);
      object = parse_line (line);
    }
  while (g_strcmp0 (json_object_get_string_member (object, "text"), old) == 0);

  return object;
}

/* --follow without a sign-in: the estimate again when another process indexes new usage
 * (here --status), without the app and then with it (which indexes on its own). */
static void
test_follow_local (Fixture       *fixture,
                   gconstpointer  user_data)
{
  const char *args[] = { "--waybar", "--follow", NULL };
  g_autoptr(GSubprocess) follow = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *status = NULL;

  write_active_block ();
  follow = spawn (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE, args);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (follow));
  object = read_changed (out, NULL);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "≈ 5h 97 %");

  /* 200 more: 18,700 of 19,000. */
  write_usage ("m3", 1, 200, 0);
  status = run_status (fixture);
  g_clear_pointer (&object, json_object_unref);
  object = read_changed (out, "≈ 5h 97 %");
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "≈ 5h 98 %");
  g_assert_cmpint (json_object_get_int_member (object, "percentage"), ==, 98);

  /* The app comes, signed out as well; 150 more: 18,850 of 19,000. Once the app has read
   * its folder, its line is the one before and is not printed again; a slow start may say
   * "loading" for a while (the same estimate, another alt). */
  fixture->app = start_app (fixture);
  gauge_test_iterate_for (1500);
  write_usage ("m4", 0, 150, 0);
  do
    {
      g_clear_pointer (&object, json_object_unref);
      object = read_changed (out, "≈ 5h 98 %");
      g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "≈ 5h 99 %");
    }
  while (g_strcmp0 (json_object_get_string_member (object, "alt"), "loading") == 0);
  g_assert_cmpstr (json_object_get_string_member (object, "alt"), ==, "no-credentials");
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 0);

  g_subprocess_send_signal (follow, SIGTERM);
  g_subprocess_wait (follow, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (follow));
  g_assert_cmpint (g_subprocess_get_exit_status (follow), ==, 0);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* The reader goes away (waybar reloads, `| head -1`): --follow ends at once, cleanly, with
 * no new reading to write. */
static void
test_follow_closed_output (Fixture       *fixture,
                           gconstpointer  user_data)
{
  const char *args[] = { "--waybar", "--follow", NULL };
  g_autoptr(GSubprocess) follow = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  gboolean exited = FALSE;
  gint64 deadline;

  store_statusline (fixture, 41, 20);
  follow = spawn (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE, args);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (follow));
  line = gauge_test_read_line (out, 10000);
  g_assert_nonnull (strstr (line, "5h 41 % · wk 20 %"));

  g_input_stream_close (G_INPUT_STREAM (out), NULL, NULL);
  g_input_stream_close (g_subprocess_get_stdout_pipe (follow), NULL, NULL);
  g_subprocess_wait_async (follow, NULL, wait_cb, &exited);
  deadline = g_get_monotonic_time () + 3 * G_TIME_SPAN_SECOND;
  while (!exited && g_get_monotonic_time () < deadline)
    gauge_test_iterate_for (20);

  g_assert_true (exited);
  g_assert_true (g_subprocess_get_if_exited (follow));
  g_assert_cmpint (g_subprocess_get_exit_status (follow), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gauge_test_process_init ();

  g_test_add ("/waybar/stored-reading", Fixture, NULL, fixture_set_up, test_stored_reading,
              fixture_tear_down);
  g_test_add ("/waybar/rate-gate", Fixture, NULL, fixture_set_up, test_rate_gate,
              fixture_tear_down);
  g_test_add ("/waybar/cooldown", Fixture, NULL, fixture_set_up, test_cooldown,
              fixture_tear_down);
  g_test_add ("/waybar/hostile-app", Fixture, NULL, fixture_set_up, test_hostile_app,
              fixture_tear_down);
  g_test_add ("/waybar/follow", Fixture, NULL, fixture_set_up, test_follow, fixture_tear_down);
  g_test_add ("/waybar/follow-in-order", Fixture, NULL, fixture_set_up, test_follow_in_order,
              fixture_tear_down);
  g_test_add ("/waybar/follow-closed-output", Fixture, NULL, fixture_set_up,
              test_follow_closed_output, fixture_tear_down);
  g_test_add ("/waybar/local-estimate", Fixture, NULL, fixture_set_up, test_local_estimate,
              fixture_tear_down);
  g_test_add ("/waybar/local-estimate-expired", Fixture, NULL, fixture_set_up,
              test_local_estimate_expired, fixture_tear_down);
  g_test_add ("/waybar/no-transcripts", Fixture, NULL, fixture_set_up, test_no_transcripts,
              fixture_tear_down);
  g_test_add ("/waybar/follow-local", Fixture, NULL, fixture_set_up, test_follow_local,
              fixture_tear_down);

  return g_test_run ();
}
