/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-console-view"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-admin-client.h"
#include "gauge-bar-chart.h"
#include "gauge-clock.h"
#include "gauge-console-view.h"
#include "gauge-model-name.h"
#include "gauge-format.h"
#include "gauge-limit-bar.h"

/*
 * The Console page: what the organization spent this month, on which models,
 * in which workspaces (against budgets the user sets), and what Claude Code
 * did per person. Rebuilt from the monitor's immutable report whenever the
 * monitor or the budgets change.
 */

#define BUDGETS_KEY       "console-workspace-budgets"
#define DEFAULT_WORKSPACE "default"

struct _GaugeConsoleView
{
  AdwBin               parent_instance;

  GaugeConsoleMonitor *monitor;
  GSettings           *settings;
  char                *user_email;
  guint                update_source;

  GtkStack            *stack;
  AdwStatusPage       *failed_page;
  GtkWidget           *failed_button;
  GtkSpinner          *spinner;
  GtkWidget           *message_box;
  GtkImage            *message_icon;
  GtkLabel            *message_label;
  GtkLabel            *message_detail;
  GtkLabel            *org_label;
  GtkLabel            *period_label;
  GtkLabel            *total_label;
  GtkLabel            *total_caption;
  GtkLabel            *projection_title;
  GtkLabel            *projection_label;
  GtkLabel            *projection_caption;
  GtkWidget           *sections_box;
  GtkWidget           *figures_box;
  GtkLabel            *updated_label;
};

G_DEFINE_FINAL_TYPE (GaugeConsoleView, gauge_console_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_USER_EMAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void queue_update (GaugeConsoleView *self);

/* --- Words --------------------------------------------------------------- */

static double
to_dollars (GaugeMicrocents amount)
{
  return (double) amount / (double) GAUGE_MICROCENTS_PER_DOLLAR;
}

/* A day of the month as a user reads it, e.g. "31 Oct". */
static char *
format_day (GDateTime *day)
{
  /* Translators: a day and a month, see strftime; "-" drops the padding */
  return g_date_time_format (day, _("%-d %b"));
}

typedef struct
{
  char       *title;
  char       *detail;
  const char *icon_name;
  const char *style_class;
  gboolean    key_problem;     /* the way out is in Preferences */
} Problem;

/* A problem with the key itself: the way out is in Preferences. */
static void
set_key_problem (Problem    *problem,
                 const char *title,
                 const char *detail,
                 const char *icon_name)
{
  problem->title = g_strdup (title);
  problem->detail = g_strdup (detail);
  problem->icon_name = icon_name;
  problem->style_class = "error";
  problem->key_problem = TRUE;
}

/* Why the last round failed, for people: what happened and what to do. */
static gboolean
describe_problem (GaugeConsoleView *self,
                  Problem          *problem)
{
  const GError *error = gauge_console_monitor_get_error (self->monitor);

  memset (problem, 0, sizeof *problem);
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  problem->icon_name = "claude-gauge-warning-symbolic";
  problem->style_class = "warning";

  if (error->domain != GAUGE_ADMIN_ERROR)
    {
      problem->title = g_strdup (_("Something went wrong"));
      problem->detail = g_strdup (error->message);
      return TRUE;
    }

  switch ((GaugeAdminError) error->code)
    {
    case GAUGE_ADMIN_ERROR_UNAUTHORIZED:
      set_key_problem (problem, _("The Admin API key was refused"),
                       _("Anthropic says the key is wrong or has been revoked. "
                         "Add a current key in Preferences."),
                       "claude-gauge-password-symbolic");
      break;

    case GAUGE_ADMIN_ERROR_FORBIDDEN:
      set_key_problem (problem, _("The key is missing a permission"),
                       _("This key may not read the organization’s usage and cost. "
                         "Use an Admin API key created by an organization admin."),
                       "claude-gauge-unavailable-symbolic");
      break;

    case GAUGE_ADMIN_ERROR_NO_KEY:
      set_key_problem (problem, _("This is not an Admin API key"),
                       _("Admin API keys start with “sk-ant-admin”. "
                         "Add one in Preferences."),
                       "claude-gauge-password-symbolic");
      break;

    case GAUGE_ADMIN_ERROR_RATE_LIMITED:
      {
        GaugeRateGate *gate = gauge_console_monitor_get_gate (self->monitor);
        gint64 until = gate != NULL ? gauge_rate_gate_get_until_unix (gate) : 0;
        g_autoptr(GDateTime) now = gauge_clock_now_utc ();

        if (until > g_date_time_to_unix (now))
          {
            g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (until);
            g_autofree char *clock = gauge_format_clock (when, now);

            /* Translators: "Rate limited until 14:35" */
            problem->title = g_strdup_printf (_("Rate limited until %s"), clock);
          }
        else
          problem->title = g_strdup (_("Rate limited"));
        problem->detail = gauge_console_monitor_get_report (self->monitor) != NULL
                          ? g_strdup (_("Anthropic asked Claude Gauge to slow down. It tries "
                                        "again by itself; the figures below stay until then."))
                          : g_strdup (_("Anthropic asked Claude Gauge to slow down before "
                                        "anything was loaded. It tries again by itself."));
        problem->icon_name = "claude-gauge-gauge-symbolic";
        break;
      }

    case GAUGE_ADMIN_ERROR_NETWORK:
      problem->title = g_strdup (_("Offline"));
      problem->detail = g_strdup (_("Could not reach Anthropic. Claude Gauge tries again by itself "
                                    "when the connection is back."));
      problem->icon_name = "claude-gauge-offline-symbolic";
      break;

    case GAUGE_ADMIN_ERROR_SERVER:
      problem->title = g_strdup (_("Anthropic’s Admin API is having trouble"));
      problem->detail = g_strdup (error->message);
      break;

    case GAUGE_ADMIN_ERROR_INVALID_RESPONSE:
    default:
      problem->title = g_strdup (_("Anthropic’s answer could not be read"));
      problem->detail = g_strdup (error->message);
      break;
    }

  return TRUE;
}

/* --- Building blocks ----------------------------------------------------- */

static GtkWidget *
heading_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static GtkWidget *
cell_new (const char *text,
          gboolean    numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  else
    {
      /* A long name ends in "…" with the whole of it in the tooltip; below ten characters
       * the table scrolls sideways instead (see card_new). */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 10);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (label, text);
    }
  return label;
}

