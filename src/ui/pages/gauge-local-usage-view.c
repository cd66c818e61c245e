/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-local-usage-view"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-account-choice.h"
#include "gauge-account-list.h"
#include "gauge-clock.h"
#include "gauge-format.h"
#include "gauge-limit-bar.h"
#include "gauge-local-text.h"
#include "gauge-local-usage.h"
#include "gauge-local-usage-view.h"
#include "gauge-model-name.h"

/*
 * "Local usage": the active 5-hour block, today, the billing period and its
 * models, computed from the transcript index on a worker thread whenever the
 * index changes, a setting changes, or a minute passes. The view keeps what
 * the summaries are made of (GaugeLocalUsage), so each reads only what changed;
 * it goes with the window. With several accounts, a drop-down picks whose usage it is:
 * every folder's (at first, as with one account), or one account's own folder's.
 */

/* A row of the list: a title and a value on one line, a caption and a bar below. */
typedef struct
{
  GtkWidget *widget;            /* the GtkListBoxRow, owned by the list box */
  GtkLabel  *title;
  GtkLabel  *value;
  GtkLabel  *caption;
  GtkWidget *bar;               /* a GaugeLimitBar, for the active block's limit */
} Row;

struct _GaugeLocalUsageView
{
  AdwBin                parent_instance;

  GaugeLocalUsage      *usage;
  GaugeTranscriptIndex *index;
  GaugeLimitsMonitor         *monitor;
  GSettings            *settings;
  GaugeAccountChoice    choice;            /* the account_dropdown's: "All", then the accounts */
  GCancellable         *cancellable;
  gboolean              computing;
  gboolean              again;
  guint                 tick_source;

  GtkWidget            *progress_box;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkLabel             *empty_label;
  GtkListBox           *list_box;
  GtkLabel             *note_label;
  GtkDropDown          *account_dropdown;

  GArray               *rows;              /* Row, in the list's order */
};

G_DEFINE_FINAL_TYPE (GaugeLocalUsageView, gauge_local_usage_view, ADW_TYPE_BIN)

static void recompute (GaugeLocalUsageView *self);

/* "1.2M tokens · $3.40", or the tokens alone when the cost is unknown. */
static char *
tokens_and_cost (gint64   tokens,
                 double   cost,
                 gboolean cost_known)
{
  g_autofree char *t = gauge_format_tokens (tokens);
  g_autofree char *c = cost_known ? gauge_format_usd (cost) : g_strdup (_("cost unknown"));

  /* Translators: "1.2M tokens · $3.40"; the first %s is a count of tokens, shortened */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s token · %s", "%s tokens · %s",
                                       gauge_plural_n (tokens)),
                          t, c);
}

static void
set_text (GtkLabel   *label,
          const char *text)
{
  /* An update changes a few numbers: the other labels keep their layout. */
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static Row *
row_new (GaugeLocalUsageView *self)
{
  Row row;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  row.widget = gtk_list_box_row_new ();
  row.title = GTK_LABEL (gtk_label_new (NULL));
  row.value = GTK_LABEL (gtk_label_new (NULL));
  row.caption = GTK_LABEL (gtk_label_new (NULL));
  row.bar = gauge_limit_bar_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row.widget), FALSE);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  /* As the Limits page's rows (GaugeLimitRow): the two cards' text lines up. */
  gtk_widget_set_margin_start (box, 14);
  gtk_widget_set_margin_end (box, 14);

  gtk_label_set_xalign (row.title, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (row.title), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (row.title), "heading");
  gtk_label_set_xalign (row.value, 1);
  /* When the title wraps, the value stays on its first line. */
  gtk_widget_set_valign (GTK_WIDGET (row.title), GTK_ALIGN_BASELINE);
  gtk_widget_set_valign (GTK_WIDGET (row.value), GTK_ALIGN_BASELINE);
  gtk_widget_add_css_class (GTK_WIDGET (row.value), "numeric");
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (row.title));
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (row.value));
  gtk_box_append (GTK_BOX (box), line);

  gtk_widget_set_visible (row.bar, FALSE);
  gtk_box_append (GTK_BOX (box), row.bar);

  gtk_label_set_xalign (row.caption, 0);
  gtk_label_set_wrap (row.caption, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (row.caption), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (row.caption), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (row.caption), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row.caption));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row.widget), box);
  gtk_list_box_append (self->list_box, row.widget);
  g_array_append_val (self->rows, row);

  return &g_array_index (self->rows, Row, self->rows->len - 1);
}

