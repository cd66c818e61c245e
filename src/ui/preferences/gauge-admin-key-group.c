/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-admin-key-group"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-admin-key-group.h"
#include "gauge-admin-key.h"

/*
 * Preferences › Console: paste an Admin API key, check it against
 * organizations/me, keep it in the keyring; or see which key is in use
 * (masked) and remove it. The key never leaves this widget except to the
 * keyring and the monitor, and is never shown whole again.
 */

typedef enum
{
  STATE_LOOKING_UP,
  STATE_NONE,        /* the entry */
  STATE_KEYRING,     /* the masked key and Remove */
  STATE_ENVIRONMENT, /* ANTHROPIC_ADMIN_KEY wins; nothing to edit here */
} State;

struct _GaugeAdminKeyGroup
{
  AdwPreferencesGroup  parent_instance;

  GaugeAdminClient    *client;
  GaugeConsoleMonitor *monitor;
  GCancellable        *cancellable;
  State                state;
  char                *masked;
  char                *org_name;
  char                *pending_key;    /* between check and store; wiped when freed */
  gboolean             working;

  GtkWidget           *entry_row;
  GtkWidget           *check_button;
  GtkWidget           *spinner;
  GtkWidget           *key_row;
  GtkWidget           *remove_button;
  GtkWidget           *status_label;
};

G_DEFINE_FINAL_TYPE (GaugeAdminKeyGroup, gauge_admin_key_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  KEY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_status (GaugeAdminKeyGroup *self,
            const char         *text,
            gboolean            is_error)
{
  gtk_label_set_text (GTK_LABEL (self->status_label), text != NULL ? text : "");
  gtk_widget_set_visible (self->status_label, text != NULL && *text != '\0');
  if (is_error)
    {
      gtk_widget_add_css_class (self->status_label, "error");
      gtk_widget_remove_css_class (self->status_label, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (self->status_label, "error");
      gtk_widget_add_css_class (self->status_label, "dim-label");
    }
}

static void
sync_rows (GaugeAdminKeyGroup *self)
{
  gboolean has_key = self->state == STATE_KEYRING || self->state == STATE_ENVIRONMENT;
  const char *org = self->org_name;
  g_autofree char *subtitle = NULL;

  if (org == NULL && self->monitor != NULL)
    org = gauge_console_monitor_get_org_name (self->monitor);

  gtk_widget_set_visible (self->entry_row, self->state == STATE_NONE);
  gtk_widget_set_visible (self->key_row, has_key);
  gtk_widget_set_visible (self->remove_button, self->state == STATE_KEYRING);
  gtk_widget_set_sensitive (self->entry_row, !self->working);
  gtk_widget_set_sensitive (self->remove_button, !self->working);
  gtk_widget_set_visible (self->spinner, self->working);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->working);

  if (!has_key)
    return;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row),
                                 org != NULL ? org : _("Admin API key"));
  if (self->state == STATE_ENVIRONMENT)
    /* Translators: "sk-ant-admin…a1b2 · from the ANTHROPIC_ADMIN_KEY environment variable" */
    subtitle = g_strdup_printf (_("%s · from the ANTHROPIC_ADMIN_KEY environment variable, "
                                  "which comes before a key saved here"), self->masked);
  else
    /* Translators: "sk-ant-admin…a1b2 · saved in the keyring" */
    subtitle = g_strdup_printf (_("%s · saved in the keyring"), self->masked);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->key_row), subtitle);
}

static void
set_state (GaugeAdminKeyGroup *self,
           State               state,
           const char         *key)
{
  self->state = state;
  g_clear_pointer (&self->masked, g_free);
  if (key != NULL)
    self->masked = gauge_admin_key_mask (key);
  sync_rows (self);
}

/* A failed check in plain words, with what to do about it. */
static char *
describe_check_error (const GError *error)
{
  if (error->domain == GAUGE_ADMIN_ERROR)
    switch ((GaugeAdminError) error->code)
      {
      case GAUGE_ADMIN_ERROR_UNAUTHORIZED:
        return g_strdup (_("Anthropic refused this key: it is wrong or has been revoked."));
      case GAUGE_ADMIN_ERROR_FORBIDDEN:
        return g_strdup (_("This key may not read the organization. Use an Admin API key "
                           "created by an organization admin."));
      case GAUGE_ADMIN_ERROR_RATE_LIMITED:
        return g_strdup (_("Anthropic asked to slow down. Try again in a few minutes."));
      case GAUGE_ADMIN_ERROR_NETWORK:
        return g_strdup (_("Could not reach Anthropic. Check the connection and try again."));
      case GAUGE_ADMIN_ERROR_NO_KEY:
        return g_strdup (_("This is not an Admin API key: those start with “sk-ant-admin”."));
      case GAUGE_ADMIN_ERROR_SERVER:
      case GAUGE_ADMIN_ERROR_INVALID_RESPONSE:
      default:
        break;
      }

  return g_strdup (error->message);
}