/* A cell of figures; takes @text. */
static GtkWidget *
figure_cell_new (char *text)
{
  g_autofree char *owned = text;

  return cell_new (owned, TRUE);
}

/* A table in a card: a dim header row (@headers: marked with N_(), translated here), then one
 * row per item. */
static GtkWidget *
table_new (const char * const *headers,
           guint               n_columns,
           const char         *accessible_label)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_widget_set_margin_top (grid, 12);
  gtk_widget_set_margin_bottom (grid, 12);
  gtk_widget_set_margin_start (grid, 16);
  gtk_widget_set_margin_end (grid, 16);
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);

  for (guint i = 0; i < n_columns; i++)
    {
      GtkWidget *label = gtk_label_new (_(headers[i]));

      gtk_label_set_xalign (GTK_LABEL (label), i == 0 ? 0 : 1);
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_grid_attach (GTK_GRID (grid), label, i, 0, 1, 1);
    }

  return grid;
}

/* Row @row of a spend table: @name_cell, the cost in bold beside it (the column a narrow
 * window keeps in view), then the @n_figures cells of @figures. */
static void
table_attach_row (GtkWidget        *grid,
                  guint             row,
                  GtkWidget        *name_cell,
                  GaugeMicrocents   cost,
                  GtkWidget *const *figures,
                  guint             n_figures)
{
  GtkWidget *cost_cell = figure_cell_new (gauge_admin_format_dollars (cost));

  gtk_widget_add_css_class (cost_cell, "heading");
  gtk_grid_attach (GTK_GRID (grid), name_cell, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), cost_cell, 1, row, 1, 1);
  for (guint i = 0; i < n_figures; i++)
    gtk_grid_attach (GTK_GRID (grid), figures[i], 2 + i, row, 1, 1);
}

static GtkWidget *
card_new (GtkWidget *child)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), child);
  return card;
}

/* A table's card: on a narrow window (a phone's 360 px) its columns scroll sideways rather
 * than widen the page. */
static GtkWidget *
table_card_new (GtkWidget *grid)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), grid);
  return card_new (scroller);
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const GdkRGBA *color = user_data;
  double radius = MIN (width, height) / 2.0;

  gdk_cairo_set_source_rgba (cr, color);
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  cairo_fill (cr);
}

/* A dot in the workspace's colour from the Console; nothing when it has none. */
static GtkWidget *
swatch_new (const char *color_text)
{
  GdkRGBA color;
  GtkWidget *area;

  if (color_text == NULL || !gdk_rgba_parse (&color, color_text))
    return NULL;

  area = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 10);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 10);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch,
                                  gdk_rgba_copy (&color), (GDestroyNotify) gdk_rgba_free);
  return area;
}

