/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Expected numbers marked "ccusage" came from ccusage 20.0.24
 * (`ccusage claude … --json --offline`) run on the same entries written as
 * transcript lines (fixtures made for this project).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gauge-blocks.h"
#include "gauge-clock.h"
#include "gauge-pricing.h"
#include "gauge-report-format.h"
#include "gauge-test-usage.h"

#define S45 "claude-sonnet-4-5-20250929"
#define O46 "claude-opus-4-6"
#define H45 "claude-haiku-4-5-20251001"

static gint64
ms (const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000;
}

static void
add (GArray     *entries,
     const char *iso,
     const char *model,
     gint64      in,
     gint64      out,
     gint64      c5,
     gint64      c1,
     gint64      read,
     const char *session,
     double      cost_usd)
{
  GaugeLocalEntry entry = { 0 };

  entry.timestamp_ms = ms (iso);
  entry.model = g_strdup (model);
  entry.session_id = g_strdup (session);
  entry.project = g_strdup ("-home-ana-shop");
  entry.input_tokens = in;
  entry.output_tokens = out;
  entry.cache_creation_5m_tokens = c5;
  entry.cache_creation_1h_tokens = c1;
  entry.cache_read_tokens = read;
  entry.cost_usd = cost_usd;
  g_array_append_val (entries, entry);
}

static double
cost_of (GaugePricing *pricing,
         const char   *model,
         gint64        in,
         gint64        out,
         gint64        c5,
         gint64        c1,
         gint64        read,
         gboolean      fast)
{
  GaugeLocalEntry entry = { .model = (char *) model, .input_tokens = in, .output_tokens = out,
                            .cache_creation_5m_tokens = c5, .cache_creation_1h_tokens = c1,
                            .cache_read_tokens = read, .fast = fast, .cost_usd = NAN };
  double cost = -1;

  if (!gauge_pricing_calculate (pricing, &entry, &cost))
    return -1;
  return cost;
}

#define assert_cost(got, want) g_assert_cmpfloat_with_epsilon ((got), (want), fabs (want) * 1e-4 + 1e-12)

