/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "gauge-alert-rules.h"
#include "gauge-prompt-cache.h"
#include "gauge-store.h"
#include "gauge-store-prompt-caches.h"

/*
 * Claude Code 2.1.251+'s prompt_cache on the statusline: what is read of it, how the store
 * keeps one row per session (absent fields change nothing, an older run never wins), and the
 * rule that warns before a busy session's cache goes cold. The notification itself, from a
 * real --statusline to a real notification server, is in tests/desktop/test-notifier.c.
 */

#define SESSION "5b0c9e2a-7d41-4f0e-9a51-3c2f1e0d8b77"

static GaugePromptCache *
parse (const char *input,
       gint64      now_unix)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (now_unix);

  return gauge_prompt_cache_new_from_statusline (input, strlen (input), now);
}

static void
test_parse (void)
{
  g_autoptr(GaugePromptCache) cache = NULL;
  g_autoptr(GaugePromptCache) partial = NULL;
  g_autoptr(GaugePromptCache) minutes = NULL;

  cache = parse ("{\"session_id\":\"" SESSION "\",\"cwd\":\"/home/ana/src/other\","
                 "\"workspace\":{\"current_dir\":\"/home/ana/src/shop/web\","
                 "\"project_dir\":\"/home/ana/src/shop\"},"
                 "\"prompt_cache\":{\"warm\":true,\"ttl\":\"1h\",\"expires_at\":1796130000,"
                 "\"hit_ratio\":0.93,\"cache_write_tokens\":120000,"
                 "\"recache_tokens_if_cold\":590000,\"requests\":41,\"misses\":2,"
                 "\"last_miss_cause\":{\"causes\":[\"ttl_expired_5m\"]}}}", 1796129000);
  g_assert_nonnull (cache);
  g_assert_cmpstr (cache->session_id, ==, SESSION);
  g_assert_cmpstr (cache->name, ==, "shop");
  g_assert_cmpint (cache->warm, ==, GAUGE_PROMPT_CACHE_WARM);
  g_assert_cmpint (cache->ttl, ==, 3600);
  g_assert_cmpint (cache->expires_at, ==, 1796130000);
  g_assert_cmpint (cache->recache_tokens, ==, 590000);
  g_assert_cmpint (cache->updated_at, ==, G_GINT64_CONSTANT (1796129000000));

  /* Every field may be absent: unknown, not zero (ISO times too; cwd when no workspace). */
  partial = parse ("{\"session_id\":\"abc\",\"cwd\":\"/srv/api\",\"prompt_cache\":"
                   "{\"expires_at\":\"2026-12-01T10:00:00Z\",\"warm\":\"yes\",\"ttl\":\"2d\"}}",
                   1796129000);
  g_assert_nonnull (partial);
  g_assert_cmpstr (partial->name, ==, "api");
  g_assert_cmpint (partial->warm, ==, GAUGE_PROMPT_CACHE_WARM_UNKNOWN);
  g_assert_cmpint (partial->ttl, ==, 0);
  g_assert_cmpint (partial->recache_tokens, ==, -1);
  g_assert_cmpint (partial->expires_at, ==, 1796119200);

  minutes = parse ("{\"session_id\":\"abc\",\"prompt_cache\":{\"ttl\":\"5m\",\"warm\":false}}",
                   1796129000);
  g_assert_cmpint (minutes->ttl, ==, 300);
  g_assert_cmpint (minutes->warm, ==, GAUGE_PROMPT_CACHE_COLD);
  g_assert_null (minutes->name);

  /* No prompt_cache (before the first request, older Claude Code), no session, not JSON. */
  g_assert_null (parse ("{\"session_id\":\"abc\"}", 1796129000));
  g_assert_null (parse ("{\"session_id\":\"abc\",\"prompt_cache\":null}", 1796129000));
  g_assert_null (parse ("{\"prompt_cache\":{\"warm\":true}}", 1796129000));
  g_assert_null (parse ("{\"session_id\":\"\",\"prompt_cache\":{\"warm\":true}}", 1796129000));
  g_assert_null (parse ("prompt_cache", 1796129000));
  g_assert_null (parse ("[{\"prompt_cache\":{}}]", 1796129000));
}

