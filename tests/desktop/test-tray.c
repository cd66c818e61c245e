/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-tray"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gauge-test-admin-server.h"
#include "gauge-autostart.h"
#include "gauge-clock.h"
#include "gauge-console-monitor.h"
#include "gauge-dbus-menu.h"
#include "gauge-desktop-enums.h"
#include "gauge-limit-kind.h"
#include "gauge-limits-monitor.h"
#include "gauge-store.h"
#include "gauge-test-server.h"
#include "gauge-tray.h"
#include "gauge-tray-icon.h"
#include "gauge-limits-client.h"

/*
 * The tray as a host sees it, on the private session bus of dbus-run-session:
 * an in-test StatusNotifierWatcher, the item on its own connection, a real
 * monitor against the loopback API.
 */

#define WATCHER_NAME "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH "/StatusNotifierWatcher"

static const char watcher_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierWatcher'>"
  "    <method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
  "    <method name='RegisterStatusNotifierHost'><arg type='s' direction='in'/></method>"
  "    <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "    <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "    <property name='ProtocolVersion' type='i' access='read'/>"
  "    <signal name='StatusNotifierItemRegistered'><arg type='s'/></signal>"
  "    <signal name='StatusNotifierHostRegistered'/>"
  "  </interface>"
  "</node>";

typedef struct
{
  GaugeTestServer  *server;
  char             *credentials_dir;
  char             *credentials_path;
  GSettings        *settings;
  GaugeLimitsMonitor     *monitor;

  GDBusConnection  *watcher_connection;
  GDBusNodeInfo    *watcher_info;
  guint             watcher_object_id;
  guint             watcher_owner_id;
  gboolean          watcher_owned;
  GPtrArray        *registrations;   /* service names, one per RegisterStatusNotifierItem */

  GDBusConnection  *tray_connection;
  GSimpleActionGroup *actions;
  GHashTable       *activations;     /* action name → count */
  GaugeTray        *tray;

  guint             signal_id;
  GPtrArray        *signals;         /* "Interface.Member" the tray sent */
} Fixture;

/* --- Helpers ------------------------------------------------------------- */

static void
iterate_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2 * G_TIME_SPAN_MILLISECOND);
}

static void
skip_ahead (GTimeSpan span)
{
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add (now, span);

  gauge_clock_set_fake (later);
}

static void
action_cb (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  Fixture *fixture = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (fixture->activations, name));

  g_hash_table_insert (fixture->activations, g_strdup (name), GUINT_TO_POINTER (count + 1));
}

static guint
activations (Fixture    *fixture,
             const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->activations, name));
}

static void
watcher_method_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  Fixture *fixture = user_data;
  const char *service;

  g_variant_get (parameters, "(&s)", &service);
  if (g_str_equal (method_name, "RegisterStatusNotifierItem"))
    {
      g_ptr_array_add (fixture->registrations, g_strdup (service));
      g_dbus_connection_emit_signal (connection, NULL, WATCHER_PATH, WATCHER_NAME,
                                     "StatusNotifierItemRegistered",
                                     g_variant_new ("(s)", service), NULL);
    }

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
watcher_property_cb (GDBusConnection  *connection,
                     const char       *sender,
                     const char       *object_path,
                     const char       *interface_name,
                     const char       *property_name,
                     GError          **error,
                     gpointer          user_data)
{
  Fixture *fixture = user_data;

  if (g_str_equal (property_name, "IsStatusNotifierHostRegistered"))
    return g_variant_new_boolean (TRUE);
  if (g_str_equal (property_name, "ProtocolVersion"))
    return g_variant_new_int32 (0);

  return g_variant_new_strv ((const char * const *) fixture->registrations->pdata,
                             fixture->registrations->len);
}

static const GDBusInterfaceVTable watcher_vtable = { watcher_method_cb, watcher_property_cb, NULL };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((Fixture *) user_data)->watcher_owned = TRUE;
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  ((Fixture *) user_data)->watcher_owned = FALSE;
}

static gboolean
watcher_is_owned (gpointer data)
{
  return ((Fixture *) data)->watcher_owned;
}

static void
watcher_start (Fixture *fixture)
{
  fixture->watcher_owner_id =
    g_bus_own_name_on_connection (fixture->watcher_connection, WATCHER_NAME,
                                  G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb, name_lost_cb,
                                  fixture, NULL);
  gauge_test_wait_until (watcher_is_owned, fixture, 5000);
}

static void
watcher_stop (Fixture *fixture)
{
  g_clear_handle_id (&fixture->watcher_owner_id, g_bus_unown_name);
  fixture->watcher_owned = FALSE;
}

static void
signal_cb (GDBusConnection *connection,
           const char      *sender_name,
           const char      *object_path,
           const char      *interface_name,
           const char      *signal_name,
           GVariant        *parameters,
           gpointer         user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->signals, g_strdup_printf ("%s.%s", interface_name, signal_name));
}

static guint
count_signals (Fixture    *fixture,
               const char *name)
{
  guint n = 0;

  for (guint i = 0; i < fixture->signals->len; i++)
    if (g_str_has_suffix (fixture->signals->pdata[i], name))
      n++;

  return n;
}