static void
set_working (GaugeAdminKeyGroup *self,
             gboolean            working)
{
  self->working = working;
  sync_rows (self);
}

/* A step failed: say why (@text, or the error's message), unless the group is going away. */
static void
fail (GaugeAdminKeyGroup *self,
      const GError       *error,
      const char         *text)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_working (self, FALSE);
  set_status (self, text != NULL ? text : error->message, TRUE);
  g_clear_pointer (&self->pending_key, gauge_admin_key_free);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GaugeAdminKeyGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gauge_admin_key_store_finish (result, &error))
    {
      fail (self, error, NULL);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->entry_row), "");
  self->working = FALSE;
  set_state (self, STATE_KEYRING, self->pending_key);
  set_status (self, NULL, FALSE);
  if (self->monitor != NULL)
    gauge_console_monitor_set_key (self->monitor, self->pending_key);
  g_clear_pointer (&self->pending_key, gauge_admin_key_free);
  g_signal_emit (self, signals[KEY_CHANGED], 0);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GaugeAdminKeyGroup) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *org_id = NULL;
  g_autofree char *org_name = gauge_admin_key_check_finish (result, &org_id, &error);

  if (org_name == NULL && error != NULL)
    {
      g_autofree char *text = describe_check_error (error);

      fail (self, error, text);
      return;
    }

  g_free (self->org_name);
  self->org_name = g_steal_pointer (&org_name);
  set_status (self, _("Saving in the keyring…"), FALSE);
  /* store_cb gets a reference of its own. */
  gauge_admin_key_store_async (self->pending_key, self->cancellable, store_cb,
                               g_object_ref (self));
}

static void
check_and_save (GaugeAdminKeyGroup *self)
{
  g_autofree char *key = NULL;

  if (self->working || self->state != STATE_NONE)
    return;

  key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry_row))));
  if (*key == '\0')
    {
      set_status (self, _("Paste an Admin API key first."), TRUE);
      gauge_admin_key_free (g_steal_pointer (&key));
      return;
    }
  if (!gauge_admin_key_is_well_formed (key))
    {
      set_status (self, _("This is not an Admin API key: those start with “sk-ant-admin”."), TRUE);
      gauge_admin_key_free (g_steal_pointer (&key));
      return;
    }

  g_clear_pointer (&self->pending_key, gauge_admin_key_free);
  self->pending_key = g_steal_pointer (&key);
  set_working (self, TRUE);
  set_status (self, _("Checking the key with Anthropic…"), FALSE);
  gauge_admin_key_check_async (self->client, self->pending_key, self->cancellable,
                               check_cb, g_object_ref (self));
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GaugeAdminKeyGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gauge_admin_key_clear_finish (result, &error))
    {
      fail (self, error, NULL);
      return;
    }

  self->working = FALSE;
  g_clear_pointer (&self->org_name, g_free);
  set_state (self, STATE_NONE, NULL);
  set_status (self, _("The key was removed from the keyring."), FALSE);
  if (self->monitor != NULL)
    gauge_console_monitor_set_key (self->monitor, NULL);
  g_signal_emit (self, signals[KEY_CHANGED], 0);
}

static void
remove_key (GaugeAdminKeyGroup *self)
{
  if (self->working || self->state != STATE_KEYRING)
    return;

  set_working (self, TRUE);
  gauge_admin_key_clear_async (self->cancellable, clear_cb, g_object_ref (self));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GaugeAdminKeyGroup *self = user_data;
  g_autoptr(GError) error = NULL;
  GaugeAdminKeySource source = GAUGE_ADMIN_KEY_NONE;
  char *key = gauge_admin_key_lookup_finish (result, &source, &error);

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }

  self->working = FALSE;
  switch (key != NULL ? source : GAUGE_ADMIN_KEY_NONE)
    {
    case GAUGE_ADMIN_KEY_ENVIRONMENT:
      set_state (self, STATE_ENVIRONMENT, key);
      break;
    case GAUGE_ADMIN_KEY_KEYRING:
      set_state (self, STATE_KEYRING, key);
      break;
    case GAUGE_ADMIN_KEY_NONE:
    default:
      set_state (self, STATE_NONE, NULL);
      break;
    }
  gauge_admin_key_free (key);

  /* Without a keyring the key can still come from the environment; say why saving may fail. */
  if (error != NULL)
    set_status (self, error->message, TRUE);

  g_object_unref (self);
}

