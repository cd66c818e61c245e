/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-settings"

#include "config.h"

#include "gauge-settings.h"

/**
 * gauge_settings_new_if_installed:
 *
 * The terminal modes run from a build tree or a script too, where GLib would abort on a
 * schema it cannot find: no schema means defaults.
 *
 * Returns: (transfer full) (nullable): the preferences, or %NULL when the schema is not installed
 */
GSettings *
gauge_settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}
