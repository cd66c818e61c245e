/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-module"

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "gauge-module.h"

/*
 * The executable's private modules (the app's, the net library): loaded only by what needs
 * them, so that a --statusline maps neither GTK nor libsoup. Both use the core library the
 * executable exports.
 */

/* The module next to the executable when it runs from the build tree, else the installed one. */
static char *
find_module (const char *file_name)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self != NULL ? g_path_get_dirname (self) : NULL;

  if (dir != NULL && g_str_equal (dir, GAUGE_BUILD_DIR))
    return g_build_filename (GAUGE_BUILD_DIR, file_name, NULL);

  return g_build_filename (GAUGE_MODULE_DIR, file_name, NULL);
}

/**
 * gauge_module_load_entry:
 * @file_name: the module's file name, in the build tree or the installed module folder
 * @entry: the symbol it exports
 *
 * Loads a private module (once: loading it again gives the same one) and looks up its entry
 * point. A module is never unloaded: the types it registers stay until the process ends.
 *
 * Returns: (nullable): @entry's address, or %NULL after saying on stderr that Claude Gauge is
 *   not installed completely
 */
gpointer
gauge_module_load_entry (const char *file_name,
                         const char *entry)
{
  g_autofree char *path = find_module (file_name);
  GModule *module;
  gpointer symbol = NULL;

  /* Not G_MODULE_BIND_LOCAL: GtkBuilder finds a type it has not seen yet (GtkBox, …) by its
   * _get_type symbol in the global scope, and when that fails registers every GTK type. */
  module = g_module_open (path, G_MODULE_BIND_LAZY);
  if (module == NULL || !g_module_symbol (module, entry, &symbol) || symbol == NULL)
    {
      g_printerr (_("Claude Gauge is not installed completely: %s. Reinstall it.\n"),
                  g_module_error ());
      return NULL;
    }

  return symbol;
}
