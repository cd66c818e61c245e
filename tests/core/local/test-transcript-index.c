/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-transcript-index"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <utime.h>

#include "gauge-pricing.h"
#include "gauge-report-format.h"
#include "gauge-store.h"
#include "gauge-store-entries.h"
#include "gauge-test-server.h"
#include "gauge-test-usage.h"
#include "gauge-transcript-index.h"

typedef GaugeTestHistory Fixture;

/* A usage line. @msg and @req may be NULL (then absent). */
static char *
usage_line (const char *msg,
            const char *req,
            gboolean    sidechain,
            gint64      input,
            gint64      output,
            const char *minute)
{
  g_autofree char *msg_field = msg ? g_strdup_printf (",\"id\":\"%s\"", msg) : g_strdup ("");
  g_autofree char *req_field = req ? g_strdup_printf (",\"requestId\":\"%s\"", req) : g_strdup ("");

  return g_strdup_printf ("{\"isSidechain\":%s,\"sessionId\":\"s1\",\"type\":\"assistant\"%s,"
                          "\"timestamp\":\"2026-11-19T10:%s:00.000Z\",\"message\":{\"model\":"
                          "\"claude-sonnet-4-5-20250929\"%s,\"usage\":{\"input_tokens\":%" G_GINT64_FORMAT
                          ",\"output_tokens\":%" G_GINT64_FORMAT ",\"cache_read_input_tokens\":0}}}",
                          sidechain ? "true" : "false", req_field, minute, msg_field, input, output);
}

static void
append (const char *path,
        const char *text)
{
  FILE *file = fopen (path, "a");

  g_assert_nonnull (file);
  g_assert_cmpint (fputs (text, file), >=, 0);
  fclose (file);
}

static void
append_line (const char *path,
             char       *line)   /* (transfer full) */
{
  append (path, line);
  append (path, "\n");
  g_free (line);
}

typedef struct
{
  guint  n;
  gint64 input;
  gint64 output;
  guint  n_sidechain;
} Totals;

/* gauge_store_load_entries_shared() gives the same entries, its strings shared and the
 * ones not asked for left out. */
static void
assert_shared_matches (Fixture *fixture,
                       GArray  *entries)
{
  static const GaugeStoreLoadFlags all_flags[] = {
    GAUGE_STORE_LOAD_NONE, GAUGE_STORE_LOAD_SESSIONS,
  };

  for (guint f = 0; f < G_N_ELEMENTS (all_flags); f++)
    {
      GaugeStoreLoadFlags flags = all_flags[f];
      gboolean sessions = (flags & GAUGE_STORE_LOAD_SESSIONS) != 0;
      g_autoptr(GError) error = NULL;
      g_autoptr(GStringChunk) strings = NULL;
      g_autoptr(GArray) shared = gauge_store_load_entries_shared (fixture->store, 0, 0, flags,
                                                                   &strings, &error);

      g_assert_no_error (error);
      g_assert_nonnull (strings);
      g_assert_cmpuint (shared->len, ==, entries->len);
      for (guint i = 0; i < entries->len; i++)
        {
          GaugeLocalEntry *a = &g_array_index (entries, GaugeLocalEntry, i);
          GaugeLocalEntry *b = &g_array_index (shared, GaugeLocalEntry, i);

          g_assert_cmpint (a->timestamp_ms, ==, b->timestamp_ms);
          g_assert_cmpstr (a->model, ==, b->model);
          g_assert_cmpstr (sessions ? a->session_id : NULL, ==, b->session_id);
          g_assert_cmpstr (sessions ? a->project : NULL, ==, b->project);
          /* The store keeps the ids' hashes, not their text. */
          g_assert_null (a->message_id);
          g_assert_null (b->message_id);
          g_assert_cmpint (a->fast, ==, b->fast);
          g_assert_cmpint (a->is_sidechain, ==, b->is_sidechain);
          g_assert_cmpint (a->input_tokens, ==, b->input_tokens);
          g_assert_cmpint (a->output_tokens, ==, b->output_tokens);
          g_assert_cmpint (a->cache_creation_5m_tokens, ==, b->cache_creation_5m_tokens);
          g_assert_cmpint (a->cache_creation_1h_tokens, ==, b->cache_creation_1h_tokens);
          g_assert_cmpint (a->cache_read_tokens, ==, b->cache_read_tokens);
          g_assert_true ((isnan (a->cost_usd) && isnan (b->cost_usd)) || a->cost_usd == b->cost_usd);
          if (i > 0 && a->model != NULL &&
              g_strcmp0 (a->model, g_array_index (entries, GaugeLocalEntry, i - 1).model) == 0)
            g_assert_true (b->model == g_array_index (shared, GaugeLocalEntry, i - 1).model);
        }
    }
}

typedef struct
{
  gint64 tokens[5];
  double cost_usd;
} Sum;

static char *
sum_key (const GaugeLocalEntry *entry)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%d", gauge_local_bucket (entry->timestamp_ms),
                          entry->model != NULL ? entry->model : "(none)", entry->fast);
}

/* @sign 1 adds @entry, -1 takes it away. */
static void
sum_add (GHashTable            *sums,
         const GaugeLocalEntry *entry,
         int                    sign)
{
  g_autofree char *key = sum_key (entry);
  Sum *sum = g_hash_table_lookup (sums, key);
  gint64 tokens[5] = {
    entry->input_tokens, entry->output_tokens, entry->cache_creation_5m_tokens,
    entry->cache_creation_1h_tokens, entry->cache_read_tokens,
  };

  if (sum == NULL)
    {
      sum = g_new0 (Sum, 1);
      g_hash_table_insert (sums, g_steal_pointer (&key), sum);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    sum->tokens[i] += sign * tokens[i];
  if (!isnan (entry->cost_usd))
    sum->cost_usd += sign * entry->cost_usd;
}

/* The sums reports read (gauge_store_load_entry_sums()) add up to the entries, per quarter
 * hour, model and speed; a sum only holds entries below the >200k tier. */
static void
assert_sums_match (GaugeStore *store,
                   GArray     *entries)
{
  g_autoptr(GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GStringChunk) strings = NULL;
  g_autoptr(GArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  Sum *sum;

  stored = gauge_store_load_entry_sums (store, 0, 0, &strings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, <=, MAX (entries->len, 1));

  for (guint i = 0; i < entries->len; i++)
    sum_add (sums, &g_array_index (entries, GaugeLocalEntry, i), 1);
  for (guint i = 0; i < stored->len; i++)
    {
      const GaugeLocalEntry *entry = &g_array_index (stored, GaugeLocalEntry, i);

      g_assert_null (entry->session_id);
      g_assert_null (entry->message_id);
      if (!entry->below_tier)
        g_assert_cmpint (MAX (entry->input_tokens, entry->cache_read_tokens), >, 200000);
      if (i > 0)
        g_assert_cmpint (entry->timestamp_ms, >=,
                         g_array_index (stored, GaugeLocalEntry, i - 1).timestamp_ms);
      sum_add (sums, entry, -1);
    }

  g_hash_table_iter_init (&iter, sums);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &sum))
    {
      for (guint i = 0; i < G_N_ELEMENTS (sum->tokens); i++)
        g_assert_cmpint (sum->tokens[i], ==, 0);
      g_assert_cmpfloat_with_epsilon (sum->cost_usd, 0, 1e-9);
    }
}

