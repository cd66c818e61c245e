/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-main"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gauge-application.h"
#include "gauge-drawing.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GaugeApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gauge_drawing_choose_renderer ();

  app = gauge_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
