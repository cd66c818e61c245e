/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-console-view"

#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gauge-admin-client.h"
#include "gauge-admin-key-group.h"
#include "gauge-clock.h"
#include "gauge-console-monitor.h"
#include "gauge-console-view.h"
#include "gauge-limit-bar.h"
#include "gauge-resources.h"
#include "gauge-test-ui.h"

/*
 * The Console page as a user sees it: a real monitor and client talking to a
 * loopback Admin API that serves a month of an organization, and assertions
 * on the text that ends up on screen.
 */

#define KEY      "sk-ant-admin01-test-0000000000000000000000000000wxyz"
#define MY_EMAIL "ada@example.com"
/* Names too long for a phone's width: cut at their end, whole in their tooltip. */
#define LONG_EMAIL "dana.whitfield-montgomery@research-division.example.com"
#define LONG_WORKSPACE "Research and Development, Autonomous Systems Group"

static AdwApplication *app;

/* --- A loopback Admin API ------------------------------------------------ */

typedef struct
{
  SoupServer *server;
  char       *base_url;
  guint       status;          /* every endpoint answers this when not 200 */
  char       *retry_after;
  guint       n_requests;
} Server;

static GDateTime *
fake_now (void)
{
  return g_date_time_new_utc (2025, 10, 17, 15, 0, 0);
}

/* Hundredths of a cent per day, varied so the chart has a shape. */
static gint64
sonnet_cost (int day) { return 123450 + (day % 4) * 40000; }
static gint64
opus_cost (int day)   { return 200000 + (day % 3) * 75000; }
static gint64
haiku_cost (int day)  { return 15025 + (day % 5) * 2500; }

static void
append_cost (GString    *out,
             const char *workspace,
             const char *model,
             gint64      hundredths,
             gboolean    first)
{
  g_string_append_printf (out,
    "%s{\"amount\":\"%" G_GINT64_FORMAT ".%02d\",\"currency\":\"USD\",\"workspace_id\":%s,"
    "\"description\":\"%s Usage - Input Tokens\",\"cost_type\":\"tokens\",\"model\":\"%s\","
    "\"token_type\":\"uncached_input_tokens\",\"service_tier\":\"standard\","
    "\"context_window\":\"0-200k\"}",
    first ? "" : ",", hundredths / 100, (int) (hundredths % 100), workspace, model, model);
}

static void
append_day_range (SoupServerMessage *msg,
                  int               *first_day,
                  int               *last_day)
{
  GHashTable *query = soup_server_message_get_uri (msg) != NULL
                      ? soup_form_decode (g_uri_get_query (soup_server_message_get_uri (msg)))
                      : NULL;
  const char *start = query != NULL ? g_hash_table_lookup (query, "starting_at") : NULL;
  const char *end = query != NULL ? g_hash_table_lookup (query, "ending_at") : NULL;
  g_autoptr(GDateTime) start_time = start != NULL ? g_date_time_new_from_iso8601 (start, NULL) : NULL;
  g_autoptr(GDateTime) end_time = end != NULL ? g_date_time_new_from_iso8601 (end, NULL) : NULL;

  *first_day = 1;
  *last_day = 17;
  if (start_time != NULL && g_date_time_get_month (start_time) == 10)
    *first_day = g_date_time_get_day_of_month (start_time);
  if (end_time != NULL && g_date_time_get_month (end_time) == 10)
    *last_day = MIN (17, g_date_time_get_day_of_month (end_time) - 1);
  g_clear_pointer (&query, g_hash_table_unref);
}