static Totals
totals (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) entries = gauge_store_load_entries (fixture->store, 0, 0, &error);
  Totals t = { 0, };

  g_assert_no_error (error);
  t.n = entries->len;
  for (guint i = 0; i < entries->len; i++)
    {
      GaugeLocalEntry *entry = &g_array_index (entries, GaugeLocalEntry, i);

      t.input += entry->input_tokens;
      t.output += entry->output_tokens;
      t.n_sidechain += entry->is_sidechain;
      g_assert_cmpstr (entry->project, ==, "-home-ana-shop");
    }
  assert_shared_matches (fixture, entries);
  assert_sums_match (fixture->store, entries);

  return t;
}

static char *
session_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->project, name, NULL);
}

/* Split responses: the copy with the larger total wins, wherever it comes. */
static void
test_dedup_partial (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");
  Totals t;

  append_line (path, usage_line ("m1", "r1", FALSE, 10, 5, "00"));
  append_line (path, usage_line ("m1", "r1", FALSE, 10, 50, "00"));
  append_line (path, usage_line ("m1", "r1", FALSE, 10, 20, "00"));
  append_line (path, usage_line ("m2", "r2", FALSE, 1, 1, "01"));
  gauge_test_index_run (fixture->index, FALSE);

  t = totals (fixture);
  g_assert_cmpuint (t.n, ==, 2);
  g_assert_cmpint (t.output, ==, 51);
  g_assert_cmpuint (fixture->n_changed, ==, 1);

  /* A larger copy in a later pass replaces the stored one; a smaller does not. */
  append_line (path, usage_line ("m2", "r2", FALSE, 1, 9, "01"));
  append_line (path, usage_line ("m1", "r1", FALSE, 10, 40, "00"));
  gauge_test_index_run (fixture->index, FALSE);
  t = totals (fixture);
  g_assert_cmpuint (t.n, ==, 2);
  g_assert_cmpint (t.output, ==, 59);
}

/* A streamed response's first copy has a placeholder output: when the copies' totals tie, the
 * one with the higher output wins, read in one pass or in two, in either order. */
static void
test_dedup_placeholder (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  Totals t;

  /* input 10 + output 1 + cache read 99 = 110 = 10 + 100 + 0 */
  append_line (path, g_strdup ("{\"sessionId\":\"s1\",\"requestId\":\"r1\",\"timestamp\":"
                               "\"2026-11-19T10:00:00.000Z\",\"message\":{\"id\":\"m1\",\"model\":"
                               "\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":10,"
                               "\"output_tokens\":1,\"cache_read_input_tokens\":99}}}"));
  append_line (path, usage_line ("m1", "r1", FALSE, 10, 100, "00"));
  append_line (path, usage_line ("m2", "r2", FALSE, 10, 100, "01"));
  gauge_test_index_run (fixture->index, FALSE);
  append_line (path, g_strdup ("{\"sessionId\":\"s1\",\"requestId\":\"r2\",\"timestamp\":"
                               "\"2026-11-19T10:02:00.000Z\",\"message\":{\"id\":\"m2\",\"model\":"
                               "\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":10,"
                               "\"output_tokens\":1,\"cache_read_input_tokens\":99}}}"));
  gauge_test_index_run (fixture->index, FALSE);

  t = totals (fixture);
  g_assert_cmpuint (t.n, ==, 2);
  g_assert_cmpint (t.output, ==, 200);
  entries = gauge_store_load_entries (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpint (g_array_index (entries, GaugeLocalEntry, i).cache_read_tokens, ==, 0);
}

/* The non-sidechain copy wins over a sidechain one, even with a smaller total. */
static void
test_dedup_sidechain (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *main_path = session_path (fixture, "s1.jsonl");
  g_autofree char *agents = g_build_filename (fixture->project, "s1", "subagents", NULL);
  g_autofree char *agent_path = g_build_filename (agents, "agent-a1.jsonl", NULL);
  Totals t;

  g_assert_cmpint (g_mkdir_with_parents (agents, 0700), ==, 0);
  append_line (agent_path, usage_line ("m1", "r1", TRUE, 100, 100, "00"));
  append_line (agent_path, usage_line ("m2", "r2", TRUE, 3, 3, "01"));
  append_line (main_path, usage_line ("m1", "r1", FALSE, 1, 1, "00"));
  append_line (main_path, usage_line ("m2", "r2", TRUE, 30, 30, "01"));
  gauge_test_index_run (fixture->index, FALSE);

  t = totals (fixture);
  g_assert_cmpuint (t.n, ==, 2);
  g_assert_cmpint (t.input, ==, 1 + 30);
  g_assert_cmpuint (t.n_sidechain, ==, 1);
}

/* The key is ccusage's: message.id with the requestId, or with none when the line has none.
 * Lines without a message.id are never merged. */
static void
test_no_key (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");
  Totals t;

  append_line (path, usage_line (NULL, NULL, FALSE, 1, 1, "00"));
  append_line (path, usage_line (NULL, NULL, FALSE, 1, 1, "00"));
  append_line (path, usage_line (NULL, "r1", FALSE, 1, 1, "00"));
  append_line (path, usage_line (NULL, "r1", FALSE, 1, 1, "00"));
  append_line (path, usage_line ("m1", NULL, FALSE, 1, 1, "00"));
  append_line (path, usage_line ("m1", NULL, FALSE, 1, 5, "00"));
  append_line (path, usage_line ("m1", "r1", FALSE, 1, 1, "00"));
  gauge_test_index_run (fixture->index, FALSE);

  /* 4 unkeyed, (m1, none) once with the larger copy, (m1, r1) once. */
  t = totals (fixture);
  g_assert_cmpuint (t.n, ==, 6);
  g_assert_cmpint (t.output, ==, 4 + 5 + 1);

  /* Across passes too. */
  append_line (path, usage_line ("m1", NULL, FALSE, 1, 7, "00"));
  gauge_test_index_run (fixture->index, FALSE);
  t = totals (fixture);
  g_assert_cmpuint (t.n, ==, 6);
  g_assert_cmpint (t.output, ==, 4 + 7 + 1);

  /* Nothing changed: nothing doubles, nothing is announced. */
  fixture->n_changed = 0;
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpuint (totals (fixture).n, ==, 6);
  g_assert_cmpuint (fixture->n_changed, ==, 0);
}

/* A line with its session and timestamp as fields, for the tie and session tests. */
static char *
line_with (const char *msg,
           const char *session_field,
           gboolean    sidechain,
           gint64      output,
           const char *minute)
{
  return g_strdup_printf ("{\"isSidechain\":%s,\"sessionId\":\"%s\",\"type\":\"assistant\","
                          "\"requestId\":\"r-%s\",\"timestamp\":\"2026-11-19T10:%s:00.000Z\","
                          "\"message\":{\"id\":\"%s\",\"model\":\"claude-sonnet-4-5-20250929\","
                          "\"usage\":{\"input_tokens\":1,\"output_tokens\":%" G_GINT64_FORMAT "}}}",
                          sidechain ? "true" : "false", session_field, msg, minute, msg, output);
}

/* The entry whose minute ends in @digit: the fixtures give each response its own digit,
 * whichever copy of it was kept (the store keeps no message ids). */
static GaugeLocalEntry *
find_entry (GArray *entries,
            guint   digit)
{
  GaugeLocalEntry *found = NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      GaugeLocalEntry *entry = &g_array_index (entries, GaugeLocalEntry, i);

      if (entry->timestamp_ms / 60000 % 10 == digit)
        {
          g_assert_null (found);
          found = entry;
        }
    }

  if (found == NULL)
    g_error ("no entry at a minute ending in %u", digit);
  return found;
}