static gboolean
monitor_settled (gpointer data)
{
  Fixture *fixture = data;

  return gauge_limits_monitor_get_state (fixture->monitor) != GAUGE_LIMITS_MONITOR_STATE_LOADING &&
         !gauge_monitor_get_busy (GAUGE_MONITOR (fixture->monitor));
}

static gboolean
tray_registered (gpointer data)
{
  Fixture *fixture = data;

  return gauge_tray_get_registered (fixture->tray) && gauge_tray_get_host_present (fixture->tray);
}

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Asynchronous: the item answers from this thread's main context. */
static GVariant *
call_tray (Fixture            *fixture,
           const char         *path,
           const char         *interface,
           const char         *method,
           GVariant           *parameters,
           const GVariantType *reply_type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GVariant *reply;

  g_dbus_connection_call (fixture->watcher_connection,
                          g_dbus_connection_get_unique_name (fixture->tray_connection),
                          path, interface, method, parameters, reply_type,
                          G_DBUS_CALL_FLAGS_NONE, 5000, NULL, call_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply = g_dbus_connection_call_finish (fixture->watcher_connection, result, &error);
  g_assert_no_error (error);

  return reply;
}

static GVariant *
get_property (Fixture    *fixture,
              const char *name)
{
  g_autoptr(GVariant) reply = call_tray (fixture, "/StatusNotifierItem",
                                         "org.freedesktop.DBus.Properties", "Get",
                                         g_variant_new ("(ss)", "org.kde.StatusNotifierItem",
                                                        name),
                                         G_VARIANT_TYPE ("(v)"));
  GVariant *value;

  g_variant_get (reply, "(v)", &value);
  return value;
}

static char *
get_string_property (Fixture    *fixture,
                     const char *name)
{
  g_autoptr(GVariant) value = get_property (fixture, name);

  return g_variant_dup_string (value, NULL);
}

/* --- Fixture ------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const GActionEntry entries[] = {
    { "refresh", action_cb }, { "toggle-window", action_cb }, { "show-window", action_cb },
    { "preferences", action_cb }, { "quit", action_cb },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *store_path = NULL;
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeLimitsClient) client = NULL;
  g_autofree char *body = gauge_test_usage_json (48.0, 82.5);
  gint64 expires_ms = (g_get_real_time () / 1000) + 8 * 3600 * 1000;
  g_autofree char *credentials = NULL;

  fixture->server = gauge_test_server_new ();
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  g_setenv ("CLAUDE_GAUGE_API_BASE", gauge_test_server_get_base_url (fixture->server), TRUE);

  fixture->credentials_dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  credentials = gauge_test_write_credentials (fixture->credentials_dir, "sk-ant-oat01-test",
                                              expires_ms, "default_claude_max_5x");
  fixture->credentials_path = g_steal_pointer (&credentials);
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  store_path = g_build_filename (g_get_user_data_dir (), "claude-gauge", "history.db", NULL);

  fixture->settings = g_settings_new (APPLICATION_ID);
  g_settings_reset (fixture->settings, "tray-metric");
  g_settings_reset (fixture->settings, "warning-threshold");
  g_settings_reset (fixture->settings, "critical-threshold");

  store = gauge_store_new (store_path);
  client = gauge_limits_client_new ();
  fixture->monitor = gauge_limits_monitor_new (store, client, fixture->credentials_path);
  gauge_limits_monitor_start (fixture->monitor);
  gauge_test_wait_until (monitor_settled, fixture, 10000);
  g_assert_cmpint (gauge_limits_monitor_get_state (fixture->monitor), ==, GAUGE_LIMITS_MONITOR_STATE_OK);

  fixture->watcher_connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  fixture->watcher_info = g_dbus_node_info_new_for_xml (watcher_xml, &error);
  g_assert_no_error (error);
  fixture->watcher_object_id =
    g_dbus_connection_register_object (fixture->watcher_connection, WATCHER_PATH,
                                       fixture->watcher_info->interfaces[0], &watcher_vtable,
                                       fixture, NULL, &error);
  g_assert_no_error (error);
  fixture->registrations = g_ptr_array_new_with_free_func (g_free);

  /* The item gets its own connection, as the app has: a unique name of its own. */
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  fixture->tray_connection =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);

  fixture->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (fixture->actions), entries,
                                   G_N_ELEMENTS (entries), fixture);
  fixture->activations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  fixture->signals = g_ptr_array_new_with_free_func (g_free);
  fixture->signal_id =
    g_dbus_connection_signal_subscribe (fixture->watcher_connection,
                                        g_dbus_connection_get_unique_name (fixture->tray_connection),
                                        NULL, NULL, NULL, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        signal_cb, fixture, NULL);
}

