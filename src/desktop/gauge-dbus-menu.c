/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-dbus-menu"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "gauge-dbus-menu.h"
#include "gauge-dbusmenu-dbus.h"

/*
 * com.canonical.dbusmenu, the part tray hosts use: a flat menu under the root item. The
 * skeleton gdbus-codegen makes from data/dbus/com.canonical.dbusmenu.xml holds the constant
 * properties and hands each call to a handler here. The layout is computed from the rows on
 * every call (it is a dozen items); the revision says when it changed.
 */

struct _GaugeDBusMenu
{
  GObject                 parent_instance;

  GActionGroup           *actions;
  GaugeCanonicalDbusmenu *skeleton;

  GStrv                   rows;
  guint                   revision;
};

G_DEFINE_FINAL_TYPE (GaugeDBusMenu, gauge_dbus_menu, G_TYPE_OBJECT)

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
handle_item_event (GaugeDBusMenu *self,
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

static gboolean
return_no_such_item (GDBusMethodInvocation *invocation)
{
  g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                         "No such menu item");
  return TRUE;
}

static GVariant *
int_array (GArray *values)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_INT32,
                                    values != NULL ? values->data : NULL,
                                    values != NULL ? values->len : 0, sizeof (gint32));
}

static gboolean
handle_get_layout (GaugeDBusMenu         *self,
                   GDBusMethodInvocation *invocation,
                   int                    parent,
                   int                    depth,
                   const char * const    *names)
{
  if (!item_exists (self, parent))
    return return_no_such_item (invocation);

  gauge_canonical_dbusmenu_complete_get_layout (self->skeleton, invocation, self->revision,
                                                item_layout (self, parent, depth, names));
  return TRUE;
}

static gboolean
handle_get_group_properties (GaugeDBusMenu         *self,
                             GDBusMethodInvocation *invocation,
                             GVariant              *ids,
                             const char * const    *names)
{
  GVariantBuilder builder;
  const gint32 *id_values;
  gsize n_ids;

  id_values = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint32));
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ia{sv})"));
  for (gsize i = 0; i < n_ids; i++)
    if (item_exists (self, id_values[i]))
      g_variant_builder_add (&builder, "(i@a{sv})", id_values[i],
                             item_properties (self, id_values[i], names));

  gauge_canonical_dbusmenu_complete_get_group_properties (self->skeleton, invocation,
                                                          g_variant_builder_end (&builder));
  return TRUE;
}

static gboolean
handle_get_property (GaugeDBusMenu         *self,
                     GDBusMethodInvocation *invocation,
                     int                    id,
                     const char            *name)
{
  const char *names[2] = { name, NULL };
  g_autoptr(GVariant) properties = NULL;
  g_autoptr(GVariant) value = NULL;

  if (!item_exists (self, id))
    return return_no_such_item (invocation);

  properties = g_variant_ref_sink (item_properties (self, id, names));
  value = g_variant_lookup_value (properties, name, NULL);
  if (value == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                             "Item %d has no property %s", id, name);
      return TRUE;
    }

  gauge_canonical_dbusmenu_complete_get_property (self->skeleton, invocation,
                                                  g_variant_new_variant (value));
  return TRUE;
}

static gboolean
handle_event (GaugeDBusMenu         *self,
              GDBusMethodInvocation *invocation,
              int                    id,
              const char            *event_id)
{
  if (!handle_item_event (self, id, event_id))
    return return_no_such_item (invocation);

  gauge_canonical_dbusmenu_complete_event (self->skeleton, invocation);
  return TRUE;
}

static gboolean
handle_event_group (GaugeDBusMenu         *self,
                    GDBusMethodInvocation *invocation,
                    GVariant              *events)
{
  g_autoptr(GArray) errors = g_array_new (FALSE, FALSE, sizeof (gint32));
  gsize n_events = g_variant_n_children (events);
  GVariantIter iter;
  const char *event_id;
  int id;

  g_variant_iter_init (&iter, events);
  while (g_variant_iter_next (&iter, "(i&svu)", &id, &event_id, NULL, NULL))
    if (!handle_item_event (self, id, event_id))
      g_array_append_val (errors, id);

  /* The spec: an error only when every event failed. */
  if (n_events > 0 && errors->len == n_events)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                             "No such menu items");
      return TRUE;
    }

  gauge_canonical_dbusmenu_complete_event_group (self->skeleton, invocation, int_array (errors));
  return TRUE;
}

