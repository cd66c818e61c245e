/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-hostile-server"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gauge-hostile-server.h"

#define DRIP_LENGTH    100000
#define CHUNK_SIZE     (64 * 1024)
#define CHUNKED_LIMIT  (G_GUINT64_CONSTANT (512) * 1024 * 1024)
#define BOMB_SIZE      (G_GUINT64_CONSTANT (1024) * 1024 * 1024)

#define TARGET_BODY "{\"five_hour\":{\"utilization\":12,\"resets_at\":null}}"

struct _GaugeHostileServer
{
  GaugeHostileMode  mode;
  GSocketService   *service;
  GSocketService   *target;
  char             *base_url;
  guint16           target_port;
  gint              stopping;
  gint              active;
  gint              requests;
  gint              target_requests;
  gsize             bytes_sent;   /* atomic */
};

/* 1 GiB of zeros, gzip-compressed once per process (about 1 MB, a few seconds of CPU). */
static GBytes *
gzip_bomb (void)
{
  static GBytes *bomb;

  if (g_once_init_enter (&bomb))
    {
      g_autoptr(GZlibCompressor) compressor = NULL;
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autofree guint8 *zeros = g_malloc0 (CHUNK_SIZE * 16);
      guint8 buffer[64 * 1024];
      guint64 fed = 0;
      GConverterResult result;

      compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
      do
        {
          gsize in_size = MIN (CHUNK_SIZE * 16, BOMB_SIZE - fed);
          gsize read = 0, written = 0;
          g_autoptr(GError) error = NULL;

          result = g_converter_convert (G_CONVERTER (compressor), zeros, in_size,
                                        buffer, sizeof buffer,
                                        fed + in_size == BOMB_SIZE ? G_CONVERTER_INPUT_AT_END
                                                                   : G_CONVERTER_NO_FLAGS,
                                        &read, &written, &error);
          g_assert_no_error (error);
          fed += read;
          g_byte_array_append (out, buffer, written);
        }
      while (result != G_CONVERTER_FINISHED);

      g_once_init_leave (&bomb, g_byte_array_free_to_bytes (g_steal_pointer (&out)));
    }

  return bomb;
}

static gboolean
send_all (GaugeHostileServer *self,
          GOutputStream      *out,
          const void         *data,
          gsize               length)
{
  gsize written = 0;
  gboolean ok = g_output_stream_write_all (out, data, length, &written, NULL, NULL);

  g_atomic_pointer_add (&self->bytes_sent, written);
  return ok;
}

/* Reads up to the blank line that ends the request's headers; returns its path. */
static char *
read_request (GInputStream *in)
{
  g_autoptr(GString) head = g_string_new (NULL);
  char c;

  while (head->len < 16 * 1024 && !g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      if (g_input_stream_read (in, &c, 1, NULL, NULL) != 1)
        return NULL;
      g_string_append_c (head, c);
    }

  /* "GET /path HTTP/1.1" */
  {
    g_auto(GStrv) words = g_strsplit (head->str, " ", 3);

    return g_strv_length (words) >= 2 ? g_strdup (words[1]) : NULL;
  }
}

