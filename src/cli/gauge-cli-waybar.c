/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-cli-waybar"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <errno.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gauge-cli.h"
#include "gauge-cli-waybar.h"
#include "gauge-clock.h"
#include "gauge-enums.h"
#include "gauge-format.h"
#include "gauge-json.h"
#include "gauge-limits-glance.h"
#include "gauge-account.h"
#include "gauge-limit-kind.h"
#include "gauge-limits-monitor.h"
#include "gauge-limits-state.h"
#include "gauge-limits-variant.h"
#include "gauge-settings.h"

/*
 * `claude-gauge --waybar [--follow]`: waybar's custom-module JSON, one object a line: "text"
 * (the summary, plain), "tooltip" (a line per limit, the state, the plan and the reading's
 * time), "class" (the severity), "percentage" (the tray metric's limit), "alt" (the state)
 * and "account" (the first account's name, which the other fields describe). With no
 * official limit to show (not signed in, or no reading yet) but transcripts, the fields tell
 * the first account's local estimate as --status does, marked as one; "alt" still says the
 * state.
 *
 * The reading comes from the running app over its D-Bus API when it runs (no request at all),
 * otherwise from a monitor brought up to date once, as --status does: the stored reading
 * while it is fresh, Anthropic only when a request is due and the rate gate allows it.
 * --follow prints a line whenever it changes: on the app's PropertiesChanged, or every
 * half-minute and when the database changes (the local estimate too, with or without the
 * app); it follows the app as it comes and goes, and ends when standard output closes.
 */

#define APP_PATH      "/io/github/claudegauge/ClaudeGauge"
#define APP_INTERFACE "io.github.claudegauge.ClaudeGauge.Usage"
/* How long the app gets to answer; it answers from memory. */
#define APP_TIMEOUT_MS 2000
/* How often --follow looks at the database when the app does not run, besides when it
 * changes: a reading may come due. */
#define FOLLOW_STORE_SECONDS 30
/* A write to the database touches it and its WAL a few times: read once they settle. */
#define FOLLOW_STORE_DEBOUNCE_MS 300
/* The longest state word or plan, and state message, taken from the bus. */
#define MAX_WORD 64
#define MAX_MESSAGE 512

typedef struct
{
  GaugeLimitsSnapshot *snapshot;  /* nullable */
  char                *state;     /* a GaugeLimitsMonitorState nick */
  char                *message;   /* nullable: the state in a line */
  char                *plan;      /* nullable */
  char                *account;   /* nullable: the account's name (several accounts) */
  GaugeLocalSummary   *local;     /* nullable: the estimate, when no official limit shows */
} Reading;

static void
reading_clear (Reading *reading)
{
  g_clear_object (&reading->snapshot);
  g_clear_pointer (&reading->state, g_free);
  g_clear_pointer (&reading->message, g_free);
  g_clear_pointer (&reading->plan, g_free);
  g_clear_pointer (&reading->account, g_free);
  g_clear_object (&reading->local);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reading, reading_clear)

/* The first account's name, as the app would give it when it is the only one. */
static char *
account_name (GaugeLimitsMonitor *monitor)
{
  const char *email = gauge_limits_monitor_get_account_email (monitor);
  const char *plan = gauge_limits_monitor_get_plan_name (monitor);
  const char *folder = gauge_limits_monitor_get_folder (monitor);
  g_auto(GStrv) names = gauge_account_make_names (1, &email, &plan, &folder);

  return gauge_format_clean_text (names[0], FALSE);
}

static void
reading_from_monitor (Reading            *reading,
                      GaugeLimitsMonitor *monitor,
                      GDateTime          *now)
{
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (monitor);

  reading_clear (reading);
  reading->snapshot = snapshot != NULL ? g_object_ref (snapshot) : NULL;
  reading->state = g_strdup (gauge_enum_to_nick (GAUGE_TYPE_LIMITS_MONITOR_STATE,
                                                  gauge_limits_monitor_get_state (monitor)));
  reading->message = gauge_limits_state_describe (monitor, GAUGE_LIMITS_STATE_LINE, now, NULL);
  reading->plan = g_strdup (gauge_limits_monitor_get_plan_name (monitor));
  reading->account = account_name (monitor);
}