static void
set_mtime (const char *path,
           gint64      seconds)
{
  struct utimbuf times = { seconds, seconds };

  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

/* A tie between copies in two files: the first file in path byte order wins, whatever the
 * mtimes and the order the files were written in; otherwise non-sidechain first, then the
 * larger total, each with its own timestamp. */
static void
test_dedup_tie (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *b = session_path (fixture, "b.jsonl");
  g_autofree char *a = session_path (fixture, "a.jsonl");
  g_autofree char *upper = session_path (fixture, "Z.jsonl");
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  append_line (b, line_with ("tie", "x", FALSE, 5, "10"));
  append_line (b, line_with ("side", "x", FALSE, 1, "11"));
  append_line (b, line_with ("big", "x", FALSE, 9, "12"));
  append_line (a, line_with ("tie", "x", FALSE, 5, "20"));
  append_line (a, line_with ("side", "x", TRUE, 100, "21"));
  append_line (a, line_with ("big", "x", FALSE, 8, "22"));
  append_line (upper, line_with ("upper", "x", FALSE, 1, "33"));
  append_line (b, line_with ("upper", "x", FALSE, 1, "43"));
  set_mtime (a, 2000000000);
  set_mtime (b, 1000000000);
  set_mtime (upper, 1500000000);
  gauge_test_index_run (fixture->index, FALSE);

  entries = gauge_store_load_entries (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 4);
  /* a.jsonl < b.jsonl: a's copy and timestamp. */
  g_assert_cmpstr (find_entry (entries, 0)->session_id, ==, "a");
  g_assert_cmpint (find_entry (entries, 0)->timestamp_ms % 3600000, ==, 20 * 60000);
  /* b's non-sidechain copy, though a's sidechain one is larger. */
  g_assert_cmpstr (find_entry (entries, 1)->session_id, ==, "b");
  g_assert_cmpint (find_entry (entries, 1)->output_tokens, ==, 1);
  /* The larger total. */
  g_assert_cmpstr (find_entry (entries, 2)->session_id, ==, "b");
  g_assert_cmpint (find_entry (entries, 2)->timestamp_ms % 3600000, ==, 12 * 60000);
  /* Byte order: 'Z' < 'b'. */
  g_assert_cmpstr (find_entry (entries, 3)->session_id, ==, "Z");
  g_assert_cmpint (find_entry (entries, 3)->timestamp_ms % 3600000, ==, 33 * 60000);
}

/* The session comes from the path, not from the lines' sessionId. */
static void
test_session_from_path (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *main_path = session_path (fixture, "s-main.jsonl");
  g_autofree char *agents = g_build_filename (fixture->project, "s-main", "subagents", NULL);
  g_autofree char *nested = g_build_filename (agents, "agent-a1.jsonl", NULL);
  g_autofree char *flat = session_path (fixture, "agent-c3.jsonl");
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (agents, 0700), ==, 0);
  append_line (main_path, line_with ("m1", "field-session", FALSE, 1, "00"));
  append_line (nested, line_with ("m2", "field-session", TRUE, 1, "01"));
  append_line (flat, line_with ("m3", "s-main", TRUE, 1, "02"));
  gauge_test_index_run (fixture->index, FALSE);

  entries = gauge_store_load_entries (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (find_entry (entries, 0)->session_id, ==, "s-main");
  g_assert_cmpstr (find_entry (entries, 1)->session_id, ==, "s-main");
  g_assert_cmpstr (find_entry (entries, 2)->session_id, ==, "agent-c3");
  g_assert_cmpstr (find_entry (entries, 2)->project, ==, "-home-ana-shop");
}

/* Lines ccusage drops (bad counts, no "usage":{ bytes) count for nothing and are not
 * malformed; <synthetic> lines and agent progress mirrors stay out (a deliberate
 * difference for <synthetic>: ccusage counts its zero tokens). */
static void
test_dropped_lines (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");

  append (path,
          "{\"type\":\"assistant\",\"timestamp\":\"2026-11-19T10:00:00.000Z\",\"message\":"
          "{\"id\":\"n1\",\"usage\":{\"input_tokens\":-3,\"output_tokens\":4}}}\n"
          "{\"type\":\"assistant\",\"timestamp\":\"2026-11-19T10:00:00.000Z\",\"message\":"
          "{\"id\":\"n2\",\"usage\":{\"input_tokens\":2.0,\"output_tokens\":4}}}\n"
          "{\"type\":\"assistant\",\"timestamp\":\"2026-11-19T10:00:00.000Z\",\"message\":"
          "{\"id\":\"n3\",\"usage\":{\"output_tokens\":4}}}\n"
          "{\"type\":\"assistant\",\"timestamp\":\"2026-11-19T10:00:00.000Z\",\"message\":"
          "{\"id\":\"n4\",\"usage\": {\"input_tokens\":3,\"output_tokens\":4}}}\n"
          "{\"type\":\"assistant\",\"timestamp\":\"2026-11-19T10:00:00.000Z\",\"message\":"
          "{\"id\":\"n5\",\"model\":\"<synthetic>\",\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}\n"
          "{\"type\":\"progress\",\"timestamp\":\"2026-11-19T10:00:00.000Z\",\"data\":{\"type\":"
          "\"agent_progress\",\"message\":{\"message\":{\"id\":\"n6\",\"usage\":"
          "{\"input_tokens\":3,\"output_tokens\":4}}}}}\n");
  append_line (path, usage_line ("m1", "r1", FALSE, 7, 8, "00"));
  gauge_test_index_run (fixture->index, FALSE);

  g_assert_cmpuint (totals (fixture).n, ==, 1);
  g_assert_cmpint (totals (fixture).input, ==, 7);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 0);
}

