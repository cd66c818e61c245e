/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-transcript-parser"

#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "gauge-transcript-parser.h"

/* A usage line as Claude Code writes it; %s slots: sidechain, message fields, usage, extra. */
#define LINE(sidechain, message, usage, extra) \
  "{\"parentUuid\":\"p\",\"isSidechain\":" sidechain ",\"sessionId\":\"sess-1\"," \
  "\"type\":\"assistant\",\"requestId\":\"req_1\",\"timestamp\":\"2026-11-19T10:42:07.318Z\"" extra "," \
  "\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\"" message "," \
  "\"content\":[{\"type\":\"text\",\"text\":\"usage \\\"usage\\\" {\"}],\"usage\":" usage "}}"

#define USAGE_SPLIT "{\"input_tokens\":6,\"cache_creation_input_tokens\":2104,\"cache_read_input_tokens\":48211," \
  "\"output_tokens\":913,\"cache_creation\":{\"ephemeral_5m_input_tokens\":2000,\"ephemeral_1h_input_tokens\":104}}"
#define USAGE_FLAT "{\"input_tokens\":6,\"cache_creation_input_tokens\":2104,\"cache_read_input_tokens\":48211," \
  "\"output_tokens\":913}"
#define SONNET ",\"model\":\"claude-sonnet-4-5-20250929\""

static GaugeLineResult
parse (const char          *text,
       GaugeTranscriptLine *out)
{
  static GaugeTranscriptParser *parser;

  if (parser == NULL)
    parser = gauge_transcript_parser_new ();

  /* Exact size: the parser must not read past it (AddressSanitizer checks). */
  return gauge_transcript_parser_parse_line (parser, text, strlen (text), strlen (text), out);
}

static char *
view (GaugeStrView v)
{
  return v.str != NULL ? g_strndup (v.str, v.len) : NULL;
}

static void
test_usage_line (void)
{
  GaugeTranscriptLine line;
  g_autofree char *model = NULL, *message_id = NULL, *request_id = NULL, *session = NULL;

  g_assert_cmpint (parse (LINE ("false", SONNET, USAGE_SPLIT, ""), &line), ==, GAUGE_LINE_USAGE);
  model = view (line.model);
  message_id = view (line.message_id);
  request_id = view (line.request_id);
  session = view (line.session_id);
  g_assert_cmpstr (model, ==, "claude-sonnet-4-5-20250929");
  g_assert_cmpstr (message_id, ==, "msg_1");
  g_assert_cmpstr (request_id, ==, "req_1");
  g_assert_cmpstr (session, ==, "sess-1");
  g_assert_cmpint (line.timestamp_ms, ==, G_GINT64_CONSTANT (1795084927318));
  g_assert_false (line.is_sidechain);
  g_assert_false (line.fast);
  g_assert_true (isnan (line.cost_usd));
  g_assert_cmpint (line.input_tokens, ==, 6);
  g_assert_cmpint (line.output_tokens, ==, 913);
  g_assert_cmpint (line.cache_read_tokens, ==, 48211);
}

/* cache creation = ephemeral_5m + ephemeral_1h when the object exists, else the flat field. */
static void
test_cache_creation (void)
{
  GaugeTranscriptLine line;

  g_assert_cmpint (parse (LINE ("false", SONNET, USAGE_SPLIT, ""), &line), ==, GAUGE_LINE_USAGE);
  g_assert_cmpint (line.cache_creation_5m_tokens, ==, 2000);
  g_assert_cmpint (line.cache_creation_1h_tokens, ==, 104);

  g_assert_cmpint (parse (LINE ("false", SONNET, USAGE_FLAT, ""), &line), ==, GAUGE_LINE_USAGE);
  g_assert_cmpint (line.cache_creation_5m_tokens, ==, 2104);
  g_assert_cmpint (line.cache_creation_1h_tokens, ==, 0);
}