static void
test_pricing_table (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  /* ccusage: cost of 100k tokens in one field, per model (in, out, 5m, 1h, read). */
  static const struct { const char *model; double in, out, c5, c1, read; } rows[] = {
    { "claude-opus-4-20250514", 1.5, 7.5, 1.875, 3, 0.15 },
    { "claude-opus-4-1-20250805", 1.5, 7.5, 1.875, 3, 0.15 },
    { "claude-opus-4-5-20251101", 0.5, 2.5, 0.625, 1, 0.05 },
    { "claude-opus-4-6", 0.5, 2.5, 0.625, 1, 0.05 },
    { "claude-opus-4-7", 0.5, 2.5, 0.625, 1, 0.05 },
    { "claude-opus-4-8", 0.5, 2.5, 0.625, 1, 0.05 },
    { "claude-opus-5", 0.5, 2.5, 0.625, 1, 0.05 },
    { "claude-sonnet-4-20250514", 0.3, 1.5, 0.375, 0.6, 0.03 },
    { S45, 0.3, 1.5, 0.375, 0.6, 0.03 },
    { "claude-sonnet-4-6", 0.3, 1.5, 0.375, 0.6, 0.03 },
    { "claude-3-5-sonnet-20241022", 0.3, 1.5, 0.375, 0.6, 0.03 },
    { "claude-3-7-sonnet-20250219", 0.3, 1.5, 0.375, 0.6, 0.03 },
    { "claude-3-haiku-20240307", 0.025, 0.125, 0.03, 0.05, 0.003 },
    { "claude-3-5-haiku-20241022", 0.08, 0.4, 0.1, 0.16, 0.008 },
    { H45, 0.1, 0.5, 0.125, 0.2, 0.01 },
    { "claude-3-opus-20240229", 1.5, 7.5, 1.875, 3, 0.15 },
    { "claude-3-sonnet-20240229", 0.3, 1.5, 0.375, 0.6, 0.03 },
    { "claude-4-opus-20250514", 1.5, 7.5, 1.875, 3, 0.15 },
    { "claude-4-sonnet-20250514", 0.3, 1.5, 0.375, 0.6, 0.03 },
    { "claude-sonnet-5", 0.2, 1, 0.25, 0.4, 0.02 },
    { "claude-sonnet-5-20260901", 0.2, 1, 0.25, 0.4, 0.02 },
    { "claude-fable-5", 1, 5, 1.25, 2, 0.1 },
    { "claude-fable-5[1m]", 1, 5, 1.25, 2, 0.1 },
    { "claude-fable-5-1", 1, 5, 1.25, 2, 0.025 },
    { "claude-mythos-5", 1, 5, 1.25, 2, 0.1 },
    { "claude-mythos-5-1", 1, 5, 1.25, 2, 0.025 },
    { "claude-mythos-preview", 1, 5, 1.25, 2, 0.1 },
    /* Anthropic's published price (2026-09-22); ccusage 20.0.24 has none */
    { "claude-opus-5-5", 0.4, 2, 0.5, 0.8, 0.02 },
    { "claude-opus-5-5-20260922", 0.4, 2, 0.5, 0.8, 0.02 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_test_message ("%s", rows[i].model);
      assert_cost (cost_of (pricing, rows[i].model, 100000, 0, 0, 0, 0, FALSE), rows[i].in);
      assert_cost (cost_of (pricing, rows[i].model, 0, 100000, 0, 0, 0, FALSE), rows[i].out);
      assert_cost (cost_of (pricing, rows[i].model, 0, 0, 100000, 0, 0, FALSE), rows[i].c5);
      assert_cost (cost_of (pricing, rows[i].model, 0, 0, 0, 100000, 0, FALSE), rows[i].c1);
      assert_cost (cost_of (pricing, rows[i].model, 0, 0, 0, 0, 100000, FALSE), rows[i].read);
    }
}

static void
test_pricing_tiers (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();

  /* ccusage: 300k tokens in one field of one entry. */
  assert_cost (cost_of (pricing, S45, 300000, 0, 0, 0, 0, FALSE), 1.2);
  assert_cost (cost_of (pricing, S45, 0, 300000, 0, 0, 0, FALSE), 5.25);
  assert_cost (cost_of (pricing, S45, 0, 0, 300000, 0, 0, FALSE), 1.5);
  assert_cost (cost_of (pricing, S45, 0, 0, 0, 300000, 0, FALSE), 2.4);
  assert_cost (cost_of (pricing, S45, 0, 0, 0, 0, 300000, FALSE), 0.12);
  assert_cost (cost_of (pricing, "claude-sonnet-4-20250514", 300000, 0, 0, 0, 0, FALSE), 1.2);
  /* No tier for Sonnet 4.6 and Opus 4.6 in ccusage's table. */
  assert_cost (cost_of (pricing, "claude-sonnet-4-6", 300000, 0, 0, 0, 0, FALSE), 0.9);
  assert_cost (cost_of (pricing, O46, 300000, 0, 0, 0, 0, FALSE), 1.5);
  /* ccusage: per field, not per entry; 200000 exactly is below the tier. */
  assert_cost (cost_of (pricing, S45, 150000, 0, 0, 0, 150000, FALSE), 0.495);
  assert_cost (cost_of (pricing, S45, 200000, 0, 0, 0, 0, FALSE), 0.6);
  assert_cost (cost_of (pricing, S45, 200001, 0, 0, 0, 0, FALSE), 0.600006);
  assert_cost (cost_of (pricing, S45, 0, 0, 150000, 150000, 0, FALSE), 1.4625);
}

static void
test_pricing_match (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();

  /* ccusage prices all of these as the model named. */
  g_assert_cmpstr (gauge_pricing_match (pricing, S45), ==, "claude-sonnet-4-5");
  g_assert_cmpstr (gauge_pricing_match (pricing, "claude-sonnet-4-5-20250929[1m]"), ==,
                   "claude-sonnet-4-5");
  g_assert_cmpstr (gauge_pricing_match (pricing, "anthropic/claude-sonnet-4-5"), ==,
                   "claude-sonnet-4-5");
  g_assert_cmpstr (gauge_pricing_match (pricing, "openrouter/anthropic/claude-opus-4.5"), ==,
                   "claude-opus-4-5");
  g_assert_cmpstr (gauge_pricing_match (pricing, "claude-opus-4-7-20260101"), ==,
                   "claude-opus-4-7");
  g_assert_cmpstr (gauge_pricing_match (pricing, "claude-opus-4-5-thinking"), ==,
                   "claude-opus-4-5");
  g_assert_cmpstr (gauge_pricing_match (pricing, "claude-opus-4-6[1m]"), ==, "claude-opus-4-6");
  g_assert_cmpstr (gauge_pricing_match (pricing, "claude-opus-4"), ==, "claude-opus-4");
  g_assert_cmpstr (gauge_pricing_match (pricing, "claude-3-5-haiku"), ==, "claude-3-5-haiku");
  /* ccusage prices these at 0; we call them unknown. */
  /* a later version is another model, not a variant of the one before */
  g_assert_cmpstr (gauge_pricing_match (pricing, "claude-opus-5-5"), ==, "claude-opus-5-5");
  g_assert_cmpstr (gauge_pricing_match (pricing, "claude-fable-5-1-20261001"), ==,
                   "claude-fable-5-1");
  g_assert_null (gauge_pricing_match (pricing, "claude-fable-5-2"));
  g_assert_null (gauge_pricing_match (pricing, "claude-opus-4-9"));
  g_assert_null (gauge_pricing_match (pricing, "claude-haiku-4-6"));
  g_assert_null (gauge_pricing_match (pricing, "claude-foo-9"));
  g_assert_null (gauge_pricing_match (pricing, NULL));
  g_assert_cmpfloat (cost_of (pricing, "claude-foo-9", 1000, 0, 0, 0, 0, FALSE), ==, -1);
}

static void
test_pricing_fast (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();

  /* ccusage: 100k input tokens with usage.speed "fast". */
  assert_cost (cost_of (pricing, "claude-opus-4-6", 100000, 0, 0, 0, 0, TRUE), 3.0);
  assert_cost (cost_of (pricing, "claude-opus-4-6[1m]", 100000, 0, 0, 0, 0, TRUE), 3.0);
  assert_cost (cost_of (pricing, "claude-opus-4-7", 100000, 0, 0, 0, 0, TRUE), 3.0);
  assert_cost (cost_of (pricing, "claude-opus-4-8", 100000, 0, 0, 0, 0, TRUE), 1.0);
  assert_cost (cost_of (pricing, "claude-opus-5", 100000, 0, 0, 0, 0, TRUE), 1.0);
  assert_cost (cost_of (pricing, "claude-opus-4-5", 100000, 0, 0, 0, 0, TRUE), 0.5);
  assert_cost (cost_of (pricing, "claude-sonnet-4-5", 100000, 0, 0, 0, 0, TRUE), 0.3);
  assert_cost (cost_of (pricing, "claude-sonnet-5", 100000, 0, 0, 0, 0, TRUE), 0.2);
  assert_cost (cost_of (pricing, "claude-fable-5-1", 100000, 0, 0, 0, 0, TRUE), 1.0);
  assert_cost (cost_of (pricing, "claude-opus-5-20260101", 100000, 0, 0, 0, 0, TRUE), 1.0);
}

static void
test_pricing_modes (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  GaugeLocalEntry with_cost = { .model = (char *) "claude-sonnet-4-5", .input_tokens = 1000,
                                .cost_usd = 7.0 };
  GaugeLocalEntry unknown = { .model = (char *) "claude-foo-9", .input_tokens = 1000,
                              .cost_usd = NAN };
  double cost;

  /* ccusage: auto 7.0, calculate 0.003, display 7.0 / 0. */
  g_assert_true (gauge_pricing_entry_cost (pricing, &with_cost, GAUGE_COST_MODE_AUTO, &cost));
  assert_cost (cost, 7.0);
  g_assert_true (gauge_pricing_entry_cost (pricing, &with_cost, GAUGE_COST_MODE_CALCULATE, &cost));
  assert_cost (cost, 0.003);
  g_assert_true (gauge_pricing_entry_cost (pricing, &unknown, GAUGE_COST_MODE_DISPLAY, &cost));
  g_assert_cmpfloat (cost, ==, 0);
  g_assert_false (gauge_pricing_entry_cost (pricing, &unknown, GAUGE_COST_MODE_AUTO, &cost));
}

static void
test_pricing_override (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "claude-gauge", NULL);
  g_autofree char *path = g_build_filename (dir, "pricing.json", NULL);
  g_autoptr(GaugePricing) pricing = NULL;
  g_autoptr(GaugePricing) broken = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path,
    "{\"models\":{\"claude-sonnet-4-5\":{\"input\":10,\"output\":20},"
    "\"claude-foo-9\":{\"input\":1,\"output\":2,\"aliases\":[\"foo\"]}}}", -1, NULL));
  pricing = gauge_pricing_new_default (&error);
  g_assert_no_error (error);
  assert_cost (cost_of (pricing, S45, 100000, 0, 0, 0, 0, FALSE), 1.0);
  /* Defaults for the cache fields: 1.25×, 2×, 0.1× input; no tier any more. */
  assert_cost (cost_of (pricing, S45, 0, 0, 100000, 100000, 100000, FALSE), 1.25 + 2 + 0.1);
  assert_cost (cost_of (pricing, S45, 300000, 0, 0, 0, 0, FALSE), 3.0);
  assert_cost (cost_of (pricing, "foo", 0, 100000, 0, 0, 0, FALSE), 0.2);
  assert_cost (cost_of (pricing, O46, 100000, 0, 0, 0, 0, FALSE), 0.5);

  g_assert_true (g_file_set_contents (path,
    "{\"models\":{\"claude-opus-4-6\":{\"input\":\"cheap\",\"output\":1}}}", -1, NULL));
  broken = gauge_pricing_new_default (&error);
  g_assert_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "claude-opus-4-6"));
  assert_cost (cost_of (broken, O46, 100000, 0, 0, 0, 0, FALSE), 0.5);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "{ not json", -1, NULL));
  g_clear_object (&broken);
  broken = gauge_pricing_new_default (&error);
  g_assert_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID);
  assert_cost (cost_of (broken, S45, 100000, 0, 0, 0, 0, FALSE), 0.3);
  g_clear_error (&error);
  g_unlink (path);

  /* A FIFO or a device in its place is refused, not waited on or read without end. */
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  g_clear_object (&broken);
  broken = gauge_pricing_new_default (&error);
  g_assert_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "is not a regular file"));
  assert_cost (cost_of (broken, S45, 100000, 0, 0, 0, 0, FALSE), 0.3);
  g_clear_error (&error);
  g_unlink (path);

  g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
  g_clear_object (&broken);
  broken = gauge_pricing_new_default (&error);
  g_assert_error (error, GAUGE_PRICING_ERROR, GAUGE_PRICING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "is not a regular file"));
  g_unlink (path);
}

