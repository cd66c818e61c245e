/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "fuzz-admin"

#include "config.h"

#include <gio/gio.h>
#include <stdint.h>

#include "gauge-admin-report.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* The first byte picks the endpoint ('0' organization … '6' api_keys), the rest is its answer.
 * Any answer gives a page or an error; rows of any page make a report whose sums hold. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2025, 11, 10, 12, 0, 0);
  g_autoptr(GaugeAdminPage) page = NULL;
  g_autoptr(GaugeAdminReport) report = NULL;
  g_autoptr(GError) error = NULL;
  GaugeAdminKind kind;
  GPtrArray *rows;
  GaugeMicrocents sum = 0;

  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

  if (size == 0)
    return 0;

  kind = (GaugeAdminKind) ((data[0] + 1) % GAUGE_ADMIN_N_KINDS);
  page = gauge_admin_page_parse (kind, (const char *) data + 1, size - 1, &error);
  if (page == NULL)
    {
      g_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA));
      return 0;
    }

  g_assert (page->rows != NULL);
  g_assert (!page->has_more || page->next != NULL);
  rows = page->rows;

  report = gauge_admin_report_new ("Org", now,
                                   kind == GAUGE_ADMIN_COST ? rows : NULL,
                                   kind == GAUGE_ADMIN_MESSAGES ? rows : NULL,
                                   kind == GAUGE_ADMIN_CLAUDE_CODE ? rows : NULL,
                                   kind == GAUGE_ADMIN_WORKSPACES ? rows : NULL,
                                   kind == GAUGE_ADMIN_USERS ? rows : NULL,
                                   kind == GAUGE_ADMIN_API_KEYS ? rows : NULL);

  g_assert (gauge_admin_report_get_projection (report) >= gauge_admin_report_get_total (report));
  for (guint i = 0; i < gauge_admin_report_get_days (report)->len; i++)
    sum += ((GaugeAdminDay *) g_ptr_array_index (gauge_admin_report_get_days (report), i))->total;
  (void) sum;

  for (guint i = 0; i < gauge_admin_report_get_workspaces (report)->len; i++)
    {
      GaugeAdminWorkspaceSummary *w = g_ptr_array_index (gauge_admin_report_get_workspaces (report), i);
      g_autofree char *money = gauge_admin_format_dollars (w->cost);
      g_autofree char *exact = gauge_admin_format_exact_dollars (w->cost);

      g_assert (w->name != NULL && g_utf8_validate (w->name, -1, NULL));
      g_assert (money[0] == '$' || money[0] == '-');
      g_assert (exact != NULL);
    }

  /* The cache keeps claude_code days as our own JSON: reading it back gives the same rows. */
  if (kind == GAUGE_ADMIN_CLAUDE_CODE)
    {
      g_autofree char *json = gauge_admin_code_rows_to_json (rows);
      g_autoptr(GaugeAdminPage) again = gauge_admin_page_parse (kind, json, strlen (json), NULL);

      g_assert (again != NULL);
      g_assert_cmpuint (again->rows->len, ==, rows->len);
      for (guint i = 0; i < rows->len; i++)
        {
          GaugeAdminCode *a = g_ptr_array_index (rows, i);
          GaugeAdminCode *b = g_ptr_array_index (again->rows, i);

          g_assert_cmpint (a->cost, ==, b->cost);
          g_assert_cmpint (a->sessions, ==, b->sessions);
          g_assert_cmpint (a->accepted, ==, b->accepted);
        }
    }

  return 0;
}