static void
test_flags (void)
{
  GaugeTranscriptLine line;

  /* ccusage reads fast mode only from message.usage.speed: message.speed counts for nothing. */
  g_assert_cmpint (parse (LINE ("true", SONNET ",\"speed\":\"fast\"", USAGE_FLAT, ",\"costUSD\":0.25"),
                          &line), ==, GAUGE_LINE_USAGE);
  g_assert_true (line.is_sidechain);
  g_assert_false (line.fast);
  g_assert_cmpfloat (line.cost_usd, ==, 0.25);

  /* Claude Code 2.1 writes speed inside usage. */
  g_assert_cmpint (parse (LINE ("false", SONNET,
                                "{\"input_tokens\":1,\"output_tokens\":2,\"speed\":\"fast\"}", ""),
                          &line), ==, GAUGE_LINE_USAGE);
  g_assert_true (line.fast);
  g_assert_cmpint (parse (LINE ("false", SONNET,
                                "{\"input_tokens\":1,\"output_tokens\":2,\"speed\":\"standard\"}", ""),
                          &line), ==, GAUGE_LINE_USAGE);
  g_assert_false (line.fast);
}

/* Advisor sub-requests in usage.iterations[]: their own model and tokens, numbered among the
 * valid ones; the line's own usage is what it was. */
static void
test_advisors (void)
{
  GaugeTranscriptLine line;
  g_autofree char *first = NULL, *second = NULL;

  g_assert_cmpint (parse (LINE ("false", SONNET,
                                "{\"input_tokens\":1000,\"output_tokens\":1000,\"iterations\":["
                                "{\"type\":\"message\",\"input_tokens\":1000,\"output_tokens\":1000},"
                                "{\"type\":\"advisor_message\",\"model\":\"claude-opus-4-8\","
                                "\"input_tokens\":5000,\"output_tokens\":2000,"
                                "\"cache_read_input_tokens\":300,\"cache_creation\":"
                                "{\"ephemeral_5m_input_tokens\":100,\"ephemeral_1h_input_tokens\":300}},"
                                "{\"type\":\"advisor_message\",\"input_tokens\":1,\"output_tokens\":1},"
                                "{\"type\":\"advisor_message\",\"model\":\"x\",\"input_tokens\":2.0,"
                                "\"output_tokens\":1},"
                                "{\"type\":\"advisor_message\",\"model\":\"x\",\"input_tokens\":2},"
                                "{\"type\":\"fallback_message\",\"model\":\"x\",\"input_tokens\":2,"
                                "\"output_tokens\":2},null,[],"
                                "{\"type\":\"advisor_message\",\"model\":\"claude-fable-5\","
                                "\"input_tokens\":7,\"output_tokens\":8,\"cache_creation_input_tokens\":9}]}",
                                ""), &line), ==, GAUGE_LINE_USAGE);
  g_assert_cmpint (line.input_tokens, ==, 1000);
  g_assert_cmpint (line.output_tokens, ==, 1000);
  g_assert_cmpuint (line.n_advisors, ==, 2);
  first = view (line.advisors[0].model);
  g_assert_cmpstr (first, ==, "claude-opus-4-8");
  g_assert_cmpuint (line.advisors[0].ordinal, ==, 1);
  g_assert_cmpint (line.advisors[0].input_tokens, ==, 5000);
  g_assert_cmpint (line.advisors[0].output_tokens, ==, 2000);
  g_assert_cmpint (line.advisors[0].cache_read_tokens, ==, 300);
  g_assert_cmpint (line.advisors[0].cache_creation_5m_tokens, ==, 100);
  g_assert_cmpint (line.advisors[0].cache_creation_1h_tokens, ==, 300);
  second = view (line.advisors[1].model);
  g_assert_cmpstr (second, ==, "claude-fable-5");
  g_assert_cmpuint (line.advisors[1].ordinal, ==, 2);
  g_assert_cmpint (line.advisors[1].cache_creation_5m_tokens, ==, 9);

  /* No iterations, iterations that are no list: no advisors, the line as before. */
  g_assert_cmpint (parse (LINE ("false", SONNET, USAGE_FLAT, ""), &line), ==, GAUGE_LINE_USAGE);
  g_assert_cmpuint (line.n_advisors, ==, 0);
  g_assert_cmpint (parse (LINE ("false", SONNET,
                                "{\"input_tokens\":1,\"output_tokens\":2,\"iterations\":{}}", ""),
                          &line), ==, GAUGE_LINE_USAGE);
  g_assert_cmpuint (line.n_advisors, ==, 0);
  g_assert_cmpint (line.output_tokens, ==, 2);

  /* An iterations list cut short is a malformed line. */
  g_assert_cmpint (parse ("{\"timestamp\":\"2026-11-19T10:42:07.318Z\",\"message\":{\"usage\":"
                          "{\"input_tokens\":1,\"output_tokens\":2,\"iterations\":[{\"type\":", &line),
                   ==, GAUGE_LINE_MALFORMED);
}

