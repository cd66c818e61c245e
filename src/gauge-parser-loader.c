/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-parser-loader"

#include "config.h"

#include "gauge-module.h"
#include "gauge-parser-module.h"

/*
 * The executable's transcript parser: what the index calls, forwarded to the parser module,
 * which is loaded the first time a parser is made. The tests link the parser itself instead.
 */

static gpointer
load_module (gpointer data)
{
  GaugeParserModuleEntry entry = gauge_module_load_entry (GAUGE_PARSER_MODULE_NAME,
                                                          GAUGE_PARSER_MODULE_ENTRY);

  return entry != NULL ? (gpointer) entry () : NULL;
}

static const GaugeParserModule *
get_module (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_module, NULL);
}

/* NULL when the module cannot be loaded (after saying so on stderr) or memory ran out. */
GaugeTranscriptParser *
gauge_transcript_parser_new (void)
{
  const GaugeParserModule *module = get_module ();

  return module != NULL ? module->parser_new () : NULL;
}

void
gauge_transcript_parser_free (GaugeTranscriptParser *self)
{
  /* A parser exists only once the module is loaded. */
  if (self != NULL)
    get_module ()->parser_free (self);
}

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
  return get_module ()->parse_lines (self, data, length, readable, at_eof, func, user_data,
                                     n_malformed);
}