static char *
lookup_word (GVariant   *properties,
             const char *name)
{
  const char *value = NULL;

  if (!g_variant_lookup (properties, name, "&s", &value) || value[0] == '\0' ||
      strlen (value) > MAX_WORD)
    return NULL;

  return gauge_format_clean_text (value, FALSE);
}

/* The app's properties (GetAll's a{sv}) as a reading; what does not fit is left out. */
static void
reading_from_app (Reading  *reading,
                  GVariant *properties)
{
  g_autoptr(GVariant) limits = NULL;
  g_autoptr(GDateTime) fetched_at = NULL;
  const char *message = NULL;
  const char *source_name = NULL;
  GaugeSource source = GAUGE_SOURCE_OFFICIAL;
  gint64 updated_at = 0;

  reading_clear (reading);
  reading->state = lookup_word (properties, "State");
  reading->plan = lookup_word (properties, "Plan");
  if (g_variant_lookup (properties, "StateMessage", "&s", &message) && message[0] != '\0' &&
      strlen (message) <= MAX_MESSAGE)
    reading->message = gauge_format_clean_text (message, FALSE);
  if (g_variant_lookup (properties, "Account", "&s", &message) && message[0] != '\0' &&
      strlen (message) <= MAX_MESSAGE)
    reading->account = gauge_format_clean_text (message, FALSE);

  if (g_variant_lookup (properties, "Source", "&s", &source_name))
    gauge_source_from_string (source_name, &source);
  /* Year 2000 to 9999: a reading's time, or none. */
  if (g_variant_lookup (properties, "UpdatedAt", "x", &updated_at) &&
      updated_at > 946684800 && updated_at < 253402300799)
    fetched_at = g_date_time_new_from_unix_utc (updated_at);

  limits = g_variant_lookup_value (properties, "Limits", G_VARIANT_TYPE ("aa{sv}"));
  if (fetched_at != NULL && limits != NULL)
    reading->snapshot = gauge_limits_variant_parse (limits, source, fetched_at);
}

static gboolean
has_limits (const Reading *reading)
{
  return reading->snapshot != NULL && gauge_limits_snapshot_get_n_windows (reading->snapshot) > 0;
}

/* Without an official limit to show, the first account's local estimate, when there is any
 * transcript at all. */
static void
reading_add_local (Reading    *reading,
                   GaugeStore *store)
{
  g_autoptr(GaugeLocalSummary) summary = NULL;
  gboolean any_transcript = FALSE;

  g_clear_object (&reading->local);
  if (has_limits (reading))
    return;

  summary = gauge_cli_local_first_account (store, &any_transcript);
  if (summary != NULL && any_transcript)
    reading->local = g_steal_pointer (&summary);
}

/* "≈ 5h 46 %" against the block limit, "≈ 5h 20.7k tokens" without one, "≈ 5h –" with no
 * block open: plain, as the official summary. */
static char *
build_local_text (GaugeLocalSummary *summary)
{
  const GaugeBlock *block = gauge_local_summary_get_active_block (summary);
  const GaugeLimitKind *kind = gauge_limit_kind_lookup ("five_hour");
  g_autofree char *figure = NULL;
  double percent;

  if (gauge_local_summary_get_block_percent (summary, &percent))
    /* Whole percent, as --status shows the block. */
    figure = gauge_format_percent (round (percent));
  else if (block != NULL)
    {
      gint64 total = gauge_block_get_total_tokens (block);
      g_autofree char *tokens = gauge_format_tokens (total);

      /* Translators: a count of tokens, "20.7k tokens"; %s is the count, shortened */
      figure = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s token", "%s tokens",
                                             gauge_plural_n (total)),
                                tokens);
    }
  else
    figure = g_strdup ("–");

  /* ≈: an estimate, never to be taken for Anthropic's figure. */
  return g_strdup_printf ("≈ %s %s", kind->short_label, figure);
}