static void
test_not_usage (void)
{
  GaugeTranscriptLine line;

  /* Locally generated error lines. */
  g_assert_cmpint (parse (LINE ("false", ",\"model\":\"<synthetic>\"",
                                "{\"input_tokens\":0,\"output_tokens\":0}", ""), &line),
                   ==, GAUGE_LINE_NOT_USAGE);
  /* A user line whose toolUseResult carries a usage object: not a usage line. */
  g_assert_cmpint (parse ("{\"type\":\"user\",\"timestamp\":\"2026-11-19T10:42:07.318Z\","
                          "\"message\":{\"role\":\"user\",\"content\":\"x\"},"
                          "\"toolUseResult\":{\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}}",
                          &line), ==, GAUGE_LINE_NOT_USAGE);
  /* Agent progress mirrors: usage nested below data, not at message.usage. */
  g_assert_cmpint (parse ("{\"type\":\"progress\",\"timestamp\":\"2026-11-19T10:42:07.318Z\","
                          "\"data\":{\"message\":{\"message\":{\"id\":\"m\",\"usage\":"
                          "{\"input_tokens\":5,\"output_tokens\":7}}}}}", &line),
                   ==, GAUGE_LINE_NOT_USAGE);
  /* No usage at all, no timestamp, a timestamp without a zone, tokens of the wrong type. */
  g_assert_cmpint (parse ("{\"type\":\"summary\",\"summary\":\"x\"}", &line), ==,
                   GAUGE_LINE_NOT_USAGE);
  g_assert_cmpint (parse ("{\"message\":{\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}}", &line),
                   ==, GAUGE_LINE_NOT_USAGE);
  g_assert_cmpint (parse ("{\"timestamp\":\"2026-11-19T10:42:07\",\"message\":{\"usage\":"
                          "{\"input_tokens\":1,\"output_tokens\":2}}}", &line),
                   ==, GAUGE_LINE_NOT_USAGE);
  g_assert_cmpint (parse ("{\"timestamp\":\"2026-11-19T10:42:07Z\",\"message\":{\"usage\":"
                          "{\"input_tokens\":\"1\",\"output_tokens\":2}}}", &line),
                   ==, GAUGE_LINE_NOT_USAGE);
  g_assert_cmpint (parse ("", &line), ==, GAUGE_LINE_NOT_USAGE);
  g_assert_cmpint (parse ("  \r", &line), ==, GAUGE_LINE_NOT_USAGE);
}

/* No cut of a usage line is a usage line with wrong numbers: once the cut keeps the usage
 * key it is malformed. (Before it, only the shape of the line is checked: a cut right
 * after a `}` passes as a line without usage, which counts for nothing either way.) */
/* ccusage drops a line whose counts are not non-negative integers, or that lacks input or
 * output tokens: not a usage line, and not malformed either. */
static void
test_bad_counts (void)
{
  static const char * const bad[] = {
    "{\"input_tokens\":-1,\"output_tokens\":2}",
    "{\"input_tokens\":1,\"output_tokens\":2.0}",
    "{\"input_tokens\":1.5,\"output_tokens\":2}",
    "{\"input_tokens\":\"1\",\"output_tokens\":2}",
    "{\"input_tokens\":1,\"output_tokens\":\"2\"}",
    "{\"input_tokens\":null,\"output_tokens\":2}",
    "{\"output_tokens\":2}",
    "{\"input_tokens\":1}",
    "{\"input_tokens\":1,\"output_tokens\":2,\"cache_read_input_tokens\":-5}",
    "{\"input_tokens\":1,\"output_tokens\":2,\"cache_creation_input_tokens\":3.0}",
    "{\"input_tokens\":1,\"output_tokens\":2,\"cache_read_input_tokens\":\"7\"}",
  };
  GaugeTranscriptLine line;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf (LINE ("false", SONNET, "%s", ""), bad[i]);

      g_test_message ("%s", bad[i]);
      g_assert_cmpint (parse (text, &line), ==, GAUGE_LINE_NOT_USAGE);
    }

  g_assert_cmpint (parse (LINE ("false", SONNET,
                                "{\"input_tokens\":0,\"output_tokens\":0,\"cache_read_input_tokens\":0}",
                                ""), &line), ==, GAUGE_LINE_USAGE);
}

