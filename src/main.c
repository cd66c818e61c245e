/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-main"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gauge-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GaugeApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* GTK 4.8 maps Mesa (~60 MB) as soon as it opens the display; a tray app
   * draws little, so render with cairo unless the user chose otherwise. */
  if (g_getenv ("GSK_RENDERER") == NULL && g_getenv ("GDK_DEBUG") == NULL)
    {
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
    }

  app = gauge_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