/* The entries of the "blk" fixture, also used for the reports. */
static GArray *
fixture_entries (void)
{
  GArray *entries = gauge_local_entry_array_new ();

  add (entries, "2026-03-07T10:17:00.000Z", S45, 100, 2000, 1000, 0, 50000, "sess-a", NAN);
  add (entries, "2026-03-07T10:47:30.000Z", O46, 10, 500, 0, 2000, 80000, "sess-a", NAN);
  add (entries, "2026-03-07T14:30:00.000Z", S45, 5, 100, 0, 0, 1000, "sess-a", NAN);
  add (entries, "2026-03-07T15:10:00.000Z", H45, 7, 300, 300, 0, 9000, "sess-b", NAN);
  add (entries, "2026-03-08T04:30:00.000Z", S45, 1, 10, 0, 0, 0, "sess-b", NAN);
  add (entries, "2026-03-08T05:30:00.000Z", S45, 2, 20, 0, 0, 0, "sess-c", NAN);
  add (entries, "2026-03-08T09:30:00.000Z", S45, 3, 30, 0, 0, 0, "sess-c", NAN);
  add (entries, "2026-03-08T09:30:00.000Z", S45, 3, 30, 0, 0, 0, "sess-c", NAN);
  add (entries, "2026-03-08T18:29:00.000Z", S45, 4, 40, 0, 0, 0, "sess-c", NAN);
  add (entries, "2026-03-08T18:31:00.000Z", S45, 5, 50, 0, 0, 0, "sess-c", NAN);
  add (entries, "2026-10-31T23:30:00.000Z", O46, 6, 60, 0, 0, 0, "sess-d", NAN);
  add (entries, "2026-11-01T03:59:00.000Z", O46, 7, 70, 0, 0, 0, "sess-d", NAN);
  add (entries, "2026-11-01T04:00:00.000Z", O46, 8, 80, 0, 0, 0, "sess-d", NAN);
  add (entries, "2026-11-01T06:30:00.000Z", O46, 9, 90, 0, 0, 0, "sess-d", NAN);
  add (entries, "2026-11-02T04:59:00.000Z", O46, 10, 100, 0, 0, 0, "sess-d", NAN);
  add (entries, "2026-11-02T05:00:00.000Z", O46, 11, 110, 0, 0, 0, "sess-d", NAN);
  add (entries, "2026-11-02T05:01:00.000Z", "claude-foo-9", 12, 120, 0, 0, 0, "sess-d", NAN);
  add (entries, "2026-11-02T05:02:00.000Z", S45, 13, 130, 0, 0, 0, "sess-d", 1.25);
  return entries;
}

