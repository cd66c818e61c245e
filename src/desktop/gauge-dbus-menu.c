/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-dbus-menu"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "gauge-dbus-menu.h"

/*
 * com.canonical.dbusmenu, the part tray hosts use: a flat menu under the
 * root item. The layout is computed from the rows on every call (it is a
 * dozen items); the revision says when it changed.
 */

static const char introspection_xml[] =
  "<node>"
  "  <interface name='com.canonical.dbusmenu'>"
  "    <method name='GetLayout'>"
  "      <arg type='i' name='parentId' direction='in'/>"
  "      <arg type='i' name='recursionDepth' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='u' name='revision' direction='out'/>"
  "      <arg type='(ia{sv}av)' name='layout' direction='out'/>"
  "    </method>"
  "    <method name='GetGroupProperties'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='as' name='propertyNames' direction='in'/>"
  "      <arg type='a(ia{sv})' name='properties' direction='out'/>"
  "    </method>"
  "    <method name='GetProperty'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='name' direction='in'/>"
  "      <arg type='v' name='value' direction='out'/>"
  "    </method>"
  "    <method name='Event'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='s' name='eventId' direction='in'/>"
  "      <arg type='v' name='data' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "    <method name='EventGroup'>"
  "      <arg type='a(isvu)' name='events' direction='in'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShow'>"
  "      <arg type='i' name='id' direction='in'/>"
  "      <arg type='b' name='needUpdate' direction='out'/>"
  "    </method>"
  "    <method name='AboutToShowGroup'>"
  "      <arg type='ai' name='ids' direction='in'/>"
  "      <arg type='ai' name='updatesNeeded' direction='out'/>"
  "      <arg type='ai' name='idErrors' direction='out'/>"
  "    </method>"
  "    <signal name='ItemsPropertiesUpdated'>"
  "      <arg type='a(ia{sv})' name='updatedProps'/>"
  "      <arg type='a(ias)' name='removedProps'/>"
  "    </signal>"
  "    <signal name='LayoutUpdated'>"
  "      <arg type='u' name='revision'/>"
  "      <arg type='i' name='parent'/>"
  "    </signal>"
  "    <signal name='ItemActivationRequested'>"
  "      <arg type='i' name='id'/>"
  "      <arg type='u' name='timestamp'/>"
  "    </signal>"
  "    <property name='Version' type='u' access='read'/>"
  "    <property name='TextDirection' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='IconThemePath' type='as' access='read'/>"
  "  </interface>"
  "</node>";

#define DBUSMENU_INTERFACE "com.canonical.dbusmenu"

struct _GaugeDBusMenu
{
  GObject          parent_instance;

  GActionGroup    *actions;
  GDBusConnection *connection;
  char            *object_path;
  guint            registration_id;

  GStrv            rows;
  guint            revision;
};

G_DEFINE_FINAL_TYPE (GaugeDBusMenu, gauge_dbus_menu, G_TYPE_OBJECT)

static GDBusNodeInfo *
get_node_info (void)
{
  static gsize initialized;
  static GDBusNodeInfo *info;

  if (g_once_init_enter (&initialized))
    {
      info = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
      g_once_init_leave (&initialized, 1);
    }

  return info;
}

/* --- Items ---------------------------------------------------------------- */

/* dbusmenu reads "_" as a mnemonic: rows show text as it is. */
static char *
escape_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        g_string_append_c (out, '_');
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static guint
n_rows (GaugeDBusMenu *self)
{
  return self->rows != NULL ? g_strv_length (self->rows) : 0;
}

/* The root's children, in order. */
static GArray *
child_ids (GaugeDBusMenu *self)
{
  static const int tail[] = {
    GAUGE_DBUS_MENU_ID_REFRESH,
    GAUGE_DBUS_MENU_ID_OPEN,
    GAUGE_DBUS_MENU_ID_PREFERENCES,
    GAUGE_DBUS_MENU_ID_SEPARATOR_QUIT,
    GAUGE_DBUS_MENU_ID_QUIT,
  };
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (int));
  guint rows = n_rows (self);

  for (guint i = 0; i < rows; i++)
    {
      int id = GAUGE_DBUS_MENU_ID_ROW + (int) i;

      g_array_append_val (ids, id);
    }
  if (rows > 0)
    {
      int id = GAUGE_DBUS_MENU_ID_SEPARATOR_ROWS;

      g_array_append_val (ids, id);
    }
  g_array_append_vals (ids, tail, G_N_ELEMENTS (tail));

  return ids;
}