static void
fixture_start_tray (Fixture *fixture)
{
  fixture->tray = gauge_tray_new_for_connection (fixture->tray_connection,
                                                 G_ACTION_GROUP (fixture->actions),
                                                 fixture->monitor, fixture->settings);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->tray);
  watcher_stop (fixture);
  g_dbus_connection_signal_unsubscribe (fixture->watcher_connection, fixture->signal_id);
  g_dbus_connection_unregister_object (fixture->watcher_connection, fixture->watcher_object_id);
  iterate_for (50);
  g_clear_pointer (&fixture->watcher_info, g_dbus_node_info_unref);
  g_clear_object (&fixture->watcher_connection);
  g_dbus_connection_close_sync (fixture->tray_connection, NULL, NULL);
  g_clear_object (&fixture->tray_connection);
  g_clear_object (&fixture->actions);
  g_clear_pointer (&fixture->activations, g_hash_table_unref);
  g_clear_pointer (&fixture->registrations, g_ptr_array_unref);
  g_clear_pointer (&fixture->signals, g_ptr_array_unref);
  g_clear_object (&fixture->monitor);
  g_clear_object (&fixture->settings);
  gauge_clock_set_fake (NULL);
  g_clear_pointer (&fixture->server, gauge_test_server_free);
  g_clear_pointer (&fixture->credentials_dir, g_free);
  g_clear_pointer (&fixture->credentials_path, g_free);
}

/* --- Cases --------------------------------------------------------------- */

static void
test_registration_and_properties (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GVariant) pixmaps = NULL;
  g_autoptr(GVariant) tooltip = NULL;
  g_autoptr(GVariant) menu = NULL;
  g_autoptr(GVariant) is_menu = NULL;
  g_autofree char *value = NULL;
  const char *icon_name, *title, *body;
  GVariantIter iter;
  int width, height, expected_sizes[] = { 16, 22, 24, 32, 48 };
  guint i = 0;
  GVariant *bytes;

  watcher_start (fixture);
  fixture_start_tray (fixture);
  gauge_test_wait_until (tray_registered, fixture, 5000);

  /* Registered once, by the unique name of the item's connection. */
  g_assert_cmpuint (fixture->registrations->len, ==, 1);
  g_assert_cmpstr (fixture->registrations->pdata[0], ==,
                   g_dbus_connection_get_unique_name (fixture->tray_connection));

  value = get_string_property (fixture, "Id");
  g_assert_cmpstr (value, ==, APPLICATION_ID);
  g_free (value);
  value = get_string_property (fixture, "Category");
  g_assert_cmpstr (value, ==, "ApplicationStatus");
  g_free (value);
  value = get_string_property (fixture, "Title");
  g_assert_cmpstr (value, ==, "Claude Gauge");
  g_free (value);
  value = get_string_property (fixture, "Status");
  g_assert_cmpstr (value, ==, "Active");
  g_free (value);
  /* With a reading, the ring (IconPixmap) is what hosts must show. */
  value = get_string_property (fixture, "IconName");
  g_assert_cmpstr (value, ==, "");

  pixmaps = get_property (fixture, "IconPixmap");
  g_assert_cmpstr (g_variant_get_type_string (pixmaps), ==, "a(iiay)");
  g_assert_cmpuint (g_variant_n_children (pixmaps), ==, G_N_ELEMENTS (expected_sizes));
  g_variant_iter_init (&iter, pixmaps);
  while (g_variant_iter_next (&iter, "(ii@ay)", &width, &height, &bytes))
    {
      const guint8 *data;
      gsize n;

      g_assert_cmpint (width, ==, expected_sizes[i]);
      g_assert_cmpint (height, ==, expected_sizes[i]);
      data = g_variant_get_fixed_array (bytes, &n, 1);
      g_assert_cmpuint (n, ==, (gsize) width * height * 4);
      /* Network byte order: alpha first. The corner is outside the disc, the middle inside. */
      g_assert_cmpuint (data[0], ==, 0);
      g_assert_cmpuint (data[((height / 2) * width + width / 2) * 4], >, 150);
      g_variant_unref (bytes);
      i++;
    }

  tooltip = get_property (fixture, "ToolTip");
  g_assert_cmpstr (g_variant_get_type_string (tooltip), ==, "(sa(iiay)ss)");
  g_variant_get (tooltip, "(&s@a(iiay)&s&s)", &icon_name, NULL, &title, &body);
  g_assert_cmpstr (title, ==, "Claude Gauge");
  g_test_message ("Tooltip:\n%s", body);
  g_assert_nonnull (strstr (body, "5-hour 48 % · resets "));
  g_assert_nonnull (strstr (body, "Weekly 82.5 % · resets "));
  g_assert_null (strstr (body, "Updated"));

  menu = get_property (fixture, "Menu");
  g_assert_cmpstr (g_variant_get_string (menu, NULL), ==, "/StatusNotifierItem/Menu");
  is_menu = get_property (fixture, "ItemIsMenu");
  g_assert_false (g_variant_get_boolean (is_menu));
}

static gboolean
tray_unregistered (gpointer data)
{
  Fixture *fixture = data;

  return !gauge_tray_get_registered (fixture->tray) && !gauge_tray_get_host_present (fixture->tray);
}

static gboolean
two_registrations (gpointer data)
{
  return ((Fixture *) data)->registrations->len == 2;
}