/* <synthetic>, lines without usage, and usage inside toolUseResult count for nothing. */
static void
test_validity (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");

  append (path,
          "{\"type\":\"summary\",\"summary\":\"Fix the build\"}\n"
          "{\"type\":\"assistant\",\"timestamp\":\"2026-11-19T10:00:00.000Z\",\"message\":"
          "{\"id\":\"m9\",\"model\":\"<synthetic>\",\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}\n"
          "{\"type\":\"user\",\"timestamp\":\"2026-11-19T10:00:00.000Z\",\"message\":{\"role\":\"user\"},"
          "\"toolUseResult\":{\"usage\":{\"input_tokens\":500,\"output_tokens\":500}}}\n");
  append_line (path, usage_line ("m1", "r1", FALSE, 7, 8, "00"));
  gauge_test_index_run (fixture->index, FALSE);

  g_assert_cmpuint (totals (fixture).n, ==, 1);
  g_assert_cmpint (totals (fixture).input, ==, 7);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 0);
}

static void
test_append_and_unfinished (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");
  g_autofree char *line = usage_line (NULL, NULL, FALSE, 5, 5, "02");
  gsize half = strlen (line) / 2;
  g_autofree char *first = g_strndup (line, half);

  append_line (path, usage_line (NULL, NULL, FALSE, 1, 1, "00"));
  append (path, first);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpuint (totals (fixture).n, ==, 1);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 0);

  /* The writer finishes the line: read once, never as malformed. */
  append (path, line + half);
  append (path, "\n");
  append_line (path, usage_line (NULL, NULL, FALSE, 1, 1, "03"));
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpuint (totals (fixture).n, ==, 3);
  g_assert_cmpint (totals (fixture).input, ==, 7);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 0);

  /* A complete last line without its newline counts now, and not again later. */
  append (path, line);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpuint (totals (fixture).n, ==, 4);
  append (path, "\n");
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpuint (totals (fixture).n, ==, 4);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");
  g_autofree char *line = usage_line ("m1", "r1", FALSE, 5, 5, "02");

  line[strlen (line) - 10] = '\0';
  append (path, line);
  append (path, "\n{\"type\":\"user\",\"message\":{\"content\":\"cut\n");
  append_line (path, usage_line ("m2", "r2", FALSE, 1, 1, "00"));
  gauge_test_index_run (fixture->index, FALSE);

  g_assert_cmpuint (totals (fixture).n, ==, 1);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 2);
}

static glong
peak_rss_kib (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss;
}

/* A line longer than any response (64 MB) is skipped as malformed without holding it all in
 * memory; the lines after it count. Unfinished, it waits for its end like any last line. */
static void
test_huge_line (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");
  g_autofree char *chunk = g_malloc (64 * 1024);
  glong peak_before;
  FILE *file;

  memset (chunk, 'x', 64 * 1024);
  append_line (path, usage_line ("m1", "r1", FALSE, 1, 1, "00"));
  file = fopen (path, "a");
  g_assert_nonnull (file);
  fputs ("{\"type\":\"user\",\"message\":{\"content\":\"", file);
  for (guint i = 0; i < 65 * 16; i++)
    g_assert_cmpuint (fwrite (chunk, 1, 64 * 1024, file), ==, 64 * 1024);
  fclose (file);

  peak_before = peak_rss_kib ();
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpuint (totals (fixture).n, ==, 1);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 0);

  append (path, "\"}}\n");
  append_line (path, usage_line ("m2", "r2", FALSE, 2, 2, "01"));
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpuint (totals (fixture).n, ==, 2);
  g_assert_cmpint (totals (fixture).input, ==, 3);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 1);

#ifndef __SANITIZE_ADDRESS__
  /* The buffer stops at 64 MB; holding the whole line would have doubled it to 128 MB.
   * (AddressSanitizer keeps freed memory in quarantine: no such figure there.) */
  g_assert_cmpint (peak_rss_kib () - peak_before, <, 100 * 1024);
#else
  (void) peak_before;
#endif
}

/* Many lines over two files: lines across the reader's 1 MB reads, one longer than its
 * buffer, several batches per file (each with its own strings), runs of one model and of
 * one response split over lines, a malformed line, and a last line without its newline.
 * Every entry comes back with its own strings, counts and session. */
static void
test_read_batches (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const models[] = { "claude-sonnet-4-5-20250929", "claude-opus-4-5", "m" };
  g_autofree char *first = session_path (fixture, "s-a.jsonl");
  g_autofree char *second = session_path (fixture, "s-b.jsonl");
  /* The winning line's input tokens (its n) → its model. */
  g_autoptr(GHashTable) expected = g_hash_table_new (NULL, NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 input = 0;
  guint n = 0;

  for (guint file = 0; file < 2; file++)
    {
      g_string_truncate (text, 0);
      for (guint i = 0; i < 10000; i++, n++)
        {
          const char *model = models[(i / 700) % G_N_ELEMENTS (models)];
          g_autofree char *msg = g_strdup_printf ("msg_%u", n / 2);
          g_autofree char *req = g_strdup_printf ("req_%u", n / 2);
          /* Some lines carry a long text, so that lines fall across the 1 MB reads at many
           * offsets; one is longer than the whole buffer. */
          g_autofree char *padding = g_strnfill (i == 5000 && file == 0 ? 1536 * 1024
                                                 : i % 97 == 0 ? 200 + i % 4096 : i % 13,
                                                 i == 5000 ? 'x' : 'y');

          /* The two lines of a response: the second, with more tokens, wins. */
          g_string_append_printf (text,
                                  "{\"isSidechain\":false,\"sessionId\":\"field\",\"type\":\"assistant\","
                                  "\"requestId\":\"%s\",\"timestamp\":\"2026-11-19T10:%02u:00.000Z\","
                                  "\"message\":{\"model\":\"%s\",\"id\":\"%s\",\"content\":[{\"type\":"
                                  "\"text\",\"text\":\"%s\"}],\"usage\":{\"input_tokens\":%u,"
                                  "\"output_tokens\":1}}}",
                                  req, i % 60, model, msg, padding, n % 2 == 0 ? 1 : n);
          if (n % 2 == 1)
            {
              g_hash_table_insert (expected, GUINT_TO_POINTER (n), (gpointer) model);
              input += n;
            }
          if (file == 1 && i == 9999)
            break;   /* the file ends without a newline: a whole usage line still counts */
          g_string_append_c (text, '\n');
          if (i == 7777)
            g_string_append (text, "{\"type\":\"user\",\"message\":{\"content\":\"cut\n");
        }
      g_assert_true (g_file_set_contents (file == 0 ? first : second, text->str, text->len,
                                          NULL));
    }
  g_assert_cmpuint (text->len, >, 2 * 1024 * 1024);

  gauge_test_index_run (fixture->index, FALSE);
  /* A pass gives back what it cached: 10,000 entries would be about 1 MB of pages. */
  g_test_message ("sqlite after the pass: %" G_GINT64_FORMAT " bytes",
                  (gint64) sqlite3_memory_used ());
  g_assert_cmpint (sqlite3_memory_used (), <, 400 * 1024);

  entries = gauge_store_load_entries (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, g_hash_table_size (expected));
  for (guint i = 0; i < entries->len; i++)
    {
      GaugeLocalEntry *entry = &g_array_index (entries, GaugeLocalEntry, i);
      gpointer n_key = GUINT_TO_POINTER ((guint) entry->input_tokens);

      g_assert_true (g_hash_table_contains (expected, n_key));
      g_assert_cmpstr (entry->model, ==, g_hash_table_lookup (expected, n_key));
      g_assert_cmpstr (entry->project, ==, "-home-ana-shop");
      g_assert_cmpstr (entry->session_id, ==, entry->input_tokens < 10000 ? "s-a" : "s-b");
      g_hash_table_remove (expected, n_key);
      input -= entry->input_tokens;
    }
  g_assert_cmpint (input, ==, 0);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 2);

  /* Idle, the store gives back the pages it kept: 10,000 entries are several hundred KB. */
  {
    sqlite3_int64 before = sqlite3_memory_used ();

    gauge_store_release_memory (fixture->store);
    g_test_message ("sqlite: %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT " bytes",
                    (gint64) before, (gint64) sqlite3_memory_used ());
    g_assert_cmpint (sqlite3_memory_used (), <, before - 200 * 1024);
  }
}

