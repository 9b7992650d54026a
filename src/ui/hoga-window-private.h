/* hoga-window-private.h — what the UI tests look at inside the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-account-table.h"
#include "hoga-event-log.h"
#include "hoga-orders-table.h"
#include "hoga-strategy-bar.h"
#include "hoga-summary-bar.h"
#include "hoga-tracking-table.h"
#include "hoga-window.h"

G_BEGIN_DECLS

/* "starting", "failed" or "running" */
const char        *hoga_window_get_page           (HogaWindow *self);
HogaStrategyBar   *hoga_window_get_strategy_bar   (HogaWindow *self);
HogaSummaryBar    *hoga_window_get_summary_bar    (HogaWindow *self);
HogaAccountTable  *hoga_window_get_account_table  (HogaWindow *self);
HogaTrackingTable *hoga_window_get_tracking_table (HogaWindow *self);
HogaOrdersTable   *hoga_window_get_orders_table   (HogaWindow *self);
HogaEventLog      *hoga_window_get_event_log      (HogaWindow *self);
GtkLabel          *hoga_window_get_connection_label (HogaWindow *self);
GtkLabel          *hoga_window_get_profile_badge  (HogaWindow *self);
gboolean           hoga_window_get_kill_banner_shown (HogaWindow *self);

G_END_DECLS
