/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-transcript-parser.h"

G_BEGIN_DECLS

/*
 * The transcript parser as a module (simdjson and the C++ runtime behind it): the executable
 * loads it the first time the index has lines to parse (gauge-parser-loader.c), so that a
 * --statusline or a --report with nothing new to read maps neither. What the index uses of it.
 */
typedef struct
{
  GaugeTranscriptParser *(*parser_new)  (void);
  void                   (*parser_free) (GaugeTranscriptParser  *self);
  gsize                  (*parse_lines) (GaugeTranscriptParser  *self,
                                         const char             *data,
                                         gsize                   length,
                                         gsize                   readable,
                                         gboolean                at_eof,
                                         GaugeTranscriptLineFunc func,
                                         gpointer                user_data,
                                         gint64                 *n_malformed);
} GaugeParserModule;

#define GAUGE_PARSER_MODULE_ENTRY "gauge_parser_module"

typedef const GaugeParserModule *(*GaugeParserModuleEntry) (void);

G_END_DECLS