/* The estimate's heading and rows as --status prints them, one a line, then the state. */
static char *
build_local_tooltip (const Reading *reading)
{
  g_autoptr(GPtrArray) rows = gauge_cli_local_rows (reading->local);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (lines, g_strdup (gauge_cli_local_heading ()));
  for (guint i = 0; i + 1 < rows->len; i += 2)
    {
      const char *title = g_ptr_array_index (rows, i);
      const char *text = g_ptr_array_index (rows, i + 1);

      g_ptr_array_add (lines, title[0] != '\0' ? g_strdup_printf ("%s %s", title, text)
                                                : g_strdup (text));
    }
  /* Why there are no official figures, and what to do for them ("run claude to sign in"). */
  if (reading->message != NULL)
    g_ptr_array_add (lines, g_strdup (reading->message));

  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (GStrv) lines->pdata);
}

static char *
build_tooltip (const Reading *reading,
               GDateTime     *now)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  if (reading->local != NULL)
    return build_local_tooltip (reading);

  for (guint i = 0; reading->snapshot != NULL &&
                    i < gauge_limits_snapshot_get_n_windows (reading->snapshot); i++)
    g_ptr_array_add (lines,
                     gauge_limits_glance_window_line (gauge_limits_snapshot_get_window (reading->snapshot, i),
                                                      now, FALSE));

  if (reading->message != NULL)
    g_ptr_array_add (lines, g_strdup (reading->message));

  if (reading->snapshot != NULL)
    {
      GaugeLimitsSnapshot *snapshot = reading->snapshot;
      g_autofree char *clock = gauge_format_clock (gauge_limits_snapshot_get_fetched_at (snapshot),
                                                   now);
      const char *source = gauge_source_to_label (gauge_limits_snapshot_get_source (snapshot));

      /* A clock, not an age: the line changes only when the reading does. */
      g_ptr_array_add (lines, reading->plan != NULL
                       /* Translators: "Max 5x · updated 19:45 · official" */
                       ? g_strdup_printf (_("%s · updated %s · %s"), reading->plan, clock, source)
                       /* Translators: "updated 19:45 · official" */
                       : g_strdup_printf (_("updated %s · %s"), clock, source));
    }

  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (GStrv) lines->pdata);
}

/* One line of waybar's JSON, cleaned of control characters. */
static char *
build_line (const Reading *reading,
            GSettings     *settings)
{
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *metric = settings != NULL ? g_settings_get_string (settings, "tray-metric") : NULL;
  double warning = settings != NULL ? g_settings_get_double (settings, "warning-threshold") : 80;
  double critical = settings != NULL ? g_settings_get_double (settings, "critical-threshold") : 95;
  GaugeLimitWindow *picked = gauge_limits_glance_pick (reading->snapshot, metric);
  g_autofree char *summary =
    reading->local != NULL ? build_local_text (reading->local)
                           : gauge_limits_glance_summary (reading->snapshot);
  g_autofree char *tooltip = build_tooltip (reading, now);
  g_autofree char *clean_text = NULL;
  g_autofree char *clean_tooltip = NULL;
  const char *severity = "none";
  gboolean has_percentage = picked != NULL;
  double percentage = picked != NULL ? gauge_limit_window_get_utilization (picked) : 0;

  if (has_limits (reading))
    severity = gauge_enum_to_nick (GAUGE_TYPE_SEVERITY,
                                   gauge_limits_snapshot_get_severity (reading->snapshot,
                                                                       warning, critical));
  else if (reading->local != NULL)
    {
      /* As --status's exit status: the block against its limit, the week against its budget. */
      severity = gauge_enum_to_nick (GAUGE_TYPE_SEVERITY,
                                     gauge_cli_local_severity (reading->local, TRUE, warning,
                                                               critical));
      has_percentage = gauge_local_summary_get_block_percent (reading->local, &percentage);
    }
  if (summary[0] == '\0')
    {
      g_free (summary);
      /* Translators: waybar's text while there is no reading */
      summary = g_strdup (_("Claude –"));
    }
  clean_text = gauge_format_clean_text (summary, FALSE);
  clean_tooltip = gauge_format_clean_text (tooltip, TRUE);

  json_builder_begin_object (builder);
  gauge_json_add_string (builder, "text", clean_text);
  gauge_json_add_string (builder, "tooltip", clean_tooltip);
  gauge_json_add_string (builder, "class", severity);
  if (has_percentage)
    {
      json_builder_set_member_name (builder, "percentage");
      json_builder_add_int_value (builder, (gint64) CLAMP (round (percentage), 0, 100));
    }
  gauge_json_add_string (builder, "alt", reading->state != NULL ? reading->state : "unknown");
  /* Beside waybar's own fields: whose limits these are. */
  if (reading->account != NULL)
    gauge_json_add_string (builder, "account", reading->account);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  /* Not pretty: waybar reads one object a line; newlines inside strings are escaped. */
  return json_to_string (root, FALSE);
}

