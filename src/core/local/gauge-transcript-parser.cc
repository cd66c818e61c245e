// SPDX-License-Identifier: GPL-3.0-or-later

#define G_LOG_DOMAIN "gauge-transcript-parser"

#include "config.h"

#include <cmath>
#include <cstring>
#include <new>
#include <string_view>

#include <simdjson.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "gauge-transcript-parser.h"

using namespace simdjson;

static_assert (GAUGE_TRANSCRIPT_PADDING >= SIMDJSON_PADDING,
               "GAUGE_TRANSCRIPT_PADDING is less than simdjson needs");

/* After a huge line, give the memory back rather than keep it for the rest of the run. */
#define SHRINK_ABOVE (4 * 1024 * 1024)

struct _GaugeTranscriptParser
{
  ondemand::parser  parser;
  GaugeAdvisorUsage advisors[GAUGE_TRANSCRIPT_MAX_ADVISORS];
  char             *scratch = nullptr;   /* padded copy for lines at the end of a buffer */
  size_t            scratch_size = 0;
  bool              shrink = false;   /* the last line was huge */
};

namespace {

/* A type mismatch on a field we read is not malformed JSON: the line just is not a usage line. */
bool
is_structural (error_code error)
{
  return error != SUCCESS && error != INCORRECT_TYPE && error != NUMBER_OUT_OF_RANGE &&
         error != NO_SUCH_FIELD;
}

/* The token counts of a usage object: the line's own, or an iteration's. */
struct Counts
{
  bool has_input = false;
  bool has_output = false;
  bool has_split = false;     /* cache_creation{} exists */
  gint64 input = 0;
  gint64 output = 0;
  gint64 cache_read = 0;
  gint64 flat_creation = 0;
  gint64 eph_5m = 0;
  gint64 eph_1h = 0;
};

struct LineState
{
  bool malformed = false;
  bool has_usage = false;
  bool has_timestamp = false;
  bool bad_count = false;     /* a count ccusage rejects: negative, a float, a string, null */
  Counts counts;
};

/* Where a line's advisor iterations go: the parser's array, filled up to its size. */
struct Advisors
{
  GaugeAdvisorUsage *slots;
  guint              n;
  guint              n_valid;
};

void
set_view (GaugeStrView *view, std::string_view value)
{
  view->str = value.data ();
  view->len = value.size ();
}

/* Beyond this a count is nonsense, and sums of counts could overflow. */
#define MAX_COUNT (G_GINT64_CONSTANT (1) << 53)

/* Token counts as ccusage validates them: integers in [0, 2^53]. Anything else (negative,
 * a float even when whole like 2.0, a string, null) rejects the whole line. */
bool
read_count (LineState &state, ondemand::value value, gint64 *out)
{
  ondemand::json_type type;
  error_code error = value.type ().get (type);

  if (error)
    {
      state.malformed |= is_structural (error);
      state.bad_count = true;
      return false;
    }

  if (type != ondemand::json_type::number)
    {
      state.bad_count = true;
      return false;
    }

  ondemand::number_type number_type;
  error = value.get_number_type ().get (number_type);
  if (error || number_type != ondemand::number_type::signed_integer)
    {
      state.malformed |= is_structural (error);
      state.bad_count = true;
      return false;
    }

  gint64 integer;
  error = value.get_int64 ().get (integer);
  if (error || integer < 0 || integer > MAX_COUNT)
    {
      state.malformed |= is_structural (error);
      state.bad_count = true;
      return false;
    }

  *out = integer;
  return true;
}

bool
read_string (LineState &state, ondemand::value value, std::string_view *out)
{
  error_code error = value.get_string ().get (*out);

  state.malformed |= is_structural (error);
  return !error;
}

/* A string field as a view into the line; left as it was when the value is no string. */
void
read_view (LineState &state, ondemand::value value, GaugeStrView *out)
{
  std::string_view text;

  if (read_string (state, value, &text))
    set_view (out, text);
}

/* Calls @read (key, field) for each field of the object @value, until one is cut short.
 * Returns: whether @value is an object. */
template <typename ReadField>
bool
read_fields (LineState &state, ondemand::value value, ReadField &&read)
{
  ondemand::object object;
  error_code error = value.get_object ().get (object);

  if (error)
    {
      state.malformed |= is_structural (error);
      return false;
    }

  for (auto result : object)
    {
      ondemand::field field;

      if ((error = std::move (result).get (field)))
        {
          state.malformed = true;
          break;
        }

      read (field.key (), field);
    }

  return true;
}

void
read_cache_creation (LineState &state, ondemand::value value, Counts &counts)
{
  counts.has_split |= read_fields (state, value,
    [&] (ondemand::raw_json_string key, ondemand::field &field)
    {
      if (key == "ephemeral_5m_input_tokens")
        read_count (state, field.value (), &counts.eph_5m);
      else if (key == "ephemeral_1h_input_tokens")
        read_count (state, field.value (), &counts.eph_1h);
    });
}

/* The token fields every usage object has (the line's and an iteration's) into @counts.
 * Returns: whether @key is one of them. */
bool
read_count_field (LineState &state, ondemand::raw_json_string key, ondemand::field &field,
                  Counts &counts)
{
  if (key == "input_tokens")
    counts.has_input = read_count (state, field.value (), &counts.input);
  else if (key == "output_tokens")
    counts.has_output = read_count (state, field.value (), &counts.output);
  else if (key == "cache_read_input_tokens")
    read_count (state, field.value (), &counts.cache_read);
  else if (key == "cache_creation_input_tokens")
    read_count (state, field.value (), &counts.flat_creation);
  else if (key == "cache_creation")
    read_cache_creation (state, field.value (), counts);
  else
    return false;
  return true;
}

/* Cache creation: the 5-minute and 1-hour split when cache_creation{} exists, else the flat
 * count (all of it 5-minute). */
void
creation_counts (const Counts &counts, gint64 *creation_5m, gint64 *creation_1h)
{
  *creation_5m = counts.has_split ? counts.eph_5m : counts.flat_creation;
  *creation_1h = counts.has_split ? counts.eph_1h : 0;
}

bool
is_synthetic (std::string_view model)
{
  return model == "<synthetic>";
}

/* One element of usage.iterations[]. Only an advisor_message adds anything: its tokens are
 * not in the line's usage. As ccusage 20.0.24 counts it: with a model and valid counts (input
 * and output required), or not at all, the line itself counted either way; numbered among
 * the line's valid ones, so that the copies of a response line theirs up. */
void
read_iteration (LineState &line_state, ondemand::value value, Advisors &advisors)
{
  LineState state;
  std::string_view type, model;
  bool has_model = false;

  read_fields (state, value,
    [&] (ondemand::raw_json_string key, ondemand::field &field)
    {
      if (read_count_field (state, key, field, state.counts))
        return;
      if (key == "type")
        read_string (state, field.value (), &type);
      else if (key == "model")
        has_model = read_string (state, field.value (), &model);
    });

  line_state.malformed |= state.malformed;
  if (type != "advisor_message" || !has_model || model.empty () || state.bad_count ||
      !state.counts.has_input || !state.counts.has_output)
    return;

  advisors.n_valid++;
  /* <synthetic> is skipped as its lines are; further advisors are beyond the array. */
  if (is_synthetic (model) || advisors.n == GAUGE_TRANSCRIPT_MAX_ADVISORS)
    return;

  GaugeAdvisorUsage *advisor = &advisors.slots[advisors.n++];
  set_view (&advisor->model, model);
  advisor->ordinal = advisors.n_valid;
  advisor->input_tokens = state.counts.input;
  advisor->output_tokens = state.counts.output;
  advisor->cache_read_tokens = state.counts.cache_read;
  creation_counts (state.counts, &advisor->cache_creation_5m_tokens,
                   &advisor->cache_creation_1h_tokens);
}

void
read_iterations (LineState &state, ondemand::value value, Advisors &advisors)
{
  ondemand::array array;
  error_code error = value.get_array ().get (array);

  if (error)
    {
      state.malformed |= is_structural (error);
      return;
    }

  for (auto result : array)
    {
      ondemand::value element;

      if ((error = std::move (result).get (element)))
        {
          state.malformed = true;
          break;
        }
      read_iteration (state, element, advisors);
      if (state.malformed)
        break;
    }
}

void
read_usage (LineState &state, ondemand::value value, GaugeTranscriptLine *out,
            Advisors &advisors)
{
  state.has_usage |= read_fields (state, value,
    [&] (ondemand::raw_json_string key, ondemand::field &field)
    {
      if (read_count_field (state, key, field, state.counts))
        return;
      if (key == "speed")
        {
          std::string_view speed;
          if (read_string (state, field.value (), &speed))
            out->fast = speed == "fast";
        }
      else if (key == "iterations")
        read_iterations (state, field.value (), advisors);
    });
}

void
read_message (LineState &state, ondemand::value value, GaugeTranscriptLine *out,
              Advisors &advisors)
{
  read_fields (state, value,
    [&] (ondemand::raw_json_string key, ondemand::field &field)
    {
      if (key == "usage")
        read_usage (state, field.value (), out, advisors);
      else if (key == "id")
        read_view (state, field.value (), &out->message_id);
      else if (key == "model")
        read_view (state, field.value (), &out->model);
    });
}

GaugeLineResult
parse_document (ondemand::parser &parser,
                const char       *json,
                size_t            length,
                size_t            capacity,
                GaugeAdvisorUsage *advisor_slots,
                GaugeTranscriptLine *out)
{
  LineState state;
  Advisors advisors = { advisor_slots, 0, 0 };
  ondemand::document doc;
  ondemand::object object;
  error_code error;

  if ((error = parser.iterate (json, length, capacity).get (doc)))
    return GAUGE_LINE_MALFORMED;

  if ((error = doc.get_object ().get (object)))
    return GAUGE_LINE_MALFORMED;

  for (auto result : object)
    {
      ondemand::field field;
      std::string_view text;

      if ((error = std::move (result).get (field)))
        return GAUGE_LINE_MALFORMED;

      ondemand::raw_json_string key = field.key ();
      if (key == "message")
        read_message (state, field.value (), out, advisors);
      else if (key == "timestamp")
        {
          if (read_string (state, field.value (), &text))
            state.has_timestamp = gauge_transcript_parse_timestamp (text.data (), text.size (),
                                                                    &out->timestamp_ms);
          else
            state.has_timestamp = false;
        }
      else if (key == "requestId")
        read_view (state, field.value (), &out->request_id);
      else if (key == "sessionId")
        read_view (state, field.value (), &out->session_id);
      else if (key == "isSidechain")
        {
          bool sidechain = false;
          error = field.value ().get_bool ().get (sidechain);
          state.malformed |= is_structural (error);
          out->is_sidechain = !error && sidechain;
        }
      else if (key == "costUSD")
        {
          double cost;
          error = field.value ().get_double ().get (cost);
          state.malformed |= is_structural (error);
          out->cost_usd = error ? NAN : cost;
        }

      if (state.malformed)
        return GAUGE_LINE_MALFORMED;
    }

  /* Trailing content after the object, or an object cut short. */
  if (state.malformed)
    return GAUGE_LINE_MALFORMED;

  if (!state.has_usage || !state.counts.has_input || !state.counts.has_output ||
      !state.has_timestamp || state.bad_count)
    return GAUGE_LINE_NOT_USAGE;

  /* Locally generated error lines: zero usage, not an API response. */
  if (out->model.str != NULL && is_synthetic (std::string_view (out->model.str, out->model.len)))
    return GAUGE_LINE_NOT_USAGE;

  out->input_tokens = state.counts.input;
  out->output_tokens = state.counts.output;
  out->cache_read_tokens = state.counts.cache_read;
  creation_counts (state.counts, &out->cache_creation_5m_tokens, &out->cache_creation_1h_tokens);
  out->advisors = advisor_slots;
  out->n_advisors = advisors.n;

  return GAUGE_LINE_USAGE;
}

bool
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ccusage's prefilter: Claude Code writes compact JSON, so a usage line has these bytes. */
const char usage_bytes[] = "\"usage\":{";
#define USAGE_BYTES_LEN (sizeof usage_bytes - 1)

/* The first occurrence of the prefilter bytes in [from, end), or NULL. Every byte of a
 * transcript goes through this: with SSE2 (any x86-64), 16 positions at a time are tested
 * for the first byte and the last, and only those with both are compared (about 3x glibc's
 * memmem here). */
const char *
find_usage (const char *from,
            const char *end)
{
#ifdef __SSE2__
  const __m128i first = _mm_set1_epi8 (usage_bytes[0]);
  const __m128i last = _mm_set1_epi8 (usage_bytes[USAGE_BYTES_LEN - 1]);

  while (end - from >= (ptrdiff_t) (16 + USAGE_BYTES_LEN - 1))
    {
      __m128i a = _mm_loadu_si128 ((const __m128i *) from);
      __m128i b = _mm_loadu_si128 ((const __m128i *) (from + USAGE_BYTES_LEN - 1));
      unsigned mask = (unsigned) _mm_movemask_epi8 (_mm_and_si128 (_mm_cmpeq_epi8 (a, first),
                                                                   _mm_cmpeq_epi8 (b, last)));

      while (mask != 0)
        {
          int i = __builtin_ctz (mask);

          if (memcmp (from + i + 1, usage_bytes + 1, USAGE_BYTES_LEN - 2) == 0)
            return from + i;
          mask &= mask - 1;
        }
      from += 16;
    }
#endif

  return (const char *) memmem (from, (size_t) (end - from), usage_bytes, USAGE_BYTES_LEN);
}

/* What a line that lacks the prefilter bytes is: looking like an object is enough (a line cut
 * mid-write does not). @start..@end is trimmed and not empty. */
GaugeLineResult
classify_skipped (const char *start,
                  const char *end)
{
  return *start == '{' && end[-1] == '}' ? GAUGE_LINE_NOT_USAGE : GAUGE_LINE_MALFORMED;
}

int
digits (const char *p, int n)
{
  int value = 0;

  for (int i = 0; i < n; i++)
    {
      if (p[i] < '0' || p[i] > '9')
        return -1;
      value = value * 10 + (p[i] - '0');
    }

  return value;
}

/* Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
gint64
days_from_civil (gint64 y, unsigned m, unsigned d)
{
  y -= m <= 2;
  const gint64 era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned) (y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + (gint64) doe - 719468;
}

} // namespace

/**
 * gauge_transcript_parse_timestamp:
 *
 * Reads `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)` into unix milliseconds.
 * Returns: %FALSE for anything else (no zone means no defined instant).
 */
gboolean
gauge_transcript_parse_timestamp (const char *text,
                                  gsize       length,
                                  gint64     *out_ms)
{
  const char *p = text;
  const char *end = text + length;
  int year, month, day, hour, minute, second, millis = 0;
  gint64 offset_s = 0;

  if (length < 20 || p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != 't' && p[10] != ' ') ||
      p[13] != ':' || p[16] != ':')
    return FALSE;