static void
test_reregistration (Fixture       *fixture,
                     gconstpointer  user_data)
{
  /* No watcher yet: no host, nothing registered; the first watcher gets the item. */
  fixture_start_tray (fixture);
  iterate_for (200);
  g_assert_false (gauge_tray_get_host_present (fixture->tray));
  watcher_start (fixture);
  gauge_test_wait_until (tray_registered, fixture, 5000);
  g_assert_cmpuint (fixture->registrations->len, ==, 1);

  /* The panel restarts: the item goes, then registers again. */
  watcher_stop (fixture);
  gauge_test_wait_until (tray_unregistered, fixture, 5000);
  watcher_start (fixture);
  gauge_test_wait_until (two_registrations, fixture, 5000);
  gauge_test_wait_until (tray_registered, fixture, 5000);
  g_assert_cmpstr (fixture->registrations->pdata[1], ==,
                   g_dbus_connection_get_unique_name (fixture->tray_connection));
}

static void
test_menu (Fixture       *fixture,
           gconstpointer  user_data)
{
  static const struct { int id; const char *label; const char *action; } expected[] = {
    { GAUGE_DBUS_MENU_ID_ROW, "5-hour: 48 % · resets ", NULL },
    { GAUGE_DBUS_MENU_ID_ROW + 1, "Weekly: 82.5 % · resets ", NULL },
    { GAUGE_DBUS_MENU_ID_SEPARATOR_ROWS, NULL, NULL },
    { GAUGE_DBUS_MENU_ID_REFRESH, "_Refresh Now", "refresh" },
    { GAUGE_DBUS_MENU_ID_OPEN, "_Open Claude Gauge", "show-window" },
    { GAUGE_DBUS_MENU_ID_PREFERENCES, "_Preferences", "preferences" },
    { GAUGE_DBUS_MENU_ID_SEPARATOR_QUIT, NULL, NULL },
    { GAUGE_DBUS_MENU_ID_QUIT, "_Quit", "quit" },
  };
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) children = NULL;
  g_autoptr(GVariant) root_props = NULL;
  g_autoptr(GVariant) version = NULL;
  const char *children_display;
  guint revision;
  int root_id;

  watcher_start (fixture);
  fixture_start_tray (fixture);
  gauge_test_wait_until (tray_registered, fixture, 5000);

  reply = call_tray (fixture, "/StatusNotifierItem/Menu", "com.canonical.dbusmenu", "GetLayout",
                     g_variant_new ("(ii^as)", 0, -1, (const char *[]) { NULL }), G_VARIANT_TYPE ("(u(ia{sv}av))"));
  g_variant_get (reply, "(u(i@a{sv}@av))", &revision, &root_id, &root_props, &children);
  g_assert_cmpint (root_id, ==, 0);
  g_assert_true (g_variant_lookup (root_props, "children-display", "&s", &children_display));
  g_assert_cmpstr (children_display, ==, "submenu");
  g_assert_cmpuint (g_variant_n_children (children), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) item = g_variant_get_variant (child);
      g_autoptr(GVariant) props = NULL;
      g_autoptr(GVariant) grandchildren = NULL;
      const char *label = NULL, *type = NULL;
      gboolean enabled = TRUE;
      int id;

      g_variant_get (item, "(i@a{sv}@av)", &id, &props, &grandchildren);
      g_assert_cmpint (id, ==, expected[i].id);
      g_variant_lookup (props, "label", "&s", &label);
      g_variant_lookup (props, "type", "&s", &type);
      g_variant_lookup (props, "enabled", "b", &enabled);
      if (expected[i].label == NULL)
        g_assert_cmpstr (type, ==, "separator");
      else
        g_assert_true (g_str_has_prefix (label, expected[i].label));
      /* Limit rows are information, not commands. */
      g_assert_true (enabled == (expected[i].action != NULL || expected[i].label == NULL));

      if (expected[i].action != NULL)
        {
          g_autoptr(GVariant) event_reply = NULL;

          g_assert_cmpuint (activations (fixture, expected[i].action), ==, 0);
          event_reply = call_tray (fixture, "/StatusNotifierItem/Menu", "com.canonical.dbusmenu",
                                   "Event",
                                   g_variant_new ("(isvu)", id, "clicked",
                                                  g_variant_new_int32 (0), 0),
                                   NULL);
          iterate_for (20);
          g_assert_cmpuint (activations (fixture, expected[i].action), ==, 1);
        }
    }

  /* The other calls hosts make. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_tray (fixture, "/StatusNotifierItem/Menu", "com.canonical.dbusmenu", "AboutToShow",
                     g_variant_new ("(i)", 0), G_VARIANT_TYPE ("(b)"));
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_tray (fixture, "/StatusNotifierItem/Menu", "com.canonical.dbusmenu",
                     "GetGroupProperties",
                     g_variant_new ("(@ai^as)",
                                    g_variant_new_fixed_array (G_VARIANT_TYPE_INT32,
                                                               (gint32[]) { 1, 4 }, 2,
                                                               sizeof (gint32)),
                                    (const char *[]) { "label", NULL }),
                     G_VARIANT_TYPE ("(a(ia{sv}))"));
  g_assert_cmpuint (g_variant_n_children (g_variant_get_child_value (reply, 0)), ==, 2);
  version = call_tray (fixture, "/StatusNotifierItem/Menu", "org.freedesktop.DBus.Properties",
                       "Get", g_variant_new ("(ss)", "com.canonical.dbusmenu", "Version"),
                       G_VARIANT_TYPE ("(v)"));

  /* The icon's clicks: left toggles the window, middle refreshes. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_tray (fixture, "/StatusNotifierItem", "org.kde.StatusNotifierItem", "Activate",
                     g_variant_new ("(ii)", 0, 0), NULL);
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_tray (fixture, "/StatusNotifierItem", "org.kde.StatusNotifierItem",
                     "SecondaryActivate", g_variant_new ("(ii)", 0, 0), NULL);
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_tray (fixture, "/StatusNotifierItem", "org.kde.StatusNotifierItem", "Scroll",
                     g_variant_new ("(is)", 120, "vertical"), NULL);
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_tray (fixture, "/StatusNotifierItem", "org.kde.StatusNotifierItem",
                     "ProvideXdgActivationToken", g_variant_new ("(s)", "token-1"), NULL);
  iterate_for (20);
  g_assert_cmpuint (activations (fixture, "toggle-window"), ==, 1);
  g_assert_cmpuint (activations (fixture, "refresh"), ==, 2);
}

static gboolean
has_signal_count (gpointer data)
{
  return ((Fixture *) data)->signals->len >= 4;
}

static void
test_signals_only_on_change (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *critical = NULL;
  g_autofree char *status = NULL;
  g_autofree char *icon_before = NULL;
  guint requests;

  watcher_start (fixture);
  fixture_start_tray (fixture);
  gauge_test_wait_until (tray_registered, fixture, 5000);
  iterate_for (100);
  g_ptr_array_set_size (fixture->signals, 0);

  /* ::changed with nothing new, and a real poll that brings the same reading. */
  for (guint i = 0; i < 3; i++)
    g_signal_emit_by_name (fixture->monitor, "changed");
  requests = gauge_test_server_get_usage_requests (fixture->server);
  skip_ahead (2 * G_TIME_SPAN_MINUTE);
  gauge_limits_monitor_refresh (fixture->monitor);
  while (gauge_test_server_get_usage_requests (fixture->server) == requests ||
         gauge_monitor_get_busy (GAUGE_MONITOR (fixture->monitor)))
    g_main_context_iteration (NULL, TRUE);
  iterate_for (300);
  for (guint i = 0; i < fixture->signals->len; i++)
    g_test_message ("Unexpected signal %s", (char *) fixture->signals->pdata[i]);
  g_assert_cmpuint (fixture->signals->len, ==, 0);

  /* A setting that changes no pixel: 82.5 % stays a warning, 48 % normal. */
  g_settings_set_double (fixture->settings, "critical-threshold", 96);
  iterate_for (100);
  g_assert_cmpuint (count_signals (fixture, "NewIcon"), ==, 0);

  /* A critical reading: each signal once. */
  critical = gauge_test_usage_json (97.0, 82.5);
  gauge_test_server_set_usage (fixture->server, 200, critical, NULL);
  skip_ahead (4 * G_TIME_SPAN_MINUTE);
  gauge_limits_monitor_refresh (fixture->monitor);
  gauge_test_wait_until (has_signal_count, fixture, 10000);
  iterate_for (300);
  for (guint i = 0; i < fixture->signals->len; i++)
    g_test_message ("Signal %s", (char *) fixture->signals->pdata[i]);
  g_assert_cmpuint (count_signals (fixture, ".NewIcon"), ==, 1);
  g_assert_cmpuint (count_signals (fixture, ".NewStatus"), ==, 1);
  g_assert_cmpuint (count_signals (fixture, ".NewToolTip"), ==, 1);
  g_assert_cmpuint (count_signals (fixture, ".ItemsPropertiesUpdated"), ==, 1);
  g_assert_cmpuint (count_signals (fixture, ".NewTitle"), ==, 0);
  g_assert_cmpuint (count_signals (fixture, ".LayoutUpdated"), ==, 0);
  status = get_string_property (fixture, "Status");
  g_assert_cmpstr (status, ==, "NeedsAttention");
}

