/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-credentials"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gauge-credentials.h"

#define VALID_TOKEN "sk-ant-oat01-FAKEtokenFORtestsONLY-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static char *
read_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, NULL))
    g_error ("Missing fixture %s", path);

  return contents;
}

/* Installs a fixture where Claude Code keeps its credentials, in the test's own home. */
static char *
install_fixture (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *path = g_build_filename (dir, ".credentials.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  contents = read_fixture (name, &length);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  /* CONSISTENT: in GLib 2.74, NONE writes over an existing file without truncating it. */
  g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

/* The token, or any piece of it, must never reach a message that might be shown or logged. */
static void
assert_no_secret (const GError *error,
                  const char   *token)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "sk-ant"));
  g_assert_null (strstr (error->message, "FAKE"));
  g_assert_null (strstr (error->message, "SECRET"));
  if (token != NULL)
    g_assert_null (strstr (error->message, token));
}

static void
test_valid (void)
{
  g_autofree char *path = install_fixture ("credentials-valid.json");
  g_autofree char *default_path = gauge_credentials_get_default_path ();
  g_autoptr(GaugeCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) expires_at = g_date_time_new_from_unix_utc (1795000000);
  g_autofree char *plan = NULL;

  g_assert_cmpstr (default_path, ==, path);

  credentials = gauge_credentials_new_from_file (default_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gauge_credentials_get_access_token (credentials), ==, VALID_TOKEN);
  g_assert_true (g_date_time_equal (gauge_credentials_get_expires_at (credentials), expires_at));
  g_assert_true (gauge_credentials_has_scope (credentials, "user:profile"));
  g_assert_true (gauge_credentials_has_scope (credentials, "user:inference"));
  g_assert_false (gauge_credentials_has_scope (credentials, "user:admin"));
  g_assert_cmpstr (gauge_credentials_get_subscription_type (credentials), ==, "max");
  g_assert_cmpstr (gauge_credentials_get_rate_limit_tier (credentials), ==,
                   "default_claude_max_5x");

  plan = gauge_credentials_dup_plan_name (credentials);
  g_assert_cmpstr (plan, ==, "Max 5x");
}

static void
test_scopes (void)
{
  g_autofree char *contents = NULL;
  g_autoptr(GaugeCredentials) inference_only = NULL;
  g_autoptr(GaugeCredentials) scopes_string = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  /* A `claude setup-token` token: no user:profile, so the usage endpoint would refuse it. */
  contents = read_fixture ("credentials-inference-only.json", &length);
  inference_only = gauge_credentials_new_from_data (contents, length, &error);
  g_assert_no_error (error);
  g_assert_true (gauge_credentials_has_scope (inference_only, "user:inference"));
  g_assert_false (gauge_credentials_has_scope (inference_only, "user:profile"));
  g_assert_null (gauge_credentials_get_expires_at (inference_only));
  g_assert_null (gauge_credentials_get_subscription_type (inference_only));
  g_clear_pointer (&contents, g_free);

  /* scopes of the wrong type read as none. */
  contents = read_fixture ("credentials-float-expiry.json", &length);
  scopes_string = gauge_credentials_new_from_data (contents, length, &error);
  g_assert_no_error (error);
  g_assert_false (gauge_credentials_has_scope (scopes_string, "user:profile"));
}

