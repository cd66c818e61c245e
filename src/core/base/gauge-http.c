/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-http"

#include "config.h"

#include <string.h>

#include "gauge-http.h"

gboolean
gauge_http_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* @env_var is for tests: https anywhere, plain http only on loopback; else @default_url. */
char *
gauge_http_choose_base_url (const char *env_var,
                            const char *default_url)
{
  const char *env = g_getenv (env_var);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (env == NULL || *env == '\0')
    return g_strdup (default_url);

  uri = g_uri_parse (env, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (g_strcmp0 (scheme, "https") == 0 ||
      (g_strcmp0 (scheme, "http") == 0 && gauge_http_is_loopback_host (g_uri_get_host (uri))))
    {
      g_autofree char *ret = g_strdup (env);
      gsize len = strlen (ret);

      while (len > 0 && ret[len - 1] == '/')
        ret[--len] = '\0';
      return g_steal_pointer (&ret);
    }

  g_warning ("Ignoring %s: only https, or http on loopback, is allowed", env_var);
  return g_strdup (default_url);
}