static void
console_update_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gauge_monitor_update_once_finish (GAUGE_MONITOR (object), result, &error));
  g_assert_no_error (error);
  (*(guint *) user_data)++;
}

static void
console_update_once (GaugeConsoleMonitor *console)
{
  guint done = 0;

  gauge_monitor_update_once_async (GAUGE_MONITOR (console), NULL, console_update_cb, &done);
  while (done == 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
accounts_update_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_assert_true (gauge_account_list_update_once_finish (GAUGE_ACCOUNT_LIST (object), result,
                                                        NULL));
  *(gboolean *) user_data = TRUE;
}

/* Two accounts: the icon shows the one nearest a limit (or the one chosen in Preferences),
 * the tooltip lists both under their names. */
static void
test_accounts (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *work = gauge_test_write_credentials (work_dir, "sk-ant-oat01-tray-work",
                                                        (g_get_real_time () / 1000) +
                                                        8 * 3600 * 1000,
                                                        "default_claude_max_20x");
  g_autofree char *work_body = gauge_test_usage_json (97.0, 40.0);
  const char *folders[] = { fixture->credentials_dir, work_dir, NULL };
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();
  g_autoptr(GaugeAccountList) accounts = gauge_account_list_new (store, client, folders);
  g_autofree char *tooltip = NULL;
  g_autofree char *status = NULL;
  g_autofree char *personal_name = NULL;
  g_autofree char *personal_head = NULL;
  gboolean done = FALSE;

  gauge_test_server_set_usage_for_token (fixture->server, "sk-ant-oat01-tray-work", 200,
                                         work_body, NULL);
  gauge_account_list_update_once_async (accounts, NULL, accounts_update_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  watcher_start (fixture);
  fixture_start_tray (fixture);
  gauge_test_wait_until (tray_registered, fixture, 5000);
  gauge_tray_set_accounts (fixture->tray, accounts);
  iterate_for (100);

  /* The work account's 97 % is nearest a limit: critical, so the item needs attention. */
  status = get_string_property (fixture, "Status");
  g_assert_cmpstr (status, ==, "NeedsAttention");
  g_clear_pointer (&status, g_free);
  /* Each under its name ("~/.claude", or its profile's once the fixture's monitor saved it). */
  tooltip = gauge_tray_dup_tooltip (fixture->tray);
  personal_name = gauge_account_list_dup_name (accounts, 0);
  personal_head = g_strdup_printf ("%s\n  5-hour", personal_name);
  g_assert_true (g_str_has_prefix (tooltip, personal_head));
  g_assert_nonnull (strstr (tooltip, "\n~/.claude-work\n  5-hour"));
  g_assert_nonnull (strstr (tooltip, "97 %"));
  g_assert_nonnull (strstr (tooltip, "48 %"));

  /* The personal account chosen in Preferences: the icon is its, at ease. */
  g_settings_set_string (fixture->settings, "tray-account", fixture->credentials_dir);
  iterate_for (100);
  status = get_string_property (fixture, "Status");
  g_assert_cmpstr (status, ==, "Active");
  g_settings_reset (fixture->settings, "tray-account");
}

/* Console mode: the organization's spend joins the tooltip and the menu, signalled once. */
static void
test_console_spend (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(AdminServer) server = admin_server_new ();
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeAdminClient) client = NULL;
  g_autoptr(GaugeConsoleMonitor) console = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *total = NULL;
  g_autofree char *projection = NULL;
  g_autoptr(GVariant) layout = NULL;
  g_autofree char *printed = NULL;
  GaugeAdminReport *report;

  g_setenv ("CLAUDE_GAUGE_ADMIN_API_BASE", admin_server_get_base_url (server), TRUE);
  client = gauge_admin_client_new ();
  console = gauge_console_monitor_new (store, client);
  gauge_console_monitor_set_key (console, "sk-ant-admin01-secretsecretsecret-a1b2");

  watcher_start (fixture);
  fixture_start_tray (fixture);
  gauge_test_wait_until (tray_registered, fixture, 5000);
  iterate_for (100);
  g_ptr_array_set_size (fixture->signals, 0);

  /* No report yet: nothing to add, nothing sent. */
  gauge_tray_set_console_monitor (fixture->tray, console);
  iterate_for (100);
  g_assert_cmpuint (fixture->signals->len, ==, 0);
  tooltip = gauge_tray_dup_tooltip (fixture->tray);
  g_assert_null (strstr (tooltip, "Console"));
  g_clear_pointer (&tooltip, g_free);

  /* A report: the tooltip changes once. */
  console_update_once (console);
  iterate_for (300);
  report = gauge_console_monitor_get_report (console);
  g_assert_nonnull (report);
  total = gauge_admin_format_dollars (gauge_admin_report_get_total (report));
  projection = gauge_admin_format_dollars (gauge_admin_report_get_projection (report));
  expected = g_strdup_printf ("Console: %s this month · projected %s", total, projection);
  tooltip = gauge_tray_dup_tooltip (fixture->tray);
  g_assert_nonnull (strstr (tooltip, expected));
  for (guint i = 0; i < fixture->signals->len; i++)
    g_test_message ("Signal %s", (char *) fixture->signals->pdata[i]);
  g_assert_cmpuint (count_signals (fixture, ".NewToolTip"), ==, 1);
  g_assert_cmpuint (count_signals (fixture, ".NewIcon"), ==, 0);
  g_assert_cmpuint (count_signals (fixture, ".NewStatus"), ==, 0);

  /* The menu shows the same row. */
  layout = call_tray (fixture, "/StatusNotifierItem/Menu", "com.canonical.dbusmenu", "GetLayout",
                      g_variant_new ("(ii@as)", 0, -1, g_variant_new_strv (NULL, 0)), NULL);
  printed = g_variant_print (layout, FALSE);
  g_assert_nonnull (strstr (printed, expected));

  /* Another round with the same figures: no signal at all. */
  g_ptr_array_set_size (fixture->signals, 0);
  console_update_once (console);
  iterate_for (300);
  for (guint i = 0; i < fixture->signals->len; i++)
    g_test_message ("Unexpected signal %s", (char *) fixture->signals->pdata[i]);
  g_assert_cmpuint (fixture->signals->len, ==, 0);

  gauge_tray_set_console_monitor (fixture->tray, NULL);
  g_unsetenv ("CLAUDE_GAUGE_ADMIN_API_BASE");
}

/* The tray-metric setting draws the kind whose row names its choice, even when another limit
 * is fuller; every choice but "most constrained" names a kind. */
static void
test_icon_metric_kinds (void)
{
  g_autoptr(GEnumClass) metrics = g_type_class_ref (GAUGE_TYPE_TRAY_METRIC);
  guint n_kinds;
  const GaugeLimitKind *kinds = gauge_limit_kind_get_all (&n_kinds);
  guint n_drawn = 0;

  for (guint i = 0; i < n_kinds; i++)
    {
      g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
      GaugeTrayIconKey key;

      if (kinds[i].tray_metric == NULL)
        continue;

      g_test_message ("Kind %s, tray-metric %s", kinds[i].id, kinds[i].tray_metric);
      g_ptr_array_add (windows, gauge_limit_window_new (kinds[i].id, kinds[i].name, 40, NULL,
                                                        kinds[i].length));
      g_ptr_array_add (windows, gauge_limit_window_new ("fuller", "Fuller", 90, NULL, 0));
      snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, NULL);

      key = gauge_tray_icon_key_for (snapshot, gauge_tray_metric_from_string (kinds[i].tray_metric),
                                     80, 95, FALSE);
      g_assert_cmpint (key.level, ==, 40);
      key = gauge_tray_icon_key_for (snapshot, GAUGE_TRAY_METRIC_MOST_CONSTRAINED, 80, 95, FALSE);
      g_assert_cmpint (key.level, ==, 90);
      n_drawn++;
    }

  for (guint v = 0; v < metrics->n_values; v++)
    if (metrics->values[v].value != GAUGE_TRAY_METRIC_MOST_CONSTRAINED)
      g_assert_nonnull (gauge_limit_kind_lookup_tray_metric (metrics->values[v].value_nick));

  g_assert_cmpuint (n_drawn, ==, metrics->n_values - 1);
}