static void
test_missing_file (void)
{
  g_autofree char *path = gauge_credentials_get_default_path ();
  g_autoptr(GaugeCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  credentials = gauge_credentials_new_from_file (path, &error);
  g_assert_null (credentials);
  g_assert_error (error, GAUGE_CREDENTIALS_ERROR, GAUGE_CREDENTIALS_ERROR_NOT_FOUND);
  /* The message names the file, so the user knows where it was looked for. */
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_unreadable (void)
{
  g_autofree char *path = gauge_credentials_get_default_path ();
  g_autoptr(GaugeCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  /* A directory where the file should be. */
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  credentials = gauge_credentials_new_from_file (path, &error);
  g_assert_null (credentials);
  g_assert_error (error, GAUGE_CREDENTIALS_ERROR, GAUGE_CREDENTIALS_ERROR_INVALID);
}

static void
test_empty_strings (void)
{
  g_autofree char *path = install_fixture ("credentials-empty.json");
  g_autoptr(GaugeCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  credentials = gauge_credentials_new_from_file (path, &error);
  g_assert_null (credentials);
  g_assert_error (error, GAUGE_CREDENTIALS_ERROR, GAUGE_CREDENTIALS_ERROR_SIGNED_OUT);
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_mcp_only (void)
{
  g_autofree char *path = install_fixture ("credentials-mcp-only.json");
  g_autoptr(GaugeCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  credentials = gauge_credentials_new_from_file (path, &error);
  g_assert_null (credentials);
  g_assert_error (error, GAUGE_CREDENTIALS_ERROR, GAUGE_CREDENTIALS_ERROR_SIGNED_OUT);
  assert_no_secret (error, "gho_FAKEmcpTOKENforTESTSonly");
}

static void
test_bad_json (void)
{
  g_autofree char *path = install_fixture ("credentials-truncated.json");
  g_autoptr(GaugeCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  credentials = gauge_credentials_new_from_file (path, &error);
  g_assert_null (credentials);
  g_assert_error (error, GAUGE_CREDENTIALS_ERROR, GAUGE_CREDENTIALS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, path));
  assert_no_secret (error, NULL);
  g_clear_error (&error);

  g_clear_pointer (&path, g_free);
  path = install_fixture ("credentials-array.json");
  credentials = gauge_credentials_new_from_file (path, &error);
  g_assert_null (credentials);
  g_assert_error (error, GAUGE_CREDENTIALS_ERROR, GAUGE_CREDENTIALS_ERROR_INVALID);
  assert_no_secret (error, NULL);
}

static void
test_expiry (void)
{
  g_autofree char *contents = NULL;
  g_autoptr(GaugeCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(GDateTime) long_before = NULL;
  g_autoptr(GDateTime) just_outside = NULL;
  g_autoptr(GDateTime) margin = NULL;
  g_autoptr(GDateTime) after = NULL;
  gsize length;

  /* expiresAt as a float with milliseconds: 1795000000123.0 */
  contents = read_fixture ("credentials-float-expiry.json", &length);
  credentials = gauge_credentials_new_from_data (contents, length, &error);
  g_assert_no_error (error);

  expires_at = g_date_time_ref (gauge_credentials_get_expires_at (credentials));
  g_assert_cmpint (g_date_time_to_unix (expires_at), ==, 1795000000);
  g_assert_cmpint (g_date_time_get_microsecond (expires_at), ==, 123000);

  long_before = g_date_time_add_hours (expires_at, -1);
  just_outside = g_date_time_add (expires_at, -5 * G_TIME_SPAN_MINUTE - 1);
  margin = g_date_time_add_minutes (expires_at, -5);
  after = g_date_time_add_seconds (expires_at, 1);

  g_assert_false (gauge_credentials_is_expired (credentials, long_before));
  g_assert_false (gauge_credentials_is_expired (credentials, just_outside));
  /* Five minutes early counts as expired already. */
  g_assert_true (gauge_credentials_is_expired (credentials, margin));
  g_assert_true (gauge_credentials_is_expired (credentials, expires_at));
  g_assert_true (gauge_credentials_is_expired (credentials, after));
}

static void
test_no_expiry (void)
{
  g_autoptr(GaugeCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) far_future = g_date_time_new_utc (2999, 1, 1, 0, 0, 0);

  credentials = gauge_credentials_new_from_data ("{\"claudeAiOauth\": {\"accessToken\": \"tok\"}}",
                                                 -1, &error);
  g_assert_no_error (error);
  g_assert_null (gauge_credentials_get_expires_at (credentials));
  g_assert_false (gauge_credentials_is_expired (credentials, far_future));
}

static void
test_config_dir (void)
{
  g_autofree char *config_dir = g_build_filename (g_get_home_dir (), "work-claude", NULL);
  g_autofree char *expected = g_build_filename (config_dir, ".credentials.json", NULL);
  g_autofree char *fallback = g_build_filename (g_get_home_dir (), ".claude",
                                                ".credentials.json", NULL);
  g_autofree char *list = g_strdup_printf ("%s,%s/other", config_dir, g_get_home_dir ());
  g_autofree char *single = NULL;
  g_autofree char *several = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *unset = NULL;

  g_setenv ("CLAUDE_CONFIG_DIR", config_dir, TRUE);
  single = gauge_credentials_get_default_path ();
  g_setenv ("CLAUDE_CONFIG_DIR", list, TRUE);
  several = gauge_credentials_get_default_path ();
  g_setenv ("CLAUDE_CONFIG_DIR", "", TRUE);
  empty = gauge_credentials_get_default_path ();
  g_unsetenv ("CLAUDE_CONFIG_DIR");
  unset = gauge_credentials_get_default_path ();

  g_assert_cmpstr (single, ==, expected);
  /* A list is for transcripts; the credentials stay in the default place. */
  g_assert_cmpstr (several, ==, fallback);
  g_assert_cmpstr (empty, ==, fallback);
  g_assert_cmpstr (unset, ==, fallback);
}

static void
test_plan_names (void)
{
  static const struct { const char *type; const char *tier; const char *plan; } cases[] = {
    { "max", "default_claude_max_20x", "Max 20x" },
    { "max", "default_claude_max_5x", "Max 5x" },
    { NULL, "default_claude_max_5x", "Max 5x" },
    { "max", NULL, "Max" },
    { "max", "", "Max" },
    { "pro", NULL, "Pro" },
    { "pro", "default_claude_ai", "Pro" },
    { "team", NULL, "Team" },
    { "enterprise", NULL, "Enterprise" },
    { "free", NULL, "Free" },
    { "Pro", NULL, "Pro" },
    { "claude_max", NULL, "Max" },
    { "claude_pro", NULL, "Pro" },
    { "claude_team", NULL, "Team" },
    { "claude_enterprise", NULL, "Enterprise" },
    { "business", NULL, "Business" },
    { "claude_team_plus", NULL, "Team plus" },
    { "claude_\033]0;title\007team\033[0m_plus\302\233", NULL, "Team plus" },  /* escapes */
    { "", NULL, NULL },
    { NULL, NULL, NULL },
    { NULL, "default_claude_ai", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *plan = gauge_plan_name_from_tier (cases[i].type, cases[i].tier);

      g_test_message ("%s / %s", cases[i].type ? cases[i].type : "NULL",
                      cases[i].tier ? cases[i].tier : "NULL");
      g_assert_cmpstr (plan, ==, cases[i].plan);
    }
}

static void
test_token_never_in_errors (void)
{
  /* Malformed in every way we can think of, each with a token in it. */
  static const char *inputs[] = {
    "{\"claudeAiOauth\": {\"accessToken\": \"sk-ant-oat01-SECRET\"",
    "{\"claudeAiOauth\": {\"accessToken\": sk-ant-oat01-SECRET}}",
    "{\"claudeAiOauth\": {\"accessToken\": \"sk-ant-oat01-SECRET\" \"expiresAt\": 1}}",
    "{\"claudeAiOauth\": {\"accessToken\": \"sk-ant-oat01-SECRET\nwith a newline\"}}",
    "{\"claudeAiOauth\": {\"accessToken\": \"sk-ant-oat01-SECRET with space\"}}",
    "[\"sk-ant-oat01-SECRET\"]",
    "\"sk-ant-oat01-SECRET\"",
    "sk-ant-oat01-SECRET",
    "{\"claudeAiOauth\": \"sk-ant-oat01-SECRET\"}",
    "{\"claudeAiOauth\": {\"accessToken\": [\"sk-ant-oat01-SECRET\"]}}",
    "{\"mcpOAuth\": {\"x\": {\"accessToken\": \"sk-ant-oat01-SECRET\"}}}",
    "{\"claudeAiOauth\": {\"accessToken\": \"sk-ant-oat01-SECRET\", \"x\": "
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
  };
  g_autofree char *path = g_build_filename (g_get_home_dir (), "creds.json", NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_home_dir (), 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GaugeCredentials) from_data = NULL;
      g_autoptr(GaugeCredentials) from_file = NULL;
      g_autoptr(GError) data_error = NULL;
      g_autoptr(GError) file_error = NULL;

      g_test_message ("input %u", i);

      from_data = gauge_credentials_new_from_data (inputs[i], -1, &data_error);
      g_assert_null (from_data);
      g_assert_true (data_error->domain == GAUGE_CREDENTIALS_ERROR);
      assert_no_secret (data_error, NULL);

      g_assert_true (g_file_set_contents (path, inputs[i], -1, NULL));
      from_file = gauge_credentials_new_from_file (path, &file_error);
      g_assert_null (from_file);
      g_assert_true (file_error->domain == GAUGE_CREDENTIALS_ERROR);
      assert_no_secret (file_error, NULL);
    }
}

static void
test_token_hash (void)
{
  g_autofree char *contents = NULL;
  g_autoptr(GaugeCredentials) first = NULL;
  g_autoptr(GaugeCredentials) second = NULL;
  g_autoptr(GaugeCredentials) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash1 = NULL;
  g_autofree char *hash2 = NULL;
  g_autofree char *hash3 = NULL;
  g_autofree char *sha256 = NULL;
  gsize length;

  contents = read_fixture ("credentials-valid.json", &length);
  first = gauge_credentials_new_from_data (contents, length, &error);
  g_assert_no_error (error);
  second = gauge_credentials_new_from_data (contents, length, &error);
  g_assert_no_error (error);
  other = gauge_credentials_new_from_data ("{\"claudeAiOauth\": {\"accessToken\": \"other\"}}", -1,
                                           &error);
  g_assert_no_error (error);

  hash1 = gauge_credentials_dup_token_hash (first);
  hash2 = gauge_credentials_dup_token_hash (second);
  hash3 = gauge_credentials_dup_token_hash (other);

  g_assert_cmpuint (strlen (hash1), ==, 32);
  g_assert_cmpstr (hash1, ==, hash2);
  g_assert_cmpstr (hash1, !=, hash3);
  for (const char *p = hash1; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  g_assert_null (strstr (hash1, "sk-ant"));
  g_assert_null (strstr (VALID_TOKEN, hash1));

  sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, VALID_TOKEN, -1);
  g_assert_true (g_str_has_prefix (sha256, hash1));
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GaugeCredentials *
load_sync (const char  *path,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gauge_credentials_load_async (path, NULL, load_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return gauge_credentials_load_finish (result, error);
}

static void
test_load_async (void)
{
  g_autofree char *path = install_fixture ("credentials-valid.json");
  g_autofree char *missing = g_build_filename (g_get_home_dir (), "nowhere.json", NULL);
  g_autoptr(GaugeCredentials) credentials = NULL;
  g_autoptr(GaugeCredentials) none = NULL;
  g_autoptr(GError) error = NULL;

  credentials = load_sync (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gauge_credentials_get_access_token (credentials), ==, VALID_TOKEN);

  none = load_sync (missing, &error);
  g_assert_null (none);
  g_assert_error (error, GAUGE_CREDENTIALS_ERROR, GAUGE_CREDENTIALS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_clear_pointer (&path, g_free);
  path = install_fixture ("credentials-mcp-only.json");
  none = load_sync (path, &error);
  g_assert_null (none);
  g_assert_error (error, GAUGE_CREDENTIALS_ERROR, GAUGE_CREDENTIALS_ERROR_SIGNED_OUT);
}

/* In place of the file: a device, a FIFO, a folder, or a file far larger than any real one.
 * Each is refused at once with a message that says what it is; none is read (from /dev/zero
 * that was gigabytes) or waited on (a FIFO blocked --status for good). */
static void
test_not_a_regular_file (void)
{
  g_autofree char *path = gauge_credentials_get_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *big = g_strnfill (2 * 1000 * 1000, ' ');

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GaugeCredentials) credentials = NULL;
      g_autoptr(GError) error = NULL;
      const char *says = i < 3 ? "is not a regular file" : "is larger than 1 MB";

      if (i == 0)
        g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
      else if (i == 1)
        g_assert_cmpint (mkfifo (path, 0600), ==, 0);
      else if (i == 2)
        g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      else
        g_assert_true (g_file_set_contents (path, big, -1, NULL));

      credentials = gauge_credentials_new_from_file (path, &error);
      g_assert_null (credentials);
      g_assert_error (error, GAUGE_CREDENTIALS_ERROR, GAUGE_CREDENTIALS_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_nonnull (strstr (error->message, says));
      g_clear_error (&error);

      credentials = load_sync (path, &error);
      g_assert_null (credentials);
      g_assert_error (error, GAUGE_CREDENTIALS_ERROR, GAUGE_CREDENTIALS_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, says));

      g_assert_cmpint (g_remove (path), ==, 0);
    }
}

static void
test_never_writes (void)
{
  g_autofree char *path = install_fixture ("credentials-valid.json");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GaugeCredentials) credentials = NULL;
  GStatBuf st_before, st_after;

  g_assert_cmpint (g_stat (path, &st_before), ==, 0);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));

  credentials = gauge_credentials_new_from_file (path, NULL);
  g_assert_nonnull (credentials);
  g_clear_object (&credentials);
  credentials = load_sync (path, NULL);
  g_assert_nonnull (credentials);

  g_assert_cmpint (g_stat (path, &st_after), ==, 0);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (st_before.st_mode, ==, st_after.st_mode);
  g_assert_cmpint (st_before.st_mtime, ==, st_after.st_mtime);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* The process's own value must not leak into the default-path tests. */
  g_unsetenv ("CLAUDE_CONFIG_DIR");

  g_test_add_func ("/credentials/valid", test_valid);
  g_test_add_func ("/credentials/scopes", test_scopes);
  g_test_add_func ("/credentials/missing-file", test_missing_file);
  g_test_add_func ("/credentials/unreadable", test_unreadable);
  g_test_add_func ("/credentials/empty-strings", test_empty_strings);
  g_test_add_func ("/credentials/mcp-only", test_mcp_only);
  g_test_add_func ("/credentials/bad-json", test_bad_json);
  g_test_add_func ("/credentials/expiry", test_expiry);
  g_test_add_func ("/credentials/no-expiry", test_no_expiry);
  g_test_add_func ("/credentials/config-dir", test_config_dir);
  g_test_add_func ("/credentials/plan-names", test_plan_names);
  g_test_add_func ("/credentials/token-never-in-errors", test_token_never_in_errors);
  g_test_add_func ("/credentials/token-hash", test_token_hash);
  g_test_add_func ("/credentials/load-async", test_load_async);
  g_test_add_func ("/credentials/never-writes", test_never_writes);
  g_test_add_func ("/credentials/not-a-regular-file", test_not_a_regular_file);

  return g_test_run ();
}