static void
record (GaugeStore *store,
        const char *input,
        gint64      now_unix)
{
  g_autoptr(GaugePromptCache) cache = parse (input, now_unix);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (cache);
  gauge_store_record_prompt_cache (store, cache, &error);
  g_assert_no_error (error);
}

static GPtrArray *
load (GaugeStore *store,
      gint64      expiring_after)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *caches = gauge_store_load_prompt_caches (store, expiring_after, &error);

  g_assert_no_error (error);
  g_assert_nonnull (caches);
  return caches;
}

static void
test_store (void)
{
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GPtrArray) caches = NULL;
  GaugePromptCache *cache;

  record (store, "{\"session_id\":\"s1\",\"cwd\":\"/a/shop\",\"prompt_cache\":{\"warm\":true,"
          "\"ttl\":\"1h\",\"expires_at\":1796130000,\"recache_tokens_if_cold\":590000}}",
          1796126400);
  /* Later, without recache_tokens_if_cold or a folder: the known ones stay. */
  record (store, "{\"session_id\":\"s1\",\"prompt_cache\":{\"warm\":true,\"ttl\":\"1h\","
          "\"expires_at\":1796131000}}", 1796127400);
  /* A run that started earlier and finished last (Claude Code cancels runs) loses. */
  record (store, "{\"session_id\":\"s1\",\"prompt_cache\":{\"warm\":false,"
          "\"expires_at\":1796129999,\"recache_tokens_if_cold\":1}}", 1796127000);
  record (store, "{\"session_id\":\"s2\",\"cwd\":\"/a/api\",\"prompt_cache\":{\"warm\":true,"
          "\"ttl\":\"5m\",\"expires_at\":1796127700,\"recache_tokens_if_cold\":80000}}",
          1796127400);

  caches = load (store, 1796127400);
  g_assert_cmpuint (caches->len, ==, 2);
  cache = g_ptr_array_index (caches, 0);
  g_assert_cmpstr (cache->session_id, ==, "s2");
  cache = g_ptr_array_index (caches, 1);
  g_assert_cmpstr (cache->session_id, ==, "s1");
  g_assert_cmpstr (cache->name, ==, "shop");
  g_assert_cmpint (cache->warm, ==, GAUGE_PROMPT_CACHE_WARM);
  g_assert_cmpint (cache->ttl, ==, 3600);
  g_assert_cmpint (cache->expires_at, ==, 1796131000);
  g_assert_cmpint (cache->recache_tokens, ==, 590000);
  g_clear_pointer (&caches, g_ptr_array_unref);

  /* Only caches still to go cold are read. */
  caches = load (store, 1796128000);
  g_assert_cmpuint (caches->len, ==, 1);
  g_clear_pointer (&caches, g_ptr_array_unref);

  /* Two days later, a write drops the sessions not heard of since. */
  record (store, "{\"session_id\":\"s3\",\"prompt_cache\":{\"expires_at\":1796400000}}",
          1796127400 + 2 * 86400 + 1);
  caches = load (store, 0);
  g_assert_cmpuint (caches->len, ==, 1);
  g_assert_cmpstr (((GaugePromptCache *) g_ptr_array_index (caches, 0))->session_id, ==, "s3");
}

static GaugePromptCache *
cache_new (const char *session,
           const char *name,
           GaugePromptCacheWarmth warm,
           gint64      ttl,
           gint64      expires_at,
           gint64      tokens)
{
  GaugePromptCache *cache = g_new0 (GaugePromptCache, 1);

  cache->session_id = g_strdup (session);
  cache->name = g_strdup (name);
  cache->warm = warm;
  cache->ttl = ttl;
  cache->expires_at = expires_at;
  cache->recache_tokens = tokens;
  return cache;
}

static gboolean
is_in (const char *key,
       gpointer    data)
{
  return g_hash_table_contains (data, key);
}

