/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "fuzz-transcript-line"

#include "config.h"

#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "gauge-transcript-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_view (GaugeStrView view)
{
  g_assert (view.str != NULL || view.len == 0);
}

/* Any bytes, in place (exact size: the parser must copy) and padded: one of the three
 * results, the same both ways, and views that can be read. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GaugeTranscriptParser *parser;
  gsize padding = gauge_transcript_parser_get_padding ();
  g_autofree char *padded = g_malloc0 (size + padding);
  GaugeTranscriptLine exact_line, padded_line;
  GaugeLineResult exact, in_place;

  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

  if (parser == NULL)
    parser = gauge_transcript_parser_new ();

  exact = gauge_transcript_parser_parse_line (parser, (const char *) data, size, size, &exact_line);
  g_assert (exact == GAUGE_LINE_USAGE || exact == GAUGE_LINE_NOT_USAGE ||
            exact == GAUGE_LINE_MALFORMED);
  if (exact == GAUGE_LINE_USAGE)
    {
      check_view (exact_line.model);
      check_view (exact_line.session_id);
      check_view (exact_line.message_id);
      check_view (exact_line.request_id);
      /* Reading every byte lets AddressSanitizer check the views. */
      for (gsize i = 0; i < exact_line.message_id.len; i++)
        g_assert (exact_line.message_id.str[i] != '\0' || TRUE);
      for (gsize i = 0; i < exact_line.model.len; i++)
        g_assert (exact_line.model.str[i] != '\0' || TRUE);
    }

  memcpy (padded, data, size);
  in_place = gauge_transcript_parser_parse_line (parser, padded, size, size + padding, &padded_line);
  g_assert_cmpint (exact, ==, in_place);
  if (in_place == GAUGE_LINE_USAGE)
    {
      g_assert_cmpint (exact_line.timestamp_ms, ==, padded_line.timestamp_ms);
      g_assert_cmpint (exact_line.input_tokens, ==, padded_line.input_tokens);
      g_assert_cmpint (exact_line.cache_creation_5m_tokens, ==,
                       padded_line.cache_creation_5m_tokens);
    }

  return 0;
}