/* ccusage's prefilter: only lines with the exact bytes "usage":{ are usage lines. */
static void
test_prefilter (void)
{
  GaugeTranscriptLine line;

  g_assert_cmpint (parse ("{\"timestamp\":\"2026-11-19T10:42:07Z\",\"message\":{\"usage\":"
                          "{\"input_tokens\":1,\"output_tokens\":2}}}", &line),
                   ==, GAUGE_LINE_USAGE);
  g_assert_cmpint (parse ("{\"timestamp\":\"2026-11-19T10:42:07Z\",\"message\":{\"usage\": "
                          "{\"input_tokens\":1,\"output_tokens\":2}}}", &line),
                   ==, GAUGE_LINE_NOT_USAGE);
  g_assert_cmpint (parse ("{\"timestamp\":\"2026-11-19T10:42:07Z\", \"message\" : { \"usage\" : "
                          "{\"input_tokens\":1,\"output_tokens\":2}}}", &line),
                   ==, GAUGE_LINE_NOT_USAGE);
}

static void
test_truncated (void)
{
  const char *full = LINE ("false", SONNET, USAGE_SPLIT, "");
  gsize length = strlen (full);

  for (gsize cut = 1; cut < length; cut++)
    {
      g_autofree char *prefix = g_strndup (full, cut);
      GaugeTranscriptLine line;
      GaugeLineResult result = parse (prefix, &line);

      if (result == GAUGE_LINE_USAGE ||
          (strstr (prefix, "\"usage\"") != NULL && result != GAUGE_LINE_MALFORMED))
        g_error ("a line cut at %" G_GSIZE_FORMAT " gave %d", cut, result);
    }

  g_assert_cmpint (parse (full, (GaugeTranscriptLine[1]) { 0 }), ==, GAUGE_LINE_USAGE);
}

static void
test_malformed (void)
{
  GaugeTranscriptLine line;

  g_assert_cmpint (parse ("not json at all", &line), ==, GAUGE_LINE_MALFORMED);
  g_assert_cmpint (parse ("{\"type\":\"user\",\"message\":{\"content\":\"cut her", &line),
                   ==, GAUGE_LINE_MALFORMED);
  g_assert_cmpint (parse ("[\"usage\"]", &line), ==, GAUGE_LINE_MALFORMED);
  g_assert_cmpint (parse ("{\"usage\":1} trailing", &line), ==, GAUGE_LINE_MALFORMED);
  g_assert_cmpint (parse ("{\"usage\":{ \xff\xfe}}", &line), ==, GAUGE_LINE_MALFORMED);
}

/* What gauge_transcript_parser_parse_lines() reports for one buffer. */
typedef struct
{
  GString *usage;      /* one summary line per usage line taken */
  gint64   malformed;
  gsize    consumed;
} Lines;

static void
summarize_line (const GaugeTranscriptLine *line,
                gpointer                   data)
{
  GString *usage = data;

  g_string_append_printf (usage, "%" G_GINT64_FORMAT " %.*s %.*s %" G_GINT64_FORMAT
                          " %" G_GINT64_FORMAT "\n",
                          line->timestamp_ms, (int) line->model.len,
                          line->model.str != NULL ? line->model.str : "",
                          (int) line->message_id.len,
                          line->message_id.str != NULL ? line->message_id.str : "",
                          line->input_tokens, line->output_tokens);
}

/* Through parse_lines, from a buffer of exactly @length bytes (AddressSanitizer checks that
 * nothing past it is read: lines at its end must be copied to be padded). */