/* Truncated or replaced files are read again; deleted files' entries stay. */
static void
test_truncate_replace_delete (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");
  g_autofree char *tmp = session_path (fixture, "s1.jsonl.tmp");
  g_autofree char *other = session_path (fixture, "s2.jsonl");

  append_line (path, usage_line ("m1", "r1", FALSE, 1, 1, "00"));
  append_line (path, usage_line (NULL, NULL, FALSE, 2, 2, "01"));
  append_line (path, usage_line (NULL, NULL, FALSE, 4, 4, "02"));
  append_line (other, usage_line ("m9", "r9", FALSE, 100, 100, "05"));
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpint (totals (fixture).input, ==, 107);

  /* Truncated and rewritten shorter: the unkeyed lines are not counted twice. */
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  append_line (path, usage_line ("m1", "r1", FALSE, 1, 1, "00"));
  append_line (path, usage_line (NULL, NULL, FALSE, 2, 2, "01"));
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpuint (totals (fixture).n, ==, 3);
  g_assert_cmpint (totals (fixture).input, ==, 103);

  /* Replaced by a new file (new inode) of the same size and more. */
  append_line (tmp, usage_line ("m1", "r1", FALSE, 1, 1, "00"));
  append_line (tmp, usage_line (NULL, NULL, FALSE, 2, 2, "01"));
  append_line (tmp, usage_line (NULL, NULL, FALSE, 8, 8, "03"));
  g_assert_cmpint (g_rename (tmp, path), ==, 0);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpuint (totals (fixture).n, ==, 4);
  g_assert_cmpint (totals (fixture).input, ==, 111);

  /* Claude Code deletes old transcripts: their entries stay. */
  g_assert_cmpint (g_unlink (other), ==, 0);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpint (totals (fixture).input, ==, 111);
}

static void
test_discovery_list (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *second = g_build_filename (g_get_user_config_dir (), "claude-b", NULL);
  g_autofree char *second_project = g_build_filename (second, "projects", "-home-ana-shop", NULL);
  g_autofree char *nested = g_build_filename (second_project, "s2", "subagents", NULL);
  g_autofree char *list = g_strdup_printf ("%s, %s,,%s", fixture->config_dir, second,
                                           fixture->config_dir);
  g_autofree char *a = session_path (fixture, "s1.jsonl");
  g_autofree char *b = g_build_filename (second_project, "s2.jsonl", NULL);
  g_autofree char *c = g_build_filename (nested, "agent-x.jsonl", NULL);
  g_autofree char *ignored = g_build_filename (second_project, "notes.json", NULL);

  g_assert_cmpint (g_mkdir_with_parents (nested, 0700), ==, 0);
  append_line (a, usage_line ("m1", "r1", FALSE, 1, 1, "00"));
  append_line (b, usage_line ("m2", "r2", FALSE, 10, 1, "00"));
  append_line (c, usage_line ("m3", "r3", TRUE, 100, 1, "00"));
  append_line (ignored, usage_line ("m4", "r4", FALSE, 1000, 1, "00"));

  g_setenv ("CLAUDE_CONFIG_DIR", list, TRUE);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpuint (totals (fixture).n, ==, 3);
  g_assert_cmpint (totals (fixture).input, ==, 111);
}