static void
test_blocks_gaps (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GArray) entries = fixture_entries ();
  g_autoptr(GPtrArray) blocks = gauge_blocks_compute (entries, pricing, GAUGE_COST_MODE_AUTO,
                                                      ms ("2026-11-24T03:10:00Z"));
  /* ccusage blocks --json on the same lines. */
  static const struct { const char *start, *end; gboolean gap; guint n; gint64 total; double cost; } want[] = {
    { "2026-03-07T10:00:00Z", "2026-03-07T15:00:00Z", FALSE, 3, 136715, 0.123415 },
    { "2026-03-07T15:00:00Z", "2026-03-07T20:00:00Z", FALSE, 1, 9607, 0.002782 },
    { "2026-03-07T20:10:00Z", "2026-03-08T04:30:00Z", TRUE, 0, 0, 0 },
    { "2026-03-08T04:00:00Z", "2026-03-08T09:00:00Z", FALSE, 2, 33, 0.000459 },
    { "2026-03-08T09:00:00Z", "2026-03-08T14:00:00Z", FALSE, 2, 66, 0.000918 },
    { "2026-03-08T14:30:00Z", "2026-03-08T18:29:00Z", TRUE, 0, 0, 0 },
    { "2026-03-08T18:00:00Z", "2026-03-08T23:00:00Z", FALSE, 2, 99, 0.001377 },
    { "2026-03-08T23:31:00Z", "2026-10-31T23:30:00Z", TRUE, 0, 0, 0 },
    { "2026-10-31T23:00:00Z", "2026-11-01T04:00:00Z", FALSE, 3, 231, 0.005355 },
    { "2026-11-01T06:00:00Z", "2026-11-01T11:00:00Z", FALSE, 1, 99, 0.002295 },
    { "2026-11-01T11:30:00Z", "2026-11-02T04:59:00Z", TRUE, 0, 0, 0 },
    { "2026-11-02T04:00:00Z", "2026-11-02T09:00:00Z", FALSE, 4, 506, 1.255355 },
  };

  g_assert_cmpuint (blocks->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < blocks->len; i++)
    {
      const GaugeBlock *block = g_ptr_array_index (blocks, i);

      g_test_message ("block %u", i);
      g_assert_cmpint (block->start_ms, ==, ms (want[i].start));
      g_assert_cmpint (block->end_ms, ==, ms (want[i].end));
      g_assert_cmpint (block->is_gap, ==, want[i].gap);
      g_assert_cmpuint (block->n_entries, ==, want[i].n);
      g_assert_cmpint (gauge_block_get_total_tokens (block), ==, want[i].total);
      assert_cost (block->cost_usd, want[i].cost);
      g_assert_false (block->is_active);
    }
  g_assert_null (gauge_blocks_get_active (blocks));
  /* The unknown model is named, and not counted as 0. */
  g_assert_cmpuint (((GaugeBlock *) g_ptr_array_index (blocks, 11))->unpriced_models->len, ==, 1);
}

static GArray *
active_entries (void)
{
  GArray *entries = gauge_local_entry_array_new ();

  add (entries, "2026-11-23T20:00:00.000Z", S45, 500000, 500000, 0, 0, 0, "sx", NAN);
  add (entries, "2026-11-24T01:20:00.000Z", S45, 1000, 2000, 0, 0, 0, "sx", NAN);
  add (entries, "2026-11-24T02:05:00.000Z", S45, 3000, 4000, 0, 0, 0, "sx", NAN);
  add (entries, "2026-11-24T02:50:00.000Z", S45, 5000, 6000, 0, 0, 0, "sx", NAN);
  return entries;
}

