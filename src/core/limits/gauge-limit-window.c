/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limit-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gauge-format.h"
#include "gauge-limit-kind.h"
#include "gauge-limit-window.h"

struct _GaugeLimitWindow
{
  GObject    parent_instance;

  char      *id;
  char      *display_name;
  char      *currency;
  GDateTime *resets_at;
  GTimeSpan  length;
  double     utilization;
  gint64     used_minor;
  gint64     limit_minor;
  guint      exponent;         /* of the currency: minor units per major are 10^exponent */
  GaugeSeverity server_severity;  /* what the usage response itself said, or normal */
  guint      is_money : 1;
};

G_DEFINE_FINAL_TYPE (GaugeLimitWindow, gauge_limit_window, G_TYPE_OBJECT)

static void
gauge_limit_window_finalize (GObject *object)
{
  GaugeLimitWindow *self = (GaugeLimitWindow *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->resets_at, g_date_time_unref);

  G_OBJECT_CLASS (gauge_limit_window_parent_class)->finalize (object);
}

static void
gauge_limit_window_class_init (GaugeLimitWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gauge_limit_window_finalize;
}

static void
gauge_limit_window_init (GaugeLimitWindow *self)
{
}

/* Utilization can pass 100 a little; a value far beyond is a broken reading, shown at this
 * bound rather than as a number no one could read (or one that wraps). */
static double
sane_utilization (const char *id,
                  double      utilization)
{
  if (isnan (utilization) || utilization < 0)
    {
      g_debug ("Window “%s”: utilization %g is not a percentage; shown as 0", id, utilization);
      return 0;
    }

  if (utilization > GAUGE_UTILIZATION_MAX)
    {
      g_debug ("Window “%s”: utilization %g is absurd; shown as %g", id, utilization,
               GAUGE_UTILIZATION_MAX);
      return GAUGE_UTILIZATION_MAX;
    }

  return utilization;
}

/**
 * gauge_limit_window_new:
 * @id: a stable identifier such as "five_hour"
 * @display_name: the translated name shown to the user
 * @utilization: percent used, 0–100 (may exceed 100; NaN and below 0 become 0, above
 *   %GAUGE_UTILIZATION_MAX that bound)
 * @resets_at: (nullable) (transfer none): when the window resets
 * @length: the window's duration, or 0 when unknown
 *
 * Returns: (transfer full): a new window
 */
GaugeLimitWindow *
gauge_limit_window_new (const char *id,
                        const char *display_name,
                        double      utilization,
                        GDateTime  *resets_at,
                        GTimeSpan   length)
{
  GaugeLimitWindow *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (length >= 0, NULL);

  /* Names and ids come from the network: clean once here, for every screen and the database. */
  self = g_object_new (GAUGE_TYPE_LIMIT_WINDOW, NULL);
  self->id = gauge_format_clean_text (id, FALSE);
  self->display_name = gauge_format_clean_text (display_name != NULL ? display_name : id, FALSE);
  self->utilization = sane_utilization (self->id, utilization);
  self->resets_at = resets_at != NULL ? g_date_time_ref (resets_at) : NULL;
  self->length = length;

  return self;
}

/**
 * gauge_limit_window_new_flagged:
 * @window: a window
 * @server_severity: the severity Anthropic's answer gave it ("critical" in limits[])
 *
 * Windows are immutable: this is @window again, flagged. Its severity is never lower than
 * @server_severity, whatever the thresholds.
 *
 * Returns: (transfer full): a new window
 */
GaugeLimitWindow *
gauge_limit_window_new_flagged (GaugeLimitWindow *window,
                                GaugeSeverity     server_severity)
{
  GaugeLimitWindow *self;

  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (window), NULL);

  self = g_object_new (GAUGE_TYPE_LIMIT_WINDOW, NULL);
  self->id = g_strdup (window->id);
  self->display_name = g_strdup (window->display_name);
  self->currency = g_strdup (window->currency);
  self->resets_at = window->resets_at != NULL ? g_date_time_ref (window->resets_at) : NULL;
  self->length = window->length;
  self->utilization = window->utilization;
  self->used_minor = window->used_minor;
  self->limit_minor = window->limit_minor;
  self->exponent = window->exponent;
  self->is_money = window->is_money;
  self->server_severity = CLAMP (server_severity, GAUGE_SEVERITY_NORMAL, GAUGE_SEVERITY_CRITICAL);

  return self;
}

