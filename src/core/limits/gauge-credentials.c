/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-credentials"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "gauge-credentials.h"
#include "gauge-file.h"
#include "gauge-format.h"
#include "gauge-json.h"
#include "gauge-worker.h"

/* Claude Code's token is treated as expired this long before it really is. */
#define EXPIRY_MARGIN (5 * G_TIME_SPAN_MINUTE)

/* A real credentials file is under 2 KB; anything this large is something else. */
#define MAX_FILE_SIZE (1000 * 1000)

/* Year 9999, in milliseconds: GDateTime's range. */
#define MAX_EXPIRES_AT_MS G_GINT64_CONSTANT (253402300799999)

struct _GaugeCredentials
{
  GObject    parent_instance;

  char      *access_token;
  GDateTime *expires_at;
  GStrv      scopes;
  char      *subscription_type;
  char      *rate_limit_tier;
};

G_DEFINE_FINAL_TYPE (GaugeCredentials, gauge_credentials, G_TYPE_OBJECT)

G_DEFINE_QUARK (gauge-credentials-error-quark, gauge_credentials_error)

/* The compiler may not drop this store: the token should not linger in freed memory. */
static void
wipe (char  *buf,
      gsize  len)
{
  volatile char *p = buf;

  while (buf != NULL && len-- > 0)
    *p++ = '\0';
}

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    wipe (*secret, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
gauge_credentials_finalize (GObject *object)
{
  GaugeCredentials *self = (GaugeCredentials *)object;

  clear_secret (&self->access_token);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->scopes, g_strfreev);
  g_clear_pointer (&self->subscription_type, g_free);
  g_clear_pointer (&self->rate_limit_tier, g_free);

  G_OBJECT_CLASS (gauge_credentials_parent_class)->finalize (object);
}

static void
gauge_credentials_class_init (GaugeCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gauge_credentials_finalize;
}

static void
gauge_credentials_init (GaugeCredentials *self)
{
}

/**
 * gauge_credentials_get_default_path:
 *
 * `$CLAUDE_CONFIG_DIR/.credentials.json` when that variable names one directory, else
 * `~/.claude/.credentials.json`. A comma-separated list of directories is for transcripts;
 * Claude Code then keeps its credentials in the default place.
 *
 * Returns: (transfer full) (type filename): the path
 */
char *
gauge_credentials_get_default_path (void)
{
  const char *config_dir = g_getenv ("CLAUDE_CONFIG_DIR");

  if (config_dir != NULL && *config_dir != '\0' && strchr (config_dir, ',') == NULL)
    return g_build_filename (config_dir, ".credentials.json", NULL);

  return g_build_filename (g_get_home_dir (), ".claude", ".credentials.json", NULL);
}

/* Error messages name the file but never quote it: it holds a secret. @display is the file's
 * display name, also the argument of @with_display; without it, @without_display is used. */
static void set_error (GError     **error,
                       int          code,
                       const char  *display,
                       const char  *without_display,
                       const char  *with_display,
                       ...) G_GNUC_PRINTF (5, 6);

static void
set_error (GError     **error,
           int          code,
           const char  *display,
           const char  *without_display,
           const char  *with_display,
           ...)
{
  va_list args;

  if (error == NULL)
    return;

  g_return_if_fail (*error == NULL);

  if (display == NULL)
    {
      *error = g_error_new_literal (GAUGE_CREDENTIALS_ERROR, code, without_display);
      return;
    }

  va_start (args, with_display);
  *error = g_error_new_valist (GAUGE_CREDENTIALS_ERROR, code, with_display, args);
  va_end (args);
}

/* An HTTP header value: printable ASCII without spaces, as every OAuth token is. */
static gboolean
token_is_sane (const char *token)
{
  for (const char *p = token; *p != '\0'; p++)
    if (*p < 0x21 || *p > 0x7e)
      return FALSE;

  return TRUE;
}