/* Writes @line and a newline; %FALSE when standard output is gone (a closed pipe). */
static gboolean
write_line (const char *line)
{
  if (fputs (line, stdout) == EOF || fputc ('\n', stdout) == EOF || fflush (stdout) == EOF)
    {
      g_debug ("Standard output is closed: %s", g_strerror (errno));
      return FALSE;
    }

  return TRUE;
}

/* --- Reading the app over D-Bus -------------------------------------------- */

static GVariant *
get_all_sync (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *properties = NULL;

  reply = g_dbus_connection_call_sync (connection, APPLICATION_ID, APP_PATH,
                                       "org.freedesktop.DBus.Properties", "GetAll",
                                       g_variant_new ("(s)", APP_INTERFACE),
                                       G_VARIANT_TYPE ("(a{sv})"),
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START, APP_TIMEOUT_MS, NULL,
                                       &error);
  if (reply == NULL)
    {
      g_debug ("The app did not answer: %s", error->message);
      return NULL;
    }

  g_variant_get (reply, "(@a{sv})", &properties);
  return properties;
}

static gboolean
app_is_running (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", APPLICATION_ID),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                       APP_TIMEOUT_MS, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);

  return owned;
}

/* --- Reading the database (and Anthropic when due) ------------------------- */

static void
reading_from_store (Reading            *reading,
                    GaugeLimitsMonitor *monitor)
{
  g_autoptr(GDateTime) now = NULL;

  gauge_cli_update_once (monitor);
  now = gauge_clock_now_utc ();
  reading_from_monitor (reading, monitor, now);
}

/* The first account's monitor, as the app's bar and --status have it. */
static GaugeLimitsMonitor *
new_monitor (GaugeStore *store,
             GSettings  *settings)
{
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();
  g_auto(GStrv) folders = gauge_cli_account_folders ();
  g_autofree char *path = gauge_account_credentials_path (folders[0]);
  GaugeLimitsMonitor *monitor = gauge_limits_monitor_new (store, client, path);

  if (settings != NULL)
    gauge_monitor_set_poll_interval (GAUGE_MONITOR (monitor),
                                     g_settings_get_uint (settings, "poll-interval"));
  return monitor;
}

/* --- Following ----------------------------------------------------------------- */

typedef struct
{
  GMainLoop          *loop;
  GSettings          *settings;
  GaugeStore         *store;
  GaugeLimitsMonitor *monitor;     /* only while the app does not run */
  GCancellable       *cancellable;  /* its update in flight */
  gboolean            store_again;  /* something changed while it was in flight */
  GDBusConnection    *connection;  /* only while the app runs */
  guint               watch_id;
  guint               changed_id;
  guint               store_timer_id;
  GFileMonitor       *store_monitor;   /* the database's folder */
  guint               store_debounce_id;
  char               *last_line;
  gboolean            local;        /* the last line told the local estimate */
} Follow;

static void
follow_print (Follow        *follow,
              const Reading *reading)
{
  g_autofree char *line = build_line (reading, follow->settings);

  if (g_strcmp0 (line, follow->last_line) == 0)
    return;

  if (!write_line (line))
    {
      g_main_loop_quit (follow->loop);
      return;
    }

  g_debug ("Printed %s", line);
  g_free (follow->last_line);
  follow->last_line = g_steal_pointer (&line);
  follow->local = reading->local != NULL;
}

static void
follow_app_read (Follow *follow)
{
  g_autoptr(GVariant) properties = get_all_sync (follow->connection);
  g_auto(Reading) reading = { 0 };

  if (properties == NULL)
    return;

  reading_from_app (&reading, properties);
  reading_add_local (&reading, follow->store);
  g_debug ("A reading from the app");
  follow_print (follow, &reading);
}

