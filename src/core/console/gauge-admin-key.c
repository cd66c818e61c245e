/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-admin-key"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "gauge-admin-key.h"
#include "gauge-settings.h"

#define KEY_PREFIX "sk-ant-admin"
#define ENV_VAR    "ANTHROPIC_ADMIN_KEY"
#define KEYRING_KEY "console-key-in-keyring"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.claudegauge.ClaudeGauge.AdminKey", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/**
 * gauge_admin_key_mask:
 *
 * Returns: the key for display: "sk-ant-admin…a1b2", the last four
 *   characters only when at least twelve stay hidden
 */
char *
gauge_admin_key_mask (const char *key)
{
  gsize len = key != NULL ? strlen (key) : 0;
  gboolean prefixed = g_str_has_prefix (key != NULL ? key : "", KEY_PREFIX);
  gsize shown = prefixed ? strlen (KEY_PREFIX) : 0;

  if (len >= shown + 4 + 12)
    return g_strdup_printf ("%s…%s", prefixed ? KEY_PREFIX : "", key + len - 4);

  return g_strdup_printf ("%s…", prefixed ? KEY_PREFIX : "");
}

/* A key goes into a header: printable ASCII without spaces, and of a sane length. */
gboolean
gauge_admin_key_is_well_formed (const char *key)
{
  gsize len;

  if (key == NULL)
    return FALSE;

  len = strlen (key);
  if (len < 8 || len > 512)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (key[i] <= ' ' || key[i] > '~')
      return FALSE;

  return TRUE;
}

/* Wipes the key before freeing it. */
void
gauge_admin_key_free (char *key)
{
  if (key != NULL)
    secret_password_wipe (key);
  g_free (key);
}

/* Asking the keyring starts its service where none runs (a desktop without one running all
 * the time): once a lookup found no key, later starts do not ask again until one is stored.
 * The setting starts TRUE, so a key stored by an earlier build is still found. */
static gboolean
keyring_may_hold_key (void)
{
  g_autoptr(GSettings) settings = gauge_settings_new_if_installed ();

  return settings == NULL || g_settings_get_boolean (settings, KEYRING_KEY);
}

static void
remember_keyring_holds_key (gboolean holds)
{
  g_autoptr(GSettings) settings = gauge_settings_new_if_installed ();

  if (settings != NULL && g_settings_get_boolean (settings, KEYRING_KEY) != holds)
    g_settings_set_boolean (settings, KEYRING_KEY, holds);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;
  char *copy;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_debug ("The keyring could not be read: %s", error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The keyring could not be read: %s"), error->message);
      return;
    }

  /* libsecret may hand back non-pageable memory, freed only by secret_password_free(): copy
   * it, so that every key the callers see is freed the same way. */
  copy = g_strdup (secret);
  secret_password_free (secret);
  if (copy != NULL)
    g_task_set_task_data (task, GINT_TO_POINTER (GAUGE_ADMIN_KEY_KEYRING), NULL);
  else
    remember_keyring_holds_key (FALSE);
  g_task_return_pointer (task, copy, (GDestroyNotify) gauge_admin_key_free);
}

/* ANTHROPIC_ADMIN_KEY first, then the keyring. */
void
gauge_admin_key_lookup_async (GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  const char *env = g_getenv (ENV_VAR);

  g_task_set_source_tag (task, gauge_admin_key_lookup_async);

  if (env != NULL && *env != '\0')
    {
      g_task_set_task_data (task, GINT_TO_POINTER (GAUGE_ADMIN_KEY_ENVIRONMENT), NULL);
      g_task_return_pointer (task, g_strdup (env), (GDestroyNotify) gauge_admin_key_free);
      return;
    }

  if (!keyring_may_hold_key ())
    {
      g_debug ("No Admin API key was found in the keyring before: not asking it again");
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  secret_password_lookup (get_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                          "kind", "admin-key", NULL);
}

/**
 * gauge_admin_key_lookup_finish:
 * @source: (out) (optional): where the key came from
 *
 * Returns: (transfer full) (nullable): the key, free with
 *   gauge_admin_key_free(); %NULL without an error when none is stored
 */
char *
gauge_admin_key_lookup_finish (GAsyncResult        *result,
                               GaugeAdminKeySource *source,
                               GError             **error)
{
  char *key;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  key = g_task_propagate_pointer (G_TASK (result), error);
  if (source != NULL)
    *source = key != NULL ? GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)))
                          : GAUGE_ADMIN_KEY_NONE;

  return key;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The key could not be saved in the keyring: %s"), error->message);
  else
    {
      remember_keyring_holds_key (TRUE);
      g_task_return_boolean (task, TRUE);
    }
}

/* Replaces any stored key. */
void
gauge_admin_key_store_async (const char          *key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, gauge_admin_key_store_async);

  if (!gauge_admin_key_is_well_formed (key))
    {
      g_task_return_new_error (task, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_NO_KEY,
                               _("This is not an Admin API key"));
      return;
    }

  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT,
                         _("Claude Gauge: Anthropic Admin API key"), key,
                         cancellable, store_cb, g_steal_pointer (&task),
                         "kind", "admin-key", NULL);
}

gboolean
gauge_admin_key_store_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to remove, which is what was asked. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The key could not be removed from the keyring: %s"),
                             error->message);
  else
    {
      remember_keyring_holds_key (FALSE);
      g_task_return_boolean (task, TRUE);
    }
}

void
gauge_admin_key_clear_async (GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, gauge_admin_key_clear_async);
  secret_password_clear (get_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         "kind", "admin-key", NULL);
}

gboolean
gauge_admin_key_clear_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  GError *error = NULL;

  rows = gauge_admin_client_fetch_finish (GAUGE_ADMIN_CLIENT (object), result, NULL, &error);
  if (rows == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_assert (rows->len == 1);
  g_task_return_pointer (task, g_ptr_array_steal_index (rows, 0), g_free);
}

/* Asks organizations/me with @key: the key works when the organization answers. */
void
gauge_admin_key_check_async (GaugeAdminClient    *client,
                             const char          *key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GAUGE_IS_ADMIN_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_admin_key_check_async);
  gauge_admin_client_fetch_async (client, key, GAUGE_ADMIN_ORGANIZATION, NULL, NULL, cancellable,
                                  check_cb, g_steal_pointer (&task));
}

/**
 * gauge_admin_key_check_finish:
 * @org_id: (out) (optional): the organization's id
 *
 * Returns: (transfer full): the organization's name, for "Key of Acme Corp"
 */
char *
gauge_admin_key_check_finish (GAsyncResult  *result,
                              char         **org_id,
                              GError       **error)
{
  g_autofree GaugeAdminOrganization *org = NULL;

  g_return_val_if_fail (G_IS_TASK (result), NULL);

  org = g_task_propagate_pointer (G_TASK (result), error);
  if (org == NULL)
    return NULL;

  if (org_id != NULL)
    *org_id = g_strdup (org->id);

  return g_strdup (org->name != NULL ? org->name : org->id);
}