/* --- Budgets ------------------------------------------------------------- */

static const char *
budget_key_for (const GaugeAdminWorkspaceSummary *workspace)
{
  return workspace->id != NULL ? workspace->id : DEFAULT_WORKSPACE;
}

static double
lookup_budget (GaugeConsoleView *self,
               const char       *key)
{
  g_autoptr(GVariant) budgets = NULL;
  double dollars = 0;

  if (self->settings == NULL)
    return 0;

  budgets = g_settings_get_value (self->settings, BUDGETS_KEY);
  if (!g_variant_lookup (budgets, key, "d", &dollars))
    return 0;
  return dollars > 0 ? dollars : 0;
}

static void
store_budget (GaugeConsoleView *self,
              const char       *key,
              double            dollars)
{
  g_autoptr(GVariant) budgets = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *id;
  double value;

  if (self->settings == NULL)
    return;

  budgets = g_settings_get_value (self->settings, BUDGETS_KEY);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sd}"));
  g_variant_iter_init (&iter, budgets);
  while (g_variant_iter_next (&iter, "{&sd}", &id, &value))
    {
      if (g_strcmp0 (id, key) != 0)
        g_variant_builder_add (&builder, "{sd}", id, value);
    }
  if (dollars > 0)
    g_variant_builder_add (&builder, "{sd}", key, dollars);

  g_settings_set_value (self->settings, BUDGETS_KEY, g_variant_builder_end (&builder));
}

static void
budget_apply (GtkWidget *button,
              gpointer   user_data)
{
  GaugeConsoleView *self = user_data;
  GtkSpinButton *spin = g_object_get_data (G_OBJECT (button), "spin");
  const char *key = g_object_get_data (G_OBJECT (button), "workspace");
  double dollars = g_object_get_data (G_OBJECT (button), "remove") != NULL
                   ? 0 : gtk_spin_button_get_value (spin);
  GtkWidget *popover = gtk_widget_get_ancestor (button, GTK_TYPE_POPOVER);

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  store_budget (self, key, dollars);
}

/* "Set Budget" opens a small popover: a dollar amount, Set, and Remove. */
static GtkWidget *
budget_button_new (GaugeConsoleView *self,
                   const char       *key,
                   const char       *name,
                   double            budget)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  /* Translators: a popover title, "Monthly budget for Research" */
  g_autofree char *title_text = g_strdup_printf (_("Monthly budget for %s"), name);
  GtkWidget *title = gtk_label_new (title_text);
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 10000000, 10);
  /* Translators: buttons of the monthly budget popover: set the budget, remove it */
  GtkWidget *set = gtk_button_new_with_label (_("Set"));
  GtkWidget *remove = gtk_button_new_with_label (_("Remove"));
  /* Translators: the accessible name of the budget button, "Set monthly budget for Research" */
  g_autofree char *accessible = g_strdup_printf (_("Set monthly budget for %s"), name);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-edit-symbolic");
  gtk_widget_set_tooltip_text (button, _("Set monthly budget"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), budget);
  gtk_widget_set_hexpand (spin, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Budget in US dollars"), -1);
  gtk_box_append (GTK_BOX (line), gtk_label_new ("$"));
  gtk_box_append (GTK_BOX (line), spin);

  gtk_widget_add_css_class (set, "suggested-action");
  gtk_widget_set_hexpand (set, TRUE);
  gtk_widget_set_hexpand (remove, TRUE);
  gtk_widget_set_sensitive (remove, budget > 0);
  gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
  gtk_box_append (GTK_BOX (buttons), remove);
  gtk_box_append (GTK_BOX (buttons), set);

  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *b = i == 0 ? set : remove;

      g_object_set_data (G_OBJECT (b), "spin", spin);
      g_object_set_data_full (G_OBJECT (b), "workspace", g_strdup (key), g_free);
      g_signal_connect_object (b, "clicked", G_CALLBACK (budget_apply), self, 0);
    }
  g_object_set_data (G_OBJECT (remove), "remove", GINT_TO_POINTER (TRUE));

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);

  return button;
}

/* --- Sections ------------------------------------------------------------ */