  year = digits (p, 4);
  month = digits (p + 5, 2);
  day = digits (p + 8, 2);
  hour = digits (p + 11, 2);
  minute = digits (p + 14, 2);
  second = digits (p + 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60)
    return FALSE;

  p += 19;
  if (p < end && *p == '.')
    {
      int scale = 100;

      p++;
      if (p >= end || *p < '0' || *p > '9')
        return FALSE;
      for (; p < end && *p >= '0' && *p <= '9'; p++)
        {
          millis += (*p - '0') * scale;
          scale /= 10;
        }
    }

  if (p < end && (*p == 'Z' || *p == 'z'))
    p++;
  else if (p + 6 <= end && (*p == '+' || *p == '-') && p[3] == ':')
    {
      int oh = digits (p + 1, 2);
      int om = digits (p + 4, 2);

      if (oh < 0 || oh > 23 || om < 0 || om > 59)
        return FALSE;
      offset_s = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
      p += 6;
    }
  else
    return FALSE;

  if (p != end)
    return FALSE;

  *out_ms = ((days_from_civil (year, (unsigned) month, (unsigned) day) * 86400 + hour * 3600 +
              minute * 60 + second - offset_s) * 1000) + millis;
  return TRUE;
}

GaugeTranscriptParser *
gauge_transcript_parser_new (void)
{
  return new (std::nothrow) _GaugeTranscriptParser ();
}

