/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>
#include <string.h>

#include "gauge-test-process.h"

G_BEGIN_DECLS

/*
 * Helpers shared by the tests that run the GUI under a virtual display
 * (xvfb-run): the main loop, what a user can read on screen, finding widgets,
 * screenshots, and the real icon and MIME dirs under G_TEST_OPTION_ISOLATE_DIRS.
 */

/* The main loop: gauge_test_iterate_for() in gauge-test-process.h. */

/* --- Text on screen ------------------------------------------------------ */

typedef enum
{
  GAUGE_TEST_TEXT_DEFAULT              = 0,
  /* The labels of buttons in a popover (its menu items) are not read. */
  GAUGE_TEST_TEXT_SKIP_POPOVER_BUTTONS = 1 << 0,
} GaugeTestTextFlags;

/* Every label a user can see under @widget, one per line. */
char       *gauge_test_visible_text          (gpointer           widget);
char       *gauge_test_visible_text_full     (gpointer           widget,
                                              GaugeTestTextFlags flags);

#define gauge_test_assert_shows_full(widget, flags, needle) \
  G_STMT_START { \
    g_autofree char *__text = gauge_test_visible_text_full ((widget), (flags)); \
    if (strstr (__text, (needle)) == NULL) \
      g_error ("Expected “%s” on screen, got:\n%s", (needle), __text); \
  } G_STMT_END

#define gauge_test_assert_not_shows_full(widget, flags, needle) \
  G_STMT_START { \
    g_autofree char *__text = gauge_test_visible_text_full ((widget), (flags)); \
    if (strstr (__text, (needle)) != NULL) \
      g_error ("Did not expect “%s” on screen, got:\n%s", (needle), __text); \
  } G_STMT_END

/* Runs the main loop until @needle is on screen under @widget (at most @timeout_ms), then
 * asserts that it is: for what shows up after work on other threads or in idle callbacks. */
void        gauge_test_wait_shows_full       (gpointer           widget,
                                              GaugeTestTextFlags flags,
                                              const char        *needle,
                                              guint              timeout_ms);

#define gauge_test_assert_shows(widget, needle) \
  gauge_test_assert_shows_full ((widget), GAUGE_TEST_TEXT_DEFAULT, (needle))
#define gauge_test_assert_not_shows(widget, needle) \
  gauge_test_assert_not_shows_full ((widget), GAUGE_TEST_TEXT_DEFAULT, (needle))
#define gauge_test_wait_shows(widget, needle, timeout_ms) \
  gauge_test_wait_shows_full ((widget), GAUGE_TEST_TEXT_DEFAULT, (needle), (timeout_ms))

/* --- Finding widgets ----------------------------------------------------- */

/* The first widget of @type under @widget (itself included, depth first);
 * with @label_text, the first GtkLabel (@type) showing exactly that text. */
GtkWidget  *gauge_test_find_descendant       (GtkWidget  *widget,
                                              GType       type,
                                              const char *label_text);
/* Appends every widget of @type under @widget (itself included) to @found. */
void        gauge_test_find_all              (GtkWidget  *widget,
                                              GType       type,
                                              GPtrArray  *found);

/* --- Layout ------------------------------------------------------------- */

/* GNOME's narrowest ("mobile") window width: every page must fit it. */
#define GAUGE_TEST_NARROW_WIDTH 360

/* The least width @widget asks for, as GTK measures it. */
int         gauge_test_min_width             (gpointer    widget);
/* Resizes @window to @width × @height and asserts that it gets that width. */
void        gauge_test_resize                (GtkWindow  *window,
                                              int         width,
                                              int         height);
/* The first visible label under @widget whose tooltip is @tooltip. */
GtkLabel   *gauge_test_find_label_by_tooltip (GtkWidget  *widget,
                                              const char *tooltip);
/* @label shows @full cut at its end ("Dana Whitf…"), and the whole of it in its tooltip. */
void        gauge_test_assert_ellipsized_end (GtkLabel   *label,
                                              const char *full);

/* --- Screenshots --------------------------------------------------------- */

/* @widget (a realized window) rendered by its renderer, at its size. */
GdkTexture *gauge_test_render                (GtkWidget  *widget);
/* Writes @widget to @name in the build dir of the tests, under @subdir
 * (NULL: the top of it). */
void        gauge_test_save_png              (GtkWidget  *widget,
                                              const char *subdir,
                                              const char *name);
/* @stem.png and @stem-dark.png of @window at rest (nothing focused), under
 * @subdir; leaves the default colour scheme. */
void        gauge_test_save_screenshots      (GtkWindow  *window,
                                              const char *subdir,
                                              const char *stem);

/* --- The real icon theme and MIME database ------------------------------- */

/* The isolated XDG dirs hide the installed icon theme and the MIME database
 * (without which gdk-pixbuf cannot tell an SVG icon); keep using the real ones.
 * gauge_test_ui_init() notes them, then runs g_test_init() with
 * G_TEST_OPTION_ISOLATE_DIRS; the others put them back to use. */
void        gauge_test_ui_init               (int        *argc,
                                              char     ***argv);
void        gauge_test_ui_use_system_mime_dirs (void);
/* Once the default display is open. */
void        gauge_test_ui_use_system_icon_dirs (void);
void        gauge_test_ui_free_system_dirs   (void);
/* g_test_run(), then the app (when there is one) released and the dirs freed. */
int         gauge_test_ui_run                (AdwApplication **app);

/* --- The application ----------------------------------------------------- */

/* A registered, non-unique AdwApplication with the real icon dirs on its
 * display, held so that it stays alive while windows come and go between cases. */
AdwApplication *gauge_test_ui_app_new        (const char     *application_id);
/* Releases and unrefs what gauge_test_ui_app_new() returned; clears *@app. */
void            gauge_test_ui_app_clear      (AdwApplication **app);

G_END_DECLS
