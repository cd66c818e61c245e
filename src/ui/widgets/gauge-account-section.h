/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "gauge-limits-monitor.h"
#include "gauge-store.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_ACCOUNT_SECTION (gauge_account_section_get_type ())

G_DECLARE_FINAL_TYPE (GaugeAccountSection, gauge_account_section, GAUGE, ACCOUNT_SECTION,
                      GtkWidget)

/* What a monitor's state says, both in a section's banner and on the Limits page's status page. */
typedef struct
{
  const char *icon_name;
  const char *style_class;  /* "error" or "warning" */
  char       *title;        /* status page title, plain text */
  char       *markup;       /* the message, Pango markup (gauge_limits_state_describe()) */
  gboolean    stale;        /* the rows can no longer update: grey them */
} GaugeStateMessage;

void     gauge_state_message_clear (GaugeStateMessage *message);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GaugeStateMessage, gauge_state_message_clear)
gboolean gauge_state_message_get   (GaugeLimitsMonitor *monitor,
                                    GDateTime          *now,
                                    GaugeStateMessage  *message);

/*
 * One account on the Limits page: its name (when there are several), what its state needs
 * to explain, and a row per limit window of its monitor's snapshot, with the pace of each.
 */
GtkWidget          *gauge_account_section_new         (void);
void                gauge_account_section_setup       (GaugeAccountSection *self,
                                                       GaugeLimitsMonitor  *monitor,
                                                       GSettings           *settings);
GaugeLimitsMonitor *gauge_account_section_get_monitor (GaugeAccountSection *self);
void                gauge_account_section_set_store   (GaugeAccountSection *self,
                                                       GaugeStore          *store);
void                gauge_account_section_set_name    (GaugeAccountSection *self,
                                                       const char          *name);
void                gauge_account_section_update      (GaugeAccountSection *self,
                                                       GDateTime           *now);
gboolean            gauge_account_section_has_rows    (GaugeAccountSection *self);

G_END_DECLS