static char *
cost_report (SoupServerMessage *msg)
{
  GString *out = g_string_new ("{\"data\":[");
  int first, last;

  append_day_range (msg, &first, &last);
  for (int day = first; day <= last; day++)
    {
      g_string_append_printf (out,
        "%s{\"starting_at\":\"2025-10-%02dT00:00:00Z\",\"ending_at\":\"2025-10-%02dT00:00:00Z\","
        "\"results\":[", day == first ? "" : ",", day, day + 1);
      append_cost (out, "null", "claude-sonnet-4-5-20250929", sonnet_cost (day), TRUE);
      append_cost (out, "null", "claude-opus-4-1-20250805", opus_cost (day), FALSE);
      append_cost (out, "\"wrkspc_research\"", "claude-haiku-4-5-20251001", haiku_cost (day), FALSE);
      g_string_append (out, "]}");
    }
  g_string_append (out, "],\"has_more\":false,\"next_page\":null}");
  return g_string_free (out, FALSE);
}

static char *
messages_report (SoupServerMessage *msg)
{
  static const char *models[] = {
    "claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805", "claude-haiku-4-5-20251001",
  };
  GString *out = g_string_new ("{\"data\":[");
  int first, last;

  append_day_range (msg, &first, &last);
  for (int day = first; day <= last; day++)
    {
      g_string_append_printf (out,
        "%s{\"starting_at\":\"2025-10-%02dT00:00:00Z\",\"ending_at\":\"2025-10-%02dT00:00:00Z\","
        "\"results\":[", day == first ? "" : ",", day, day + 1);
      for (guint m = 0; m < G_N_ELEMENTS (models); m++)
        g_string_append_printf (out,
          "%s{\"uncached_input_tokens\":%u,\"cache_creation\":{\"ephemeral_1h_input_tokens\":0,"
          "\"ephemeral_5m_input_tokens\":%u},\"cache_read_input_tokens\":%u,\"output_tokens\":%u,"
          "\"server_tool_use\":{\"web_search_requests\":0},\"model\":\"%s\",\"api_key_id\":null,"
          "\"workspace_id\":null,\"service_tier\":null,\"context_window\":null}",
          m == 0 ? "" : ",", 120000 / (m + 1), 40000 / (m + 1), 900000 / (m + 1),
          30000 / (m + 1), models[m]);
      g_string_append (out, "]}");
    }
  g_string_append (out, "],\"has_more\":false,\"next_page\":null}");
  return g_string_free (out, FALSE);
}

static void
append_code_row (GString    *out,
                 const char *date,
                 const char *email,
                 int         scale,
                 gboolean    first)
{
  g_string_append_printf (out,
    "%s{\"date\":\"%s\",\"actor\":{\"type\":\"user_actor\",\"email_address\":\"%s\"},"
    "\"organization_id\":\"org_1\",\"customer_type\":\"api\",\"terminal_type\":\"vscode\","
    "\"core_metrics\":{\"num_sessions\":%d,\"lines_of_code\":{\"added\":%d,\"removed\":%d},"
    "\"commits_by_claude_code\":%d,\"pull_requests_by_claude_code\":%d},"
    "\"tool_actions\":{\"edit_tool\":{\"accepted\":%d,\"rejected\":%d},"
    "\"write_tool\":{\"accepted\":%d,\"rejected\":0}},"
    "\"model_breakdown\":[{\"model\":\"claude-sonnet-4-5-20250929\",\"tokens\":{\"input\":%d,"
    "\"output\":%d,\"cache_read\":%d,\"cache_creation\":%d},"
    "\"estimated_cost\":{\"currency\":\"USD\",\"amount\":%d}}]}",
    first ? "" : ",", date, email, 2 * scale, 310 * scale, 45 * scale, scale, scale / 2,
    18 * scale, scale, 4 * scale, 5000 * scale, 1200 * scale, 90000 * scale, 3000 * scale,
    215 * scale);
}