static void
test_discovery_default (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *xdg = g_build_filename (g_get_home_dir (), ".config", "claude", "projects",
                                           "-home-ana-shop", NULL);
  g_autofree char *classic = g_build_filename (g_get_home_dir (), ".claude", "projects",
                                               "-home-ana-web", NULL);
  g_autofree char *a = g_build_filename (xdg, "s1.jsonl", NULL);
  g_autofree char *b = g_build_filename (classic, "s2.jsonl", NULL);
  g_autoptr(GArray) entries = NULL;
  g_auto(GStrv) dirs = NULL;

  g_unsetenv ("CLAUDE_CONFIG_DIR");
  dirs = gauge_transcript_index_find_project_dirs ();
  g_assert_cmpuint (g_strv_length (dirs), ==, 2);

  g_assert_cmpint (g_mkdir_with_parents (xdg, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (classic, 0700), ==, 0);
  append_line (a, usage_line ("m1", "r1", FALSE, 1, 1, "00"));
  append_line (b, usage_line ("m2", "r2", FALSE, 10, 1, "01"));
  gauge_test_index_run (fixture->index, FALSE);

  entries = gauge_store_load_entries (fixture->store, 0, 0, NULL);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (g_array_index (entries, GaugeLocalEntry, 0).project, ==, "-home-ana-shop");
  g_assert_cmpstr (g_array_index (entries, GaugeLocalEntry, 1).project, ==, "-home-ana-web");
}

/* Lines for the sums: two days, several models, fast mode, costUSD, no model, and the
 * >200k tier (two 150k entries share a quarter hour: their sum is still priced below it). */
static void
write_mixed_history (Fixture *fixture)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");
  static const struct { const char *id, *time, *model, *extra; gint64 input, read; } lines[] = {
    { "a1", "2026-11-19T10:00:00.000Z", "claude-sonnet-4-5-20250929", "", 150000, 10 },
    { "a2", "2026-11-19T10:05:00.000Z", "claude-sonnet-4-5-20250929", "", 150000, 190000 },
    { "a3", "2026-11-19T10:06:00.000Z", "claude-sonnet-4-5-20250929", "", 250000, 20 },
    { "a4", "2026-11-19T10:07:00.000Z", "claude-sonnet-4-5-20250929", "", 10, 300000 },
    { "a5", "2026-11-19T10:08:00.000Z", "claude-opus-4-6", ",\"speed\":\"fast\"", 100, 5 },
    { "a6", "2026-11-19T10:09:00.000Z", "claude-opus-4-6", "", 100, 5 },
    { "a7", "2026-11-19T23:59:00.000Z", "claude-haiku-4-5", "", 40, 0 },
    { "a8", "2026-11-20T00:01:00.000Z", NULL, "", 7, 0 },
    { "a9", "2026-11-20T03:00:00.000Z", "claude-not-a-model-9", "", 11, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autofree char *model = lines[i].model != NULL
                               ? g_strdup_printf ("\"model\":\"%s\",", lines[i].model)
                               : g_strdup ("");

      append_line (path, g_strdup_printf ("{\"type\":\"assistant\",\"requestId\":\"r-%s\","
                                          "\"timestamp\":\"%s\",%s\"message\":{\"id\":\"%s\",%s"
                                          "\"usage\":{\"input_tokens\":%" G_GINT64_FORMAT ","
                                          "\"output_tokens\":3,\"cache_read_input_tokens\":%"
                                          G_GINT64_FORMAT "%s}}}",
                                          lines[i].id, lines[i].time,
                                          i >= 4 && i % 2 == 0 ? "\"costUSD\":0.25," : "", lines[i].id,
                                          model, lines[i].input, lines[i].read, lines[i].extra));
    }
  gauge_test_index_run (fixture->index, FALSE);
}

/* The same report from the sums as from the entries, in every cost mode and a few zones. */
static void
test_sums_reports (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const zones[] = { "UTC", "America/New_York", "Asia/Kolkata" };
  g_autoptr(GaugePricing) pricing = gauge_pricing_new_default (NULL);
  g_autoptr(GStringChunk) strings = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GArray) sums = NULL;
  g_autoptr(GError) error = NULL;

  write_mixed_history (fixture);
  g_assert_cmpuint (totals (fixture).n, ==, 9);

  entries = gauge_store_load_entries (fixture->store, 0, 0, &error);
  g_assert_no_error (error);
  sums = gauge_store_load_entry_sums (fixture->store, 0, 0, &strings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sums->len, <, entries->len);

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    for (GaugeCostMode mode = GAUGE_COST_MODE_AUTO; mode <= GAUGE_COST_MODE_DISPLAY; mode++)
      for (GaugeReportKind kind = GAUGE_REPORT_DAILY; kind <= GAUGE_REPORT_MONTHLY; kind++)
        {
          g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zones[z]);
          GaugeReportParams params = { .time_zone = zone, .mode = mode };
          g_autoptr(GaugeReport) a = gauge_report_new (kind, entries, pricing, &params);
          g_autoptr(GaugeReport) b = gauge_report_new (kind, sums, pricing, &params);
          g_autofree char *text_a = gauge_report_to_text (a, TRUE);
          g_autofree char *text_b = gauge_report_to_text (b, TRUE);

          g_assert_cmpuint (a->rows->len, ==, b->rows->len);
          g_assert_cmpfloat_with_epsilon (a->totals->cost_usd, b->totals->cost_usd, 1e-9);
          /* The unknown model's line has costUSD: only calculating leaves it unpriced. */
          g_assert_cmpuint (a->unpriced_models->len, ==, mode == GAUGE_COST_MODE_CALCULATE);
          g_assert_cmpuint (b->unpriced_models->len, ==, a->unpriced_models->len);
          g_assert_cmpstr (text_a, ==, text_b);
        }
}

/* The entries of tests/data/index-v7.sql, by time: when, session, input and output. */
static const struct
{
  gint64      timestamp_ms;
  const char *session;
  gint64      input;
  gint64      output;
} v7_entries[] = {
  { 1794906000000, "a", 100, 50 },
  { 1794906330000, "b", 20, 70 },
  { 1794906360000, "a", 3, 3 },
  { 1794906600000, "s-main", 30, 30 },
  { 1794906660000, "s-main", 2, 2 },
  { 1795010400000, "a", 40, 40 },
  { 1795010460000, "a", 11, 12 },
  { 1795010520000, "a", 9, 9 },
  { 1795118400000, "a", 250000, 1000 },
  { 1795161600000, "b", 5, 6 },
};

static void
assert_v7_entries (GaugeStore *store)
{
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = gauge_store_load_entries (store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (v7_entries));
  for (guint i = 0; i < entries->len; i++)
    {
      const GaugeLocalEntry *entry = &g_array_index (entries, GaugeLocalEntry, i);

      g_assert_cmpint (entry->timestamp_ms, ==, v7_entries[i].timestamp_ms);
      g_assert_cmpstr (entry->session_id, ==, v7_entries[i].session);
      g_assert_cmpstr (entry->project, ==, "-home-ana-shop");
      g_assert_cmpint (entry->input_tokens, ==, v7_entries[i].input);
      g_assert_cmpint (entry->output_tokens, ==, v7_entries[i].output);
    }
  assert_sums_match (store, entries);
}

/* A database an earlier version wrote: schema 7, whose entries held their ids, session and
 * project as text (tests/data/index-v7.sql, written by that version from the transcripts
 * in tests/data/index-v7/), or the same back at schema 4, before the sums. Opened, it keeps
 * every entry with its session and project, and its sums add up. Reading the transcripts
 * again (copies: other inodes, so read from the start) merges every line into the entry it
 * had: the keys the migration made are those the index makes. */