static GDateTime *
parse_expires_at (JsonObject *oauth)
{
  JsonNode *node = gauge_json_get_member (oauth, "expiresAt");
  g_autoptr(GDateTime) seconds = NULL;
  GType type;
  gint64 ms;

  if (node == NULL)
    return NULL;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    {
      ms = json_node_get_int (node);
    }
  else if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      if (!isfinite (value) || value < 0 || value > (double)MAX_EXPIRES_AT_MS)
        {
          g_debug ("“expiresAt” is out of range; ignored");
          return NULL;
        }
      ms = (gint64)value;
    }
  else
    {
      g_debug ("“expiresAt” is not a number; ignored");
      return NULL;
    }

  if (ms < 0 || ms > MAX_EXPIRES_AT_MS)
    {
      g_debug ("“expiresAt” is out of range; ignored");
      return NULL;
    }

  seconds = g_date_time_new_from_unix_utc (ms / 1000);
  if (seconds == NULL)
    return NULL;

  return g_date_time_add (seconds, (ms % 1000) * G_TIME_SPAN_MILLISECOND);
}

static GStrv
parse_scopes (JsonObject *oauth)
{
  JsonNode *node = gauge_json_get_member (oauth, "scopes");
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_debug ("“scopes” is not an array; ignored");
      return NULL;
    }

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);
}

static GaugeCredentials *
parse (const char  *data,
       gsize        length,
       const char  *path,
       GError     **error)
{
  g_autoptr(GaugeCredentials) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *display = path != NULL ? g_filename_display_name (path) : NULL;
  JsonNode *oauth_node;
  JsonObject *oauth;
  const char *token;

  /* json-glib's own message would quote the offending text, which may be the token. */
  root = gauge_json_parse (data, length, NULL);
  if (root == NULL)
    {
      set_error (error, GAUGE_CREDENTIALS_ERROR_INVALID, display,
                 _("The credentials are not valid JSON"),
                 _("The credentials file %s is not valid JSON"), display);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_error (error, GAUGE_CREDENTIALS_ERROR_INVALID, display,
                 _("The credentials are not a JSON object"),
                 _("The credentials file %s is not a JSON object"), display);
      return NULL;
    }

  oauth_node = gauge_json_get_member (json_node_get_object (root), "claudeAiOauth");
  if (oauth_node == NULL || !JSON_NODE_HOLDS_OBJECT (oauth_node))
    {
      set_error (error, GAUGE_CREDENTIALS_ERROR_SIGNED_OUT, display,
                 _("Claude Code is not signed in to a Claude account"),
                 _("Claude Code is not signed in to a Claude account (no account in %s)"), display);
      return NULL;
    }

  oauth = json_node_get_object (oauth_node);
  token = gauge_json_get_string (oauth, "accessToken");
  if (token == NULL)
    {
      set_error (error, GAUGE_CREDENTIALS_ERROR_SIGNED_OUT, display,
                 _("Claude Code is signed out"),
                 _("Claude Code is signed out (no access token in %s)"), display);
      return NULL;
    }

  /* It goes into an Authorization header; a control character there is a broken file. */
  if (!token_is_sane (token))
    {
      set_error (error, GAUGE_CREDENTIALS_ERROR_INVALID, display,
                 _("The access token is malformed"),
                 _("The access token in %s is malformed"), display);
      return NULL;
    }

  self = g_object_new (GAUGE_TYPE_CREDENTIALS, NULL);
  self->access_token = g_strdup (token);
  self->expires_at = parse_expires_at (oauth);
  self->scopes = parse_scopes (oauth);
  self->subscription_type = g_strdup (gauge_json_get_string (oauth, "subscriptionType"));
  self->rate_limit_tier = g_strdup (gauge_json_get_string (oauth, "rateLimitTier"));

  g_debug ("Read credentials: plan %s, tier %s, %u scopes",
           self->subscription_type ? self->subscription_type : "(none)",
           self->rate_limit_tier ? self->rate_limit_tier : "(none)",
           self->scopes ? g_strv_length (self->scopes) : 0);

  return g_steal_pointer (&self);
}

/**
 * gauge_credentials_new_from_data:
 * @data: the contents of a credentials file
 * @length: its length, or -1 when it is nul-terminated
 * @error: a #GError in %GAUGE_CREDENTIALS_ERROR
 *
 * Returns: (transfer full) (nullable): the credentials, or %NULL with @error set
 */
GaugeCredentials *
gauge_credentials_new_from_data (const char  *data,
                                 gssize       length,
                                 GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse (data, length < 0 ? strlen (data) : (gsize)length, NULL, error);
}

