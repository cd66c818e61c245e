/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A real libsoup server on loopback standing in for api.anthropic.com:
 * serves /api/oauth/usage and /api/oauth/profile with whatever status,
 * body and Retry-After a test scripts, and counts the requests.
 */
typedef struct _GaugeTestServer GaugeTestServer;

GaugeTestServer *gauge_test_server_new                (void);
void             gauge_test_server_free               (GaugeTestServer *self);
const char      *gauge_test_server_get_base_url       (GaugeTestServer *self);
void             gauge_test_server_set_usage          (GaugeTestServer *self,
                                                       guint            status,
                                                       const char      *body,
                                                       const char      *retry_after);
void             gauge_test_server_set_usage_for_token (GaugeTestServer *self,
                                                       const char      *token,
                                                       guint            status,
                                                       const char      *body,
                                                       const char      *retry_after);
guint            gauge_test_server_get_token_requests (GaugeTestServer *self,
                                                       const char      *token);
void             gauge_test_server_set_profile        (GaugeTestServer *self,
                                                       guint            status,
                                                       const char      *body);
void             gauge_test_server_set_delay          (GaugeTestServer *self,
                                                       guint            milliseconds);
guint            gauge_test_server_get_usage_requests (GaugeTestServer *self);
guint            gauge_test_server_get_profile_requests (GaugeTestServer *self);
char            *gauge_test_server_dup_last_header    (GaugeTestServer *self,
                                                       const char      *name);

/* Helpers shared by the tests. */
char            *gauge_test_load_fixture              (const char      *name);
char            *gauge_test_write_credentials         (const char      *dir,
                                                       const char      *token,
                                                       gint64           expires_at_ms,
                                                       const char      *rate_limit_tier);
char            *gauge_test_usage_json                (double          five_hour,
                                                       double          seven_day);
void             gauge_test_wait_until                (gboolean       (*predicate) (gpointer),
                                                       gpointer         data,
                                                       guint            timeout_ms);
void             gauge_test_wait_for_count            (const guint     *counter,
                                                       guint            count,
                                                       guint            timeout_ms);
void             gauge_test_damage_tables             (const char      *path,
                                                       const char * const *tables);
void             gauge_test_bind_to_file_modes        (gboolean         bind);
void             gauge_test_child_bound_to_file_modes (gpointer         user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeTestServer, gauge_test_server_free)

G_END_DECLS