static char *
code_report (SoupServerMessage *msg)
{
  GHashTable *query = soup_form_decode (g_uri_get_query (soup_server_message_get_uri (msg)));
  const char *date = g_hash_table_lookup (query, "starting_at");
  GString *out = g_string_new ("{\"data\":[");

  if (date != NULL && g_str_has_prefix (date, "2025-10-1"))
    {
      append_code_row (out, date, MY_EMAIL, 3, TRUE);
      append_code_row (out, date, "grace@example.com", 2, FALSE);
      append_code_row (out, date, LONG_EMAIL, 1, FALSE);
    }
  g_string_append (out, "],\"has_more\":false,\"next_page\":null}");
  g_hash_table_unref (query);
  return g_string_free (out, FALSE);
}

static void
handle (SoupServer        *soup_server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Server *server = user_data;
  g_autofree char *body = NULL;
  gsize length;

  server->n_requests++;

  if (server->status != 200)
    {
      if (server->retry_after != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", server->retry_after);
      soup_server_message_set_status (msg, server->status, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"type\":\"error\",\"error\":{\"type\":\"error\"}}", 42);
      return;
    }

  if (g_str_equal (path, "/v1/organizations/me"))
    body = g_strdup ("{\"id\":\"org_1\",\"name\":\"Acme Robotics\",\"type\":\"organization\"}");
  else if (g_str_equal (path, "/v1/organizations/cost_report"))
    body = cost_report (msg);
  else if (g_str_equal (path, "/v1/organizations/usage_report/messages"))
    body = messages_report (msg);
  else if (g_str_equal (path, "/v1/organizations/usage_report/claude_code"))
    body = code_report (msg);
  else if (g_str_equal (path, "/v1/organizations/workspaces"))
    body = g_strdup ("{\"data\":[{\"id\":\"wrkspc_research\",\"name\":\"" LONG_WORKSPACE "\","
                     "\"display_color\":\"#8e44ad\",\"created_at\":\"2025-01-01T00:00:00Z\","
                     "\"archived_at\":null,\"type\":\"workspace\"}],\"has_more\":false,"
                     "\"first_id\":\"wrkspc_research\",\"last_id\":\"wrkspc_research\"}");
  else if (g_str_equal (path, "/v1/organizations/users"))
    body = g_strdup ("{\"data\":[{\"id\":\"user_1\",\"email\":\"" MY_EMAIL "\","
                     "\"name\":\"Ada Lovelace\",\"role\":\"admin\",\"type\":\"user\"},"
                     "{\"id\":\"user_2\",\"email\":\"grace@example.com\",\"name\":\"Grace Hopper\","
                     "\"role\":\"developer\",\"type\":\"user\"}],\"has_more\":false,"
                     "\"first_id\":\"user_1\",\"last_id\":\"user_2\"}");
  else if (g_str_equal (path, "/v1/organizations/api_keys"))
    body = g_strdup ("{\"data\":[],\"has_more\":false,\"first_id\":null,\"last_id\":null}");

  if (body == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  length = strlen (body);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&body), length);
}

static void
server_free (Server *server)
{
  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  g_free (server->base_url);
  g_free (server->retry_after);
  g_free (server);
}

static Server *
server_new (void)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *uri = NULL;

  server->status = 200;
  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, "/v1/organizations", handle, server, NULL);
  if (!soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("Cannot listen: %s", error->message);
  uris = soup_server_get_uris (server->server);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  server->base_url = g_strndup (uri, strlen (uri) - (g_str_has_suffix (uri, "/") ? 1 : 0));
  return server;
}

/* --- Fixture ------------------------------------------------------------- */

typedef struct
{
  Server              *server;
  GSettings           *settings;
  GaugeAdminClient    *client;
  GaugeConsoleMonitor *monitor;
  GtkWidget           *view;
  GtkWindow           *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GDateTime) now = fake_now ();

  gauge_test_ui_use_system_mime_dirs ();
  gauge_clock_set_fake (now);
  fixture->server = server_new ();
  g_setenv ("CLAUDE_GAUGE_ADMIN_API_BASE", fixture->server->base_url, TRUE);
  g_unsetenv ("ANTHROPIC_ADMIN_KEY");

  fixture->settings = g_settings_new (APPLICATION_ID);
  g_settings_reset (fixture->settings, "console-workspace-budgets");
  fixture->client = gauge_admin_client_new ();
  fixture->monitor = gauge_console_monitor_new (NULL, fixture->client);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (fixture->window);
  gauge_test_iterate_for (50);

  g_clear_object (&fixture->monitor);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->server, server_free);
  gauge_clock_set_fake (NULL);
}