static void
add_chart (GaugeConsoleView *self,
           GaugeAdminReport *report)
{
  GPtrArray *models = gauge_admin_report_get_models (report);
  GPtrArray *days = gauge_admin_report_get_days (report);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) values = g_array_new (FALSE, TRUE, sizeof (double));
  GDateTime *month_start = gauge_admin_report_get_month_start (report);
  GDateTime *now = gauge_admin_report_get_now (report);
  guint n_series;
  GtkWidget *chart;
  GtkWidget *card;

  for (guint i = 0; models != NULL && i < models->len; i++)
    {
      const GaugeAdminModelSummary *model = models->pdata[i];

      g_ptr_array_add (names, model->model != NULL ? gauge_model_name_display (model->model)
                                                   /* Translators: Console spend not tied to a model */
                                                   : g_strdup (_("Other")));
    }
  n_series = names->len;
  if (n_series == 0 || days == NULL || days->len == 0)
    return;

  for (guint d = 0; d < days->len; d++)
    {
      const GaugeAdminDay *day = days->pdata[d];
      gint64 start_ms = day->day * 1000;
      guint row = starts->len;

      g_array_append_val (starts, start_ms);
      g_array_set_size (values, (row + 1) * n_series);
      for (guint a = 0; day->by_model != NULL && a < day->by_model->len; a++)
        {
          const GaugeAdminAmount *amount = &g_array_index (day->by_model, GaugeAdminAmount, a);

          for (guint s = 0; s < n_series; s++)
            {
              const GaugeAdminModelSummary *model = models->pdata[s];

              if (g_strcmp0 (model->model, amount->model) == 0)
                {
                  g_array_index (values, double, row * n_series + s) += to_dollars (amount->amount);
                  break;
                }
            }
        }
    }

  chart = gauge_bar_chart_new ();
  gauge_chart_set_title (GAUGE_CHART (chart), _("Cost per day"));
  gauge_bar_chart_set_bars (GAUGE_BAR_CHART (chart), (const gint64 *) (gpointer) starts->data,
                            starts->len, G_GINT64_CONSTANT (86400000),
                            (const char * const *) names->pdata, n_series,
                            (const double *) (gpointer) values->data, GAUGE_CHART_UNIT_COST);
  gauge_chart_set_range (GAUGE_CHART (chart),
                         g_date_time_to_unix (month_start) * 1000,
                         g_date_time_to_unix (now) * 1000, _("This month"));

  card = card_new (chart);
  gtk_widget_add_css_class (card, "gauge-chart-card");
  gtk_box_append (GTK_BOX (self->sections_box), heading_new (_("Daily cost by model")));
  gtk_box_append (GTK_BOX (self->sections_box), card);
}

static void
add_models (GaugeConsoleView *self,
            GaugeAdminReport *report)
{
  static const char *headers[] = {
    /* The cost next to the name: on a narrow window the rest scrolls sideways. */
    N_("Model"), N_("Cost"), N_("Input"), N_("Output"), N_("Cache read"), N_("Cache write"),
  };
  GPtrArray *models = gauge_admin_report_get_models (report);
  GtkWidget *grid;

  if (models == NULL || models->len == 0)
    return;

  grid = table_new (headers, G_N_ELEMENTS (headers), _("Spend per model"));

  for (guint i = 0; i < models->len; i++)
    {
      const GaugeAdminModelSummary *model = models->pdata[i];
      g_autofree char *name = model->model != NULL ? gauge_model_name_display (model->model)
                                                   : g_strdup (_("Other costs"));
      GtkWidget *name_cell = cell_new (name, FALSE);
      GtkWidget *figures[] = {
        figure_cell_new (gauge_format_tokens (model->input)),
        figure_cell_new (gauge_format_tokens (model->output)),
        figure_cell_new (gauge_format_tokens (model->cache_read)),
        figure_cell_new (gauge_format_tokens (model->cache_write)),
      };

      if (model->model == NULL)
        gtk_widget_set_tooltip_text (name_cell, _("Costs that name no model, such as web searches"));
      else
        gtk_widget_set_tooltip_text (name_cell, model->model);
      table_attach_row (grid, i + 1, name_cell, model->cost, figures, G_N_ELEMENTS (figures));
    }

  gtk_box_append (GTK_BOX (self->sections_box), heading_new (_("Models")));
  gtk_box_append (GTK_BOX (self->sections_box), table_card_new (grid));
}

