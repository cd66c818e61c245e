/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-account-folders-group"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-account.h"
#include "gauge-account-folders-group.h"

/*
 * Preferences › Accounts: the Claude Code config folders read besides CLAUDE_CONFIG_DIR's (the
 * `account-folders` key), each with whether it holds a sign-in and a button to remove it;
 * the ~/.claude-* folders that hold one, offered with one click; a folder typed in; and which
 * account the tray shows (`tray-account`). Rows are made again whenever the key changes.
 */

struct _GaugeAccountFoldersGroup
{
  AdwPreferencesGroup  parent_instance;

  GSettings           *settings;
  GPtrArray           *rows;          /* the folder and suggestion rows, made again on change */
  GtkWidget           *entry_row;
  GtkWidget           *tray_row;
  GtkStringList       *tray_folders;  /* the tray row's choices after "nearest": folders */
  gboolean             syncing;
  gboolean             choosing;      /* the tray row writes the key it follows */
  guint                sync_source;
};

G_DEFINE_FINAL_TYPE (GaugeAccountFoldersGroup, gauge_account_folders_group,
                     ADW_TYPE_PREFERENCES_GROUP)

static void
set_folders (GaugeAccountFoldersGroup *self,
             GPtrArray                *folders)
{
  g_ptr_array_add (folders, NULL);
  g_settings_set_strv (self->settings, "account-folders", (const char * const *) folders->pdata);
}

/* The key's folders, with @add added (once) and @remove taken out. */
static void
edit_folders (GaugeAccountFoldersGroup *self,
              const char               *add,
              const char               *remove)
{
  g_auto(GStrv) current = g_settings_get_strv (self->settings, "account-folders");
  g_autoptr(GPtrArray) folders = g_ptr_array_new ();
  g_autofree char *normal_add = gauge_account_normalize_folder (add);

  for (guint i = 0; current[i] != NULL; i++)
    {
      g_autofree char *normal = gauge_account_normalize_folder (current[i]);

      if (g_strcmp0 (normal, remove) == 0 || g_strcmp0 (normal, normal_add) == 0)
        continue;
      g_ptr_array_add (folders, current[i]);
    }
  if (normal_add != NULL)
    g_ptr_array_add (folders, normal_add);

  set_folders (self, folders);
}

static void
remove_clicked_cb (GtkButton                *button,
                   GaugeAccountFoldersGroup *self)
{
  edit_folders (self, NULL, g_object_get_data (G_OBJECT (button), "folder"));
}

static void
add_clicked_cb (GtkButton                *button,
                GaugeAccountFoldersGroup *self)
{
  edit_folders (self, g_object_get_data (G_OBJECT (button), "folder"), NULL);
}

static void
entry_apply_cb (AdwEntryRow              *row,
                GaugeAccountFoldersGroup *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *folder = gauge_account_normalize_folder (text);

  if (folder == NULL)
    return;

  edit_folders (self, text, NULL);
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static GtkWidget *
folder_row (GaugeAccountFoldersGroup *self,
            const char               *folder,
            gboolean                  suggested)
{
  g_autofree char *display = gauge_account_display_folder (folder);
  g_autofree char *credentials = gauge_account_credentials_path (folder);
  gboolean signed_in = g_file_test (credentials, G_FILE_TEST_IS_REGULAR);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), display);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               suggested ? _("Holds a Claude Code sign-in: add it as an account")
                               : signed_in ? _("Signed in")
                               : _("No sign-in here yet: run “claude” with this folder"));

  button = gtk_button_new_from_icon_name (suggested ? "list-add-symbolic"
                                                    : "user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, suggested ? _("Add this account")
                                                 : _("Stop reading this folder"));
  g_object_set_data_full (G_OBJECT (button), "folder", g_strdup (folder), g_free);
  g_signal_connect_object (button, "clicked",
                           suggested ? G_CALLBACK (add_clicked_cb) : G_CALLBACK (remove_clicked_cb),
                           self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
add_row (GaugeAccountFoldersGroup *self,
         GtkWidget                *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
}

/* The tray row: "Nearest a limit", then every account's folder. */
static void
sync_tray_row (GaugeAccountFoldersGroup *self)
{
  g_auto(GStrv) extra = g_settings_get_strv (self->settings, "account-folders");
  g_auto(GStrv) folders = gauge_account_list_folders ((const char * const *) extra);
  g_autofree char *chosen = g_settings_get_string (self->settings, "tray-account");
  g_autofree char *normal_chosen = gauge_account_normalize_folder (chosen);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  if (self->choosing)
    return;

  gtk_string_list_splice (self->tray_folders, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->tray_folders)), NULL);
  /* Translators: which account the tray icon shows */
  gtk_string_list_append (names, _("The one nearest a limit"));
  for (guint i = 0; folders[i] != NULL; i++)
    {
      g_autofree char *display = gauge_account_display_folder (folders[i]);

      gtk_string_list_append (names, display);
      gtk_string_list_append (self->tray_folders, folders[i]);
      if (g_strcmp0 (folders[i], normal_chosen) == 0)
        selected = i + 1;
    }

  adw_combo_row_set_model (ADW_COMBO_ROW (self->tray_row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->tray_row), selected);
  gtk_widget_set_visible (self->tray_row, folders[1] != NULL);
}