static gboolean
item_exists (GaugeDBusMenu *self,
             int            id)
{
  switch (id)
    {
    case GAUGE_DBUS_MENU_ID_ROOT:
    case GAUGE_DBUS_MENU_ID_REFRESH:
    case GAUGE_DBUS_MENU_ID_OPEN:
    case GAUGE_DBUS_MENU_ID_PREFERENCES:
    case GAUGE_DBUS_MENU_ID_QUIT:
    case GAUGE_DBUS_MENU_ID_SEPARATOR_QUIT:
      return TRUE;
    case GAUGE_DBUS_MENU_ID_SEPARATOR_ROWS:
      return n_rows (self) > 0;
    default:
      return id >= GAUGE_DBUS_MENU_ID_ROW && (guint) (id - GAUGE_DBUS_MENU_ID_ROW) < n_rows (self);
    }
}

static const char *
item_action (int id)
{
  switch (id)
    {
    case GAUGE_DBUS_MENU_ID_REFRESH:
      return "refresh";
    case GAUGE_DBUS_MENU_ID_OPEN:
      return "show-window";
    case GAUGE_DBUS_MENU_ID_PREFERENCES:
      return "preferences";
    case GAUGE_DBUS_MENU_ID_QUIT:
      return "quit";
    default:
      return NULL;
    }
}

static gboolean
wanted (const char * const *names,
        const char         *name)
{
  return names == NULL || names[0] == NULL || g_strv_contains (names, name);
}

/* Only non-default values: dbusmenu's defaults are enabled, visible, standard. */
static GVariant *
item_properties (GaugeDBusMenu      *self,
                 int                 id,
                 const char * const *names)
{
  GVariantDict dict;
  const char *label = NULL;
  g_autofree char *row_label = NULL;

  g_variant_dict_init (&dict, NULL);

  switch (id)
    {
    case GAUGE_DBUS_MENU_ID_ROOT:
      if (wanted (names, "children-display"))
        g_variant_dict_insert (&dict, "children-display", "s", "submenu");
      break;
    case GAUGE_DBUS_MENU_ID_SEPARATOR_ROWS:
    case GAUGE_DBUS_MENU_ID_SEPARATOR_QUIT:
      if (wanted (names, "type"))
        g_variant_dict_insert (&dict, "type", "s", "separator");
      break;
    case GAUGE_DBUS_MENU_ID_REFRESH:
      label = _("_Refresh Now");
      break;
    case GAUGE_DBUS_MENU_ID_OPEN:
      label = _("_Open Claude Gauge");
      break;
    case GAUGE_DBUS_MENU_ID_PREFERENCES:
      label = _("_Preferences");
      break;
    case GAUGE_DBUS_MENU_ID_QUIT:
      label = _("_Quit");
      break;
    default:
      row_label = escape_mnemonic (self->rows[id - GAUGE_DBUS_MENU_ID_ROW]);
      label = row_label;
      if (wanted (names, "enabled"))
        g_variant_dict_insert (&dict, "enabled", "b", FALSE);
      break;
    }

  if (label != NULL && wanted (names, "label"))
    g_variant_dict_insert (&dict, "label", "s", label);

  return g_variant_dict_end (&dict);
}

static GVariant *
item_layout (GaugeDBusMenu      *self,
             int                 id,
             int                 depth,
             const char * const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));
  if (id == GAUGE_DBUS_MENU_ID_ROOT && depth != 0)
    {
      g_autoptr(GArray) ids = child_ids (self);

      for (guint i = 0; i < ids->len; i++)
        g_variant_builder_add (&children, "v",
                               item_layout (self, g_array_index (ids, int, i), depth - 1, names));
    }

  return g_variant_new ("(i@a{sv}av)", id, item_properties (self, id, names), &children);
}

static gboolean
activate_item (GaugeDBusMenu *self,
               int            id)
{
  const char *action = item_action (id);

  if (action == NULL)
    return FALSE;

  /* "Open" presents the window; an app without show-window only has the toggle. */
  if (id == GAUGE_DBUS_MENU_ID_OPEN && !g_action_group_has_action (self->actions, action))
    action = "toggle-window";

  g_debug ("Menu item %d: activating %s", id, action);
  g_action_group_activate_action (self->actions, action, NULL);

  return TRUE;
}

static gboolean
handle_event (GaugeDBusMenu *self,
              int            id,
              const char    *event_id)
{
  if (!item_exists (self, id))
    return FALSE;

  if (g_strcmp0 (event_id, "clicked") == 0)
    activate_item (self, id);

  return TRUE;
}