static void
parse_buffer (const char *text,
              gsize       length,
              gboolean    at_eof,
              Lines      *out)
{
  static GaugeTranscriptParser *parser;
  g_autofree char *exact = g_malloc (MAX (length, 1));

  if (parser == NULL)
    parser = gauge_transcript_parser_new ();

  memcpy (exact, text, length);
  out->usage = g_string_new (NULL);
  out->malformed = 0;
  out->consumed = gauge_transcript_parser_parse_lines (parser, exact, length, length, at_eof,
                                                       summarize_line, out->usage,
                                                       &out->malformed);
}

/* The same, one line at a time through parse_line. */
static void
parse_each_line (const char *text,
                 gsize       length,
                 gboolean    at_eof,
                 Lines      *out)
{
  static GaugeTranscriptParser *parser;
  const char *p = text;
  const char *end = text + length;

  if (parser == NULL)
    parser = gauge_transcript_parser_new ();

  out->usage = g_string_new (NULL);
  out->malformed = 0;

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;
      g_autofree char *exact = g_malloc (MAX (line_end - p, 1));
      GaugeTranscriptLine line;
      GaugeLineResult result;

      if (newline == NULL && !at_eof)
        break;

      memcpy (exact, p, line_end - p);
      result = gauge_transcript_parser_parse_line (parser, exact, line_end - p, line_end - p,
                                                   &line);
      if (newline == NULL)
        {
          if (result == GAUGE_LINE_USAGE)
            {
              summarize_line (&line, out->usage);
              p = end;
            }
          break;
        }

      if (result == GAUGE_LINE_USAGE)
        summarize_line (&line, out->usage);
      else if (result == GAUGE_LINE_MALFORMED)
        out->malformed++;
      p = newline + 1;
    }

  out->consumed = p - text;
}

static void
assert_same_as_each_line (const char *text,
                          gsize       length,
                          gboolean    at_eof)
{
  Lines whole, each;

  parse_buffer (text, length, at_eof, &whole);
  parse_each_line (text, length, at_eof, &each);

  g_assert_cmpstr (whole.usage->str, ==, each.usage->str);
  g_assert_cmpint (whole.malformed, ==, each.malformed);
  g_assert_cmpuint (whole.consumed, ==, each.consumed);

  g_string_free (whole.usage, TRUE);
  g_string_free (each.usage, TRUE);
}

/* The pieces buffers are made of: usage lines, lines without usage, malformed lines, lines
 * that have the prefilter bytes without being usage lines, blank lines, and a usage key cut
 * by a newline (which must not pass the prefilter). */
static const char * const pieces[] = {
  LINE ("false", SONNET, USAGE_SPLIT, ""),
  LINE ("true", ",\"model\":\"claude-opus-4-5\"", USAGE_FLAT, ",\"costUSD\":0.5"),
  "{\"timestamp\":\"2026-11-19T10:42:07Z\",\"message\":{\"usage\":"
  "{\"input_tokens\":1,\"output_tokens\":2}}}",
  "{\"type\":\"summary\",\"summary\":\"x\"}",
  "{\"type\":\"user\",\"message\":{\"content\":\"cut her",
  "\"usage\":{",
  "{\"usage\":{}}",
  "{\"a\":\"\\\"usage\\\":{\"}",
  "{\"message\":{\"usage\":",
  "{\"input_tokens\":1,\"output_tokens\":2}}",
  "",
  "   \r",
  "not json",
  "{}",
};