static void
show_in_window (Fixture   *fixture,
                GtkWidget *child,
                int        width,
                int        height)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_widget_set_vexpand (child, TRUE);
  gtk_box_append (GTK_BOX (box), child);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_title (GTK_WINDOW (window), "Claude Gauge");
  fixture->window = GTK_WINDOW (window);
  gtk_window_present (fixture->window);

  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  gauge_test_iterate_for (400);
}

static void
show_view (Fixture *fixture,
           int      height)
{
  fixture->view = gauge_console_view_new (fixture->monitor, fixture->settings);
  gauge_console_view_set_user_email (GAUGE_CONSOLE_VIEW (fixture->view), MY_EMAIL);
  show_in_window (fixture, fixture->view, 860, height);
}

static void
update_once_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;

  gauge_monitor_update_once_finish (GAUGE_MONITOR (object), result, NULL);
  *done = TRUE;
}

static void
update_once (Fixture *fixture)
{
  gboolean done = FALSE;

  gauge_monitor_update_once_async (GAUGE_MONITOR (fixture->monitor), NULL, update_once_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  gauge_test_iterate_for (300);
}

/* What the page shows, without the menu items of an open popover; given a few seconds, as a
 * loaded machine may take them to draw a round's answer. */
#define assert_shows(widget, needle) \
  gauge_test_wait_shows_full ((widget), GAUGE_TEST_TEXT_SKIP_POPOVER_BUTTONS, (needle), 10000)
#define assert_not_shows(widget, needle) \
  gauge_test_assert_not_shows_full ((widget), GAUGE_TEST_TEXT_SKIP_POPOVER_BUTTONS, (needle))

static void
save_screenshots (Fixture    *fixture,
                  const char *stem)
{
  gauge_test_save_screenshots (fixture->window, "ui/console", stem);
}

static char *
expected_total (GaugeMicrocents *total_out,
                GaugeMicrocents *before_today_out)
{
  GaugeMicrocents total = 0, before_today = 0;

  for (int day = 1; day <= 17; day++)
    {
      gint64 hundredths = sonnet_cost (day) + opus_cost (day) + haiku_cost (day);
      GaugeMicrocents amount = hundredths * (GAUGE_MICROCENTS_PER_CENT / 100);

      total += amount;
      if (day < 17)
        before_today += amount;
    }
  if (total_out != NULL)
    *total_out = total;
  if (before_today_out != NULL)
    *before_today_out = before_today;
  return gauge_admin_format_dollars (total);
}

/* --- Cases --------------------------------------------------------------- */

static void
test_empty (Fixture       *fixture,
            gconstpointer  user_data)
{
  show_view (fixture, 560);

  assert_shows (fixture->view, "No Admin API Key");
  assert_shows (fixture->view,
                "Add an Admin API key in Preferences to see your organization’s spend.");
  g_assert_cmpuint (fixture->server->n_requests, ==, 0);
  save_screenshots (fixture, "screenshot-console-empty");
}

static void
test_report (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GVariant) budgets = NULL;
  g_autoptr(GPtrArray) bars = g_ptr_array_new ();
  g_autoptr(GDateTime) now = fake_now ();
  GaugeMicrocents total, before_today;
  g_autofree char *total_text = expected_total (&total, &before_today);
  g_autofree char *projection_text =
    gauge_admin_format_dollars (gauge_admin_project_month (total, before_today, now));
  GVariantBuilder builder;
  GaugeLimitBar *budget_bar = NULL;

  /* A budget for the named workspace, none for the default one. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sd}"));
  g_variant_builder_add (&builder, "{sd}", "wrkspc_research", 40.0);
  g_settings_set_value (fixture->settings, "console-workspace-budgets",
                        g_variant_builder_end (&builder));

  gauge_console_monitor_set_key (fixture->monitor, KEY);
  show_view (fixture, 1500);
  assert_shows (fixture->view, "Fetching your organization’s spend");

  update_once (fixture);
  g_assert_nonnull (gauge_console_monitor_get_report (fixture->monitor));

  assert_shows (fixture->view, "Acme Robotics");
  assert_shows (fixture->view, total_text);
  assert_shows (fixture->view, projection_text);
  assert_shows (fixture->view, "Projected by 31 Oct");
  assert_shows (fixture->view, "Month to date, 1 Oct – 17 Oct");

  /* The models, with their tokens */
  assert_shows (fixture->view, "Models");
  assert_shows (fixture->view, "Sonnet 4.5");
  assert_shows (fixture->view, "Opus 4.1");
  assert_shows (fixture->view, "Haiku 4.5");
  assert_not_shows (fixture->view, "claude-sonnet-4-5");
  assert_shows (fixture->view, "Cache read");

  /* Workspaces: the default one without a budget, Research against $40 */
  assert_shows (fixture->view, "Workspaces");
  assert_shows (fixture->view, "Default");
  assert_shows (fixture->view, "Research");
  assert_shows (fixture->view, "of $40.00");
  assert_shows (fixture->view, "of the monthly budget");
  assert_shows (fixture->view, "no budget set");

  gauge_test_find_all (fixture->view, GAUGE_TYPE_LIMIT_BAR, bars);
  g_assert_cmpuint (bars->len, ==, 2);
  for (guint i = 0; i < bars->len; i++)
    if (gtk_widget_get_sensitive (bars->pdata[i]))
      budget_bar = bars->pdata[i];
  g_assert_nonnull (budget_bar);
  g_assert_cmpfloat (gauge_limit_bar_get_utilization (budget_bar), >, 0);

  /* Claude Code: both people, by name, "You" on the signed-in one */
  assert_shows (fixture->view, "Claude Code");
  assert_shows (fixture->view, "Ada Lovelace");
  assert_shows (fixture->view, "Grace Hopper");
  assert_shows (fixture->view, "You");

  save_screenshots (fixture, "screenshot-console");

  /* A phone's width: the page fits, long names end in "…" (tooltip: the whole), the tables
   * scroll sideways. */
  g_assert_cmpint (gauge_test_min_width (fixture->window), <=, GAUGE_TEST_NARROW_WIDTH);
  gauge_test_resize (fixture->window, GAUGE_TEST_NARROW_WIDTH, 760);
  gauge_test_assert_ellipsized_end (gauge_test_find_label_by_tooltip (fixture->view, LONG_EMAIL),
                                    LONG_EMAIL);
  gauge_test_assert_ellipsized_end (gauge_test_find_label_by_tooltip (fixture->view,
                                                                      LONG_WORKSPACE),
                                    LONG_WORKSPACE);
  save_screenshots (fixture, "screenshot-console-360");
  {
    /* And at the main window's default size. */
    g_autoptr(GVariant) width = g_settings_get_default_value (fixture->settings, "window-width");
    g_autoptr(GVariant) height = g_settings_get_default_value (fixture->settings, "window-height");

    gauge_test_resize (fixture->window, g_variant_get_int32 (width), g_variant_get_int32 (height));
    save_screenshots (fixture, "screenshot-console-default");
  }
  gauge_test_resize (fixture->window, 860, 1500);

  /* Nobody else is "You" */
  gauge_console_view_set_user_email (GAUGE_CONSOLE_VIEW (fixture->view), "someone@else.org");
  /* The page is rebuilt in an idle callback: a moment on a loaded (or sanitized) build. */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *text = gauge_test_visible_text_full (fixture->view,
                                                            GAUGE_TEST_TEXT_SKIP_POPOVER_BUTTONS);

      if (strstr (text, "You\n") == NULL)
        break;
      gauge_test_iterate_for (100);
    }
  assert_not_shows (fixture->view, "You\n");

  /* A new budget redraws the bar from settings */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sd}"));
  g_variant_builder_add (&builder, "{sd}", "default", 100000.0);
  g_settings_set_value (fixture->settings, "console-workspace-budgets",
                        g_variant_builder_end (&builder));
  gauge_test_wait_shows_full (fixture->view, GAUGE_TEST_TEXT_SKIP_POPOVER_BUTTONS,
                              "of $100,000.00", 5000);
  budgets = g_settings_get_value (fixture->settings, "console-workspace-budgets");
  g_assert_cmpuint (g_variant_n_children (budgets), ==, 1);
}

