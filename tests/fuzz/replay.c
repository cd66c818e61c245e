/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Replays a fuzz corpus through one target without libFuzzer, so that `meson test` runs the
 * seeds (and any crash reproducers added to the corpus) with the normal compiler. */

#define G_LOG_DOMAIN "fuzz-replay"

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static gboolean
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree uint8_t *exact = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }

  /* A buffer of exactly the input's size, without the nul g_file_get_contents adds, so that
   * AddressSanitizer catches a read past the end as libFuzzer would. */
  exact = g_malloc (MAX (length, 1));
  memcpy (exact, contents, length);

  g_print ("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
  LLVMFuzzerTestOneInput (exact, length);

  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

int
main (int   argc,
      char *argv[])
{
  guint n_inputs = 0;

  if (argc < 2)
    {
      g_printerr ("Usage: %s DIRECTORY|FILE…\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GPtrArray) names = NULL;
      const char *name;

      if (!g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          if (!replay_file (argv[i]))
            return 1;
          n_inputs++;
          continue;
        }

      if (!(dir = g_dir_open (argv[i], 0, NULL)))
        {
          g_printerr ("Cannot open %s\n", argv[i]);
          return 1;
        }

      /* In name order, so a failure reproduces the same way every time. */
      names = g_ptr_array_new_with_free_func (g_free);
      while ((name = g_dir_read_name (dir)))
        g_ptr_array_add (names, g_build_filename (argv[i], name, NULL));
      g_ptr_array_sort (names, compare_names);

      for (guint j = 0; j < names->len; j++)
        {
          const char *path = g_ptr_array_index (names, j);

          if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            continue;
          if (!replay_file (path))
            return 1;
          n_inputs++;
        }
    }

  g_print ("Replayed %u inputs\n", n_inputs);

  /* An empty corpus means a broken path, not a pass. */
  return n_inputs > 0 ? 0 : 1;
}
