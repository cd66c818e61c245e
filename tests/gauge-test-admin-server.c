/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "admin-server"

#include "config.h"

#include <libsoup/soup.h>

#include "gauge-test-admin-server.h"

#define PREFIX "/v1/organizations/"

typedef struct
{
  guint  status;
  char  *body;
  char  *retry_after;
} Answer;

struct _AdminServer
{
  SoupServer *server;
  char       *base_url;
  GHashTable *answers;     /* "path|day|cursor" → Answer */
  GHashTable *counts;      /* path → GUINT */
  GHashTable *queries;     /* path → last query */
  SoupMessageHeaders *last_headers;
  guint       total;
  guint       all_status;  /* when set, every request gets it */
  char       *all_retry_after;
};

static void
answer_free (gpointer data)
{
  Answer *answer = data;

  g_free (answer->body);
  g_free (answer->retry_after);
  g_free (answer);
}

static const char *
default_body (const char *path)
{
  if (g_str_equal (path, PREFIX "me"))
    return "{\"id\":\"org_1\",\"name\":\"Acme\",\"type\":\"organization\"}";
  if (g_str_has_prefix (path, PREFIX "usage_report") || g_str_has_prefix (path, PREFIX "cost_report"))
    return "{\"data\":[],\"has_more\":false,\"next_page\":null}";
  return "{\"data\":[],\"has_more\":false,\"first_id\":null,\"last_id\":null}";
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  AdminServer *self = user_data;
  const char *day = query != NULL ? g_hash_table_lookup (query, "starting_at") : NULL;
  const char *cursor = NULL;
  g_autofree char *key = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  Answer *answer = NULL;
  const char *body;
  guint status = 200;
  const char *retry_after = NULL;

  self->total++;
  g_hash_table_replace (self->counts, g_strdup (path),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, path)) + 1));
  g_hash_table_replace (self->queries, g_strdup (path), g_strdup (g_uri_get_query (uri)));
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  self->last_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));

  if (query != NULL)
    cursor = g_hash_table_lookup (query, "page") ? g_hash_table_lookup (query, "page")
                                                 : g_hash_table_lookup (query, "after_id");
  if (!g_str_has_suffix (path, "claude_code"))
    day = NULL;

  key = g_strdup_printf ("%s|%s|%s", path, day ? day : "", cursor ? cursor : "");
  answer = g_hash_table_lookup (self->answers, key);
  if (answer == NULL && day != NULL)
    {
      g_free (key);
      key = g_strdup_printf ("%s||%s", path, cursor ? cursor : "");
      answer = g_hash_table_lookup (self->answers, key);
    }

  body = answer != NULL ? answer->body : default_body (path);
  if (answer != NULL)
    {
      status = answer->status;
      retry_after = answer->retry_after;
    }
  if (self->all_status != 0)
    {
      status = self->all_status;
      retry_after = self->all_retry_after;
      body = "{\"type\":\"error\",\"error\":{\"message\":\"no\"}}";
    }

  if (retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Retry-After", retry_after);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

AdminServer *
admin_server_new (void)
{
  AdminServer *self = g_new0 (AdminServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, answer_free);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->queries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, PREFIX, handler, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("Cannot listen: %s", error->message);

  uris = soup_server_get_uris (self->server);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return self;
}

void
admin_server_free (AdminServer *self)
{
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_hash_table_unref (self->answers);
  g_hash_table_unref (self->counts);
  g_hash_table_unref (self->queries);
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  g_free (self->base_url);
  g_free (self->all_retry_after);
  g_free (self);
}

const char *
admin_server_get_base_url (AdminServer *self)
{
  return self->base_url;
}

/* @path is relative to /v1/organizations/, e.g. "cost_report". */
void
admin_server_set (AdminServer *self,
                  const char  *path,
                  const char  *day,
                  const char  *cursor,
                  guint        status,
                  const char  *body,
                  const char  *retry_after)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->status = status;
  answer->body = g_strdup (body);
  answer->retry_after = g_strdup (retry_after);
  g_hash_table_replace (self->answers,
                        g_strdup_printf (PREFIX "%s|%s|%s", path, day ? day : "", cursor ? cursor : ""),
                        answer);
}

/* 0 goes back to the scripted answers. */
void
admin_server_set_all (AdminServer *self,
                      guint        status,
                      const char  *retry_after)
{
  self->all_status = status;
  g_free (self->all_retry_after);
  self->all_retry_after = g_strdup (retry_after);
}

guint
admin_server_get_requests (AdminServer *self,
                           const char  *path)
{
  g_autofree char *full = g_strconcat (PREFIX, path, NULL);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, full));
}

guint
admin_server_get_total (AdminServer *self)
{
  return self->total;
}

void
admin_server_reset_counts (AdminServer *self)
{
  self->total = 0;
  g_hash_table_remove_all (self->counts);
}

char *
admin_server_dup_last_query (AdminServer *self,
                             const char  *path)
{
  g_autofree char *full = g_strconcat (PREFIX, path, NULL);

  return g_strdup (g_hash_table_lookup (self->queries, full));
}

char *
admin_server_dup_last_header (AdminServer *self,
                              const char  *name)
{
  return self->last_headers != NULL
         ? g_strdup (soup_message_headers_get_one (self->last_headers, name)) : NULL;
}
