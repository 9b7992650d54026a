/* hoga-format.h — how money, percentages and times look in the tables and summary cards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a class: formatters shared by every frame. They write into a caller's buffer and
 * return it, so a cell refreshed at 10 Hz allocates nothing to format its text:
 *
 *   char buf[HOGA_FORMAT_SIZE];
 *   gtk_label_set_text (label, hoga_format_krw (buf, price));
 *
 * Negative numbers use U+2212 MINUS SIGN, which lines up with "+" in tabular digits.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Room for any of the texts below, NUL included. */
#define HOGA_FORMAT_SIZE 32

/* "1,234,500"; a negative amount gets a minus sign. */
const char *hoga_format_krw            (char        buf[HOGA_FORMAT_SIZE],
                                        gint64      krw);
/* "+12,300", "−4,500", "0". */
const char *hoga_format_signed_krw     (char        buf[HOGA_FORMAT_SIZE],
                                        gint64      krw);
/* Basis points as a signed percentage with two decimals: 125 → "+1.25 %", 0 → "0.00 %". */
const char *hoga_format_bp             (char        buf[HOGA_FORMAT_SIZE],
                                        gint64      bp);
/* µs since the Unix epoch as "HH:MM:SS" in Asia/Seoul. */
const char *hoga_format_time           (char        buf[HOGA_FORMAT_SIZE],
                                        gint64      time_us);

/* The style class of a signed figure (Korean convention): "hoga-up" (red) above 0,
 * "hoga-down" (blue) below, NULL at 0. */
const char *hoga_format_sign_class     (gint64      value);
/* Gives @widget the style class of @value's sign and removes the other one. */
void        hoga_format_set_sign_class (GtkWidget  *widget,
                                        gint64      value);

G_END_DECLS