/* The next row, made the first time: its title, value, optional caption and whether its
 * bar shows. Rows stay from one summary to the next and only their text changes. */
static Row *
next_row (GaugeLocalUsageView *self,
          guint               *n_rows,
          const char          *title,
          const char          *value,
          const char          *caption,
          gboolean             bar)
{
  Row *row = *n_rows < self->rows->len ? &g_array_index (self->rows, Row, *n_rows)
                                       : row_new (self);

  (*n_rows)++;
  set_text (row->title, title);
  /* Our own titles wrap on a narrow window rather than lose their end ("Active 5-hour
   * blo…"); a model's name is the user's data and ends in "…" (see add_models). */
  gtk_label_set_ellipsize (row->title, PANGO_ELLIPSIZE_NONE);
  gtk_label_set_wrap (row->title, TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->title), NULL);
  set_text (row->value, value);
  set_text (row->caption, caption != NULL ? caption : "");
  gtk_widget_set_visible (GTK_WIDGET (row->caption), caption != NULL);
  gtk_widget_set_visible (row->bar, bar);

  return row;
}

/* Removes the rows from @n_rows on. */
static void
trim_rows (GaugeLocalUsageView *self,
           guint                n_rows)
{
  while (self->rows->len > n_rows)
    {
      gtk_list_box_remove (self->list_box,
                           g_array_index (self->rows, Row, self->rows->len - 1).widget);
      g_array_set_size (self->rows, self->rows->len - 1);
    }
}

/* The official 5-hour window, when Anthropic reported one: then it is the truth and the local
 * block only the estimate beside it. */
static gboolean
has_official_five_hour (GaugeLocalUsageView *self)
{
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (self->monitor);

  for (guint i = 0; snapshot != NULL && i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
    if (g_strcmp0 (gauge_limit_window_get_id (gauge_limits_snapshot_get_window (snapshot, i)),
                   "five_hour") == 0)
      return TRUE;
  return FALSE;
}

static void
append_line (GString    *text,
             const char *line)
{
  if (line == NULL)
    return;
  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append (text, line);
}

static void
add_active_block (GaugeLocalUsageView *self,
                  guint               *n_rows,
                  GaugeLocalSummary   *summary)
{
  const GaugeBlock *block = gauge_local_summary_get_active_block (summary);
  gboolean official = has_official_five_hour (self);
  g_autoptr(GString) caption = g_string_new (NULL);
  g_autofree char *value = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *ends = NULL;
  g_autofree char *burn = NULL;
  GaugeSeverity severity = GAUGE_SEVERITY_NORMAL;
  gboolean has_percent;
  double percent = 0;
  Row *row;

  if (block == NULL)
    {
      next_row (self, n_rows, _("5-hour block"), _("None active"),
                _("A block starts with your next Claude Code request."), FALSE);
      return;
    }

  value = tokens_and_cost (gauge_block_get_total_tokens (block), block->cost_usd,
                           block->unpriced_models->len == 0);
  limit_text = gauge_local_text_block (summary);
  ends = gauge_local_text_ends (summary);
  burn = gauge_local_text_burn (summary);
  append_line (caption, limit_text);
  append_line (caption, ends);
  append_line (caption, burn);
  if (official)
    append_line (caption, _("An estimate from your transcripts: the official 5-hour figure "
                            "above is what Anthropic counts."));

  has_percent = gauge_local_summary_get_block_percent (summary, &percent);
  /* The bar turns only when the block is really near its limit, and never against the
   * official figure: that one says how near the limit is. */
  if (has_percent && !official)
    severity = gauge_severity_for (percent, g_settings_get_double (self->settings,
                                                                   "warning-threshold"),
                                   g_settings_get_double (self->settings, "critical-threshold"));

  row = next_row (self, n_rows,
                  official ? _("Local 5-hour block") : _("Active 5-hour block"),
                  value, caption->str, has_percent);
  if (has_percent)
    {
      g_autofree char *accessible = NULL;

      gauge_limit_bar_set_utilization (GAUGE_LIMIT_BAR (row->bar), percent);
      gauge_limit_bar_set_severity (GAUGE_LIMIT_BAR (row->bar), severity);
      accessible = g_strdup_printf (_("%.0f percent of the block limit used"), percent);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->bar),
                                      GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, accessible, -1);
    }
}