static gboolean
handle_about_to_show (GaugeDBusMenu         *self,
                      GDBusMethodInvocation *invocation,
                      int                    id)
{
  if (!item_exists (self, id))
    return return_no_such_item (invocation);

  /* The layout is always current: nothing to fetch before showing. */
  gauge_canonical_dbusmenu_complete_about_to_show (self->skeleton, invocation, FALSE);
  return TRUE;
}

static gboolean
handle_about_to_show_group (GaugeDBusMenu         *self,
                            GDBusMethodInvocation *invocation,
                            GVariant              *ids)
{
  g_autoptr(GArray) errors = g_array_new (FALSE, FALSE, sizeof (gint32));
  const gint32 *id_values;
  gsize n_ids;

  id_values = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint32));
  for (gsize i = 0; i < n_ids; i++)
    if (!item_exists (self, id_values[i]))
      g_array_append_val (errors, id_values[i]);

  gauge_canonical_dbusmenu_complete_about_to_show_group (self->skeleton, invocation,
                                                         int_array (NULL), int_array (errors));
  return TRUE;
}

static gboolean
is_exported (GaugeDBusMenu *self)
{
  return g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton))
         != NULL;
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
  g_return_val_if_fail (!is_exported (self), FALSE);

  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton),
                                           connection, object_path, error);
}

void
gauge_dbus_menu_unexport (GaugeDBusMenu *self)
{
  g_return_if_fail (GAUGE_IS_DBUS_MENU (self));

  if (is_exported (self))
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
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
      if (is_exported (self))
        gauge_canonical_dbusmenu_emit_layout_updated (self->skeleton, self->revision, 0);
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
  if (is_exported (self))
    {
      GVariant *removed = g_variant_new_array (G_VARIANT_TYPE ("(ias)"), NULL, 0);

      gauge_canonical_dbusmenu_emit_items_properties_updated (self->skeleton,
                                                              g_variant_builder_end (&updated),
                                                              removed);
    }
  else
    g_variant_builder_clear (&updated);
}

static void
gauge_dbus_menu_dispose (GObject *object)
{
  GaugeDBusMenu *self = (GaugeDBusMenu *)object;

  if (self->skeleton != NULL)
    {
      gauge_dbus_menu_unexport (self);
      g_signal_handlers_disconnect_by_data (self->skeleton, self);
    }
  g_clear_object (&self->skeleton);
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
  static const struct
  {
    const char *signal;
    GCallback   handler;
  } handlers[] = {
    { "handle-get-layout", G_CALLBACK (handle_get_layout) },
    { "handle-get-group-properties", G_CALLBACK (handle_get_group_properties) },
    { "handle-get-property", G_CALLBACK (handle_get_property) },
    { "handle-event", G_CALLBACK (handle_event) },
    { "handle-event-group", G_CALLBACK (handle_event_group) },
    { "handle-about-to-show", G_CALLBACK (handle_about_to_show) },
    { "handle-about-to-show-group", G_CALLBACK (handle_about_to_show_group) },
  };
  const char *no_paths[] = { NULL };
  gboolean rtl = gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL;

  self->revision = 1;
  self->skeleton = gauge_canonical_dbusmenu_skeleton_new ();

  /* The menu's own properties never change while it is on the bus. */
  gauge_canonical_dbusmenu_set_version (self->skeleton, 3);
  gauge_canonical_dbusmenu_set_text_direction (self->skeleton, rtl ? "rtl" : "ltr");
  gauge_canonical_dbusmenu_set_status (self->skeleton, "normal");
  gauge_canonical_dbusmenu_set_icon_theme_path (self->skeleton, no_paths);

  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_connect_swapped (self->skeleton, handlers[i].signal, handlers[i].handler, self);
}
