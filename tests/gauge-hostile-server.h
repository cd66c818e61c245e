/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A loopback HTTP server that answers every request the way a hostile or broken server
 * would. It runs on threads of its own (GThreadedSocketService, blocking sockets), so it keeps
 * answering while the test's main loop waits, or while a test waits for a child process.
 */
typedef enum
{
  GAUGE_HOSTILE_DRIP,     /* 200, Content-Length 100000, then one byte a second */
  GAUGE_HOSTILE_CHUNKED,  /* 200, chunked, 64 KB chunks without end (stops at 512 MB) */
  GAUGE_HOSTILE_GZIP,     /* 200, Content-Encoding: gzip, 1 MB that inflates to 1 GiB */
  GAUGE_HOSTILE_REDIRECT, /* 302 to a second loopback port, which would answer a valid reading */
} GaugeHostileMode;

typedef struct _GaugeHostileServer GaugeHostileServer;

GaugeHostileServer *gauge_hostile_server_new              (GaugeHostileMode    mode);
void                gauge_hostile_server_free             (GaugeHostileServer *self);
const char         *gauge_hostile_server_get_base_url     (GaugeHostileServer *self);
guint               gauge_hostile_server_get_requests     (GaugeHostileServer *self);
guint               gauge_hostile_server_get_target_requests (GaugeHostileServer *self);
guint64             gauge_hostile_server_get_bytes_sent   (GaugeHostileServer *self);

/* The peak resident memory of this process (VmHWM) in bytes, since it started or was reset. */
void                gauge_test_reset_peak_rss             (void);
guint64             gauge_test_peak_rss                   (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeHostileServer, gauge_hostile_server_free)

G_END_DECLS