static void
test_blocks_active (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GArray) entries = active_entries ();
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T03:11:59Z", NULL);
  g_autoptr(GPtrArray) blocks = NULL;
  const GaugeBlock *active;
  GaugeBurnRate rate;
  GaugeBlockProjection projection;
  GaugeBlockLimit limit;
  double percent;

  gauge_clock_set_fake (now);
  blocks = gauge_blocks_compute (entries, pricing, GAUGE_COST_MODE_AUTO,
                                 gauge_clock_now_unix () * 1000);
  active = gauge_blocks_get_active (blocks);
  g_assert_nonnull (active);
  g_assert_cmpuint (blocks->len, ==, 3);
  g_assert_true (((GaugeBlock *) g_ptr_array_index (blocks, 1))->is_gap);

  /* ccusage at 03:11:59: burnRate, projection {168, 60200, 0.59}. */
  g_assert_true (gauge_block_get_burn_rate (active, &rate));
  g_assert_cmpfloat_with_epsilon (rate.tokens_per_minute, 233.3333333, 1e-6);
  g_assert_cmpfloat_with_epsilon (rate.tokens_per_minute_indicator, 233.3333333, 1e-6);
  g_assert_cmpfloat_with_epsilon (rate.cost_per_hour, 0.138, 1e-9);
  g_assert_true (gauge_block_get_projection (active, ms ("2026-11-24T03:11:59Z"), &projection));
  g_assert_cmpint (projection.remaining_minutes, ==, 168);
  g_assert_cmpint (projection.total_tokens, ==, 60200);
  g_assert_cmpfloat_with_epsilon (projection.total_cost, 0.59, 1e-9);
  /* ccusage at 03:11:27: remaining 168.55 min rounds to 169 → 60433 tokens, $0.60. */
  g_assert_true (gauge_block_get_projection (active, ms ("2026-11-24T03:11:27Z"), &projection));
  g_assert_cmpint (projection.remaining_minutes, ==, 169);
  g_assert_cmpint (projection.total_tokens, ==, 60433);
  g_assert_cmpfloat_with_epsilon (projection.total_cost, 0.60, 1e-9);

  /* ccusage --token-limit: 71000 warning (85.1 %), 76000 ok, 30000 exceeds. */
  limit = (GaugeBlockLimit) { 71000, GAUGE_LIMIT_MEASURE_TOTAL, GAUGE_PLAN_LIMIT_CUSTOM };
  g_assert_cmpint (gauge_block_limit_status (&limit, &projection, &percent), ==,
                   GAUGE_BLOCK_STATUS_WARNING);
  g_assert_cmpfloat_with_epsilon (percent, 85.1169014084507, 1e-9);
  limit.tokens = 76000;
  g_assert_cmpint (gauge_block_limit_status (&limit, &projection, NULL), ==, GAUGE_BLOCK_STATUS_OK);
  limit.tokens = 30000;
  g_assert_cmpint (gauge_block_limit_status (&limit, &projection, NULL), ==,
                   GAUGE_BLOCK_STATUS_EXCEEDS);

  /* custom_max = ccusage's "max": the largest finished block. */
  g_assert_true (gauge_blocks_get_limit (blocks, GAUGE_PLAN_LIMIT_CUSTOM_MAX, 0, NULL, &limit));
  g_assert_cmpint (limit.tokens, ==, 1000000);
  g_assert_cmpint (limit.measure, ==, GAUGE_LIMIT_MEASURE_TOTAL);

  /* An hour later than 5 h after the last entry, nothing is active. */
  g_clear_pointer (&blocks, g_ptr_array_unref);
  blocks = gauge_blocks_compute (entries, pricing, GAUGE_COST_MODE_AUTO, ms ("2026-11-24T06:00:00Z"));
  g_assert_null (gauge_blocks_get_active (blocks));
  gauge_clock_set_fake (NULL);
}

/* The blocks as a table: a header, one column each, and a date on an end that falls on
 * another day than its start. */
static void
test_blocks_text (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GArray) entries = active_entries ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GPtrArray) blocks = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *tokens_column;
  GaugeBlockLimit limit = { 71000, GAUGE_LIMIT_MEASURE_TOTAL, GAUGE_PLAN_LIMIT_CUSTOM };

  blocks = gauge_blocks_compute (entries, pricing, GAUGE_COST_MODE_AUTO,
                                 ms ("2026-11-24T03:11:59Z"));
  text = gauge_blocks_to_text (blocks, ms ("2026-11-24T03:11:59Z"), &limit, utc);
  g_test_message ("%s", text);
  lines = g_strsplit (text, "\n", -1);

  g_assert_true (g_str_has_prefix (lines[0], "Block start"));
  tokens_column = strstr (lines[0], "Tokens");
  g_assert_nonnull (tokens_column);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      if (lines[i][0] == ' ')
        continue;                                 /* the active block's figures */
      /* Every row's tokens end where the header's "Tokens" ends. */
      g_assert_cmpuint (strlen (lines[i]), >=, (tokens_column - lines[0]) + strlen ("Tokens"));
      g_assert_true (g_ascii_isdigit (lines[i][(tokens_column - lines[0]) + 5]) ||
                     lines[i][(tokens_column - lines[0]) + 5] == ')');
    }
  g_assert_true (g_str_has_prefix (lines[1], "2026-11-23 20:00  2026-11-24 01:00 "));
  g_assert_true (g_str_has_prefix (lines[3], "2026-11-24 01:00  06:00 "));
  g_assert_nonnull (strstr (text, "(gap)"));
  g_assert_nonnull (strstr (text, "ACTIVE"));
  g_assert_nonnull (strstr (text, "burn rate 233 tokens/min"));
}

static void
test_blocks_limits (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GArray) entries = gauge_local_entry_array_new ();
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  GaugeBlockLimit limit;
  /* input + output per block; 85000 and 90000 reach 95 % of Max 5x (83600), 20000 of Pro. */
  static const gint64 io[] = { 5000, 20000, 85000, 90000, 1000, 200000 };

  for (guint i = 0; i < G_N_ELEMENTS (io); i++)
    {
      g_autofree char *iso = g_strdup_printf ("2026-01-%02uT10:00:00Z", i + 1);

      add (entries, iso, S45, io[i] / 2, io[i] / 2, 0, 0, 1000000, "s", NAN);
    }
  blocks = gauge_blocks_compute (entries, pricing, GAUGE_COST_MODE_AUTO, ms ("2026-02-01T00:00:00Z"));

  /* Hits: 20000, 85000, 90000, 200000 → rank 2.7 → 90000 + 0.7 × 110000. */
  g_assert_true (gauge_blocks_get_limit (blocks, GAUGE_PLAN_LIMIT_P90, 0, NULL, &limit));
  g_assert_cmpint (limit.tokens, ==, 167000);
  g_assert_cmpint (limit.measure, ==, GAUGE_LIMIT_MEASURE_INPUT_OUTPUT);
  g_assert_true (gauge_blocks_get_limit (blocks, GAUGE_PLAN_LIMIT_CUSTOM_MAX, 0, NULL, &limit));
  g_assert_cmpint (limit.tokens, ==, 1200000);
  g_assert_true (gauge_blocks_get_limit (blocks, GAUGE_PLAN_LIMIT_AUTO, 0,
                                         "default_claude_max_20x", &limit));
  g_assert_cmpint (limit.plan, ==, GAUGE_PLAN_LIMIT_MAX20);
  g_assert_cmpint (limit.tokens, ==, GAUGE_BLOCK_LIMIT_MAX20);
  g_assert_true (gauge_blocks_get_limit (blocks, GAUGE_PLAN_LIMIT_AUTO, 0,
                                         "default_claude_max_5x", &limit));
  g_assert_cmpint (limit.tokens, ==, GAUGE_BLOCK_LIMIT_MAX5);
  g_assert_true (gauge_blocks_get_limit (blocks, GAUGE_PLAN_LIMIT_AUTO, 0, "default_claude_pro",
                                         &limit));
  g_assert_cmpint (limit.tokens, ==, GAUGE_BLOCK_LIMIT_PRO);
  g_assert_true (gauge_blocks_get_limit (blocks, GAUGE_PLAN_LIMIT_CUSTOM, 123456, NULL, &limit));
  g_assert_cmpint (limit.tokens, ==, 123456);
  g_assert_false (gauge_blocks_get_limit (blocks, GAUGE_PLAN_LIMIT_CUSTOM, 0, NULL, &limit));
  g_assert_false (gauge_blocks_get_limit (empty, GAUGE_PLAN_LIMIT_CUSTOM_MAX, 0, NULL, &limit));
  /* p90 without history: Pro's limit. */
  g_assert_true (gauge_blocks_get_limit (empty, GAUGE_PLAN_LIMIT_P90, 0, NULL, &limit));
  g_assert_cmpint (limit.tokens, ==, GAUGE_BLOCK_LIMIT_PRO);
}