static void
add_period (GaugeLocalUsageView *self,
            guint               *n_rows,
            GaugeLocalSummary   *summary)
{
  const GaugePeriodFigures *figures = gauge_local_summary_get_figures (summary);
  const GaugeReportRow *today = gauge_local_summary_get_today (summary);
  g_autofree char *title = gauge_local_text_billing_title (summary);
  g_autofree char *period = tokens_and_cost (figures->billing_tokens, figures->billing_cost, TRUE);
  g_autofree char *billing = gauge_local_text_billing (summary);
  g_autofree char *week_value = tokens_and_cost (figures->week_tokens, figures->week_cost, TRUE);
  g_autofree char *week = gauge_local_text_week (summary);
  g_autofree char *billing_caption = g_strdup_printf (_("This billing period: %s"), billing);
  double percent;
  Row *row;

  if (today != NULL)
    {
      g_autofree char *value = tokens_and_cost (today->input_tokens + today->output_tokens +
                                                today->cache_creation_tokens + today->cache_read_tokens,
                                                today->cost_usd, TRUE);
      next_row (self, n_rows, _("Today"), value, NULL, FALSE);
    }
  else
    /* Translators: no Claude Code use today yet */
    next_row (self, n_rows, _("Today"), _("Nothing yet"), NULL, FALSE);

  row = next_row (self, n_rows, _("This week"), week_value, week,
                  gauge_local_summary_get_week_percent (summary, &percent));
  if (gauge_local_summary_get_week_percent (summary, &percent))
    {
      gauge_limit_bar_set_utilization (GAUGE_LIMIT_BAR (row->bar), percent);
      gauge_limit_bar_set_severity (GAUGE_LIMIT_BAR (row->bar),
                                    gauge_severity_for (percent,
                                                        g_settings_get_double (self->settings,
                                                                               "warning-threshold"),
                                                        g_settings_get_double (self->settings,
                                                                               "critical-threshold")));
    }

  next_row (self, n_rows, title, period, billing_caption, FALSE);
}

static void
add_models (GaugeLocalUsageView *self,
            guint               *n_rows,
            GaugeLocalSummary   *summary)
{
  GPtrArray *models = gauge_local_summary_get_models (summary);

  for (guint i = 0; models != NULL && i < models->len; i++)
    {
      const GaugeModelUsage *model = g_ptr_array_index (models, i);
      g_autofree char *value = tokens_and_cost (model->input_tokens + model->output_tokens +
                                                model->cache_creation_tokens + model->cache_read_tokens,
                                                model->cost_usd, !model->missing_pricing);
      g_autofree char *name = gauge_model_name_display (model->model);

      Row *row = next_row (self, n_rows, name, value, NULL, FALSE);

      /* A long name ends in "…": the whole of it on hover. */
      gtk_label_set_wrap (row->title, FALSE);
      gtk_label_set_ellipsize (row->title, PANGO_ELLIPSIZE_END);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row->title), name);
    }
}

static void
show_note (GaugeLocalUsageView *self,
           GaugeLocalSummary   *summary)
{
  GPtrArray *unpriced = gauge_local_summary_get_unpriced (summary);
  gint64 malformed = gauge_transcript_index_get_n_malformed (self->index);
  g_autoptr(GString) note = g_string_new (NULL);

  if (malformed > 0)
    {
      guint n = (guint) MIN (malformed, G_MAXUINT);

      g_string_append_printf (note,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u line in the transcripts could not be read.",
                                           "%u lines in the transcripts could not be read.", n),
                              n);
    }

  if (unpriced != NULL && unpriced->len > 0)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (unpriced, NULL);
      names = g_strjoinv (", ", (char **) unpriced->pdata);
      g_ptr_array_remove_index (unpriced, unpriced->len - 1);
      if (note->len > 0)
        g_string_append_c (note, ' ');
      g_string_append_printf (note, _("No price known for %s: costs leave it out."), names);
    }

  gtk_label_set_label (self->note_label, note->str);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note->len > 0);
}

