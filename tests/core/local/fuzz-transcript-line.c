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

static void
count_line (const GaugeTranscriptLine *line,
            gpointer                   data)
{
  gint64 *counts = data;

  counts[0]++;
  counts[1] += line->input_tokens + line->output_tokens;
  for (guint i = 0; i < line->n_advisors; i++)
    counts[1] += line->advisors[i].input_tokens + line->advisors[i].output_tokens;
}

/* The input as a buffer of lines: parse_lines (one prefilter search over the whole buffer)
 * takes the same lines, counts the same malformed ones and stops at the same byte as
 * parse_line applied to each line. */
static void
check_lines (GaugeTranscriptParser *parser,
             const char            *data,
             gsize                  size,
             gboolean               at_eof)
{
  gint64 whole[2] = { 0, }, each[2] = { 0, };
  gint64 whole_malformed = 0, each_malformed = 0;
  const char *p = data;
  const char *end = data + size;
  gsize consumed;

  consumed = gauge_transcript_parser_parse_lines (parser, data, size, size, at_eof, count_line,
                                                  whole, &whole_malformed);

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;
      GaugeTranscriptLine line;
      GaugeLineResult result;

      if (newline == NULL && !at_eof)
        break;
      result = gauge_transcript_parser_parse_line (parser, p, line_end - p, end - p, &line);
      if (newline == NULL)
        {
          if (result == GAUGE_LINE_USAGE)
            {
              count_line (&line, each);
              p = end;
            }
          break;
        }
      if (result == GAUGE_LINE_USAGE)
        count_line (&line, each);
      else if (result == GAUGE_LINE_MALFORMED)
        each_malformed++;
      p = newline + 1;
    }

  g_assert_cmpint (whole[0], ==, each[0]);
  g_assert_cmpint (whole[1], ==, each[1]);
  g_assert_cmpint (whole_malformed, ==, each_malformed);
  g_assert_cmpuint (consumed, ==, (gsize) (p - data));
}

/* Any bytes, in place (exact size: the parser must copy) and padded: one of the three
 * results, the same both ways, and views that can be read. Then the same bytes as lines. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GaugeTranscriptParser *parser;
  gsize padding = GAUGE_TRANSCRIPT_PADDING;
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
      g_assert_cmpuint (exact_line.n_advisors, <=, GAUGE_TRANSCRIPT_MAX_ADVISORS);
      for (guint a = 0; a < exact_line.n_advisors; a++)
        {
          const GaugeAdvisorUsage *advisor = &exact_line.advisors[a];

          check_view (advisor->model);
          g_assert_cmpuint (advisor->model.len, >, 0);
          for (gsize i = 0; i < advisor->model.len; i++)
            g_assert (advisor->model.str[i] != '\0' || TRUE);
          g_assert_cmpuint (advisor->ordinal, >, a);
          g_assert_cmpint (advisor->input_tokens, >=, 0);
          g_assert_cmpint (advisor->output_tokens, >=, 0);
        }
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
      g_assert_cmpuint (exact_line.n_advisors, ==, padded_line.n_advisors);
    }

  check_lines (parser, (const char *) data, size, TRUE);
  check_lines (parser, (const char *) data, size, FALSE);

  return 0;
}