static GaugeReport *
make_report (GaugeReportKind  kind,
             GArray          *entries,
             GaugePricing    *pricing,
             const char      *zone_name,
             GDateWeekday     start_of_week)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_name);
  GaugeReportParams params = { .time_zone = zone, .start_of_week = start_of_week,
                               .mode = GAUGE_COST_MODE_AUTO, .malformed_lines = 3 };

  g_assert_nonnull (zone);
  return gauge_report_new (kind, entries, pricing, &params);
}

static void
assert_rows (GaugeReport *report,
             const char  *keys[],
             const gint64 totals[],
             guint        n)
{
  g_assert_cmpuint (report->rows->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      const GaugeReportRow *row = g_ptr_array_index (report->rows, i);

      g_assert_cmpstr (row->key, ==, keys[i]);
      g_assert_cmpint (row->input_tokens + row->output_tokens + row->cache_creation_tokens +
                       row->cache_read_tokens, ==, totals[i]);
    }
}

static void
test_report_time_zones (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GArray) entries = fixture_entries ();
  g_autoptr(GaugeReport) ny = make_report (GAUGE_REPORT_DAILY, entries, pricing,
                                           "America/New_York", G_DATE_SUNDAY);
  g_autoptr(GaugeReport) kolkata = make_report (GAUGE_REPORT_DAILY, entries, pricing,
                                                "Asia/Kolkata", G_DATE_SUNDAY);
  g_autoptr(GaugeReport) utc = make_report (GAUGE_REPORT_DAILY, entries, pricing, "UTC",
                                            G_DATE_SUNDAY);
  g_autoptr(GaugeReport) weeks = make_report (GAUGE_REPORT_WEEKLY, entries, pricing,
                                              "America/New_York", G_DATE_SUNDAY);
  g_autoptr(GaugeReport) monday = make_report (GAUGE_REPORT_WEEKLY, entries, pricing,
                                               "America/New_York", G_DATE_MONDAY);
  g_autoptr(GaugeReport) months = make_report (GAUGE_REPORT_MONTHLY, entries, pricing,
                                               "Asia/Kolkata", G_DATE_SUNDAY);
  /* ccusage daily/weekly/monthly --timezone on the same lines. */
  const char *ny_days[] = { "2026-03-07", "2026-03-08", "2026-10-31", "2026-11-01", "2026-11-02" };
  const gint64 ny_totals[] = { 146333, 187, 143, 297, 396 };
  const char *in_days[] = { "2026-03-07", "2026-03-08", "2026-03-09", "2026-11-01", "2026-11-02" };
  const gint64 in_totals[] = { 146322, 143, 55, 330, 506 };
  const char *utc_days[] = { "2026-03-07", "2026-03-08", "2026-10-31", "2026-11-01", "2026-11-02" };
  const gint64 utc_totals[] = { 146322, 198, 66, 264, 506 };
  const char *week_keys[] = { "2026-03-01", "2026-03-08", "2026-10-25", "2026-11-01" };
  const gint64 week_totals[] = { 146333, 187, 143, 693 };
  const char *monday_keys[] = { "2026-03-02", "2026-10-26", "2026-11-02" };
  const gint64 monday_totals[] = { 146520, 440, 396 };
  const char *month_keys[] = { "2026-03", "2026-11" };
  const gint64 month_totals[] = { 146520, 836 };

  assert_rows (ny, ny_days, ny_totals, G_N_ELEMENTS (ny_totals));
  assert_rows (kolkata, in_days, in_totals, G_N_ELEMENTS (in_totals));
  assert_rows (utc, utc_days, utc_totals, G_N_ELEMENTS (utc_totals));
  assert_rows (weeks, week_keys, week_totals, G_N_ELEMENTS (week_totals));
  assert_rows (monday, monday_keys, monday_totals, G_N_ELEMENTS (monday_totals));
  assert_rows (months, month_keys, month_totals, G_N_ELEMENTS (month_totals));

  /* ccusage: totals 147356 tokens, $1.391956, claude-foo-9 unpriced. */
  g_assert_cmpint (ny->totals->input_tokens, ==, 216);
  g_assert_cmpint (ny->totals->output_tokens, ==, 3840);
  assert_cost (ny->totals->cost_usd, 1.391956);
  assert_cost (((GaugeReportRow *) g_ptr_array_index (ny->rows, 0))->cost_usd, 0.12635);
  assert_cost (((GaugeReportRow *) g_ptr_array_index (ny->rows, 4))->cost_usd, 1.252805);
  g_assert_cmpuint (ny->unpriced_models->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (ny->unpriced_models, 0), ==, "claude-foo-9");
}

