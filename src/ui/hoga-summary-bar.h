/* hoga-summary-bar.h — the account's figures at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hoga-account.h"

G_BEGIN_DECLS

#define HOGA_TYPE_SUMMARY_BAR (hoga_summary_bar_get_type ())
G_DECLARE_FINAL_TYPE (HogaSummaryBar, hoga_summary_bar, HOGA, SUMMARY_BAR, GtkWidget)

/* Properties
 *   "account" (HogaAccount, nullable)  whose figures are shown; dashes without one
 *   "buys-today" (uint)                buys placed today, as the engine counts them
 *   "max-buys" (uint)                  the daily buy limit shown beside it; 0 shows none */

GtkWidget   *hoga_summary_bar_new            (void);
HogaAccount *hoga_summary_bar_get_account    (HogaSummaryBar *self);
void         hoga_summary_bar_set_account    (HogaSummaryBar *self,
                                              HogaAccount    *account);
guint        hoga_summary_bar_get_buys_today (HogaSummaryBar *self);
void         hoga_summary_bar_set_buys_today (HogaSummaryBar *self,
                                              guint           buys_today);
guint        hoga_summary_bar_get_max_buys   (HogaSummaryBar *self);
void         hoga_summary_bar_set_max_buys   (HogaSummaryBar *self,
                                              guint           max_buys);

G_END_DECLS