static void
test_icon (void)
{
  GaugeTrayIconKey a = { 48, GAUGE_SEVERITY_NORMAL, GAUGE_TRAY_ICON_STATE_OK };
  GaugeTrayIconKey b = a;
  GaugeTrayIconKey none1 = { 10, GAUGE_SEVERITY_WARNING, GAUGE_TRAY_ICON_STATE_NONE };
  GaugeTrayIconKey none2 = { 90, GAUGE_SEVERITY_NORMAL, GAUGE_TRAY_ICON_STATE_NONE };
  GaugeTrayIconKey keys[] = {
    { 48, GAUGE_SEVERITY_NORMAL, GAUGE_TRAY_ICON_STATE_OK },
    { 84, GAUGE_SEVERITY_WARNING, GAUGE_TRAY_ICON_STATE_OK },
    { 97, GAUGE_SEVERITY_CRITICAL, GAUGE_TRAY_ICON_STATE_OK },
    { 60, GAUGE_SEVERITY_NORMAL, GAUGE_TRAY_ICON_STATE_STALE },
    { 0, GAUGE_SEVERITY_NORMAL, GAUGE_TRAY_ICON_STATE_NONE },
  };
  const char *names[] = { "normal", "warning", "critical", "stale", "none" };
  guint n_sizes;
  const int *sizes = gauge_tray_icon_get_sizes (&n_sizes);
  gint64 start, elapsed;
  guint runs = 200;

  g_assert_true (gauge_tray_icon_key_equal (&a, &b));
  b.level = 49;
  g_assert_false (gauge_tray_icon_key_equal (&a, &b));
  b.level = 48;
  b.severity = GAUGE_SEVERITY_WARNING;
  g_assert_false (gauge_tray_icon_key_equal (&a, &b));
  g_assert_true (gauge_tray_icon_key_equal (&none1, &none2));

  /* Equal keys draw equal pixels. */
  {
    g_autoptr(GVariant) one = gauge_tray_icon_render (&a);
    g_autoptr(GVariant) two = gauge_tray_icon_render (&a);

    g_assert_true (g_variant_equal (one, two));
  }

  /* Critical is a nearly full dial, not a closed red ring (a "record" button): at 97 % the
   * side of the dial is red, its bottom is open. */
  {
    GaugeTrayIconKey critical = { 97, GAUGE_SEVERITY_CRITICAL, GAUGE_TRAY_ICON_STATE_OK };
    cairo_surface_t *icon = gauge_tray_icon_render_surface (&critical, 48);
    const guint8 *data = cairo_image_surface_get_data (icon);
    int stride = cairo_image_surface_get_stride (icon);
    /* On the ring's middle line (radius 17 at 48 px): three o'clock, then six o'clock. */
    guint32 side = *(const guint32 *) (gpointer) (data + 24 * stride + 41 * 4);
    guint32 bottom = *(const guint32 *) (gpointer) (data + 41 * stride + 24 * 4);

    g_assert_cmpuint ((side >> 16) & 0xff, >, 200);
    g_assert_cmpuint ((side >> 8) & 0xff, <, 140);
    g_assert_cmpuint (((bottom >> 16) & 0xff) - MIN ((bottom >> 16) & 0xff, (bottom >> 8) & 0xff),
                      <, 40);
    cairo_surface_destroy (icon);
  }

  /* A strip of every state at every size, on a light and a dark panel, for the eye. */
  {
    int width = 0;
    cairo_surface_t *strip;
    cairo_t *cr;
    g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_BUILT),
                                              "screenshot-tray-icons.png", NULL);

    for (guint s = 0; s < n_sizes; s++)
      width += sizes[s] + 8;
    strip = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width + 8,
                                        2 * G_N_ELEMENTS (keys) * 56);
    cr = cairo_create (strip);
    for (guint panel = 0; panel < 2; panel++)
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          int y = (panel * G_N_ELEMENTS (keys) + k) * 56;
          int x = 8;

          cairo_rectangle (cr, 0, y, width + 8, 56);
          if (panel == 0)
            cairo_set_source_rgb (cr, 0.94, 0.94, 0.94);
          else
            cairo_set_source_rgb (cr, 0.14, 0.14, 0.14);
          cairo_fill (cr);
          for (guint s = 0; s < n_sizes; s++)
            {
              cairo_surface_t *icon = gauge_tray_icon_render_surface (&keys[k], sizes[s]);

              cairo_set_source_surface (cr, icon, x, y + 4);
              cairo_paint (cr);
              cairo_surface_destroy (icon);
              x += sizes[s] + 8;
            }
          (void) names;
        }
    cairo_destroy (cr);
    g_assert_cmpint (cairo_surface_write_to_png (strip, path), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy (strip);
    g_test_message ("Icons: %s", path);
  }

  /* The benchmark: every size, as NewIcon needs them. Goal ≤ 1 ms. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < runs; i++)
    {
      GaugeTrayIconKey key = keys[i % G_N_ELEMENTS (keys)];
      g_autoptr(GVariant) pixmap = NULL;

      key.level = i % 101;
      pixmap = gauge_tray_icon_render (&key);
    }
  elapsed = g_get_monotonic_time () - start;
  g_test_minimized_result ((double) elapsed / runs / 1000.0,
                           "tray icon render, all sizes: %.3f ms", (double) elapsed / runs / 1000.0);
  /* A figure, not an assertion: bench/tray-idle.py measures it on a quiet machine. */
  g_printerr ("tray icon render, all 5 sizes: %.3f ms per icon (goal <= 1 ms)\n",
              (double) elapsed / runs / 1000.0);
}