static void
test_report_since_until (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GArray) entries = fixture_entries ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();
  GDate since, until;
  GaugeReportParams params = { .time_zone = zone, .since = &since, .until = &until };
  g_autoptr(GaugeReport) report = NULL;
  /* ccusage daily --since 20260308 --until 20261101 --timezone UTC */
  const char *keys[] = { "2026-03-08", "2026-10-31", "2026-11-01" };
  const gint64 totals[] = { 198, 66, 264 };

  g_date_clear (&since, 1);
  g_date_clear (&until, 1);
  g_date_set_dmy (&since, 8, 3, 2026);
  g_date_set_dmy (&until, 1, 11, 2026);
  report = gauge_report_new (GAUGE_REPORT_DAILY, entries, pricing, &params);
  assert_rows (report, keys, totals, G_N_ELEMENTS (totals));
}

static void
test_report_sessions (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GArray) entries = fixture_entries ();
  g_autoptr(GaugeReport) report = make_report (GAUGE_REPORT_SESSION, entries, pricing, "UTC",
                                               G_DATE_SUNDAY);
  /* ccusage session --json: sorted by cost, highest first. */
  const char *keys[] = { "sess-d", "sess-a", "sess-b", "sess-c" };
  const gint64 totals[] = { 836, 136715, 9618, 187 };
  const GaugeReportRow *first;
  const GaugeModelUsage *last;

  assert_rows (report, keys, totals, G_N_ELEMENTS (totals));
  first = g_ptr_array_index (report->rows, 0);
  assert_cost (first->cost_usd, 1.263005);
  g_assert_cmpuint (first->breakdown->len, ==, 3);
  last = g_ptr_array_index (first->breakdown, 2);
  g_assert_cmpstr (last->model, ==, "claude-foo-9");
  g_assert_true (last->missing_pricing);
}

static char *
to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static void
assert_members (JsonObject  *object,
                const char  *names)
{
  g_auto(GStrv) want = g_strsplit (names, ",", -1);
  GList *members = json_object_get_members (object);

  g_assert_cmpuint (g_list_length (members), ==, g_strv_length (want));
  for (guint i = 0; want[i] != NULL; i++)
    g_assert_true (json_object_has_member (object, want[i]));
  g_list_free (members);
}

static void
test_report_json (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GArray) entries = fixture_entries ();
  g_autoptr(GArray) active = active_entries ();
  g_autoptr(GaugeReport) daily = make_report (GAUGE_REPORT_DAILY, entries, pricing, "UTC", 0);
  g_autoptr(GaugeReport) weekly = make_report (GAUGE_REPORT_WEEKLY, entries, pricing, "UTC", 0);
  g_autoptr(GaugeReport) monthly = make_report (GAUGE_REPORT_MONTHLY, entries, pricing, "UTC", 0);
  g_autoptr(GaugeReport) session = make_report (GAUGE_REPORT_SESSION, entries, pricing, "UTC", 0);
  g_autoptr(JsonNode) d = gauge_report_to_json (daily);
  g_autoptr(JsonNode) w = gauge_report_to_json (weekly);
  g_autoptr(JsonNode) m = gauge_report_to_json (monthly);
  g_autoptr(JsonNode) s = gauge_report_to_json (session);
  gint64 now = ms ("2026-11-24T03:11:59Z");
  g_autoptr(GPtrArray) blocks = gauge_blocks_compute (active, pricing, GAUGE_COST_MODE_AUTO, now);
  GaugeBlockLimit limit = { 30000, GAUGE_LIMIT_MEASURE_TOTAL, GAUGE_PLAN_LIMIT_CUSTOM };
  g_autoptr(JsonNode) b = gauge_blocks_to_json (blocks, now, &limit);
  g_autofree char *text = to_string (b);
  JsonObject *row;
  JsonObject *block;

  /* The member names of ccusage 20.0.24's JSON. */
  static const char *row_common = "cacheCreationTokens,cacheReadTokens,inputTokens,"
                                  "modelBreakdowns,modelsUsed,outputTokens,totalCost,totalTokens";
  g_autofree char *daily_names = g_strconcat (row_common, ",date", NULL);
  g_autofree char *weekly_names = g_strconcat (row_common, ",week", NULL);
  g_autofree char *monthly_names = g_strconcat (row_common, ",month", NULL);
  g_autofree char *session_names = g_strconcat (row_common, ",firstActivity,lastActivity,"
                                                "projectPath,sessionId", NULL);

  assert_members (json_node_get_object (d), "daily,totals,malformedLines");
  row = json_array_get_object_element (json_object_get_array_member (json_node_get_object (d),
                                                                     "daily"), 0);
  assert_members (row, daily_names);
  assert_members (json_array_get_object_element (json_object_get_array_member (row, "modelBreakdowns"), 0),
                  "cacheCreationTokens,cacheReadTokens,cost,inputTokens,modelName,outputTokens");
  assert_members (json_object_get_object_member (json_node_get_object (d), "totals"),
                  "cacheCreationTokens,cacheReadTokens,inputTokens,outputTokens,totalCost,"
                  "totalTokens,unpricedModels");
  assert_members (json_array_get_object_element (json_object_get_array_member (json_node_get_object (w), "weekly"), 0),
                  weekly_names);
  assert_members (json_array_get_object_element (json_object_get_array_member (json_node_get_object (m), "monthly"), 0),
                  monthly_names);
  row = json_array_get_object_element (json_object_get_array_member (json_node_get_object (s),
                                                                     "sessions"), 0);
  assert_members (row, session_names);
  g_assert_cmpstr (json_object_get_string_member (row, "firstActivity"), ==,
                   "2026-10-31T23:30:00.000Z");

  block = json_array_get_object_element (json_object_get_array_member (json_node_get_object (b),
                                                                       "blocks"), 2);
  assert_members (block, "actualEndTime,burnRate,costUSD,endTime,entries,id,isActive,isGap,"
                         "models,projection,startTime,tokenCounts,tokenLimitStatus,totalTokens");
  g_assert_cmpstr (json_object_get_string_member (block, "id"), ==, "2026-11-24T01:00:00.000Z");
  assert_members (json_object_get_object_member (block, "burnRate"),
                  "costPerHour,tokensPerMinute,tokensPerMinuteForIndicator");
  assert_members (json_object_get_object_member (block, "projection"),
                  "remainingMinutes,totalCost,totalTokens");
  assert_members (json_object_get_object_member (block, "tokenCounts"),
                  "cacheCreationInputTokens,cacheReadInputTokens,inputTokens,outputTokens");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (block,
                   "tokenLimitStatus"), "status"), ==, "exceeds");
  g_assert_nonnull (strstr (text, "\"id\":\"gap-2026-11-24T01:00:00.000Z\""));
  g_assert_nonnull (strstr (text, "\"projectedUsage\":60200"));
}

