/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-file"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gauge-file.h"

/**
 * gauge_file_read_bounded:
 * @path: (type filename): the file
 * @max_size: the most bytes it may hold
 * @contents: (out) (transfer full): its bytes, nul-terminated
 * @length: (out) (optional): their number, without the nul
 * @error: %G_IO_ERROR_NOT_FOUND when there is no file, %G_IO_ERROR_NOT_REGULAR_FILE for a
 *   folder, a pipe or a device, %G_IO_ERROR_MESSAGE_TOO_LARGE past @max_size, or another
 *   %G_IO_ERROR; the message names the file
 *
 * O_NONBLOCK makes opening a FIFO return at once instead of waiting for a writer; what is
 * not a regular file is then refused before a byte is read, so /dev/zero cannot fill memory.
 *
 * Returns: %TRUE with @contents set, or %FALSE with @error set
 */
gboolean
gauge_file_read_bounded (const char  *path,
                         gsize        max_size,
                         char       **contents,
                         gsize       *length,
                         GError     **error)
{
  g_autofree char *display = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *size_text = NULL;
  struct stat st;
  gsize capacity;
  gsize filled = 0;
  int saved_errno;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);
  g_return_val_if_fail (max_size < G_MAXSIZE, FALSE);

  display = g_filename_display_name (path);

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not read %s: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   S_ISDIR (st.st_mode) ? _("%s is a folder, not a file")
                                        : _("%s is not a regular file (a pipe or a device?)"),
                   display);
      return FALSE;
    }

  size_text = g_format_size (max_size);
  if (st.st_size < 0 || (guint64) st.st_size > max_size)
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("%s is larger than %s"), display, size_text);
      return FALSE;
    }

  /* The size fstat() gave is a first guess: the file may grow meanwhile, and some (in /proc)
   * say 0. Reading goes on to the end, or one byte past the cap. */
  capacity = MIN ((gsize) st.st_size, max_size) + 1;
  buffer = g_malloc (capacity + 1);
  for (;;)
    {
      gssize n;

      if (filled == capacity)
        {
          capacity = MIN (capacity * 2, max_size + 1);
          buffer = g_realloc (buffer, capacity + 1);
        }

      n = read (fd, buffer + filled, capacity - filled);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          close (fd);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not read %s: %s"), display, g_strerror (saved_errno));
          return FALSE;
        }
      filled += n;
      if (n == 0 || filled > max_size)
        break;
    }
  close (fd);

  if (filled > max_size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("%s is larger than %s"), display, size_text);
      return FALSE;
    }

  buffer[filled] = '\0';
  *contents = g_steal_pointer (&buffer);
  if (length != NULL)
    *length = filled;

  return TRUE;
}