static void
test_migration (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const transcripts[] = {
    "a.jsonl", "b.jsonl", "s-main/subagents/agent-1.jsonl",
  };
  int from = GPOINTER_TO_INT (data);
  g_autofree char *path = g_strdup (gauge_store_get_path (fixture->store));
  g_autofree char *dump_path = g_test_build_filename (G_TEST_DIST, "data", "index-v7.sql", NULL);
  g_autofree char *agents = g_build_filename (fixture->project, "s-main", "subagents", NULL);
  g_autofree char *dump = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;

  g_clear_object (&fixture->index);
  g_clear_object (&fixture->store);

  g_assert_cmpint (g_mkdir_with_parents (agents, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (transcripts); i++)
    {
      g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "index-v7",
                                                       "projects", "-home-ana-shop",
                                                       transcripts[i], NULL);
      g_autofree char *target = g_build_filename (fixture->project, transcripts[i], NULL);
      g_autofree char *text = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (source, &text, &len, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_set_contents (target, text, len, &error));
      g_assert_no_error (error);
    }

  g_assert_true (g_file_get_contents (dump_path, &dump, NULL, &error));
  g_assert_no_error (error);
  sql = g_string_new (dump);
  g_string_replace (sql, "@CONFIG@", fixture->config_dir, 0);
  if (from == 4)
    g_string_append (sql,
                     "DROP TABLE entry_sums; DROP TABLE readings_hourly;"
                     "DROP TRIGGER readings_hourly_insert; DROP TABLE entry_edits;"
                     "PRAGMA user_version = 4;");
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  fixture->store = gauge_store_new (path);
  assert_v7_entries (fixture->store);

  /* The space the old entries took is given back to the disk. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA freelist_count", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  fixture->index = gauge_transcript_index_new (fixture->store);
  gauge_test_index_run (fixture->index, FALSE);
  assert_v7_entries (fixture->store);
}

/* A Sonnet line whose usage.iterations[] holds an advisor sub-request on Opus 4.8. */
static char *
advisor_line (const char *msg,
              gint64      output,
              gint64      advisor_output,
              const char *minute)
{
  g_autofree char *msg_field = msg ? g_strdup_printf (",\"id\":\"%s\"", msg) : g_strdup ("");
  g_autofree char *req_field = msg ? g_strdup_printf (",\"requestId\":\"r-%s\"", msg) : g_strdup ("");

  return g_strdup_printf ("{\"sessionId\":\"s1\",\"type\":\"assistant\"%s,"
                          "\"timestamp\":\"2026-11-19T10:%s:00.000Z\",\"message\":{\"model\":"
                          "\"claude-sonnet-4-6\"%s,\"usage\":{\"input_tokens\":100,\"output_tokens\":"
                          "%" G_GINT64_FORMAT ",\"iterations\":[{\"type\":\"message\",\"input_tokens\":100,"
                          "\"output_tokens\":%" G_GINT64_FORMAT "},{\"type\":\"advisor_message\","
                          "\"model\":\"claude-opus-4-8\",\"input_tokens\":5000,\"output_tokens\":%"
                          G_GINT64_FORMAT "}]}}}",
                          req_field, minute, msg_field, output, output, advisor_output);
}

/* Input and output tokens per model, and the entries' count. */
static char *
tokens_by_model (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) entries = gauge_store_load_entries (fixture->store, 0, 0, &error);
  g_autoptr(GString) out = g_string_new (NULL);
  gint64 sonnet[2] = { 0, }, opus[2] = { 0, };

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      GaugeLocalEntry *entry = &g_array_index (entries, GaugeLocalEntry, i);
      gint64 *sum = g_strcmp0 (entry->model, "claude-opus-4-8") == 0 ? opus : sonnet;

      sum[0] += entry->input_tokens;
      sum[1] += entry->output_tokens;
    }
  assert_sums_match (fixture->store, entries);
  g_string_printf (out, "%u entries; sonnet %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
                   "; opus %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                   entries->len, sonnet[0], sonnet[1], opus[0], opus[1]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Advisor sub-requests are entries of their own model, deduplicated like their responses:
 * a copy with a larger advisor replaces it, in the same pass or a later one; lines without a
 * message.id are each counted with their advisors. A database written before they were
 * counted (schema 9) reads every transcript again once: the advisors appear, nothing doubles. */
static void
test_advisor_usage (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");
  g_autofree char *db_path = g_strdup (gauge_store_get_path (fixture->store));
  g_autofree char *before = NULL, *after_append = NULL, *old = NULL, *migrated = NULL;
  g_autofree char *again = NULL;
  sqlite3 *db;

  append_line (path, advisor_line ("m1", 1, 1, "00"));
  append_line (path, advisor_line ("m1", 300, 700, "00"));
  append_line (path, advisor_line (NULL, 10, 20, "01"));
  gauge_test_index_run (fixture->index, FALSE);
  before = tokens_by_model (fixture);
  g_assert_cmpstr (before, ==, "4 entries; sonnet 200/310; opus 10000/720");

  append_line (path, advisor_line ("m1", 300, 900, "00"));
  append_line (path, advisor_line ("m1", 300, 5, "00"));
  gauge_test_index_run (fixture->index, FALSE);
  after_append = tokens_by_model (fixture);
  g_assert_cmpstr (after_append, ==, "4 entries; sonnet 200/310; opus 10000/920");

  /* What an earlier version stored: no advisors, schema 9. */
  g_clear_object (&fixture->index);
  g_clear_object (&fixture->store);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  /* The store's last reference may still be let go on a worker thread, whose connection
   * checkpoints as it closes: wait for it rather than fail with SQLITE_BUSY. */
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DELETE FROM entries WHERE model = 'claude-opus-4-8';"
                                 "DELETE FROM entry_sums WHERE model = 'claude-opus-4-8';"
                                 "PRAGMA user_version = 9;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  fixture->store = gauge_store_new (db_path);
  old = tokens_by_model (fixture);
  g_assert_cmpstr (old, ==, "2 entries; sonnet 200/310; opus 0/0");

  fixture->index = gauge_transcript_index_new (fixture->store);
  gauge_test_index_run (fixture->index, FALSE);
  migrated = tokens_by_model (fixture);
  g_assert_cmpstr (migrated, ==, after_append);

  /* Read once: the next pass finds nothing to do. */
  gauge_test_index_run (fixture->index, FALSE);
  again = tokens_by_model (fixture);
  g_assert_cmpstr (again, ==, after_append);
}

static gboolean
has_n_entries (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GArray) entries = gauge_store_load_entries (fixture->store, 0, 0, NULL);

  return entries != NULL && entries->len == 21 && fixture->n_changed >= 2;
}

static gboolean
first_pass_done (gpointer data)
{
  Fixture *fixture = data;

  return fixture->n_changed == 1 && !gauge_transcript_index_get_indexing (fixture->index);
}

/* Live: 20 appended lines are picked up well within a second, without asking. */
static void
test_live (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");
  GString *lines = g_string_new (NULL);
  gint64 start;

  append_line (path, usage_line (NULL, NULL, FALSE, 1, 1, "00"));
  gauge_transcript_index_start (fixture->index);
  gauge_test_wait_until (first_pass_done, fixture, 5000);

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *line = usage_line (NULL, NULL, FALSE, 1, 1, "05");

      g_string_append_printf (lines, "%s\n", line);
    }
  start = g_get_monotonic_time ();
  append (path, lines->str);
  g_string_free (lines, TRUE);

  gauge_test_wait_until (has_n_entries, fixture, 3000);
  g_test_message ("20 lines seen after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

/* The inodes of the folders this process watches with inotify, from /proc/self/fdinfo. */
static GHashTable *
watched_inodes (void)
{
  GHashTable *inodes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fdinfo", 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fdinfo", name, NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          const char *ino = strstr (lines[i], " ino:");

          if (g_str_has_prefix (lines[i], "inotify wd:") && ino != NULL)
            {
              gint64 *value = g_new (gint64, 1);

              *value = (gint64) g_ascii_strtoull (ino + 5, NULL, 16);
              g_hash_table_add (inodes, value);
            }
        }
    }

  return inodes;
}

static gboolean
is_watched (const char *dir)
{
  g_autoptr(GHashTable) inodes = watched_inodes ();
  GStatBuf st;
  gint64 inode;

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  inode = (gint64) st.st_ino;
  return g_hash_table_contains (inodes, &inode);
}