static void
add_workspace_row (GaugeConsoleView                 *self,
                   GtkWidget                        *list,
                   GaugeAdminReport                 *report,
                   const GaugeAdminWorkspaceSummary *workspace)
{
  GaugeMicrocents total = gauge_admin_report_get_total (report);
  GaugeMicrocents projection = gauge_admin_report_get_projection (report);
  const char *key = budget_key_for (workspace);
  /* Translators: the name of the Console's default workspace */
  const char *name = workspace->name != NULL ? workspace->name : _("Default");
  double budget = lookup_budget (self, key);
  double spent = to_dollars (workspace->cost);
  double on_pace = total > 0 ? spent * ((double) projection / (double) total) : spent;
  g_autofree char *spent_text = gauge_admin_format_dollars (workspace->cost);
  g_autofree char *value = NULL;
  g_autofree char *caption = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title = gtk_label_new (name);
  GtkWidget *value_label;
  GtkWidget *caption_label;
  GtkWidget *bar = gauge_limit_bar_new ();
  GtkWidget *swatch = swatch_new (workspace->color);

  if (budget > 0)
    {
      g_autofree char *budget_text = gauge_format_usd (budget);
      g_autofree char *pace_text = gauge_format_usd (on_pace);
      double percent = 100.0 * spent / budget;
      GaugeSeverity severity = GAUGE_SEVERITY_NORMAL;

      if (percent >= 100.0)
        severity = GAUGE_SEVERITY_CRITICAL;
      else if (percent >= 80.0 || on_pace > budget)
        severity = GAUGE_SEVERITY_WARNING;

      /* Translators: "$120.50 of $500" */
      value = g_strdup_printf (_("%s of %s"), spent_text, budget_text);
      if (on_pace > budget)
        /* Translators: "24 % of the monthly budget · on pace for $620.00, over budget" */
        caption = g_strdup_printf (_("%.0f %% of the monthly budget · on pace for %s, over budget"),
                                   percent, pace_text);
      else
        /* Translators: "24 % of the monthly budget · on pace for $410.00" */
        caption = g_strdup_printf (_("%.0f %% of the monthly budget · on pace for %s"),
                                   percent, pace_text);
      gauge_limit_bar_set_utilization (GAUGE_LIMIT_BAR (bar), MIN (percent, 100.0));
      gauge_limit_bar_set_severity (GAUGE_LIMIT_BAR (bar), severity);
      /* Translators: accessible bar value, "Research: $120.50 spent of a $500 budget, 24 percent" */
      accessible = g_strdup_printf (_("%s: %s spent of a %s budget, %.0f percent"),
                                    name, spent_text, budget_text, percent);
    }
  else
    {
      double share = total > 0 ? 100.0 * (double) workspace->cost / (double) total : 0;

      value = g_strdup (spent_text);
      /* Translators: "34 % of the organization’s spend · no budget set" */
      caption = g_strdup_printf (_("%.0f %% of the organization’s spend · no budget set"), share);
      gauge_limit_bar_set_utilization (GAUGE_LIMIT_BAR (bar), share);
      gtk_widget_set_sensitive (bar, FALSE);
      /* Translators: accessible bar value, "Research: $120.50, 34 percent of the organization’s spend" */
      accessible = g_strdup_printf (_("%s: %s, %.0f percent of the organization’s spend"),
                                    name, spent_text, share);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, accessible, -1);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);

  if (swatch != NULL)
    gtk_box_append (GTK_BOX (line), swatch);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (title, name);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (line), title);
  value_label = gtk_label_new (value);
  gtk_widget_add_css_class (value_label, "numeric");
  gtk_box_append (GTK_BOX (line), value_label);
  gtk_box_append (GTK_BOX (line), budget_button_new (self, key, name, budget));
  gtk_box_append (GTK_BOX (box), line);

  gtk_widget_set_margin_end (bar, 6);
  gtk_box_append (GTK_BOX (box), bar);

  caption_label = gtk_label_new (caption);
  gtk_label_set_xalign (GTK_LABEL (caption_label), 0);
  gtk_label_set_wrap (GTK_LABEL (caption_label), TRUE);
  gtk_widget_add_css_class (caption_label, "caption");
  gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_box_append (GTK_BOX (box), caption_label);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
}

static void
add_workspaces (GaugeConsoleView *self,
                GaugeAdminReport *report)
{
  GPtrArray *workspaces = gauge_admin_report_get_workspaces (report);
  GtkWidget *list;

  if (workspaces == NULL || workspaces->len == 0)
    return;

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Spend per workspace"), -1);

  for (guint i = 0; i < workspaces->len; i++)
    add_workspace_row (self, list, report, workspaces->pdata[i]);

  gtk_box_append (GTK_BOX (self->sections_box), heading_new (_("Workspaces")));
  gtk_box_append (GTK_BOX (self->sections_box), list);
}