static void
test_error (Fixture       *fixture,
            gconstpointer  user_data)
{
  guint status = GPOINTER_TO_UINT (user_data);

  fixture->server->status = status;
  if (status == 429)
    fixture->server->retry_after = g_strdup ("600");

  gauge_console_monitor_set_key (fixture->monitor, KEY);
  show_view (fixture, 560);
  update_once (fixture);

  switch (status)
    {
    case 401:
      assert_shows (fixture->view, "The Admin API key was refused");
      assert_shows (fixture->view, "wrong or has been revoked");
      assert_shows (fixture->view, "Open Preferences");
      save_screenshots (fixture, "screenshot-console-bad-key");
      break;
    case 403:
      assert_shows (fixture->view, "The key is missing a permission");
      break;
    case 429:
      /* 10 minutes from 15:00 UTC, in local time */
      {
        g_autoptr(GDateTime) now = fake_now ();
        g_autoptr(GDateTime) until_utc = g_date_time_add_minutes (now, 10);
        g_autoptr(GDateTime) until = g_date_time_to_local (until_utc);
        g_autofree char *clock = g_date_time_format (until, "%H:%M");

        assert_shows (fixture->view, "Rate limited until");
        assert_shows (fixture->view, clock);
        assert_shows (fixture->view, "before anything was loaded");
        assert_not_shows (fixture->view, "$0.00");
        assert_not_shows (fixture->view, "Open Preferences");
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* An error after a good round keeps the figures and says why above them. */
static void
test_offline_keeps_figures (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GDateTime) later = g_date_time_new_utc (2025, 10, 17, 15, 20, 0);
  g_autofree char *total_text = expected_total (NULL, NULL);

  gauge_console_monitor_set_key (fixture->monitor, KEY);
  show_view (fixture, 900);
  update_once (fixture);
  assert_shows (fixture->view, total_text);

  /* Nobody listens on the old port any more */
  soup_server_disconnect (fixture->server->server);
  gauge_clock_set_fake (later);
  update_once (fixture);

  assert_shows (fixture->view, "Offline");
  assert_shows (fixture->view, "Could not reach Anthropic");
  assert_shows (fixture->view, total_text);
  save_screenshots (fixture, "screenshot-console-offline");
}

static void
test_key_group_environment (Fixture       *fixture,
                            gconstpointer  user_data)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group;
  g_autofree char *text = NULL;

  g_setenv ("ANTHROPIC_ADMIN_KEY", KEY, TRUE);
  group = gauge_admin_key_group_new (fixture->client, fixture->monitor);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  show_in_window (fixture, page, 640, 360);

  assert_shows (group, "ANTHROPIC_ADMIN_KEY");
  assert_shows (group, "…wxyz");
  assert_not_shows (group, "Remove");
  text = gauge_test_visible_text_full (group, GAUGE_TEST_TEXT_SKIP_POPOVER_BUTTONS);
  g_assert_null (strstr (text, KEY));
  g_unsetenv ("ANTHROPIC_ADMIN_KEY");
}

/* The keyring is whatever the private bus offers: a real one when the runner starts
 * gnome-keyring, none otherwise; either way the words say what happened. */
static void
test_key_group_check (Fixture       *fixture,
                      gconstpointer  user_data)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = gauge_admin_key_group_new (fixture->client, fixture->monitor);
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *check = NULL;
  g_autofree char *text = NULL;

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  show_in_window (fixture, page, 640, 360);
  gauge_test_iterate_for (500);

  gauge_test_find_all (group, ADW_TYPE_PASSWORD_ENTRY_ROW, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  if (!gtk_widget_get_visible (entries->pdata[0]))
    {
      g_test_skip ("a key is already in this keyring");
      return;
    }
  gauge_test_find_all (group, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), "Save") == 0)
      check = buttons->pdata[i];
  g_assert_nonnull (check);

  /* Not a key at all */
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "hello");
  g_signal_emit_by_name (check, "clicked");
  gauge_test_wait_shows_full (group, GAUGE_TEST_TEXT_SKIP_POPOVER_BUTTONS,
                              "This is not an Admin API key", 5000);
  g_assert_cmpuint (fixture->server->n_requests, ==, 0);

  /* Refused by Anthropic */
  fixture->server->status = 401;
  gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), KEY);
  g_signal_emit_by_name (check, "clicked");
  gauge_test_iterate_for (600);
  assert_shows (group, "Anthropic refused this key");
  g_assert_cmpuint (fixture->server->n_requests, ==, 1);
  save_screenshots (fixture, "screenshot-console-key-refused");

  /* Accepted: saved, or a plain reason why the keyring would not take it */
  fixture->server->status = 200;
  g_signal_emit_by_name (check, "clicked");
  gauge_test_iterate_for (1500);
  text = gauge_test_visible_text_full (group, GAUGE_TEST_TEXT_SKIP_POPOVER_BUTTONS);
  if (strstr (text, "Acme Robotics") != NULL)
    {
      assert_shows (group, "saved in the keyring");
      assert_shows (group, "Remove");
      g_assert_true (gauge_console_monitor_has_key (fixture->monitor));
      save_screenshots (fixture, "screenshot-console-key-saved");
    }
  else
    assert_shows (group, "keyring");
  g_assert_null (strstr (text, KEY));
}

