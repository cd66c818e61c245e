/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-statusline-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-json.h"
#include "gauge-statusline-session.h"
#include "gauge-store-entries.h"

/* Longer than any id Claude Code writes (a UUID), or path on Linux. */
#define MAX_SESSION_ID 256
#define MAX_PATH       4096

/* An id names a transcript file: no separators, nothing a path could climb with. */
static gboolean
is_session_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_SESSION_ID || g_str_equal (id, ".") || g_str_equal (id, ".."))
    return FALSE;
  for (const char *c = id; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_' && *c != '.')
      return FALSE;
  return TRUE;
}

static gboolean
is_transcript_path (const char *path)
{
  return strlen (path) < MAX_PATH && g_path_is_absolute (path) &&
         g_str_has_suffix (path, ".jsonl") && g_utf8_validate (path, -1, NULL);
}

/**
 * gauge_statusline_session_read:
 * @input: what came on the statusline's stdin (bounded by the caller)
 * @session: (out caller-allocates): its `session_id` and `transcript_path`, each %NULL when
 *   absent or not what it should be (a bare id; an absolute path to a .jsonl)
 *
 * Anything else in the input (or input that is no JSON) is left to its own readers.
 */
void
gauge_statusline_session_read (const char             *input,
                               gsize                   length,
                               GaugeStatuslineSession *session)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *id, *path;
  JsonObject *object;

  g_return_if_fail (input != NULL);
  g_return_if_fail (session != NULL);

  session->session_id = NULL;
  session->transcript_path = NULL;

  root = gauge_json_parse (input, length, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);

  id = gauge_json_get_string (object, "session_id");
  if (id != NULL && is_session_id (id))
    session->session_id = g_strdup (id);
  path = gauge_json_get_string (object, "transcript_path");
  if (path != NULL && is_transcript_path (path))
    session->transcript_path = g_strdup (path);
}

void
gauge_statusline_session_clear (GaugeStatuslineSession *session)
{
  g_clear_pointer (&session->session_id, g_free);
  g_clear_pointer (&session->transcript_path, g_free);
}

/**
 * gauge_statusline_session_cost:
 * @cost: (out): USD, of the entries with a known price
 *
 * What the session's transcripts (its sub-agents' too) cost so far, from the index's sums
 * per session (a few rows, whatever the session's length: the statusline runs after every
 * message). Each sum is priced as its entries would be: the >200k tier stays per entry.
 *
 * Returns: %FALSE when nothing of the session has a price (no entries, or only unpriced
 *   models; @error unset) or the store failed (@error set)
 */
gboolean
gauge_statusline_session_cost (GaugeStore    *store,
                               GaugePricing  *pricing,
                               GaugeCostMode  mode,
                               const char    *session_id,
                               double        *cost,
                               GError       **error)
{
  g_autoptr(GArray) sums = NULL;
  GStringChunk *strings = NULL;
  gboolean priced = FALSE;
  double total = 0;

  g_return_val_if_fail (GAUGE_IS_STORE (store), FALSE);
  g_return_val_if_fail (GAUGE_IS_PRICING (pricing), FALSE);
  g_return_val_if_fail (session_id != NULL, FALSE);
  g_return_val_if_fail (cost != NULL, FALSE);

  sums = gauge_store_load_session_sums (store, session_id, &strings, error);
  if (sums == NULL)
    return FALSE;

  for (guint i = 0; i < sums->len; i++)
    {
      double sum_cost;

      if (gauge_pricing_entry_cost (pricing, &g_array_index (sums, GaugeLocalEntry, i), mode,
                                    &sum_cost))
        {
          total += sum_cost;
          priced = TRUE;
        }
    }

  g_clear_pointer (&sums, g_array_unref);
  g_string_chunk_free (strings);

  *cost = total;
  return priced;
}
