/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The hot path of the transcript index: JSONL in (one line, or a buffer of
 * lines), the fields of each usage line out (api-facts.md §4). A C interface
 * over simdjson's On-Demand API (gauge-transcript-parser.cc); no exception
 * crosses it. A parser is not thread-safe: one per thread, reused across lines.
 */
typedef struct _GaugeTranscriptParser GaugeTranscriptParser;

typedef enum
{
  GAUGE_LINE_NOT_USAGE,   /* valid, but not a usage line (or blank) */
  GAUGE_LINE_USAGE,       /* a usage line: the GaugeTranscriptLine is filled */
  GAUGE_LINE_MALFORMED,   /* not a complete JSON object: cut mid-write, garbage */
} GaugeLineResult;

/* Not nul-terminated; NULL when the field is absent (or not a string). */
typedef struct
{
  const char *str;
  gsize       len;
} GaugeStrView;

/* At most this many advisor iterations of one line are counted (Claude Code writes one). */
#define GAUGE_TRANSCRIPT_MAX_ADVISORS 8

/* An advisor sub-request (an `advisor_message` in message.usage.iterations[]): its own model
 * and tokens, which the line's usage does not include (api-facts.md §6). */
typedef struct
{
  GaugeStrView model;
  guint        ordinal;                   /* among the line's valid advisor iterations, from 1 */
  gint64       input_tokens;
  gint64       output_tokens;
  gint64       cache_creation_5m_tokens;
  gint64       cache_creation_1h_tokens;
  gint64       cache_read_tokens;
} GaugeAdvisorUsage;

/* Views point into the line or the parser and live until its next call. */
typedef struct
{
  gint64       timestamp_ms;   /* UTC */
  GaugeStrView model;
  GaugeStrView session_id;
  GaugeStrView message_id;
  GaugeStrView request_id;
  gboolean     fast;
  gboolean     is_sidechain;
  gint64       input_tokens;
  gint64       output_tokens;
  gint64       cache_creation_5m_tokens;  /* all of cache_creation_input_tokens when not split */
  gint64       cache_creation_1h_tokens;
  gint64       cache_read_tokens;
  double       cost_usd;                  /* NAN when absent */
  const GaugeAdvisorUsage *advisors;      /* owned by the parser */
  guint        n_advisors;
} GaugeTranscriptLine;

typedef void (*GaugeTranscriptLineFunc) (const GaugeTranscriptLine *line,
                                         gpointer                   user_data);

/* How many readable bytes a line needs after its end for the parser to read it in place
 * (without a copy): simdjson's padding, checked in gauge-transcript-parser.cc. */
#define GAUGE_TRANSCRIPT_PADDING 64

GaugeTranscriptParser *gauge_transcript_parser_new         (void);
void                   gauge_transcript_parser_free        (GaugeTranscriptParser  *self);
GaugeLineResult        gauge_transcript_parser_parse_line  (GaugeTranscriptParser  *self,
                                                            const char             *line,
                                                            gsize                   length,
                                                            gsize                   readable,
                                                            GaugeTranscriptLine    *out);
gsize                  gauge_transcript_parser_parse_lines (GaugeTranscriptParser  *self,
                                                            const char             *data,
                                                            gsize                   length,
                                                            gsize                   readable,
                                                            gboolean                at_eof,
                                                            GaugeTranscriptLineFunc func,
                                                            gpointer                user_data,
                                                            gint64                 *n_malformed);
gboolean               gauge_transcript_parse_timestamp    (const char             *text,
                                                            gsize                   length,
                                                            gint64                 *out_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeTranscriptParser, gauge_transcript_parser_free)

G_END_DECLS