static void
test_lines_edges (void)
{
  const char *usage = LINE ("false", SONNET, USAGE_SPLIT, "");
  g_autofree char *two = g_strconcat (usage, "\n", usage, NULL);
  Lines lines;

  /* A last line without its newline waits, unless the file ends there with a whole usage
   * line; a cut one is not counted as malformed. */
  parse_buffer (two, strlen (two), FALSE, &lines);
  g_assert_cmpuint (lines.consumed, ==, strlen (usage) + 1);
  g_assert_cmpint (lines.malformed, ==, 0);
  g_string_free (lines.usage, TRUE);

  parse_buffer (two, strlen (two), TRUE, &lines);
  g_assert_cmpuint (lines.consumed, ==, strlen (two));
  g_string_free (lines.usage, TRUE);

  parse_buffer (two, strlen (two) - 3, TRUE, &lines);
  g_assert_cmpuint (lines.consumed, ==, strlen (usage) + 1);
  g_assert_cmpint (lines.malformed, ==, 0);
  g_string_free (lines.usage, TRUE);

  /* The prefilter bytes split by a newline are not there: two lines, only the first one
   * malformed. */
  parse_buffer ("{\"usage\":\n{}\n", 13, TRUE, &lines);
  g_assert_cmpuint (lines.consumed, ==, 13);
  g_assert_cmpint (lines.malformed, ==, 1);
  g_string_free (lines.usage, TRUE);

  /* Every cut of two usage lines (the buffer's end within the second one, or the first). */
  for (gsize length = 0; length <= strlen (two); length++)
    {
      assert_same_as_each_line (two, length, FALSE);
      assert_same_as_each_line (two, length, TRUE);
    }
}

/* A malformed line with the prefilter bytes at every alignment to the search's blocks, and
 * at every distance from the buffer's end. */
static void
test_lines_alignment (void)
{
  for (guint pad = 0; pad < 48; pad++)
    for (guint tail = 0; tail < 40; tail++)
      {
        g_autoptr(GString) text = g_string_new (NULL);
        Lines lines;

        g_string_append_printf (text, "{\"p\":\"%*s\"}\n", pad, "");
        g_string_append (text, "x\"usage\":{");
        g_string_append_printf (text, "%*s\n", tail, "");

        parse_buffer (text->str, text->len, FALSE, &lines);
        g_assert_cmpuint (lines.consumed, ==, text->len);
        g_assert_cmpint (lines.malformed, ==, 1);
        g_string_free (lines.usage, TRUE);
        assert_same_as_each_line (text->str, text->len, TRUE);
      }
}

/* Random buffers of the pieces above: the same lines, counts and stopping point as parsing
 * them one by one. */
static void
test_lines_random (void)
{
  for (guint round = 0; round < 500; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint n = g_test_rand_int_range (0, 12);

      for (guint i = 0; i < n; i++)
        {
          g_string_append (text, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
          if (i + 1 < n || g_test_rand_bit ())
            g_string_append_c (text, '\n');
        }

      assert_same_as_each_line (text->str, text->len, FALSE);
      assert_same_as_each_line (text->str, text->len, TRUE);
    }
}

static void
test_timestamps (void)
{
  gint64 ms = 0;

  g_assert_true (gauge_transcript_parse_timestamp ("1970-01-01T00:00:00Z", 20, &ms));
  g_assert_cmpint (ms, ==, 0);
  g_assert_true (gauge_transcript_parse_timestamp ("2024-02-29T23:59:59.999Z", 24, &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1709251199999));
  g_assert_true (gauge_transcript_parse_timestamp ("2026-11-19T12:42:07.318+02:00", 29, &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1795084927318));
  g_assert_false (gauge_transcript_parse_timestamp ("2026-13-19T10:42:07Z", 20, &ms));
  g_assert_false (gauge_transcript_parse_timestamp ("yesterday", 9, &ms));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/transcript-parser/usage-line", test_usage_line);
  g_test_add_func ("/transcript-parser/cache-creation", test_cache_creation);
  g_test_add_func ("/transcript-parser/flags", test_flags);
  g_test_add_func ("/transcript-parser/advisors", test_advisors);
  g_test_add_func ("/transcript-parser/not-usage", test_not_usage);
  g_test_add_func ("/transcript-parser/bad-counts", test_bad_counts);
  g_test_add_func ("/transcript-parser/prefilter", test_prefilter);
  g_test_add_func ("/transcript-parser/truncated", test_truncated);
  g_test_add_func ("/transcript-parser/malformed", test_malformed);
  g_test_add_func ("/transcript-parser/timestamps", test_timestamps);
  g_test_add_func ("/transcript-parser/lines/edges", test_lines_edges);
  g_test_add_func ("/transcript-parser/lines/alignment", test_lines_alignment);
  g_test_add_func ("/transcript-parser/lines/random", test_lines_random);

  return g_test_run ();
}