static GtkWidget *
lines_cell_new (gint64 added,
                gint64 removed)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *plus = gauge_format_count (added);
  g_autofree char *minus = gauge_format_count (removed);
  g_autofree char *plus_text = g_strdup_printf ("+%s", plus);
  /* U+2212 MINUS SIGN */
  g_autofree char *minus_text = g_strdup_printf ("\u2212%s", minus);
  /* Translators: accessible text, "120 lines added, 30 removed" */
  g_autofree char *accessible = g_strdup_printf (_("%s lines added, %s removed"), plus, minus);
  GtkWidget *plus_label = cell_new (plus_text, TRUE);
  GtkWidget *minus_label = cell_new (minus_text, TRUE);

  gtk_widget_add_css_class (plus_label, "success");
  gtk_widget_add_css_class (minus_label, "error");
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), plus_label);
  gtk_box_append (GTK_BOX (box), minus_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return box;
}

static GtkWidget *
actor_cell_new (GaugeConsoleView            *self,
                GaugeAdminReport            *report,
                const GaugeAdminUserSummary *user)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *name = user->is_api_key ? NULL
                     : gauge_admin_report_lookup_user_name (report, user->actor);
  GtkWidget *label = cell_new (name != NULL && *name != '\0' ? name : user->actor, FALSE);
  gboolean you = !user->is_api_key && self->user_email != NULL && user->actor != NULL &&
                 g_ascii_strcasecmp (user->actor, self->user_email) == 0;

  gtk_widget_set_tooltip_text (label, user->actor);
  gtk_widget_set_hexpand (label, FALSE);
  gtk_box_append (GTK_BOX (box), label);

  if (user->is_api_key)
    {
      GtkWidget *key = gtk_image_new_from_icon_name ("dialog-password-symbolic");

      gtk_widget_set_tooltip_text (key, _("An API key, not a person"));
      gtk_widget_add_css_class (key, "dim-label");
      gtk_box_prepend (GTK_BOX (box), key);
    }

  if (you)
    {
      /* Translators: a tag beside the Console user who is signed in here */
      GtkWidget *tag = gtk_label_new (_("You"));

      gtk_widget_add_css_class (tag, "caption-heading");
      gtk_widget_add_css_class (tag, "accent");
      gtk_widget_set_tooltip_text (tag, _("The account signed in to Claude Gauge"));
      gtk_box_append (GTK_BOX (box), tag);
    }

  gtk_widget_set_hexpand (box, TRUE);
  return box;
}

static void
add_users (GaugeConsoleView *self,
           GaugeAdminReport *report)
{
  static const char *headers[] = {
    /* Translators: column heads of the Claude Code users table; "Lines" are lines of code, "PRs" pull requests, "Accepted" the share of suggested edits accepted */
    N_("Claude Code user"), N_("Cost"), N_("Sessions"), N_("Lines"), N_("Commits"), N_("PRs"),
    N_("Accepted"),
  };
  GPtrArray *users = gauge_admin_report_get_users (report);
  g_autofree char *total_text = NULL;
  g_autofree char *caption_text = NULL;
  GtkWidget *caption;
  GtkWidget *grid;

  if (users == NULL || users->len == 0)
    return;

  grid = table_new (headers, G_N_ELEMENTS (headers), _("Claude Code per user"));
  gtk_widget_set_tooltip_text (gtk_grid_get_child_at (GTK_GRID (grid), 6, 0),
                               _("Share of Claude Code’s edits and tool actions that were accepted"));

  for (guint i = 0; i < users->len; i++)
    {
      const GaugeAdminUserSummary *user = users->pdata[i];
      gint64 decided = user->accepted + user->rejected;
      char *rate = decided > 0
                   ? gauge_format_percent (100.0 * (double) user->accepted / (double) decided)
                   : g_strdup ("—");
      GtkWidget *figures[] = {
        figure_cell_new (gauge_format_count (user->sessions)),
        lines_cell_new (user->lines_added, user->lines_removed),
        figure_cell_new (gauge_format_count (user->commits)),
        figure_cell_new (gauge_format_count (user->pull_requests)),
        figure_cell_new (rate),
      };

      table_attach_row (grid, i + 1, actor_cell_new (self, report, user), user->cost, figures,
                        G_N_ELEMENTS (figures));
    }

  total_text = gauge_admin_format_dollars (gauge_admin_report_get_code_total (report));
  /* Translators: "Claude Code’s estimated cost this month: $42.10. It lags up to an hour." */
  caption_text = g_strdup_printf (_("Estimated cost of Claude Code this month: %s. "
                                    "Figures lag up to an hour."), total_text);
  caption = gtk_label_new (caption_text);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");

  gtk_box_append (GTK_BOX (self->sections_box), heading_new (_("Claude Code")));
  gtk_box_append (GTK_BOX (self->sections_box), table_card_new (grid));
  gtk_box_append (GTK_BOX (self->sections_box), caption);
}