/**
 * gauge_limit_window_new_money:
 * @id: a stable identifier such as "extra_usage"
 * @display_name: the translated name shown to the user
 * @utilization: percent used, 0–100 (may exceed 100)
 * @used_minor: amount spent, in the currency's minor units (cents; yen for JPY)
 * @limit_minor: the cap in minor units, or 0 when there is none or it is unknown
 * @currency: (nullable): an ISO 4217 code; %NULL means "USD". Its minor units are
 *   gauge_limit_currency_get_exponent()'s.
 * @resets_at: (nullable) (transfer none): when the window resets or expires
 *
 * A window measured in money: extra usage or a credit grant. Its length is unknown (0).
 *
 * Returns: (transfer full): a new window
 */
GaugeLimitWindow *
gauge_limit_window_new_money (const char *id,
                              const char *display_name,
                              double      utilization,
                              gint64      used_minor,
                              gint64      limit_minor,
                              const char *currency,
                              GDateTime  *resets_at)
{
  g_autofree char *clean_currency = NULL;
  GaugeLimitWindow *self;

  self = gauge_limit_window_new (id, display_name, utilization, resets_at, 0);
  g_return_val_if_fail (self != NULL, NULL);

  self->is_money = TRUE;
  self->used_minor = used_minor;
  self->limit_minor = MAX (limit_minor, 0);
  clean_currency = gauge_format_clean_text (currency, FALSE);
  self->currency = g_ascii_strup (clean_currency != NULL && *clean_currency != '\0'
                                  ? clean_currency : "USD", -1);
  self->exponent = gauge_limit_currency_get_exponent (self->currency);

  return self;
}

const char *
gauge_limit_window_get_id (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), NULL);

  return self->id;
}

const char *
gauge_limit_window_get_display_name (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), NULL);

  return self->display_name;
}

double
gauge_limit_window_get_utilization (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), 0.0);

  return self->utilization;
}

/**
 * gauge_limit_window_get_resets_at:
 *
 * Returns: (nullable) (transfer none): when the window resets; for a credit grant, when it expires
 */
GDateTime *
gauge_limit_window_get_resets_at (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), NULL);

  return self->resets_at;
}

GTimeSpan
gauge_limit_window_get_length (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), 0);

  return self->length;
}

gboolean
gauge_limit_window_is_money (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), FALSE);

  return self->is_money;
}

gint64
gauge_limit_window_get_used_minor (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), 0);

  return self->used_minor;
}

gint64
gauge_limit_window_get_limit_minor (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), 0);

  return self->limit_minor;
}

/**
 * gauge_limit_window_get_currency:
 *
 * Returns: (nullable): the upper-case currency code of a money window, %NULL otherwise
 */
const char *
gauge_limit_window_get_currency (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), NULL);

  return self->currency;
}

/* Returns: how many decimals the currency's minor units are (2 for cents, 0 for yen) */
guint
gauge_limit_window_get_exponent (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), 2);

  return self->exponent;
}

/* Returns: whether it is a credit grant: money, and its resets_at is an expiry */
gboolean
gauge_limit_window_is_credit (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), FALSE);

  return gauge_limit_kind_is_credit (self->id, self->is_money);
}

/* Returns: the severity Anthropic gave the window; normal when it said nothing */
GaugeSeverity
gauge_limit_window_get_server_severity (GaugeLimitWindow *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), GAUGE_SEVERITY_NORMAL);

  return self->server_severity;
}

/**
 * gauge_limit_window_get_pace:
 * @now: the current time
 *
 * How much of the window has elapsed, for the pace marker on the bar.
 *
 * Returns: a fraction in [0, 1], or -1 when the length or the reset time is unknown
 */
double
gauge_limit_window_get_pace (GaugeLimitWindow *self,
                             GDateTime        *now)
{
  GTimeSpan remaining;
  double pace;

  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), -1.0);
  g_return_val_if_fail (now != NULL, -1.0);

  if (self->length <= 0 || self->resets_at == NULL)
    return -1.0;

  remaining = g_date_time_difference (self->resets_at, now);
  pace = 1.0 - (double)remaining / (double)self->length;

  return CLAMP (pace, 0.0, 1.0);
}

GaugeSeverity
gauge_limit_window_get_severity (GaugeLimitWindow *self,
                                 double            warning,
                                 double            critical)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), GAUGE_SEVERITY_NORMAL);

  /* The server knows the limit better than a local threshold: it only raises. */
  return MAX (gauge_severity_for (self->utilization, warning, critical), self->server_severity);
}