static void
app_changed_cb (GDBusConnection *connection,
                const char      *sender_name,
                const char      *object_path,
                const char      *interface_name,
                const char      *signal_name,
                GVariant        *parameters,
                gpointer         user_data)
{
  const char *changed_interface = NULL;

  g_variant_get (parameters, "(&s@a{sv}@as)", &changed_interface, NULL, NULL);
  if (g_strcmp0 (changed_interface, APP_INTERFACE) == 0)
    follow_app_read (user_data);
}

static void follow_store_read (Follow *follow);

static void
follow_update_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Follow *follow = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_auto(Reading) reading = { 0 };

  if (!gauge_monitor_update_once_finish (GAUGE_MONITOR (object), result, &error))
    {
      /* Cancelled: the app came, or we are ending; @follow may be gone. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("Update failed: %s", error->message);
    }

  g_clear_object (&follow->cancellable);
  now = gauge_clock_now_utc ();
  reading_from_monitor (&reading, GAUGE_LIMITS_MONITOR (object), now);
  reading_add_local (&reading, follow->store);
  g_debug ("A reading from the database");
  follow_print (follow, &reading);

  if (follow->store_again && follow->monitor != NULL)
    {
      follow->store_again = FALSE;
      follow_store_read (follow);
    }
}

/* One update at a time; a change meanwhile asks for one more after it. */
static void
follow_store_read (Follow *follow)
{
  if (follow->cancellable != NULL)
    {
      follow->store_again = TRUE;
      return;
    }

  follow->cancellable = g_cancellable_new ();
  gauge_monitor_update_once_async (GAUGE_MONITOR (follow->monitor), follow->cancellable,
                                   follow_update_cb, follow);
}

/* The half-minute and the database's changes: without the app, the reading may be due;
 * with it, the app tells its own changes, but not those of the local estimate. */
static gboolean
store_timer_cb (gpointer user_data)
{
  Follow *follow = user_data;

  if (follow->monitor != NULL)
    follow_store_read (follow);
  else if (follow->connection != NULL && follow->local)
    follow_app_read (follow);

  return G_SOURCE_CONTINUE;
}

static gboolean
store_settled_cb (gpointer user_data)
{
  Follow *follow = user_data;

  follow->store_debounce_id = 0;
  store_timer_cb (follow);

  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (GFileMonitor      *monitor,
                  GFile             *file,
                  GFile             *other_file,
                  GFileMonitorEvent  event,
                  gpointer           user_data)
{
  Follow *follow = user_data;

  g_clear_handle_id (&follow->store_debounce_id, g_source_remove);
  follow->store_debounce_id = g_timeout_add (FOLLOW_STORE_DEBOUNCE_MS, store_settled_cb, follow);
}

/* Stops reading the database's reading: the app has come, or we are ending. */
static void
follow_store_stop (Follow *follow)
{
  g_cancellable_cancel (follow->cancellable);
  g_clear_object (&follow->cancellable);
  follow->store_again = FALSE;
  g_clear_object (&follow->monitor);
}

/* The half-minute and the database's folder, watched whether the app runs or not. The
 * folder is there once the store has been opened; before that, GLib's file monitor watches
 * for it to appear. */
static void
follow_watch_store (Follow *follow)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;

  if (follow->store_timer_id == 0)
    follow->store_timer_id = g_timeout_add_seconds (FOLLOW_STORE_SECONDS, store_timer_cb, follow);
  if (follow->store_monitor != NULL)
    return;

  file = g_file_new_for_path (gauge_store_get_path (follow->store));
  dir = g_file_get_parent (file);
  follow->store_monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_NONE, NULL, &error);
  if (follow->store_monitor == NULL)
    g_debug ("Not watching the database: %s", error->message);
  else
    g_signal_connect (follow->store_monitor, "changed", G_CALLBACK (store_changed_cb), follow);
}

static void
follow_unwatch_store (Follow *follow)
{
  g_clear_handle_id (&follow->store_timer_id, g_source_remove);
  g_clear_handle_id (&follow->store_debounce_id, g_source_remove);
  if (follow->store_monitor != NULL)
    g_signal_handlers_disconnect_by_data (follow->store_monitor, follow);
  g_clear_object (&follow->store_monitor);
}