void
gauge_transcript_parser_free (GaugeTranscriptParser *self)
{
  if (self == nullptr)
    return;

  g_free (self->scratch);
  delete self;
}


/* Parses the trimmed, non-empty @start..@end, which holds the prefilter bytes; @readable:
 * bytes readable from @start on. */
static GaugeLineResult
parse_candidate (GaugeTranscriptParser *self,
                 const char            *start,
                 const char            *end,
                 gsize                  readable,
                 GaugeTranscriptLine   *out)
{
  GaugeLineResult result;

  try
    {
      size_t size = (size_t) (end - start);
      size_t capacity = readable;

      if (capacity < size + SIMDJSON_PADDING)
        {
          if (self->scratch_size < size + SIMDJSON_PADDING)
            {
              g_free (self->scratch);
              self->scratch_size = size + SIMDJSON_PADDING;
              self->scratch = (char *) g_malloc (self->scratch_size);
            }
          memcpy (self->scratch, start, size);
          memset (self->scratch + size, 0, SIMDJSON_PADDING);
          start = self->scratch;
          capacity = self->scratch_size;
        }

      result = parse_document (self->parser, start, size, capacity, self->advisors, out);
      self->shrink = size > SHRINK_ABOVE;
    }
  catch (...)
    {
      /* simdjson itself does not throw with error codes; allocations might. */
      *out = GaugeTranscriptLine ();
      out->cost_usd = NAN;
      result = GAUGE_LINE_MALFORMED;
    }

  return result;
}