/* ISO 4217 currencies whose minor unit is not the cent. */
static const struct
{
  const char *code;
  guint       exponent;
} exponents[] = {
  { "BIF", 0 }, { "CLP", 0 }, { "DJF", 0 }, { "GNF", 0 }, { "ISK", 0 }, { "JPY", 0 },
  { "KMF", 0 }, { "KRW", 0 }, { "PYG", 0 }, { "RWF", 0 }, { "UGX", 0 }, { "VND", 0 },
  { "VUV", 0 }, { "XAF", 0 }, { "XOF", 0 }, { "XPF", 0 },
  { "BHD", 3 }, { "IQD", 3 }, { "JOD", 3 }, { "KWD", 3 }, { "LYD", 3 }, { "OMR", 3 },
  { "TND", 3 },
};

/**
 * gauge_limit_currency_get_exponent:
 * @currency: (nullable): an ISO 4217 code, upper case; %NULL means "USD"
 *
 * Returns: the decimals of its minor unit: 2 for USD and EUR, 0 for JPY
 */
guint
gauge_limit_currency_get_exponent (const char *currency)
{
  for (guint i = 0; currency != NULL && i < G_N_ELEMENTS (exponents); i++)
    if (g_str_equal (exponents[i].code, currency))
      return exponents[i].exponent;

  return 2;
}

static const char *
currency_symbol (const char *currency)
{
  if (g_strcmp0 (currency, "USD") == 0)
    return "$";
  if (g_strcmp0 (currency, "EUR") == 0)
    return "€";
  if (g_strcmp0 (currency, "GBP") == 0)
    return "£";
  if (g_strcmp0 (currency, "JPY") == 0)
    return "¥";
  return NULL;
}

/* Integer arithmetic in minor units, so 1250 cents is exactly "12.50" and 1250 yen "1250". */
static char *
format_amount (gint64      minor,
               guint       exponent,
               const char *symbol,
               const char *code)
{
  /* Negating G_MININT64 overflows; the unsigned detour does not. */
  guint64 magnitude = minor < 0 ? (guint64)0 - (guint64)minor : (guint64)minor;
  const char *sign = minor < 0 ? "-" : "";
  guint64 scale = 1;
  g_autofree char *digits = NULL;
  g_autofree char *number = NULL;

  for (guint i = 0; i < exponent; i++)
    scale *= 10;

  if (exponent == 0)
    digits = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude);
  else
    digits = g_strdup_printf ("%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                              magnitude / scale, (int) exponent, magnitude % scale);
  number = gauge_format_group_digits (digits);

  if (symbol != NULL)
    return g_strdup_printf ("%s%s%s", sign, symbol, number);

  if (code != NULL)
    return g_strdup_printf ("%s%s %s", sign, number, code);

  return g_strdup_printf ("%s%s", sign, number);
}

/**
 * gauge_limit_window_format_money:
 *
 * Formats a money window for display: "$12.50 of $50.00", "€3.00 of €10.00",
 * "12.50 of 50.00 CHF", or just "$12.50" when the limit is 0 or unknown.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL for a window that is not money
 */
char *
gauge_limit_window_format_money (GaugeLimitWindow *self)
{
  g_autofree char *used = NULL;
  g_autofree char *limit = NULL;
  const char *symbol;

  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), NULL);

  if (!self->is_money)
    return NULL;

  symbol = currency_symbol (self->currency);

  if (self->limit_minor <= 0)
    return format_amount (self->used_minor, self->exponent, symbol,
                          symbol == NULL ? self->currency : NULL);

  /* With a code rather than a symbol it goes once, at the end: "12.50 of 50.00 CHF". */
  used = format_amount (self->used_minor, self->exponent, symbol, NULL);
  limit = format_amount (self->limit_minor, self->exponent, symbol,
                         symbol == NULL ? self->currency : NULL);

  /* Translators: money spent of a limit, e.g. "$12.50 of $50.00" */
  return g_strdup_printf (_("%s of %s"), used, limit);
}

/**
 * gauge_limit_window_format_caption:
 * @now: the current time
 *
 * The line under a row's bar: "Resets in 2 h 11 min (14:00)", or for a credit grant
 * "Expires in 24 days (31 Dec)".
 *
 * Returns: (transfer full) (nullable): the caption, or %NULL when no time is known
 */
char *
gauge_limit_window_format_caption (GaugeLimitWindow *self,
                                   GDateTime        *now)
{
  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (gauge_limit_window_is_credit (self))
    return gauge_format_expiry (self->resets_at, now);

  return gauge_format_reset (self->resets_at, now);
}