static void
sync_rows (GaugeAccountFoldersGroup *self)
{
  g_auto(GStrv) extra = g_settings_get_strv (self->settings, "account-folders");
  g_auto(GStrv) known = NULL;
  g_auto(GStrv) suggestions = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  self->syncing = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; extra[i] != NULL; i++)
    {
      g_autofree char *folder = gauge_account_normalize_folder (extra[i]);

      if (folder == NULL)
        continue;
      g_strv_builder_add (builder, folder);
      add_row (self, folder_row (self, folder, FALSE));
    }

  /* The environment's folders are read anyway: not offered again. */
  {
    g_auto(GStrv) environment = gauge_account_list_folders (NULL);

    g_strv_builder_addv (builder, (const char **) environment);
  }
  known = g_strv_builder_end (builder);
  suggestions = gauge_account_find_suggestions ((const char * const *) known);
  for (guint i = 0; suggestions[i] != NULL; i++)
    add_row (self, folder_row (self, suggestions[i], TRUE));

  sync_tray_row (self);
  self->syncing = FALSE;
}

/* The rows are made again after the click that changed the key has returned: its button
 * is one of them. */
static gboolean
sync_idle_cb (gpointer user_data)
{
  GaugeAccountFoldersGroup *self = user_data;

  self->sync_source = 0;
  sync_rows (self);

  return G_SOURCE_REMOVE;
}

static void
folders_changed_cb (GaugeAccountFoldersGroup *self)
{
  if (self->sync_source == 0)
    self->sync_source = g_idle_add (sync_idle_cb, self);
}

static void
tray_selected_cb (GaugeAccountFoldersGroup *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->tray_row));
  g_autofree char *folder = NULL;

  if (self->syncing || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (selected > 0)
    folder = g_strdup (gtk_string_list_get_string (self->tray_folders, selected - 1));
  self->choosing = TRUE;
  g_settings_set_string (self->settings, "tray-account", folder != NULL ? folder : "");
  self->choosing = FALSE;
}

static void
gauge_account_folders_group_dispose (GObject *object)
{
  GaugeAccountFoldersGroup *self = GAUGE_ACCOUNT_FOLDERS_GROUP (object);

  g_clear_handle_id (&self->sync_source, g_source_remove);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->tray_folders);

  G_OBJECT_CLASS (gauge_account_folders_group_parent_class)->dispose (object);
}

static void
gauge_account_folders_group_class_init (GaugeAccountFoldersGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gauge_account_folders_group_dispose;
}

static void
gauge_account_folders_group_init (GaugeAccountFoldersGroup *self)
{
  self->rows = g_ptr_array_new ();
  self->tray_folders = gtk_string_list_new (NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Claude Accounts"));
  adw_preferences_group_set_description (
    ADW_PREFERENCES_GROUP (self),
    _("Each Claude Code config folder that holds a sign-in is an account, shown on its own. "
      "The folders of CLAUDE_CONFIG_DIR (or ~/.claude) are always read; add others here, "
      "such as ~/.claude-work."));

  self->tray_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->tray_row), _("Account in the Tray"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->tray_row);
  g_signal_connect_object (self->tray_row, "notify::selected", G_CALLBACK (tray_selected_cb),
                           self, G_CONNECT_SWAPPED);

  self->entry_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->entry_row), _("Add a Folder"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->entry_row), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->entry_row);
  g_signal_connect_object (self->entry_row, "apply", G_CALLBACK (entry_apply_cb), self, 0);
}

/**
 * gauge_account_folders_group_new:
 *
 * The group, following @settings' `account-folders` and `tray-account`.
 */
GtkWidget *
gauge_account_folders_group_new (GSettings *settings)
{
  GaugeAccountFoldersGroup *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GAUGE_TYPE_ACCOUNT_FOLDERS_GROUP, NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::account-folders",
                           G_CALLBACK (folders_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::tray-account", G_CALLBACK (sync_tray_row), self,
                           G_CONNECT_SWAPPED);
  sync_rows (self);

  return GTK_WIDGET (self);
}