/* --- D-Bus ---------------------------------------------------------------- */

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  GaugeDBusMenu *self = user_data;

  if (g_str_equal (method_name, "GetLayout"))
    {
      int parent, depth;
      g_autofree const char **names = NULL;

      g_variant_get (parameters, "(ii^a&s)", &parent, &depth, &names);
      if (!item_exists (self, parent))
        goto unknown_item;

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u@(ia{sv}av))", self->revision,
                                                            item_layout (self, parent, depth,
                                                                         names)));
    }
  else if (g_str_equal (method_name, "GetGroupProperties"))
    {
      g_autoptr(GVariant) ids = NULL;
      g_autofree const char **names = NULL;
      GVariantBuilder builder;
      const gint32 *id_values;
      gsize n_ids;

      g_variant_get (parameters, "(@ai^a&s)", &ids, &names);
      id_values = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint32));
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ia{sv})"));
      for (gsize i = 0; i < n_ids; i++)
        if (item_exists (self, id_values[i]))
          g_variant_builder_add (&builder, "(i@a{sv})", id_values[i],
                                 item_properties (self, id_values[i], names));

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(ia{sv}))", &builder));
    }
  else if (g_str_equal (method_name, "GetProperty"))
    {
      const char *name;
      const char *names[2] = { NULL, NULL };
      g_autoptr(GVariant) properties = NULL;
      g_autoptr(GVariant) value = NULL;
      int id;

      g_variant_get (parameters, "(i&s)", &id, &name);
      if (!item_exists (self, id))
        goto unknown_item;

      names[0] = name;
      properties = g_variant_ref_sink (item_properties (self, id, names));
      value = g_variant_lookup_value (properties, name, NULL);
      if (value == NULL)
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                                 G_DBUS_ERROR_INVALID_ARGS,
                                                 "Item %d has no property %s", id, name);
          return;
        }

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
    }
  else if (g_str_equal (method_name, "Event"))
    {
      const char *event_id;
      int id;

      g_variant_get (parameters, "(i&svu)", &id, &event_id, NULL, NULL);
      if (!handle_event (self, id, event_id))
        goto unknown_item;

      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "EventGroup"))
    {
      g_autoptr(GVariantIter) iter = NULL;
      g_autoptr(GArray) errors = g_array_new (FALSE, FALSE, sizeof (gint32));
      const char *event_id;
      gsize n_events;
      int id;

      g_variant_get (parameters, "(a(isvu))", &iter);
      n_events = g_variant_iter_n_children (iter);
      while (g_variant_iter_next (iter, "(i&svu)", &id, &event_id, NULL, NULL))
        if (!handle_event (self, id, event_id))
          g_array_append_val (errors, id);

      /* The spec: an error only when every event failed. */
      if (n_events > 0 && errors->len == n_events)
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                                 G_DBUS_ERROR_INVALID_ARGS,
                                                 "No such menu items");
          return;
        }

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(@ai)",
                                                            g_variant_new_fixed_array (G_VARIANT_TYPE_INT32,
                                                                                       errors->data,
                                                                                       errors->len,
                                                                                       sizeof (gint32))));
    }
  else if (g_str_equal (method_name, "AboutToShow"))
    {
      int id;

      g_variant_get (parameters, "(i)", &id);
      if (!item_exists (self, id))
        goto unknown_item;

      /* The layout is always current: nothing to fetch before showing. */
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
    }
  else if (g_str_equal (method_name, "AboutToShowGroup"))
    {
      g_autoptr(GVariant) ids = NULL;
      g_autoptr(GArray) errors = g_array_new (FALSE, FALSE, sizeof (gint32));
      const gint32 *id_values;
      gsize n_ids;

      g_variant_get (parameters, "(@ai)", &ids);
      id_values = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint32));
      for (gsize i = 0; i < n_ids; i++)
        if (!item_exists (self, id_values[i]))
          g_array_append_val (errors, id_values[i]);

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(@ai@ai)",
                                                            g_variant_new_fixed_array (G_VARIANT_TYPE_INT32,
                                                                                       NULL, 0,
                                                                                       sizeof (gint32)),
                                                            g_variant_new_fixed_array (G_VARIANT_TYPE_INT32,
                                                                                       errors->data,
                                                                                       errors->len,
                                                                                       sizeof (gint32))));
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "No method %s", method_name);
    }

  return;

unknown_item:
  g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                         "No such menu item");
}

