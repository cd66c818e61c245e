/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-monitor"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-monitor.h"
#include "gauge-rate-gate.h"

typedef struct
{
  guint      poll_interval;
  gboolean   busy;

  /* Single flight: every caller of update_once waits on the round in progress. */
  GPtrArray *waiters;
} GaugeMonitorPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (GaugeMonitor, gauge_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_POLL_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
gauge_monitor_finalize (GObject *object)
{
  GaugeMonitor *self = (GaugeMonitor *)object;
  GaugeMonitorPrivate *priv = gauge_monitor_get_instance_private (self);

  g_clear_pointer (&priv->waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (gauge_monitor_parent_class)->finalize (object);
}

static void
gauge_monitor_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GaugeMonitor *self = GAUGE_MONITOR (object);
  GaugeMonitorPrivate *priv = gauge_monitor_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, priv->busy);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, priv->poll_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_monitor_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GaugeMonitor *self = GAUGE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_POLL_INTERVAL:
      gauge_monitor_set_poll_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_monitor_class_init (GaugeMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gauge_monitor_finalize;
  object_class->get_property = gauge_monitor_get_property;
  object_class->set_property = gauge_monitor_set_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLL_INTERVAL] =
    g_param_spec_uint ("poll-interval", NULL, NULL,
                       GAUGE_POLL_INTERVAL_MIN, G_MAXUINT, GAUGE_POLL_INTERVAL_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gauge_monitor_init (GaugeMonitor *self)
{
  GaugeMonitorPrivate *priv = gauge_monitor_get_instance_private (self);

  priv->poll_interval = GAUGE_POLL_INTERVAL_DEFAULT;
  priv->waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

guint
gauge_monitor_get_poll_interval (GaugeMonitor *self)
{
  GaugeMonitorPrivate *priv = gauge_monitor_get_instance_private (self);

  g_return_val_if_fail (GAUGE_IS_MONITOR (self), GAUGE_POLL_INTERVAL_DEFAULT);

  return priv->poll_interval;
}

/* Raised to GAUGE_POLL_INTERVAL_MIN: the APIs ask for at most one poll a minute. */
void
gauge_monitor_set_poll_interval (GaugeMonitor *self,
                                 guint         seconds)
{
  GaugeMonitorPrivate *priv = gauge_monitor_get_instance_private (self);

  g_return_if_fail (GAUGE_IS_MONITOR (self));

  seconds = MAX (seconds, GAUGE_POLL_INTERVAL_MIN);
  if (priv->poll_interval == seconds)
    return;

  priv->poll_interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLL_INTERVAL]);

  if (GAUGE_MONITOR_GET_CLASS (self)->poll_interval_changed != NULL)
    GAUGE_MONITOR_GET_CLASS (self)->poll_interval_changed (self);
}

gboolean
gauge_monitor_get_busy (GaugeMonitor *self)
{
  GaugeMonitorPrivate *priv = gauge_monitor_get_instance_private (self);

  g_return_val_if_fail (GAUGE_IS_MONITOR (self), FALSE);

  return priv->busy;
}

void
gauge_monitor_set_busy (GaugeMonitor *self,
                        gboolean      busy)
{
  GaugeMonitorPrivate *priv = gauge_monitor_get_instance_private (self);

  g_return_if_fail (GAUGE_IS_MONITOR (self));

  busy = !!busy;
  if (priv->busy == busy)
    return;

  priv->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * gauge_monitor_update_once_async:
 *
 * Brings the monitor up to date once: joins the round in progress, or starts one. Fails
 * with the round's error.
 */
void
gauge_monitor_update_once_async (GaugeMonitor        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GaugeMonitorPrivate *priv = gauge_monitor_get_instance_private (self);
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GAUGE_IS_MONITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_monitor_update_once_async);
  g_ptr_array_add (priv->waiters, g_steal_pointer (&task));

  GAUGE_MONITOR_GET_CLASS (self)->update_once (self);
}

gboolean
gauge_monitor_update_once_finish (GaugeMonitor  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (GAUGE_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gauge_monitor_take_waiters:
 *
 * Takes the callers of the round that ends, for gauge_poll_return_waiters(); one that joins
 * from now on waits for the next round.
 *
 * Returns: (transfer full) (element-type GTask): the waiting tasks
 */
GPtrArray *
gauge_monitor_take_waiters (GaugeMonitor *self)
{
  GaugeMonitorPrivate *priv = gauge_monitor_get_instance_private (self);
  GPtrArray *waiters;

  g_return_val_if_fail (GAUGE_IS_MONITOR (self), NULL);

  waiters = g_steal_pointer (&priv->waiters);
  priv->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  return waiters;
}