/* --- The page ------------------------------------------------------------ */

static void
show_figures (GaugeConsoleView *self,
              GaugeAdminReport *report)
{
  GDateTime *now = gauge_admin_report_get_now (report);
  GDateTime *month_start = gauge_admin_report_get_month_start (report);
  g_autoptr(GDateTime) month_end = g_date_time_add_days (month_start,
                                                         gauge_admin_report_get_days_in_month (report) - 1);
  const char *org = gauge_admin_report_get_org_name (report);
  g_autofree char *start_text = format_day (month_start);
  g_autofree char *now_text = format_day (now);
  g_autofree char *end_text = format_day (month_end);
  g_autofree char *period = NULL;
  g_autofree char *total = gauge_admin_format_dollars (gauge_admin_report_get_total (report));
  g_autofree char *projection = gauge_admin_format_dollars (gauge_admin_report_get_projection (report));
  g_autofree char *projection_title = NULL;
  g_autofree char *days_left = NULL;
  g_autoptr(GDateTime) local_now = gauge_clock_now_utc ();
  g_autofree char *updated_clock = gauge_format_clock (now, local_now);
  g_autofree char *updated = NULL;
  guint remaining = gauge_admin_report_get_days_in_month (report) -
                    g_date_time_get_day_of_month (now);
  GtkWidget *child;

  if (org == NULL)
    org = gauge_console_monitor_get_org_name (self->monitor);
  gtk_label_set_text (self->org_label, org != NULL ? org : _("Your organization"));

  /* Translators: "Month to date, 1 Oct – 17 Oct (UTC days)" */
  period = g_strdup_printf (_("Month to date, %s – %s (UTC days)"), start_text, now_text);
  gtk_label_set_text (self->period_label, period);

  gtk_label_set_text (self->total_label, total);
  gtk_label_set_text (self->total_caption, _("Console spend, all workspaces"));
  /* Translators: "Projected by 31 Oct" */
  projection_title = g_strdup_printf (_("Projected by %s"), end_text);
  gtk_label_set_text (self->projection_title, projection_title);
  gtk_label_set_text (self->projection_label, projection);
  days_left = remaining == 0
              ? g_strdup (_("The month ends today"))
              : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "At the pace of the days so far · %u day to go",
                                              "At the pace of the days so far · %u days to go",
                                              remaining), remaining);
  gtk_label_set_text (self->projection_caption, days_left);

  while ((child = gtk_widget_get_first_child (self->sections_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->sections_box), child);
  add_chart (self, report);
  add_models (self, report);
  add_workspaces (self, report);
  add_users (self, report);

  if (gauge_admin_report_get_total (report) == 0 &&
      gtk_widget_get_first_child (self->sections_box) == NULL)
    {
      GtkWidget *nothing = gtk_label_new (_("Nothing spent yet this month."));

      gtk_widget_add_css_class (nothing, "dim-label");
      gtk_widget_set_margin_top (nothing, 24);
      gtk_box_append (GTK_BOX (self->sections_box), nothing);
    }

  /* Translators: "Updated 14:05 · checks every 5 minutes" */
  updated = g_strdup_printf (_("Updated %s · figures from the Admin API reach Claude Gauge "
                               "about 5 minutes after the spend"), updated_clock);
  gtk_label_set_text (self->updated_label, updated);
}

static void
show_problem (GaugeConsoleView *self,
              Problem          *problem)
{
  const char *title = problem->title;
  const char *detail = problem->detail;

  gtk_image_set_from_icon_name (self->message_icon, problem->icon_name);
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_icon), "warning");
  gtk_widget_add_css_class (GTK_WIDGET (self->message_icon), problem->style_class);
  gtk_label_set_text (self->message_label, title);
  gtk_label_set_text (self->message_detail, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_detail), detail != NULL);
  gtk_widget_set_visible (self->message_box, TRUE);

  adw_status_page_set_icon_name (self->failed_page, problem->icon_name);
  adw_status_page_set_title (self->failed_page, title);
  adw_status_page_set_description (self->failed_page, detail);
  gtk_widget_set_visible (self->failed_button, problem->key_problem);
}

static void
update (GaugeConsoleView *self)
{
  GaugeAdminReport *report = gauge_console_monitor_get_report (self->monitor);
  Problem problem;
  gboolean has_problem;
  const char *page;

  has_problem = describe_problem (self, &problem);
  if (has_problem)
    show_problem (self, &problem);
  else
    gtk_widget_set_visible (self->message_box, FALSE);

  if (!gauge_console_monitor_has_key (self->monitor))
    page = "empty";
  else if (report != NULL)
    page = "report";
  else if (has_problem)
    page = "failed";
  else
    page = "loading";

  if (report != NULL && g_str_equal (page, "report"))
    show_figures (self, report);

  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->stack, page);
  g_free (problem.title);
  g_free (problem.detail);
}

