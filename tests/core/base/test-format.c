/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>

#include "gauge-format.h"
#include "gauge-json.h"

/* What the terminal prints: each number at its shortest, strings untouched. */
static void
test_shortest_numbers (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  double sum = 0;

  for (guint i = 0; i < 10; i++)
    sum += 0.1;                                    /* 0.9999999999999999, not 1 */

  json_builder_begin_object (builder);
  gauge_json_add_double (builder, "cost", 2.16922485);
  gauge_json_add_double (builder, "price", 38.15);               /* 38.149999999999999 */
  gauge_json_add_double (builder, "sum", sum);
  gauge_json_add_double (builder, "whole", 5);
  gauge_json_add_double (builder, "tiny", -1.5e-12);
  gauge_json_add_int (builder, "tokens", 1104266);
  gauge_json_add_string (builder, "text", "\"2.1692248499999995\" \\ 0.30000000000000004");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  text = gauge_json_to_string (root);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\"cost\" : 2.16922485,"));
  g_assert_nonnull (strstr (text, "\"price\" : 38.15,"));
  g_assert_nonnull (strstr (text, "\"sum\" : 0.9999999999999999,"));
  g_assert_nonnull (strstr (text, "\"whole\" : 5.0,"));
  g_assert_nonnull (strstr (text, "\"tiny\" : -1.5e-12,"));
  g_assert_nonnull (strstr (text, "\"tokens\" : 1104266,"));
  g_assert_nonnull (strstr (text, "0.30000000000000004\""));

  /* What is read back is what was written. */
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_double_member (object, "cost") == 2.16922485);
  g_assert_true (json_object_get_double_member (object, "price") == 38.15);
  g_assert_true (json_object_get_double_member (object, "sum") == sum);
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==,
                   "\"2.1692248499999995\" \\ 0.30000000000000004");
}

/* Counts and money in groups of three, one rule for the window, the terminal and reports. */
static void
test_grouped_digits (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "0", "0" }, { "999", "999" }, { "1000", "1,000" }, { "-4000", "-4,000" },
    { "11942.95", "11,942.95" }, { "98112663", "98,112,663" }, { "1234567.5", "1,234,567.5" },
  };
  g_autofree char *count = gauge_format_count (338377);
  g_autofree char *usd = gauge_format_usd (11942.954);
  g_autofree char *negative = gauge_format_usd (-0.001);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *grouped = gauge_format_group_digits (cases[i].in);

      g_assert_cmpstr (grouped, ==, cases[i].out);
    }
  g_assert_cmpstr (count, ==, "338,377");
  g_assert_cmpstr (usd, ==, "$11,942.95");
  g_assert_cmpstr (negative, ==, "$0.00");
}

/* A German locale in the test's own folder (localedef, from the Debian package locales; the
 * folder goes with the test), so that the test needs no root and no locale installed
 * system-wide. */
static locale_t
german_locale (void)
{
  g_autoptr(GError) error = NULL;
  const char *folder = g_get_user_cache_dir ();
  g_autofree char *target = g_build_filename (folder, "de_DE.UTF-8", NULL);
  const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", NULL, NULL };
  int status = 0;
  locale_t german;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  argv[5] = target;
  /* localedef exits 1 for warnings about the source files it still compiles. */
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_setenv ("LOCPATH", folder, TRUE);
  german = newlocale (LC_ALL_MASK, "de_DE.UTF-8", (locale_t) 0);
  g_assert_true (german != (locale_t) 0);
  return german;
}

/* The window and the terminal group digits as the user's locale does; reports keep
 * ccusage's "1,234.50" in every locale. */
static void
test_grouped_digits_german (void)
{
  locale_t german = german_locale ();
  locale_t before = uselocale (german);
  g_autofree char *grouped = gauge_format_group_digits ("11942.95");
  g_autofree char *count = gauge_format_count (338377);
  g_autofree char *usd = gauge_format_usd (11942.954);
  g_autofree char *plain_grouped = NULL;
  g_autofree char *plain_usd = NULL;
  g_autofree char *plain_decimal = NULL;
  g_autofree char *after = NULL;
  gpointer plain;

  g_assert_cmpstr (grouped, ==, "11.942,95");
  g_assert_cmpstr (count, ==, "338.377");
  g_assert_cmpstr (usd, ==, "$11.942,95");

  plain = gauge_format_plain_numbers_begin ();
  plain_grouped = gauge_format_group_digits ("11942.95");
  plain_usd = gauge_format_usd (11942.954);
  plain_decimal = g_strdup_printf ("%.1f", 2.5);
  gauge_format_plain_numbers_end (plain);
  g_assert_cmpstr (plain_grouped, ==, "11,942.95");
  g_assert_cmpstr (plain_usd, ==, "$11,942.95");
  g_assert_cmpstr (plain_decimal, ==, "2.5");

  /* And back to German afterwards. */
  after = gauge_format_count (1104266);
  g_assert_cmpstr (after, ==, "1.104.266");

  uselocale (before);
  freelocale (german);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/json/shortest-numbers", test_shortest_numbers);
  g_test_add_func ("/format/grouped-digits", test_grouped_digits);
  g_test_add_func ("/format/grouped-digits-german", test_grouped_digits_german);

  return g_test_run ();
}