static void
set_read_error (GError     **error,
                const char  *path,
                GError      *io_error)
{
  g_autofree char *display = path != NULL ? g_filename_display_name (path) : NULL;

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    set_error (error, GAUGE_CREDENTIALS_ERROR_NOT_FOUND, display,
               _("No Claude Code credentials"),
               _("No Claude Code credentials at %s"), display);
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE))
    set_error (error, GAUGE_CREDENTIALS_ERROR_INVALID, display,
               _("The credentials are not in a regular file"),
               _("The credentials file %s is not a regular file (a folder, a pipe or a device), "
                 "so it was not read"), display);
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
    set_error (error, GAUGE_CREDENTIALS_ERROR_INVALID, display,
               _("The credentials file is too large"),
               _("The credentials file %s is larger than 1 MB, so it is not Claude Code’s and was "
                 "not read"), display);
  else
    set_error (error, GAUGE_CREDENTIALS_ERROR_INVALID, display,
               _("Could not read the credentials"),
               _("Could not read the credentials file %s"), display);
}

/**
 * gauge_credentials_new_from_file:
 * @path: (type filename): usually gauge_credentials_get_default_path()
 * @error: a #GError in %GAUGE_CREDENTIALS_ERROR
 *
 * Reads the file, blocking, but never on a FIFO or a device (they are refused), and never
 * more than 1 MB. Never writes it.
 *
 * Returns: (transfer full) (nullable): the credentials, or %NULL with @error set
 */
GaugeCredentials *
gauge_credentials_new_from_file (const char  *path,
                                 GError     **error)
{
  g_autoptr(GError) io_error = NULL;
  GaugeCredentials *ret;
  char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!gauge_file_read_bounded (path, MAX_FILE_SIZE, &contents, &length, &io_error))
    {
      g_debug ("Cannot read credentials: %s", io_error->message);
      set_read_error (error, path, io_error);
      return NULL;
    }

  ret = parse (contents, length, path, error);
  wipe (contents, length);
  g_free (contents);

  return ret;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  GaugeCredentials *credentials;

  credentials = gauge_credentials_new_from_file (path, &error);
  if (credentials == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, credentials, g_object_unref);
}

/**
 * gauge_credentials_load_async:
 * @path: (type filename): usually gauge_credentials_get_default_path()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when done
 * @user_data: data for @callback
 *
 * Reads and parses the file on a worker thread, as gauge_credentials_new_from_file() does.
 */
void
gauge_credentials_load_async (const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_credentials_load_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  gauge_worker_run_in_thread (task, load_thread);
}

/**
 * gauge_credentials_load_finish:
 *
 * Returns: (transfer full) (nullable): the credentials, or %NULL with @error set in
 *   %GAUGE_CREDENTIALS_ERROR (or %G_IO_ERROR_CANCELLED)
 */
GaugeCredentials *
gauge_credentials_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gauge_credentials_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gauge_credentials_get_access_token:
 *
 * The bearer token. Never log it or show it.
 *
 * Returns: the token, never empty
 */
const char *
gauge_credentials_get_access_token (GaugeCredentials *self)
{
  g_return_val_if_fail (GAUGE_IS_CREDENTIALS (self), NULL);

  return self->access_token;
}

/**
 * gauge_credentials_get_expires_at:
 *
 * Returns: (nullable) (transfer none): when the token expires, if the file says
 */
GDateTime *
gauge_credentials_get_expires_at (GaugeCredentials *self)
{
  g_return_val_if_fail (GAUGE_IS_CREDENTIALS (self), NULL);

  return self->expires_at;
}

/**
 * gauge_credentials_is_expired:
 * @now: the current time
 *
 * A token counts as expired five minutes early, so a request does not race its expiry.
 *
 * Returns: %TRUE if the token is (nearly) expired; %FALSE when its expiry is unknown
 */
gboolean
gauge_credentials_is_expired (GaugeCredentials *self,
                              GDateTime        *now)
{
  g_return_val_if_fail (GAUGE_IS_CREDENTIALS (self), TRUE);
  g_return_val_if_fail (now != NULL, TRUE);

  if (self->expires_at == NULL)
    return FALSE;

  return g_date_time_difference (self->expires_at, now) <= EXPIRY_MARGIN;
}

