/* hoga-format.c — how money, percentages and times look in the tables and summary cards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <string.h>

#include "hoga-format.h"
#include "hoga-krx.h"

#define MINUS_SIGN "\342\210\222" /* U+2212 */

static guint64
magnitude_of (gint64 value)
{
  /* Unsigned negation, so G_MININT64 has a magnitude too. */
  return value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;
}

static const char *
sign_of (gint64      value,
         const char *plus)
{
  return value < 0 ? MINUS_SIGN : value > 0 ? plus : "";
}

/* Writes the digits of @magnitude, grouped by three, backwards from @end; returns the start. */
static char *
put_grouped (char    *end,
             guint64  magnitude)
{
  char *p = end;
  guint n_digits = 0;

  do
    {
      if (n_digits > 0 && n_digits % 3 == 0)
        *--p = ',';
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
      n_digits++;
    }
  while (magnitude > 0);

  return p;
}

static const char *
format_grouped (char        buf[HOGA_FORMAT_SIZE],
                gint64      value,
                const char *plus)
{
  char digits[HOGA_FORMAT_SIZE];
  char *end = digits + sizeof digits;
  const char *start = put_grouped (end, magnitude_of (value));
  const char *sign = sign_of (value, plus);
  gsize sign_len = strlen (sign);
  gsize n = (gsize) (end - start);

  g_assert (sign_len + n < HOGA_FORMAT_SIZE);
  memcpy (buf, sign, sign_len);
  memcpy (buf + sign_len, start, n);
  buf[sign_len + n] = '\0';

  return buf;
}

/**
 * hoga_format_krw:
 * @buf: where to write
 * @krw: an amount in KRW
 *
 * Returns: @buf, holding e.g. "1,234,500"
 */
const char *
hoga_format_krw (char   buf[HOGA_FORMAT_SIZE],
                 gint64 krw)
{
  g_return_val_if_fail (buf != NULL, NULL);
  return format_grouped (buf, krw, "");
}

/**
 * hoga_format_signed_krw:
 * @buf: where to write
 * @krw: an amount in KRW
 *
 * Returns: @buf, holding e.g. "+12,300", "−4,500" or "0"
 */
const char *
hoga_format_signed_krw (char   buf[HOGA_FORMAT_SIZE],
                        gint64 krw)
{
  g_return_val_if_fail (buf != NULL, NULL);
  return format_grouped (buf, krw, "+");
}

/**
 * hoga_format_bp:
 * @buf: where to write
 * @bp: basis points (100 = 1 %)
 *
 * Returns: @buf, holding e.g. "+1.25 %", "−0.05 %" or "0.00 %"
 */
const char *
hoga_format_bp (char   buf[HOGA_FORMAT_SIZE],
                gint64 bp)
{
  guint64 magnitude = magnitude_of (bp);

  g_return_val_if_fail (buf != NULL, NULL);

  g_snprintf (buf, HOGA_FORMAT_SIZE, "%s%" G_GUINT64_FORMAT ".%02u %%",
              sign_of (bp, "+"), magnitude / 100, (guint) (magnitude % 100));
  return buf;
}

/**
 * hoga_format_time:
 * @buf: where to write
 * @time_us: µs since the Unix epoch
 *
 * Returns: @buf, holding the time of day in Asia/Seoul, e.g. "09:05:03"
 */
const char *
hoga_format_time (char   buf[HOGA_FORMAT_SIZE],
                  gint64 time_us)
{
  GTimeZone *kst = hoga_krx_time_zone ();
  gint64 seconds;
  gint64 of_day;
  int interval;

  g_return_val_if_fail (buf != NULL, NULL);

  /* The offset from the zone, not a GDateTime: a clock cell allocates nothing. */
  seconds = time_us / G_USEC_PER_SEC - (time_us % G_USEC_PER_SEC < 0 ? 1 : 0);
  interval = g_time_zone_find_interval (kst, G_TIME_TYPE_UNIVERSAL, seconds);
  of_day = (seconds + g_time_zone_get_offset (kst, MAX (interval, 0))) % (24 * 60 * 60);
  if (of_day < 0)
    of_day += 24 * 60 * 60;

  g_snprintf (buf, HOGA_FORMAT_SIZE, "%02d:%02d:%02d",
              (int) (of_day / 3600), (int) (of_day / 60 % 60), (int) (of_day % 60));
  return buf;
}

/**
 * hoga_format_sign_class:
 * @value: a signed figure
 *
 * Returns: (nullable): "hoga-up" above 0, "hoga-down" below, %NULL at 0
 */
const char *
hoga_format_sign_class (gint64 value)
{
  return value > 0 ? "hoga-up" : value < 0 ? "hoga-down" : NULL;
}

/**
 * hoga_format_set_sign_class:
 * @widget: a widget showing a signed figure
 * @value: the figure
 *
 * Colours @widget through the style class of @value's sign.
 */
void
hoga_format_set_sign_class (GtkWidget *widget,
                            gint64     value)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (value > 0)
    gtk_widget_add_css_class (widget, "hoga-up");
  else
    gtk_widget_remove_css_class (widget, "hoga-up");

  if (value < 0)
    gtk_widget_add_css_class (widget, "hoga-down");
  else
    gtk_widget_remove_css_class (widget, "hoga-down");
}