static void
test_rule (void)
{
  /* 15:30 UTC; the shop's 1-hour cache expires at 15:42. */
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 7, 15, 30, 0);
  gint64 t = g_date_time_to_unix (now);
  g_autoptr(GPtrArray) caches = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                gauge_prompt_cache_free);
  g_autoptr(GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GaugePromptCacheInput input = { .now = now, .is_sent = is_in, .is_sent_data = sent };
  g_autoptr(GPtrArray) off = NULL;
  g_autoptr(GPtrArray) early = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) muted = NULL;
  GaugeAlert *alert;

  g_ptr_array_add (caches, cache_new (SESSION, "shop", GAUGE_PROMPT_CACHE_WARM, 3600,
                                      t + 12 * 60, 590000));
  /* Not warned about: a re-write too small to matter, a cold cache, unknown warmth, an
   * unknown cost, one already gone cold, one further away than the minutes. */
  g_ptr_array_add (caches, cache_new ("small", "tiny", GAUGE_PROMPT_CACHE_WARM, 300, t + 60,
                                      GAUGE_PROMPT_CACHE_BUSY_TOKENS - 1));
  g_ptr_array_add (caches, cache_new ("cold", "cold", GAUGE_PROMPT_CACHE_COLD, 300, t + 60,
                                      900000));
  g_ptr_array_add (caches, cache_new ("unknown", "u", GAUGE_PROMPT_CACHE_WARM_UNKNOWN, 300,
                                      t + 60, 900000));
  g_ptr_array_add (caches, cache_new ("nocost", "n", GAUGE_PROMPT_CACHE_WARM, 300, t + 60, -1));
  g_ptr_array_add (caches, cache_new ("gone", "g", GAUGE_PROMPT_CACHE_WARM, 300, t, 900000));
  g_ptr_array_add (caches, cache_new ("far", "f", GAUGE_PROMPT_CACHE_WARM, 3600, t + 50 * 60,
                                      900000));
  /* A 5-minute cache without a folder: named by its session. */
  g_ptr_array_add (caches, cache_new ("0a1b2c3d4e5f", NULL, GAUGE_PROMPT_CACHE_WARM, 300,
                                      t + 4 * 60, 64000));
  input.caches = caches;

  /* Off by default. */
  off = gauge_alert_rules_evaluate_prompt_caches (&input);
  g_assert_cmpuint (off->len, ==, 0);

  input.minutes = 5;
  early = gauge_alert_rules_evaluate_prompt_caches (&input);
  g_assert_cmpuint (early->len, ==, 1);
  alert = g_ptr_array_index (early, 0);
  g_assert_cmpstr (alert->body, ==,
                   "Session 0a1b2c3d: the 5-minute cache expires at 15:34; the next message "
                   "then re-writes ~64k tokens.");
  g_hash_table_add (sent, g_strdup (alert->key));

  input.minutes = 15;
  alerts = gauge_alert_rules_evaluate_prompt_caches (&input);
  g_assert_cmpuint (alerts->len, ==, 1);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpint (alert->rule, ==, GAUGE_ALERT_PROMPT_CACHE);
  g_assert_cmpstr (alert->title, ==, "Prompt cache about to go cold");
  g_assert_cmpstr (alert->body, ==,
                   "Session shop: the 1-hour cache expires at 15:42; the next message then "
                   "re-writes ~590k tokens.");
  g_assert_false (alert->muted);
  g_hash_table_add (sent, g_strdup (alert->key));

  /* Never twice for the same expiry. */
  again = gauge_alert_rules_evaluate_prompt_caches (&input);
  g_assert_cmpuint (again->len, ==, 0);

  /* Within "Mute until": returned to be remembered, not shown. */
  g_hash_table_remove_all (sent);
  input.mute_until_unix = t + 3600;
  muted = gauge_alert_rules_evaluate_prompt_caches (&input);
  g_assert_cmpuint (muted->len, ==, 2);
  g_assert_true (((GaugeAlert *) g_ptr_array_index (muted, 0))->muted);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/prompt-cache/parse", test_parse);
  g_test_add_func ("/prompt-cache/store", test_store);
  g_test_add_func ("/prompt-cache/rule", test_rule);

  return g_test_run ();
}