static void
answer (GaugeHostileServer *self,
        GOutputStream      *out,
        const char         *path)
{
  g_autofree char *head = NULL;

  switch (self->mode)
    {
    case GAUGE_HOSTILE_DRIP:
      head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Content-Length: %d\r\n\r\n{", DRIP_LENGTH);
      if (!send_all (self, out, head, strlen (head)))
        return;
      for (guint i = 1; i < DRIP_LENGTH && !g_atomic_int_get (&self->stopping); i++)
        {
          g_usleep (G_USEC_PER_SEC);
          if (!send_all (self, out, " ", 1))
            return;
        }
      break;

    case GAUGE_HOSTILE_CHUNKED:
      {
        g_autofree char *chunk = g_malloc (CHUNK_SIZE + 32);
        int prefix = g_snprintf (chunk, 32, "%x\r\n", CHUNK_SIZE);

        memset (chunk + prefix, ' ', CHUNK_SIZE);
        memcpy (chunk + prefix + CHUNK_SIZE, "\r\n", 2);
        head = g_strdup ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n");
        if (!send_all (self, out, head, strlen (head)))
          return;
        for (guint64 sent = 0; sent < CHUNKED_LIMIT && !g_atomic_int_get (&self->stopping);
             sent += CHUNK_SIZE)
          if (!send_all (self, out, chunk, prefix + CHUNK_SIZE + 2))
            return;
        send_all (self, out, "0\r\n\r\n", 5);
      }
      break;

    case GAUGE_HOSTILE_GZIP:
      {
        GBytes *bomb = gzip_bomb ();

        head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                "Content-Encoding: gzip\r\nContent-Length: %" G_GSIZE_FORMAT
                                "\r\n\r\n", g_bytes_get_size (bomb));
        if (send_all (self, out, head, strlen (head)))
          send_all (self, out, g_bytes_get_data (bomb, NULL), g_bytes_get_size (bomb));
      }
      break;

    case GAUGE_HOSTILE_REDIRECT:
      head = g_strdup_printf ("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:%u%s\r\n"
                              "Content-Length: 0\r\nConnection: close\r\n\r\n",
                              self->target_port, path);
      send_all (self, out, head, strlen (head));
      break;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
run_cb (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  GaugeHostileServer *self = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autofree char *path = NULL;

  g_atomic_int_inc (&self->active);
  path = read_request (in);
  if (path != NULL)
    {
      g_atomic_int_inc (&self->requests);
      answer (self, out, path);
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_atomic_int_add (&self->active, -1);

  return TRUE;
}

/* The redirect's target: a valid reading, so a client that followed the redirect would
 * succeed, and the count says it went there. */
static gboolean
target_run_cb (GThreadedSocketService *service,
               GSocketConnection      *connection,
               GObject                *source_object,
               gpointer                user_data)
{
  GaugeHostileServer *self = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autofree char *path = NULL;
  g_autofree char *reply = NULL;

  g_atomic_int_inc (&self->active);
  path = read_request (in);
  if (path != NULL)
    {
      g_atomic_int_inc (&self->target_requests);
      reply = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                               strlen (TARGET_BODY), TARGET_BODY);
      send_all (self, out, reply, strlen (reply));
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_atomic_int_add (&self->active, -1);

  return TRUE;
}

static GSocketService *
listen_loopback (GaugeHostileServer *self,
                 GCallback           handler,
                 guint16            *port)
{
  GSocketService *service = g_threaded_socket_service_new (8);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (service, "run", handler, self);
  g_socket_service_start (service);

  return service;
}

GaugeHostileServer *
gauge_hostile_server_new (GaugeHostileMode mode)
{
  GaugeHostileServer *self = g_new0 (GaugeHostileServer, 1);
  guint16 port;

  self->mode = mode;
  if (mode == GAUGE_HOSTILE_GZIP)
    gzip_bomb ();
  if (mode == GAUGE_HOSTILE_REDIRECT)
    self->target = listen_loopback (self, G_CALLBACK (target_run_cb), &self->target_port);
  self->service = listen_loopback (self, G_CALLBACK (run_cb), &port);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u", port);

  return self;
}

/* Stops answering, and waits for the threads still writing: a drip notices within a second;
 * a thread blocked on a full socket waits for the client to close its end, which may take an
 * iteration of the test's main context. */
void
gauge_hostile_server_free (GaugeHostileServer *self)
{
  g_atomic_int_set (&self->stopping, 1);
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  if (self->target != NULL)
    {
      g_socket_service_stop (self->target);
      g_socket_listener_close (G_SOCKET_LISTENER (self->target));
    }
  for (guint i = 0; i < 1000 && g_atomic_int_get (&self->active) > 0; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  g_assert_cmpint (g_atomic_int_get (&self->active), ==, 0);

  g_clear_object (&self->service);
  g_clear_object (&self->target);
  g_free (self->base_url);
  g_free (self);
}

const char *
gauge_hostile_server_get_base_url (GaugeHostileServer *self)
{
  return self->base_url;
}

guint
gauge_hostile_server_get_requests (GaugeHostileServer *self)
{
  return g_atomic_int_get (&self->requests);
}

guint
gauge_hostile_server_get_target_requests (GaugeHostileServer *self)
{
  return g_atomic_int_get (&self->target_requests);
}

guint64
gauge_hostile_server_get_bytes_sent (GaugeHostileServer *self)
{
  return (guint64) g_atomic_pointer_get (&self->bytes_sent);
}

/* Lets the next gauge_test_peak_rss() measure from here (Linux 4.0 and later). */
void
gauge_test_reset_peak_rss (void)
{
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

guint64
gauge_test_peak_rss (void)
{
  g_autofree char *status = NULL;
  const char *line;
  guint64 kb = 0;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  if (line != NULL)
    sscanf (line, "VmHWM: %" G_GUINT64_FORMAT, &kb);

  return kb * 1024;
}