static void
test_autostart (void)
{
  g_autofree char *path = gauge_autostart_get_path ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_true (g_str_has_prefix (path, g_get_user_config_dir ()));
  g_assert_true (g_str_has_suffix (path, "/autostart/" APPLICATION_ID ".desktop"));

  g_assert_true (gauge_autostart_write_entry (TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "[Desktop Entry]\n"));
  g_assert_nonnull (strstr (contents, "\nExec=claude-gauge --background\n"));
  g_assert_nonnull (strstr (contents, "\nX-GNOME-Autostart-enabled=true\n"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (gauge_autostart_write_entry (FALSE, &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* Removing what is not there is not an error. */
  g_assert_true (gauge_autostart_write_entry (FALSE, &error));
  g_assert_no_error (error);
}

static void
test_keep_running (void)
{
  g_assert_true (gauge_tray_should_keep_running (TRUE, FALSE));
  g_assert_true (gauge_tray_should_keep_running (FALSE, TRUE));
  g_assert_true (gauge_tray_should_keep_running (TRUE, TRUE));
  g_assert_false (gauge_tray_should_keep_running (FALSE, FALSE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/tray/registration-and-properties", Fixture, NULL, fixture_set_up,
              test_registration_and_properties, fixture_tear_down);
  g_test_add ("/tray/reregistration", Fixture, NULL, fixture_set_up, test_reregistration,
              fixture_tear_down);
  g_test_add ("/tray/menu", Fixture, NULL, fixture_set_up, test_menu, fixture_tear_down);
  g_test_add ("/tray/signals-only-on-change", Fixture, NULL, fixture_set_up,
              test_signals_only_on_change, fixture_tear_down);
  g_test_add ("/tray/accounts", Fixture, NULL, fixture_set_up, test_accounts,
              fixture_tear_down);
  g_test_add ("/tray/console-spend", Fixture, NULL, fixture_set_up, test_console_spend,
              fixture_tear_down);
  g_test_add_func ("/tray/icon", test_icon);
  g_test_add_func ("/tray/icon/metric-kinds", test_icon_metric_kinds);
  g_test_add_func ("/tray/autostart", test_autostart);
  g_test_add_func ("/tray/keep-running", test_keep_running);

  return g_test_run ();
}
