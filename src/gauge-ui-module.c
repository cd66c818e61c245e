/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-ui-module"

#include "config.h"

#include <gmodule.h>

#include "gauge-application.h"
#include "gauge-drawing.h"
#include "gauge-worker.h"

/*
 * The app (window, tray, notifications) as a module that the claude-gauge
 * executable loads when no terminal mode was asked for (main.c). It uses the
 * core library the executable exports.
 */

G_MODULE_EXPORT int gauge_ui_main (int argc, char **argv);

G_MODULE_EXPORT int
gauge_ui_main (int   argc,
               char *argv[])
{
  g_autoptr(GaugeApplication) app = NULL;
  int status;

  gauge_drawing_choose_renderer ();

  app = gauge_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);

  /* Disposing the windows cancels their loads; a reading being saved is let finish. */
  g_clear_object (&app);
  if (!gauge_worker_wait_idle (5 * G_USEC_PER_SEC))
    g_warning ("Quitting with %u background tasks still running", gauge_worker_get_running ());

  return status;
}