/**
 * gauge_credentials_has_scope:
 * @scope: e.g. "user:profile"
 *
 * Returns: %TRUE if the file lists @scope; %FALSE when it lists no scopes at all
 */
gboolean
gauge_credentials_has_scope (GaugeCredentials *self,
                             const char       *scope)
{
  g_return_val_if_fail (GAUGE_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (scope != NULL, FALSE);

  return self->scopes != NULL && g_strv_contains ((const char * const *)self->scopes, scope);
}

const char *
gauge_credentials_get_subscription_type (GaugeCredentials *self)
{
  g_return_val_if_fail (GAUGE_IS_CREDENTIALS (self), NULL);

  return self->subscription_type;
}

const char *
gauge_credentials_get_rate_limit_tier (GaugeCredentials *self)
{
  g_return_val_if_fail (GAUGE_IS_CREDENTIALS (self), NULL);

  return self->rate_limit_tier;
}

/**
 * gauge_credentials_dup_token_hash:
 *
 * Identifies the token (to notice a new sign-in, to key stored state) without revealing it:
 * the first 32 hex digits of its SHA-256.
 *
 * Returns: (transfer full): 32 lower-case hex digits
 */
char *
gauge_credentials_dup_token_hash (GaugeCredentials *self)
{
  g_autofree char *digest = NULL;

  g_return_val_if_fail (GAUGE_IS_CREDENTIALS (self), NULL);

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, self->access_token, -1);

  return g_strndup (digest, 32);
}

/**
 * gauge_credentials_dup_plan_name:
 *
 * Returns: (transfer full) (nullable): e.g. "Max 5x", or %NULL when the file does not say
 */
char *
gauge_credentials_dup_plan_name (GaugeCredentials *self)
{
  g_return_val_if_fail (GAUGE_IS_CREDENTIALS (self), NULL);

  return gauge_plan_name_from_tier (self->subscription_type, self->rate_limit_tier);
}

/**
 * gauge_plan_name_from_tier:
 * @subscription_type: (nullable): "max", "pro", … or an organization type such as "claude_max"
 * @rate_limit_tier: (nullable): e.g. "default_claude_max_20x"
 *
 * Plan names are product names and are not translated.
 *
 * Returns: (transfer full) (nullable): e.g. "Max 20x", "Pro", or %NULL when nothing is known
 */
char *
gauge_plan_name_from_tier (const char *subscription_type,
                           const char *rate_limit_tier)
{
  static const struct { const char *key; const char *name; } plans[] = {
    { "max", "Max" },
    { "pro", "Pro" },
    { "team", "Team" },
    { "enterprise", "Enterprise" },
    { "free", "Free" },
  };
  g_autofree char *tier = NULL;
  g_autofree char *type = NULL;
  const char *key;

  if (rate_limit_tier != NULL)
    {
      tier = g_ascii_strdown (rate_limit_tier, -1);
      if (strstr (tier, "max_20x") != NULL)
        return g_strdup ("Max 20x");
      if (strstr (tier, "max_5x") != NULL)
        return g_strdup ("Max 5x");
    }

  if (subscription_type == NULL || !g_utf8_validate (subscription_type, -1, NULL))
    return NULL;

  type = g_strstrip (g_ascii_strdown (subscription_type, -1));
  key = g_str_has_prefix (type, "claude_") ? type + strlen ("claude_") : type;
  if (*key == '\0')
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    if (g_str_equal (key, plans[i].key))
      return g_strdup (plans[i].name);

  /* A plan we do not know yet, "business_plus" → "Business plus"; the name came from a file
   * or the network, and is shown in the terminal. */
  {
    g_autofree char *clean = gauge_format_clean_text (key, FALSE);
    g_autofree char *spaced = g_strdelimit (g_steal_pointer (&clean), "_", ' ');
    g_autofree char *first = NULL;

    if (*spaced == '\0')
      return NULL;
    first = g_utf8_strup (spaced, g_utf8_next_char (spaced) - spaced);
    return g_strconcat (first, g_utf8_next_char (spaced), NULL);
  }
}
