/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-test-ui"

#include "gauge-test-ui.h"

static char **icon_dirs;  /* the real system data dirs, under icons/ … */
static char **mime_dirs;  /* … and under mime/ */

/* --- Text on screen ------------------------------------------------------ */

static void
collect_labels (GtkWidget          *widget,
                GaugeTestTextFlags  flags,
                GString            *out)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (text != NULL && *text != '\0')
        g_string_append_printf (out, "%s\n", text);
    }
  if ((flags & GAUGE_TEST_TEXT_SKIP_POPOVER_BUTTONS) != 0 &&
      GTK_IS_BUTTON (widget) && GTK_IS_POPOVER (gtk_widget_get_parent (widget)))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, flags, out);
}

char *
gauge_test_visible_text_full (gpointer           widget,
                              GaugeTestTextFlags flags)
{
  GString *out = g_string_new (NULL);

  collect_labels (GTK_WIDGET (widget), flags, out);
  return g_string_free (out, FALSE);
}

void
gauge_test_wait_shows_full (gpointer           widget,
                            GaugeTestTextFlags flags,
                            const char        *needle,
                            guint              timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  for (;;)
    {
      g_autofree char *text = gauge_test_visible_text_full (widget, flags);

      if (strstr (text, needle) != NULL)
        return;
      if (g_get_monotonic_time () >= end)
        g_error ("Expected “%s” on screen within %u ms, got:\n%s", needle, timeout_ms, text);
      gauge_test_iterate_for (10);
    }
}

char *
gauge_test_visible_text (gpointer widget)
{
  return gauge_test_visible_text_full (widget, GAUGE_TEST_TEXT_DEFAULT);
}

/* --- Finding widgets ----------------------------------------------------- */

GtkWidget *
gauge_test_find_descendant (GtkWidget  *widget,
                            GType       type,
                            const char *label_text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (label_text == NULL || g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), label_text) == 0))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gauge_test_find_descendant (child, type, label_text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

void
gauge_test_find_all (GtkWidget *widget,
                     GType      type,
                     GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gauge_test_find_all (child, type, found);
}

/* --- Layout ------------------------------------------------------------- */

int
gauge_test_min_width (gpointer widget)
{
  int minimum = 0, natural = 0;

  gtk_widget_measure (GTK_WIDGET (widget), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, &natural, NULL, NULL);
  return minimum;
}

void
gauge_test_resize (GtkWindow *window,
                   int        width,
                   int        height)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  /* The surface is the window as the desktop sees it (decorations included): a page that
   * cannot shrink that far makes it wider than asked for. */
  gtk_window_set_default_size (window, width, height);
  while (gdk_surface_get_width (surface) != width && g_get_monotonic_time () < end)
    gauge_test_iterate_for (20);
  gauge_test_iterate_for (300);
  g_assert_cmpint (gdk_surface_get_width (surface), ==, width);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, width);
}

GtkLabel *
gauge_test_find_label_by_tooltip (GtkWidget  *widget,
                                  const char *tooltip)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  gauge_test_find_all (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_visible (labels->pdata[i]) &&
        g_strcmp0 (gtk_widget_get_tooltip_text (labels->pdata[i]), tooltip) == 0)
      return labels->pdata[i];

  return NULL;
}

void
gauge_test_assert_ellipsized_end (GtkLabel   *label,
                                  const char *full)
{
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (label), ==, full);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), ==, full);
  g_assert_cmpint (gtk_label_get_ellipsize (label), ==, PANGO_ELLIPSIZE_END);
  /* Cut on screen, not only allowed to be. */
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
}

/* --- Screenshots --------------------------------------------------------- */

GdkTexture *
gauge_test_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  int width, height;

  /* A window shown a moment ago on a loaded machine may not be laid out or drawn yet. */
  for (;;)
    {
      GtkSnapshot *snapshot;

      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      if (width > 0 && height > 0)
        {
          snapshot = gtk_snapshot_new ();
          gdk_paintable_snapshot (paintable, snapshot, width, height);
          node = gtk_snapshot_free_to_node (snapshot);
        }
      if (node != NULL || g_get_monotonic_time () > deadline)
        break;
      gauge_test_iterate_for (50);
    }

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static gboolean
any_transition_running (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (any_transition_running (child))
      return TRUE;

  return FALSE;
}