static void
set_tree_mtime (const char *path,
                gint64      seconds)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      set_tree_mtime (child, seconds);
    }
  set_mtime (path, seconds);
}

typedef struct
{
  Fixture *fixture;
  guint    n_entries;
  guint    n_changed;
} Expected;

static gboolean
has_expected (gpointer data)
{
  Expected *expected = data;
  g_autoptr(GArray) entries = gauge_store_load_entries (expected->fixture->store, 0, 0, NULL);

  return entries != NULL && entries->len == expected->n_entries &&
         expected->fixture->n_changed >= expected->n_changed &&
         !gauge_transcript_index_get_indexing (expected->fixture->index);
}

/* A session's folders are watched while it is recent: a long history has thousands of
 * finished ones, and each watch costs memory and one of the user's inotify watches. A
 * session taken up again is watched from its first new line on, so what its sub-agents
 * write next is seen at once. */
static void
test_live_recent_folders (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *old = session_path (fixture, "old.jsonl");
  g_autofree char *old_dir = session_path (fixture, "old");
  g_autofree char *old_agents = g_build_filename (old_dir, "subagents", NULL);
  g_autofree char *old_agent = g_build_filename (old_agents, "agent-a.jsonl", NULL);
  g_autofree char *old_agent2 = g_build_filename (old_agents, "agent-c.jsonl", NULL);
  g_autofree char *new_dir = session_path (fixture, "new");
  g_autofree char *new_agents = g_build_filename (new_dir, "subagents", NULL);
  g_autofree char *new_agent = g_build_filename (new_agents, "agent-b.jsonl", NULL);
  Expected expected = { fixture, 3, 0 };

  g_assert_cmpint (g_mkdir_with_parents (old_agents, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (new_agents, 0700), ==, 0);
  append_line (old, usage_line ("m1", "r1", FALSE, 1, 1, "00"));
  append_line (old_agent, usage_line ("m2", "r2", TRUE, 1, 1, "01"));
  append_line (new_agent, usage_line ("m3", "r3", TRUE, 1, 1, "02"));
  set_tree_mtime (old_dir, g_get_real_time () / G_USEC_PER_SEC - 10 * 24 * 3600);
  set_mtime (old, g_get_real_time () / G_USEC_PER_SEC - 10 * 24 * 3600);

  gauge_transcript_index_start (fixture->index);
  gauge_test_wait_until (has_expected, &expected, 5000);

  g_assert_true (is_watched (fixture->project));
  g_assert_true (is_watched (new_dir));
  g_assert_true (is_watched (new_agents));
  g_assert_false (is_watched (old_dir));
  g_assert_false (is_watched (old_agents));

  /* The old session goes on: its folders are watched from then on. */
  append_line (old, usage_line ("m4", "r4", FALSE, 1, 1, "03"));
  expected.n_entries = 4;
  gauge_test_wait_until (has_expected, &expected, 3000);
  g_assert_true (is_watched (old_dir));
  g_assert_true (is_watched (old_agents));

  /* A sub-agent of it starts: seen within the wait, long before the next rescan (60 s). */
  append_line (old_agent2, usage_line ("m5", "r5", TRUE, 1, 1, "04"));
  expected.n_entries = 5;
  gauge_test_wait_until (has_expected, &expected, 3000);
}

/* Live passes read only the changed files, and count their malformed lines into the total:
 * appended, in a new file, and gone when a file is rewritten without them. */
static void
test_live_malformed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = session_path (fixture, "s1.jsonl");
  g_autofree char *tmp = session_path (fixture, "s1.jsonl.tmp");
  g_autofree char *other = session_path (fixture, "s2.jsonl");
  Expected expected = { fixture, 1, 1 };

  append (path, "{\"type\":\"assistant\",\"message\":{\"usage\":{\"input_tokens\":\n");
  append_line (path, usage_line ("m1", "r1", FALSE, 1, 1, "00"));
  gauge_transcript_index_start (fixture->index);
  gauge_test_wait_until (has_expected, &expected, 5000);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 1);

  append (path, "{\"type\":\"assistant\",\"message\":{\"usage\":{broken\n");
  append_line (path, usage_line ("m2", "r2", FALSE, 1, 1, "01"));
  expected.n_entries = 2;
  expected.n_changed = 2;
  gauge_test_wait_until (has_expected, &expected, 5000);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 2);

  append (other, "{\"type\":\"assistant\",\"message\":{\"usage\":{[\n");
  append_line (other, usage_line ("m3", "r3", FALSE, 1, 1, "02"));
  expected.n_entries = 3;
  expected.n_changed = 3;
  gauge_test_wait_until (has_expected, &expected, 5000);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 3);

  /* s1 rewritten (a new file renamed over it) without its broken lines */
  append_line (tmp, usage_line ("m1", "r1", FALSE, 1, 1, "00"));
  append_line (tmp, usage_line ("m2", "r2", FALSE, 1, 1, "01"));
  append_line (tmp, usage_line ("m4", "r4", FALSE, 1, 1, "03"));
  g_assert_cmpint (g_rename (tmp, path), ==, 0);
  expected.n_entries = 4;
  expected.n_changed = 4;
  gauge_test_wait_until (has_expected, &expected, 5000);
  g_assert_cmpint (gauge_transcript_index_get_n_malformed (fixture->index), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/transcript-index/" name, Fixture, NULL, gauge_test_history_set_up, func, gauge_test_history_tear_down)

  ADD ("dedup/partial", test_dedup_partial);
  ADD ("dedup/sidechain", test_dedup_sidechain);
  ADD ("dedup/no-key", test_no_key);
  ADD ("dedup/tie", test_dedup_tie);
  ADD ("dedup/placeholder", test_dedup_placeholder);
  ADD ("advisor-usage", test_advisor_usage);
  ADD ("session-from-path", test_session_from_path);
  ADD ("dropped-lines", test_dropped_lines);
  ADD ("validity", test_validity);
  ADD ("incremental/append-unfinished", test_append_and_unfinished);
  ADD ("incremental/malformed", test_malformed);
  ADD ("incremental/huge-line", test_huge_line);
  ADD ("incremental/truncate-replace-delete", test_truncate_replace_delete);
  ADD ("read/batches", test_read_batches);
  ADD ("discovery/config-dir-list", test_discovery_list);
  ADD ("discovery/default-dirs", test_discovery_default);
  ADD ("live", test_live);
  ADD ("live/malformed", test_live_malformed);
  ADD ("live/recent-folders", test_live_recent_folders);
  ADD ("sums/reports", test_sums_reports);
  g_test_add ("/transcript-index/migration/from-v4", Fixture, GINT_TO_POINTER (4), gauge_test_history_set_up,
              test_migration, gauge_test_history_tear_down);
  g_test_add ("/transcript-index/migration/from-v7", Fixture, GINT_TO_POINTER (7), gauge_test_history_set_up,
              test_migration, gauge_test_history_tear_down);

  return g_test_run ();
}