static void
apply (GaugeLocalUsageView *self,
       GaugeLocalSummary   *summary)
{
  guint n_rows = 0;

  if (!gauge_local_summary_has_entries (summary))
    {
      g_auto(GStrv) dirs = gauge_transcript_index_find_project_dirs ();
      g_autofree char *where = g_strjoinv (", ", dirs);
      /* Translators: %s is a list of folders */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "No Claude Code usage in the last %d day. "
                                                            "It appears here as soon as you use Claude "
                                                            "Code (transcripts are read from %s).",
                                                            "No Claude Code usage in the last %d days. "
                                                            "It appears here as soon as you use Claude "
                                                            "Code (transcripts are read from %s).",
                                                            GAUGE_LOCAL_SUMMARY_DAYS),
                                               GAUGE_LOCAL_SUMMARY_DAYS, where);

      gtk_label_set_label (self->empty_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), !gauge_transcript_index_get_indexing (self->index));
      gtk_widget_set_visible (GTK_WIDGET (self->list_box), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->note_label), FALSE);
      return;
    }

  add_active_block (self, &n_rows, summary);
  add_period (self, &n_rows, summary);
  add_models (self, &n_rows, summary);
  trim_rows (self, n_rows);
  show_note (self, summary);

  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->list_box), TRUE);
}

static void
compute_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GaugeLocalUsageView) self = user_data;
  g_autoptr(GaugeLocalSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = gauge_local_usage_update_finish (GAUGE_LOCAL_USAGE (object), result, &error);
  self->computing = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (summary == NULL)
    {
      gtk_label_set_label (self->empty_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->list_box), FALSE);
    }
  else
    apply (self, summary);

  if (self->again)
    {
      self->again = FALSE;
      recompute (self);
    }
}

/* One computation at a time; a request during one runs right after it. */
static void
recompute (GaugeLocalUsageView *self)
{
  GaugeLocalSummaryParams params;
  g_autoptr(GaugeEntryScope) scope = NULL;
  GaugeLimitsMonitor *monitor = self->monitor;
  int chosen;

  if (self->computing)
    {
      self->again = TRUE;
      return;
    }

  gauge_local_summary_params_init (&params, self->settings);
  /* One account's: its folder's transcripts, and its plan for the block limit. */
  if ((chosen = gauge_account_choice_index (&self->choice)) >= 0)
    {
      scope = gauge_entry_scope_new_account ((const char * const *) self->choice.folders,
                                             self->choice.folders[chosen]);
      monitor = gauge_account_list_get_monitor (self->choice.accounts, chosen);
    }
  params.scope = scope;
  params.rate_limit_tier = gauge_limits_monitor_get_rate_limit_tier (monitor);

  self->computing = TRUE;
  gauge_local_usage_update_async (self->usage, &params, self->cancellable,
                                  compute_cb, g_object_ref (self));
}

/* The plan tier comes with the credentials, maybe after the first summary: the block limit
 * follows it. A new official reading changes how the block is told, too. */
static void
monitor_changed_cb (GaugeLocalUsageView *self)
{
  recompute (self);
}

static void
progress_cb (GaugeLocalUsageView *self,
             guint                files_done,
             guint                files_total,
             guint64              bytes_done,
             guint64              bytes_total)
{
  g_autofree char *done = g_format_size (bytes_done);
  g_autofree char *total = g_format_size (bytes_total);
  g_autofree char *text = NULL;
  gboolean indexing = gauge_transcript_index_get_indexing (self->index);

  /* Translators: "Reading transcripts… 120 of 400 files (1.2 GB of 2.0 GB)"; the plural
   * follows the number of files in all (the second number) */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Reading transcripts… %u of %u file (%s of %s)",
                                       "Reading transcripts… %u of %u files (%s of %s)", files_total),
                          files_done, files_total, done, total);
  gtk_label_set_label (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 bytes_total > 0 ? (double) bytes_done / bytes_total : 0);
  gtk_widget_set_visible (self->progress_box, indexing && files_total > 0);
}

static void
indexing_changed_cb (GaugeLocalUsageView *self)
{
  if (!gauge_transcript_index_get_indexing (self->index))
    gtk_widget_set_visible (self->progress_box, FALSE);
}

static gboolean
tick_cb (gpointer user_data)
{
  recompute (user_data);
  return G_SOURCE_CONTINUE;
}