/* The views of the previous line are dead now: free what a huge one took. */
static void
shrink_if_needed (GaugeTranscriptParser *self)
{
  if (!self->shrink)
    return;

  self->shrink = false;
  g_free (self->scratch);
  self->scratch = nullptr;
  self->scratch_size = 0;
  if (self->parser.allocate (64 * 1024) != SUCCESS)
    g_debug ("Could not shrink the parser");
}

/* One line (without its newline). @searched: whether the caller knows already if the line
 * has the prefilter bytes (@has_usage_bytes); otherwise this looks for them. */
static GaugeLineResult
parse_one (GaugeTranscriptParser *self,
           const char            *line,
           gsize                  length,
           gsize                  readable,
           gboolean               searched,
           gboolean               has_usage_bytes,
           GaugeTranscriptLine   *out)
{
  const char *start = line;
  const char *end = line + length;

  *out = GaugeTranscriptLine ();
  out->cost_usd = NAN;

  while (start < end && is_space (*start))
    start++;
  while (end > start && is_space (end[-1]))
    end--;

  shrink_if_needed (self);

  if (start == end)
    return GAUGE_LINE_NOT_USAGE;

  /* The prefilter bytes hold no space: trimming does not change whether a line has them. */
  if (!searched)
    has_usage_bytes = find_usage (start, end) != nullptr;

  if (!has_usage_bytes)
    return classify_skipped (start, end);

  return parse_candidate (self, start, end, readable - (gsize) (start - line), out);
}

