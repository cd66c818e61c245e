/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _GaugeCredentials    GaugeCredentials;
typedef struct _GaugeLimitsClient   GaugeLimitsClient;
typedef struct _GaugeLimitsMonitor  GaugeLimitsMonitor;
typedef struct _GaugeLimitsSnapshot GaugeLimitsSnapshot;
typedef struct _GaugeLimitWindow    GaugeLimitWindow;
typedef struct _GaugeRateGate       GaugeRateGate;
typedef struct _GaugeStore          GaugeStore;

/* Where a reading came from; shown to the user as its provenance. */
typedef enum
{
  GAUGE_SOURCE_OFFICIAL,    /* the OAuth usage endpoint */
  GAUGE_SOURCE_STATUSLINE,  /* rate_limits piped in by Claude Code's statusline */
} GaugeSource;

typedef enum
{
  GAUGE_SEVERITY_NORMAL,
  GAUGE_SEVERITY_WARNING,
  GAUGE_SEVERITY_CRITICAL,
} GaugeSeverity;

typedef enum
{
  GAUGE_LIMITS_MONITOR_STATE_LOADING,        /* nothing known yet */
  GAUGE_LIMITS_MONITOR_STATE_OK,             /* the last request succeeded */
  GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS, /* no credentials file, or signed out */
  GAUGE_LIMITS_MONITOR_STATE_EXPIRED,        /* token expired or revoked (401) */
  GAUGE_LIMITS_MONITOR_STATE_FORBIDDEN,      /* token lacks the user:profile scope (403) */
  GAUGE_LIMITS_MONITOR_STATE_OFFLINE,        /* network error, timeout, 5xx or garbage */
  GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED,   /* 429: waiting out the cooldown */
} GaugeLimitsMonitorState;

/* An enum registered by glib-mkenums and its values' nicks: the strings stored and shown. */
const char   *gauge_enum_to_nick       (GType        enum_type,
                                        int          value);
gboolean      gauge_enum_from_nick     (GType        enum_type,
                                        const char  *nick,
                                        int         *value);

const char   *gauge_source_to_string   (GaugeSource  source);
const char   *gauge_source_to_label    (GaugeSource  source);
gboolean      gauge_source_from_string (const char  *str,
                                        GaugeSource *source);
GaugeSeverity gauge_severity_for       (double       percent,
                                        double       warning,
                                        double       critical);

G_END_DECLS