static void
follow_store_start (Follow *follow)
{
  if (follow->monitor == NULL)
    follow->monitor = new_monitor (follow->store, follow->settings);
  follow_store_read (follow);
  follow_watch_store (follow);
}

static void
app_appeared_cb (GDBusConnection *connection,
                 const char      *name,
                 const char      *name_owner,
                 gpointer         user_data)
{
  Follow *follow = user_data;

  g_debug ("Following the app (%s) over D-Bus", name_owner);
  follow_store_stop (follow);

  g_set_object (&follow->connection, connection);
  follow->changed_id =
    g_dbus_connection_signal_subscribe (connection, name_owner, "org.freedesktop.DBus.Properties",
                                        "PropertiesChanged", APP_PATH, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, app_changed_cb, follow, NULL);
  follow_app_read (follow);
  follow_watch_store (follow);
}

static void
app_vanished_cb (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  Follow *follow = user_data;

  g_debug ("Following the database");
  if (follow->changed_id != 0)
    g_dbus_connection_signal_unsubscribe (follow->connection, follow->changed_id);
  follow->changed_id = 0;
  g_clear_object (&follow->connection);

  follow_store_start (follow);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_CONTINUE;
}

/* The reader closed the pipe: poll() says so on the write end, before any write fails. */
static gboolean
stdout_closed_cb (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  g_debug ("Standard output was closed");
  g_main_loop_quit (user_data);

  /* Removed once the loop has stopped. */
  return G_SOURCE_CONTINUE;
}

static int
follow_run (GaugeStore *store,
            GSettings  *settings)
{
  Follow follow = { 0 };
  guint sigterm_id, sigint_id, sighup_id, stdout_id;

  follow.loop = g_main_loop_new (NULL, FALSE);
  follow.settings = settings;
  follow.store = store;

  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, follow.loop);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, follow.loop);
  sighup_id = g_unix_signal_add (SIGHUP, quit_cb, follow.loop);
  stdout_id = g_unix_fd_add (STDOUT_FILENO, G_IO_ERR | G_IO_HUP, stdout_closed_cb, follow.loop);

  /* With no session bus (over SSH) the name is simply never there. */
  follow.watch_id = g_bus_watch_name (G_BUS_TYPE_SESSION, APPLICATION_ID,
                                      G_BUS_NAME_WATCHER_FLAGS_NONE, app_appeared_cb,
                                      app_vanished_cb, &follow, NULL);
  g_main_loop_run (follow.loop);

  g_bus_unwatch_name (follow.watch_id);
  if (follow.changed_id != 0)
    g_dbus_connection_signal_unsubscribe (follow.connection, follow.changed_id);
  follow_store_stop (&follow);
  follow_unwatch_store (&follow);
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_source_remove (sighup_id);
  g_source_remove (stdout_id);
  g_clear_object (&follow.connection);
  g_free (follow.last_line);
  g_main_loop_unref (follow.loop);

  return 0;
}

/**
 * gauge_cli_waybar:
 * @follow: keep running and print a line whenever the reading changes
 *
 * Returns: 0; what is wrong shows in the line itself (its class and alt)
 */
int
gauge_cli_waybar (gboolean follow)
{
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GSettings) settings = gauge_settings_new_if_installed ();
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) properties = NULL;
  g_auto(Reading) reading = { 0 };
  g_autofree char *line = NULL;

  /* A closed pipe is an error from write, not a signal that kills us mid-line. */
  signal (SIGPIPE, SIG_IGN);

  if (follow)
    return follow_run (store, settings);

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (connection != NULL && app_is_running (connection))
    properties = get_all_sync (connection);

  if (properties != NULL)
    reading_from_app (&reading, properties);
  else
    {
      g_autoptr(GaugeLimitsMonitor) monitor = new_monitor (store, settings);

      reading_from_store (&reading, monitor);
      if (gauge_limits_monitor_get_store_message (monitor) != NULL)
        g_printerr ("%s\n", gauge_limits_monitor_get_store_message (monitor));
    }
  reading_add_local (&reading, store);

  line = build_line (&reading, settings);
  write_line (line);

  return 0;
}