static GVariant *
get_property_cb (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *object_path,
                 const char       *interface_name,
                 const char       *property_name,
                 GError          **error,
                 gpointer          user_data)
{
  if (g_str_equal (property_name, "Version"))
    return g_variant_new_uint32 (3);
  if (g_str_equal (property_name, "TextDirection"))
    return g_variant_new_string (gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL
                                 ? "rtl" : "ltr");
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string ("normal");
  if (g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_strv (NULL, 0);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
               "No property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable vtable = {
  method_call_cb,
  get_property_cb,
  NULL,
};

static void
emit (GaugeDBusMenu *self,
      const char    *signal_name,
      GVariant      *parameters)
{
  g_autoptr(GError) error = NULL;

  if (self->registration_id == 0)
    {
      g_variant_unref (g_variant_ref_sink (parameters));
      return;
    }

  if (!g_dbus_connection_emit_signal (self->connection, NULL, self->object_path,
                                      DBUSMENU_INTERFACE, signal_name, parameters, &error))
    g_warning ("Could not emit %s: %s", signal_name, error->message);
}

/* --- Public --------------------------------------------------------------- */

GaugeDBusMenu *
gauge_dbus_menu_new (GActionGroup *actions)
{
  GaugeDBusMenu *self;

  g_return_val_if_fail (G_IS_ACTION_GROUP (actions), NULL);

  self = g_object_new (GAUGE_TYPE_DBUS_MENU, NULL);
  self->actions = g_object_ref (actions);

  return self;
}

gboolean
gauge_dbus_menu_export (GaugeDBusMenu    *self,
                        GDBusConnection  *connection,
                        const char       *object_path,
                        GError          **error)
{
  g_return_val_if_fail (GAUGE_IS_DBUS_MENU (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->registration_id == 0, FALSE);

  self->registration_id =
    g_dbus_connection_register_object (connection, object_path,
                                       get_node_info ()->interfaces[0], &vtable,
                                       self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;

  self->connection = g_object_ref (connection);
  self->object_path = g_strdup (object_path);

  return TRUE;
}

void
gauge_dbus_menu_unexport (GaugeDBusMenu *self)
{
  g_return_if_fail (GAUGE_IS_DBUS_MENU (self));

  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
  g_clear_pointer (&self->object_path, g_free);
}

/**
 * gauge_dbus_menu_set_rows:
 * @rows: (nullable): the limit rows, e.g. "5-hour: 48 % · resets 14:00"
 *
 * Sends LayoutUpdated when the number of rows changes, ItemsPropertiesUpdated
 * when only their text does, and nothing when both stay the same.
 */
void
gauge_dbus_menu_set_rows (GaugeDBusMenu      *self,
                          const char * const *rows)
{
  guint old_n, new_n;
  GVariantBuilder updated;
  gboolean any = FALSE;

  g_return_if_fail (GAUGE_IS_DBUS_MENU (self));

  old_n = n_rows (self);
  new_n = rows != NULL ? g_strv_length ((GStrv) rows) : 0;

  if (old_n != new_n)
    {
      g_strfreev (self->rows);
      self->rows = g_strdupv ((GStrv) rows);
      self->revision++;
      emit (self, "LayoutUpdated", g_variant_new ("(ui)", self->revision, 0));
      return;
    }

  g_variant_builder_init (&updated, G_VARIANT_TYPE ("a(ia{sv})"));
  for (guint i = 0; i < new_n; i++)
    {
      if (g_str_equal (self->rows[i], rows[i]))
        continue;

      g_free (self->rows[i]);
      self->rows[i] = g_strdup (rows[i]);
      g_variant_builder_add (&updated, "(i@a{sv})", GAUGE_DBUS_MENU_ID_ROW + (int) i,
                             item_properties (self, GAUGE_DBUS_MENU_ID_ROW + (int) i, NULL));
      any = TRUE;
    }

  if (!any)
    {
      g_variant_builder_clear (&updated);
      return;
    }

  self->revision++;
  emit (self, "ItemsPropertiesUpdated", g_variant_new ("(a(ia{sv})a(ias))", &updated, NULL));
}

guint
gauge_dbus_menu_get_revision (GaugeDBusMenu *self)
{
  g_return_val_if_fail (GAUGE_IS_DBUS_MENU (self), 0);

  return self->revision;
}

static void
gauge_dbus_menu_dispose (GObject *object)
{
  GaugeDBusMenu *self = (GaugeDBusMenu *)object;

  gauge_dbus_menu_unexport (self);
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (gauge_dbus_menu_parent_class)->dispose (object);
}

static void
gauge_dbus_menu_finalize (GObject *object)
{
  GaugeDBusMenu *self = (GaugeDBusMenu *)object;

  g_strfreev (self->rows);

  G_OBJECT_CLASS (gauge_dbus_menu_parent_class)->finalize (object);
}

static void
gauge_dbus_menu_class_init (GaugeDBusMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gauge_dbus_menu_dispose;
  object_class->finalize = gauge_dbus_menu_finalize;
}

static void
gauge_dbus_menu_init (GaugeDBusMenu *self)
{
  self->revision = 1;
}