/**
 * gauge_transcript_parser_parse_line:
 * @line: one line, without its newline
 * @length: its length
 * @readable: how many bytes may be read from @line on (at least @length):
 *   with @length + padding or more, the line is parsed in place
 * @out: (out caller-allocates): the usage line, when %GAUGE_LINE_USAGE
 *
 * Lines without the bytes `"usage":{` (ccusage's prefilter) are not parsed: only
 * checked to look like an object, so a line cut mid-write still counts as malformed.
 */
GaugeLineResult
gauge_transcript_parser_parse_line (GaugeTranscriptParser *self,
                                    const char            *line,
                                    gsize                  length,
                                    gsize                  readable,
                                    GaugeTranscriptLine   *out)
{
  g_return_val_if_fail (self != NULL, GAUGE_LINE_MALFORMED);
  g_return_val_if_fail (line != NULL || length == 0, GAUGE_LINE_MALFORMED);
  g_return_val_if_fail (readable >= length, GAUGE_LINE_MALFORMED);
  g_return_val_if_fail (out != NULL, GAUGE_LINE_MALFORMED);

  return parse_one (self, line, length, readable, FALSE, FALSE, out);
}

/**
 * gauge_transcript_parser_parse_lines:
 * @data: JSONL: lines, each ended by a newline except maybe the last
 * @length: its length
 * @readable: how many bytes may be read from @data on (at least @length)
 * @at_eof: whether @data ends where the file does
 * @func: called with each usage line (its views live until @func returns)
 * @user_data: for @func
 * @n_malformed: (inout): incremented per malformed line
 *
 * What gauge_transcript_parser_parse_line() does to each line of @data, with
 * the prefilter searched once over the whole of @data rather than line by line.
 * A last line without its newline is left unread (a writer may be halfway
 * through it), unless @at_eof and it is a whole usage line.
 *
 * Returns: the bytes read: up to the end of the last line taken
 */