int
main (int   argc,
      char *argv[])
{
  /* Isolated XDG dirs, but the real icon theme and MIME database. */
  gauge_test_ui_init (&argc, &argv);
  g_assert_nonnull (gauge_get_resource ());

  app = gauge_test_ui_app_new (APPLICATION_ID);

  g_test_add ("/console-view/empty", Fixture, NULL,
              fixture_set_up, test_empty, fixture_tear_down);
  g_test_add ("/console-view/report", Fixture, NULL,
              fixture_set_up, test_report, fixture_tear_down);
  g_test_add ("/console-view/unauthorized", Fixture, GUINT_TO_POINTER (401),
              fixture_set_up, test_error, fixture_tear_down);
  g_test_add ("/console-view/forbidden", Fixture, GUINT_TO_POINTER (403),
              fixture_set_up, test_error, fixture_tear_down);
  g_test_add ("/console-view/rate-limited", Fixture, GUINT_TO_POINTER (429),
              fixture_set_up, test_error, fixture_tear_down);
  g_test_add ("/console-view/offline-keeps-figures", Fixture, NULL,
              fixture_set_up, test_offline_keeps_figures, fixture_tear_down);
  g_test_add ("/console-view/key-group/environment", Fixture, NULL,
              fixture_set_up, test_key_group_environment, fixture_tear_down);
  g_test_add ("/console-view/key-group/check", Fixture, NULL,
              fixture_set_up, test_key_group_check, fixture_tear_down);

  return gauge_test_ui_run (&app);
}