/* A page half way through its cross-fade (200 ms) is a pale picture of it: wait for the
 * fades, and for the theme's own transitions (a toggled button's colour, 200 ms). */
static void
wait_transitions (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  while (any_transition_running (widget) && g_get_monotonic_time () < end)
    gauge_test_iterate_for (20);
  gauge_test_iterate_for (250);
}

void
gauge_test_save_png (GtkWidget  *widget,
                     const char *subdir,
                     const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;

  wait_transitions (widget);
  texture = gauge_test_render (widget);
  g_autofree char *path = subdir != NULL
                          ? g_build_filename (g_test_get_dir (G_TEST_BUILT), subdir, name, NULL)
                          : g_build_filename (g_test_get_dir (G_TEST_BUILT), name, NULL);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

void
gauge_test_save_screenshots (GtkWindow  *window,
                             const char *subdir,
                             const char *stem)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = g_strdup_printf ("%s.png", stem);
  g_autofree char *dark = g_strdup_printf ("%s-dark.png", stem);

  /* Screenshots show the window as it looks at rest, not with a button focused. */
  gtk_window_set_focus (window, NULL);
  gauge_test_iterate_for (100);
  gauge_test_save_png (GTK_WIDGET (window), subdir, light);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  gauge_test_iterate_for (300);
  gauge_test_save_png (GTK_WIDGET (window), subdir, dark);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gauge_test_iterate_for (100);
}

/* --- The real icon theme and MIME database ------------------------------- */

void
gauge_test_ui_init (int    *argc,
                    char ***argv)
{
  const char * const *system_dirs = g_get_system_data_dirs ();
  guint n_dirs = g_strv_length ((char **) system_dirs);

  /* Before g_test_init(), which points XDG_DATA_DIRS elsewhere. */
  g_assert_null (icon_dirs);
  icon_dirs = g_new0 (char *, n_dirs + 1);
  mime_dirs = g_new0 (char *, n_dirs + 1);
  for (guint i = 0; i < n_dirs; i++)
    {
      icon_dirs[i] = g_build_filename (system_dirs[i], "icons", NULL);
      mime_dirs[i] = g_build_filename (system_dirs[i], "mime", NULL);
    }

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

void
gauge_test_ui_use_system_mime_dirs (void)
{
  g_assert_nonnull (mime_dirs);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs);
}

void
gauge_test_ui_use_system_icon_dirs (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  g_assert_nonnull (icon_dirs);
  for (guint i = 0; icon_dirs[i] != NULL; i++)
    gtk_icon_theme_add_search_path (theme, icon_dirs[i]);
}

void
gauge_test_ui_free_system_dirs (void)
{
  g_clear_pointer (&icon_dirs, g_strfreev);
  g_clear_pointer (&mime_dirs, g_strfreev);
}

int
gauge_test_ui_run (AdwApplication **app)
{
  int ret = g_test_run ();

  if (app != NULL)
    gauge_test_ui_app_clear (app);
  gauge_test_ui_free_system_dirs ();

  return ret;
}

/* --- The application ----------------------------------------------------- */

AdwApplication *
gauge_test_ui_app_new (const char *application_id)
{
  g_autoptr(GError) error = NULL;
  AdwApplication *app = adw_application_new (application_id, G_APPLICATION_NON_UNIQUE);

  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("Cannot register the application: %s", error->message);
  gauge_test_ui_use_system_icon_dirs ();

  /* Windows come and go between cases; keep the application alive. */
  g_application_hold (G_APPLICATION (app));
  return app;
}

void
gauge_test_ui_app_clear (AdwApplication **app)
{
  if (*app == NULL)
    return;

  g_application_release (G_APPLICATION (*app));
  g_clear_object (app);
}