static void
account_chosen (gpointer page)
{
  GaugeLocalUsageView *self = page;

  if (self->usage != NULL)
    recompute (self);
}

/**
 * gauge_local_usage_view_set_accounts:
 *
 * The accounts the drop-down offers: with two or more, "All Accounts" (every folder's
 * transcripts, at first) or one account's own folder's.
 */
void
gauge_local_usage_view_set_accounts (GaugeLocalUsageView *self,
                                     GaugeAccountList    *accounts)
{
  g_return_if_fail (GAUGE_IS_LOCAL_USAGE_VIEW (self));
  g_return_if_fail (accounts == NULL || GAUGE_IS_ACCOUNT_LIST (accounts));

  gauge_account_choice_set_accounts (&self->choice, accounts);
}

/**
 * gauge_local_usage_view_get_account:
 *
 * Returns: (nullable): the folder of the account whose local usage the view shows, or %NULL
 *   for every folder's
 */
const char *
gauge_local_usage_view_get_account (GaugeLocalUsageView *self)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_USAGE_VIEW (self), NULL);

  return gauge_account_choice_get (&self->choice);
}

static void
gauge_local_usage_view_dispose (GObject *object)
{
  GaugeLocalUsageView *self = (GaugeLocalUsageView *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_object (&self->usage);
  g_clear_object (&self->index);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);
  gauge_account_choice_clear (&self->choice);

  gtk_widget_dispose_template (GTK_WIDGET (self), GAUGE_TYPE_LOCAL_USAGE_VIEW);

  G_OBJECT_CLASS (gauge_local_usage_view_parent_class)->dispose (object);
}

static void
gauge_local_usage_view_finalize (GObject *object)
{
  GaugeLocalUsageView *self = (GaugeLocalUsageView *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_array_unref);

  G_OBJECT_CLASS (gauge_local_usage_view_parent_class)->finalize (object);
}

static void
gauge_local_usage_view_class_init (GaugeLocalUsageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gauge_local_usage_view_dispose;
  object_class->finalize = gauge_local_usage_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pages/gauge-local-usage-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GaugeLocalUsageView, progress_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeLocalUsageView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeLocalUsageView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, GaugeLocalUsageView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeLocalUsageView, list_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeLocalUsageView, note_label);
  gtk_widget_class_bind_template_child (widget_class, GaugeLocalUsageView, account_dropdown);
}

static void
gauge_local_usage_view_init (GaugeLocalUsageView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: the first entry of the Local Usage page's account drop-down */
  gauge_account_choice_init (&self->choice, self->account_dropdown, _("All Accounts"), FALSE,
                             account_chosen, self);
  self->cancellable = g_cancellable_new ();
  self->rows = g_array_new (FALSE, FALSE, sizeof (Row));
}

GtkWidget *
gauge_local_usage_view_new (GaugeStore           *store,
                            GaugeTranscriptIndex *index,
                            GaugeLimitsMonitor         *monitor,
                            GSettings            *settings)
{
  GaugeLocalUsageView *self;
  static const char * const keys[] = {
    "changed::cost-mode", "changed::plan-limit", "changed::plan-limit-tokens",
    "changed::billing-start-day", "changed::weekly-token-budget", "changed::start-of-week",
    "changed::session-budget", "changed::warning-threshold", "changed::critical-threshold",
  };

  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);
  g_return_val_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (index), NULL);
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GAUGE_TYPE_LOCAL_USAGE_VIEW, NULL);
  self->usage = gauge_local_usage_new (store, 0);
  self->index = g_object_ref (index);
  self->monitor = g_object_ref (monitor);
  self->settings = g_object_ref (settings);

  g_signal_connect_object (index, "progress", G_CALLBACK (progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (index, "notify::indexing", G_CALLBACK (indexing_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (index, "changed", G_CALLBACK (recompute), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "changed", G_CALLBACK (monitor_changed_cb), self,
                           G_CONNECT_SWAPPED);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_signal_connect_object (settings, keys[i], G_CALLBACK (recompute), self, G_CONNECT_SWAPPED);

  /* Burn rate, projection and "today" move with the clock. */
  self->tick_source = g_timeout_add_seconds (60, tick_cb, self);
  recompute (self);

  return GTK_WIDGET (self);
}
