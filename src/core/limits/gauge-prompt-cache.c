/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-prompt-cache"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-format.h"
#include "gauge-json.h"
#include "gauge-prompt-cache.h"

void
gauge_prompt_cache_free (GaugePromptCache *cache)
{
  if (cache == NULL)
    return;

  g_free (cache->session_id);
  g_free (cache->name);
  g_free (cache);
}

/* "1h", "5m", "300s" or a number of seconds. Returns: 0 when it is none of them */
static gint64
read_ttl (JsonObject *object)
{
  const char *text = gauge_json_get_string (object, "ttl");
  double seconds;
  guint64 value;
  char *end = NULL;

  if (text == NULL)
    return gauge_json_get_number (object, "ttl", &seconds) && seconds > 0 && seconds <= 86400
           ? (gint64) seconds : 0;

  value = g_ascii_strtoull (text, &end, 10);
  if (end == text || value == 0 || value > 86400)
    return 0;

  if (g_str_equal (end, "h"))
    value *= 3600;
  else if (g_str_equal (end, "m"))
    value *= 60;
  else if (!g_str_equal (end, "s") && *end != '\0')
    return 0;

  return value <= 86400 ? (gint64) value : 0;
}

/* The project the session works in, by its folder's name: what the user calls it. */
static char *
read_name (JsonObject *root)
{
  JsonObject *workspace = gauge_json_get_object (root, "workspace");
  const char *dir = NULL;
  g_autofree char *base = NULL;

  if (workspace != NULL)
    dir = gauge_json_get_string (workspace, "project_dir");
  if (dir == NULL && workspace != NULL)
    dir = gauge_json_get_string (workspace, "current_dir");
  if (dir == NULL)
    dir = gauge_json_get_string (root, "cwd");
  if (dir == NULL)
    return NULL;

  base = g_path_get_basename (dir);
  if (g_str_equal (base, G_DIR_SEPARATOR_S) || g_str_equal (base, "."))
    return NULL;

  return gauge_format_clean_text (base, FALSE);
}

/**
 * gauge_prompt_cache_new_from_statusline:
 * @input: Claude Code's statusline JSON
 * @now: when it came
 *
 * Returns: (transfer full) (nullable): the session's prompt cache, or %NULL when the input
 *   has none (Claude Code before 2.1.251, a session before its first request) or no session
 */
GaugePromptCache *
gauge_prompt_cache_new_from_statusline (const char *input,
                                        gsize       length,
                                        GDateTime  *now)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autofree char *session_id = NULL;
  GaugePromptCache *cache;
  JsonObject *object;
  JsonObject *prompt_cache;
  JsonNode *warm;
  double tokens;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  root = gauge_json_parse (input, length, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  prompt_cache = gauge_json_get_object (object, "prompt_cache");
  session_id = gauge_format_clean_text (gauge_json_get_string (object, "session_id"), FALSE);
  if (prompt_cache == NULL || session_id == NULL || *session_id == '\0')
    return NULL;

  cache = g_new0 (GaugePromptCache, 1);
  cache->session_id = g_steal_pointer (&session_id);
  cache->name = read_name (object);
  cache->ttl = read_ttl (prompt_cache);
  cache->updated_at = g_date_time_to_unix (now) * 1000 + g_date_time_get_microsecond (now) / 1000;

  warm = gauge_json_get_member (prompt_cache, "warm");
  if (warm != NULL && JSON_NODE_HOLDS_VALUE (warm) &&
      json_node_get_value_type (warm) == G_TYPE_BOOLEAN)
    cache->warm = json_node_get_boolean (warm) ? GAUGE_PROMPT_CACHE_WARM : GAUGE_PROMPT_CACHE_COLD;
  else
    cache->warm = GAUGE_PROMPT_CACHE_WARM_UNKNOWN;

  if ((expires_at = gauge_json_get_time (prompt_cache, "expires_at")) != NULL)
    cache->expires_at = g_date_time_to_unix (expires_at);

  if (gauge_json_get_number (prompt_cache, "recache_tokens_if_cold", &tokens) && tokens >= 0)
    cache->recache_tokens = (gint64) tokens;
  else
    cache->recache_tokens = -1;

  return cache;
}