static gboolean
update_idle (gpointer user_data)
{
  GaugeConsoleView *self = user_data;

  self->update_source = 0;
  update (self);
  return G_SOURCE_REMOVE;
}

/* The monitor sends several notifications for one change: draw once. */
static void
queue_update (GaugeConsoleView *self)
{
  if (self->update_source == 0)
    self->update_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update_idle, self, NULL);
}

/* --- GObject ------------------------------------------------------------- */

static void
gauge_console_view_dispose (GObject *object)
{
  GaugeConsoleView *self = (GaugeConsoleView *)object;

  g_clear_handle_id (&self->update_source, g_source_remove);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gauge_console_view_parent_class)->dispose (object);
}

static void
gauge_console_view_finalize (GObject *object)
{
  GaugeConsoleView *self = (GaugeConsoleView *)object;

  g_clear_pointer (&self->user_email, g_free);

  G_OBJECT_CLASS (gauge_console_view_parent_class)->finalize (object);
}

static void
gauge_console_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  GaugeConsoleView *self = GAUGE_CONSOLE_VIEW (object);

  switch (prop_id)
    {
    case PROP_USER_EMAIL:
      g_value_set_string (value, self->user_email);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_console_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  GaugeConsoleView *self = GAUGE_CONSOLE_VIEW (object);

  switch (prop_id)
    {
    case PROP_USER_EMAIL:
      gauge_console_view_set_user_email (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_console_view_class_init (GaugeConsoleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gauge_console_view_dispose;
  object_class->finalize = gauge_console_view_finalize;
  object_class->get_property = gauge_console_view_get_property;
  object_class->set_property = gauge_console_view_set_property;

  properties[PROP_USER_EMAIL] =
    g_param_spec_string ("user-email", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pages/gauge-console-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, stack);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, failed_page);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, failed_button);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, spinner);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, message_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, message_icon);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, message_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, message_detail);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, org_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, period_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, total_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, total_caption);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, projection_title);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, projection_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, projection_caption);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, sections_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, figures_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeConsoleView, updated_label);
}

static void
gauge_console_view_init (GaugeConsoleView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The two figures sit side by side, or one above the other on a narrow window; they are
   * not things to select or focus. */
  for (GtkWidget *child = gtk_widget_get_first_child (self->figures_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
}

/**
 * gauge_console_view_new:
 * @monitor: the Console monitor; the page follows its report and errors
 * @settings: (nullable): the application settings, for workspace budgets
 */
GtkWidget *
gauge_console_view_new (GaugeConsoleMonitor *monitor,
                        GSettings           *settings)
{
  GaugeConsoleView *self;

  g_return_val_if_fail (GAUGE_IS_CONSOLE_MONITOR (monitor), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GAUGE_TYPE_CONSOLE_VIEW, NULL);
  self->monitor = g_object_ref (monitor);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;

  g_signal_connect_object (monitor, "notify::report", G_CALLBACK (queue_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "notify::error-message", G_CALLBACK (queue_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "notify::org-name", G_CALLBACK (queue_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "notify::busy", G_CALLBACK (queue_update), self,
                           G_CONNECT_SWAPPED);
  if (settings != NULL)
    g_signal_connect_object (settings, "changed::" BUDGETS_KEY, G_CALLBACK (queue_update), self,
                             G_CONNECT_SWAPPED);

  update (self);

  return GTK_WIDGET (self);
}

/**
 * gauge_console_view_set_user_email:
 * @email: (nullable): the signed-in Claude user's e-mail (OAuth profile)
 *
 * Marks that user's Claude Code row "You".
 */
void
gauge_console_view_set_user_email (GaugeConsoleView *self,
                                   const char       *email)
{
  g_return_if_fail (GAUGE_IS_CONSOLE_VIEW (self));

  if (g_strcmp0 (email, self->user_email) == 0)
    return;

  g_free (self->user_email);
  self->user_email = g_strdup (email);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_EMAIL]);
  if (self->monitor != NULL)
    queue_update (self);
}

const char *
gauge_console_view_get_user_email (GaugeConsoleView *self)
{
  g_return_val_if_fail (GAUGE_IS_CONSOLE_VIEW (self), NULL);

  return self->user_email;
}
