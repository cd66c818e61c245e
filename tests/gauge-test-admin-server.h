/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A loopback libsoup server standing in for the Admin API. Every endpoint
 * answers an empty page (and organizations/me "Acme") unless a test scripts
 * it. A scripted answer is chosen by path, then the claude_code day
 * (starting_at), then the cursor (page= or after_id=); "" matches its absence.
 */
typedef struct _AdminServer AdminServer;

AdminServer *admin_server_new             (void);
void         admin_server_free            (AdminServer *self);
const char  *admin_server_get_base_url    (AdminServer *self);
void         admin_server_set             (AdminServer *self,
                                           const char  *path,
                                           const char  *day,
                                           const char  *cursor,
                                           guint        status,
                                           const char  *body,
                                           const char  *retry_after);
void         admin_server_set_all         (AdminServer *self,
                                           guint        status,
                                           const char  *retry_after);
guint        admin_server_get_requests    (AdminServer *self,
                                           const char  *path);
guint        admin_server_get_total       (AdminServer *self);
void         admin_server_reset_counts    (AdminServer *self);
char        *admin_server_dup_last_query  (AdminServer *self,
                                           const char  *path);
char        *admin_server_dup_last_header (AdminServer *self,
                                           const char  *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AdminServer, admin_server_free)

G_END_DECLS