static void
org_name_changed (GaugeAdminKeyGroup *self)
{
  const char *org = gauge_console_monitor_get_org_name (self->monitor);

  if (org != NULL && g_strcmp0 (org, self->org_name) != 0)
    {
      g_free (self->org_name);
      self->org_name = g_strdup (org);
    }
  sync_rows (self);
}

static void
gauge_admin_key_group_dispose (GObject *object)
{
  GaugeAdminKeyGroup *self = (GaugeAdminKeyGroup *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (gauge_admin_key_group_parent_class)->dispose (object);
}

static void
gauge_admin_key_group_finalize (GObject *object)
{
  GaugeAdminKeyGroup *self = (GaugeAdminKeyGroup *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->masked, g_free);
  g_clear_pointer (&self->org_name, g_free);
  g_clear_pointer (&self->pending_key, gauge_admin_key_free);

  G_OBJECT_CLASS (gauge_admin_key_group_parent_class)->finalize (object);
}

static void
gauge_admin_key_group_class_init (GaugeAdminKeyGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gauge_admin_key_group_dispose;
  object_class->finalize = gauge_admin_key_group_finalize;

  /**
   * GaugeAdminKeyGroup::key-changed:
   *
   * A key was saved or removed (the monitor has been told already).
   */
  signals[KEY_CHANGED] =
    g_signal_new ("key-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gauge_admin_key_group_init (GaugeAdminKeyGroup *self)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (self);

  self->cancellable = g_cancellable_new ();
  self->state = STATE_LOOKING_UP;

  adw_preferences_group_set_title (group, _("Console"));
  adw_preferences_group_set_description (group,
    _("An Admin API key shows your organization’s spend. An organization admin creates one "
      "in the Claude Console, under Settings › Admin Keys."));

  self->entry_row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->entry_row), _("Admin API key"));
  /* A short label: a longer one cut the row's title to "Admin A…" at 360 px. */
  self->check_button = gtk_button_new_with_label (_("Save"));
  gtk_widget_set_tooltip_text (self->check_button,
                               _("Check the key with Anthropic, then save it in the keyring"));
  gtk_widget_set_valign (self->check_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->check_button, "suggested-action");
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->entry_row), self->spinner);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->entry_row), self->check_button);
  g_signal_connect_object (self->check_button, "clicked", G_CALLBACK (check_and_save), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->entry_row, "entry-activated", G_CALLBACK (check_and_save), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_visible (self->entry_row, FALSE);
  adw_preferences_group_add (group, self->entry_row);

  self->key_row = adw_action_row_new ();
  adw_action_row_add_prefix (ADW_ACTION_ROW (self->key_row),
                             gtk_image_new_from_icon_name ("dialog-password-symbolic"));
  self->remove_button = gtk_button_new_with_label (_("Remove"));
  gtk_widget_set_valign (self->remove_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->remove_button, "destructive-action");
  gtk_widget_set_tooltip_text (self->remove_button, _("Remove the key from the keyring"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->key_row), self->remove_button);
  g_signal_connect_object (self->remove_button, "clicked", G_CALLBACK (remove_key), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_visible (self->key_row, FALSE);
  adw_preferences_group_add (group, self->key_row);

  self->status_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->status_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->status_label), TRUE);
  gtk_widget_set_margin_top (self->status_label, 6);
  gtk_widget_add_css_class (self->status_label, "caption");
  gtk_widget_set_visible (self->status_label, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Admin API key status"), -1);
  adw_preferences_group_add (group, self->status_label);
}

/**
 * gauge_admin_key_group_new:
 * @client: checks keys (organizations/me)
 * @monitor: (nullable): told about a saved or removed key
 */
GtkWidget *
gauge_admin_key_group_new (GaugeAdminClient    *client,
                           GaugeConsoleMonitor *monitor)
{
  GaugeAdminKeyGroup *self;

  g_return_val_if_fail (GAUGE_IS_ADMIN_CLIENT (client), NULL);
  g_return_val_if_fail (monitor == NULL || GAUGE_IS_CONSOLE_MONITOR (monitor), NULL);

  self = g_object_new (GAUGE_TYPE_ADMIN_KEY_GROUP, NULL);
  self->client = g_object_ref (client);
  if (monitor != NULL)
    {
      self->monitor = g_object_ref (monitor);
      g_signal_connect_object (monitor, "notify::org-name", G_CALLBACK (org_name_changed), self,
                               G_CONNECT_SWAPPED);
    }

  self->working = TRUE;
  gauge_admin_key_lookup_async (self->cancellable, lookup_cb, g_object_ref (self));

  return GTK_WIDGET (self);
}