static void
test_report_text (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GArray) entries = fixture_entries ();
  g_autoptr(GaugeReport) report = make_report (GAUGE_REPORT_DAILY, entries, pricing, "UTC", 0);
  g_autofree char *text = gauge_report_to_text (report, TRUE);
  g_autofree char *plain = gauge_report_to_text (report, FALSE);

  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Date"));
  g_assert_nonnull (strstr (text, "146,322"));
  g_assert_nonnull (strstr (text, "147,356"));
  g_assert_nonnull (strstr (text, "$1.39"));
  g_assert_nonnull (strstr (text, "└ Foo 9"));
  g_assert_nonnull (strstr (text, "unknown"));
  g_assert_nonnull (strstr (text, "Cost unknown for claude-foo-9"));
  g_assert_nonnull (strstr (text, "3 transcript lines could not be read"));
  g_assert_nonnull (strstr (plain, "Sonnet 4.5, Opus 4.6, Haiku"));
}

static void
test_period_figures (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GArray) entries = fixture_entries ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/New_York");
  gint64 now = ms ("2026-11-02T06:00:00Z");   /* Mon Nov 2, 01:00 EST */
  g_autoptr(GPtrArray) blocks = gauge_blocks_compute (entries, pricing, GAUGE_COST_MODE_AUTO, now);
  GaugePeriodFigures f;

  gauge_test_period_figures (entries, blocks, pricing, GAUGE_COST_MODE_AUTO, zone, 1,
                             G_DATE_SUNDAY, 10000, now, &f);
  /* Billing from Nov 1 00:00 EDT (04:00Z); the week from Sun Nov 1 too. */
  g_assert_cmpint (f.billing_start_ms, ==, ms ("2026-11-01T04:00:00Z"));
  g_assert_cmpint (f.billing_tokens, ==, 88 + 99 + 110 + 121 + 132 + 143);
  g_assert_cmpint (f.week_start_ms, ==, ms ("2026-11-01T04:00:00Z"));
  g_assert_cmpint (f.week_tokens, ==, f.billing_tokens);
  g_assert_cmpuint (f.week_sessions, ==, 1);
  g_assert_cmpfloat_with_epsilon (f.sessions_left, (10000.0 - 693) / 693, 1e-9);
  g_assert_cmpint (f.days_left_in_week, ==, 6);
  g_assert_cmpint (f.largest_block_tokens, ==, 506);
  g_assert_cmpint (f.active_block_remaining_ms, ==, 3 * 3600 * 1000);
  g_assert_cmpint (f.minutes_since_last_entry, ==, 58);

  /* Billing day 15: the period began Oct 15 (EDT). */
  gauge_test_period_figures (entries, blocks, pricing, GAUGE_COST_MODE_AUTO, zone, 15,
                             G_DATE_MONDAY, 0, now, &f);
  g_assert_cmpint (f.billing_start_ms, ==, ms ("2026-10-15T04:00:00Z"));
  g_assert_cmpint (f.week_start_ms, ==, ms ("2026-11-02T05:00:00Z"));
  g_assert_cmpint (f.days_left_in_week, ==, 7);
  g_assert_cmpfloat (f.sessions_left, ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/reports/pricing/table", test_pricing_table);
  g_test_add_func ("/reports/pricing/tiers", test_pricing_tiers);
  g_test_add_func ("/reports/pricing/match", test_pricing_match);
  g_test_add_func ("/reports/pricing/fast", test_pricing_fast);
  g_test_add_func ("/reports/pricing/modes", test_pricing_modes);
  g_test_add_func ("/reports/pricing/override", test_pricing_override);
  g_test_add_func ("/reports/blocks/gaps", test_blocks_gaps);
  g_test_add_func ("/reports/blocks/active", test_blocks_active);
  g_test_add_func ("/reports/blocks/text", test_blocks_text);
  g_test_add_func ("/reports/blocks/limits", test_blocks_limits);
  g_test_add_func ("/reports/report/time-zones", test_report_time_zones);
  g_test_add_func ("/reports/report/since-until", test_report_since_until);
  g_test_add_func ("/reports/report/sessions", test_report_sessions);
  g_test_add_func ("/reports/report/json", test_report_json);
  g_test_add_func ("/reports/report/text", test_report_text);
  g_test_add_func ("/reports/report/period", test_period_figures);

  return g_test_run ();
}