gsize
gauge_transcript_parser_parse_lines (GaugeTranscriptParser   *self,
                                     const char              *data,
                                     gsize                    length,
                                     gsize                    readable,
                                     gboolean                 at_eof,
                                     GaugeTranscriptLineFunc  func,
                                     gpointer                 user_data,
                                     gint64                  *n_malformed)
{
  const char *p = data;
  const char *end = data + length;
  const char *hit;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (data != NULL || length == 0, 0);
  g_return_val_if_fail (readable >= length, 0);
  g_return_val_if_fail (func != NULL, 0);
  g_return_val_if_fail (n_malformed != NULL, 0);

  /* The next prefilter hit at or after p (end when there is none). Lines before it are
   * skipped without a search of their own; the bytes hold no newline, so a hit is always
   * inside one line. */
  hit = length > 0 ? find_usage (p, end) : nullptr;
  if (hit == nullptr)
    hit = end;

  while (p < end)
    {
      const char *newline = (const char *) memchr (p, '\n', (size_t) (end - p));
      const char *line_end = newline != nullptr ? newline : end;
      GaugeTranscriptLine line;
      GaugeLineResult result;

      /* The last line without a newline: take it only when it is a whole usage line
       * (a proper prefix of a JSON object never is); otherwise it waits, uncounted. */
      if (newline == nullptr && !at_eof)
        break;

      result = parse_one (self, p, (gsize) (line_end - p), readable - (gsize) (p - data), TRUE,
                          hit < line_end, &line);

      if (newline == nullptr)
        {
          if (result == GAUGE_LINE_USAGE)
            {
              func (&line, user_data);
              p = end;
            }
          break;
        }

      if (result == GAUGE_LINE_USAGE)
        func (&line, user_data);
      else if (result == GAUGE_LINE_MALFORMED)
        (*n_malformed)++;

      p = newline + 1;
      if (hit < p)
        {
          hit = find_usage (p, end);
          if (hit == nullptr)
            hit = end;
        }
    }

  return (gsize) (p - data);
}
